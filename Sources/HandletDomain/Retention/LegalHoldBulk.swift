import Foundation
import GRDB

/// Legal holds on several calls at once (the console's marked calls): one command, one plan with
/// one question, one transaction and one audit event. Every call must qualify, or nothing
/// changes: the first call that does not is named in the refusal.
extension WorkspaceCommand where Result == [LegalHold.Held] {
    public static func placeLegalHolds(onCalls ids: [Call.ID], reason: String) -> Self {
        onEachCall(ids, .legalHold, audit: .legalHoldPlaced, details: [:], { .placeLegalHold(onCall: $0, reason: reason) }) { ids, db in
            Confirmation(
                title: "Legal hold on \(DisplayText.count(ids.count, "recording"))",
                question: "Place a legal hold on the \(DisplayText.count(ids.count, "recording")) of \(try LegalHold.names(ids, db))?",
                confirmLabel: "Hold", declined: "Not confirmed; no hold was placed.", isDestructive: false)
        }
    }
}

extension WorkspaceCommand where Result == [LegalHold.Released] {
    public static func releaseLegalHolds(onCalls ids: [Call.ID], reason: String) -> Self {
        onEachCall(ids, .legalHold, audit: .legalHoldReleased, details: ["with_reason": .bool(true)], { .releaseLegalHold(onCall: $0, reason: reason) }) { ids, db in
            Confirmation(
                title: "Release \(DisplayText.count(ids.count, "legal hold"))",
                question: "Release the legal hold on the \(DisplayText.count(ids.count, "recording")) of \(try LegalHold.names(ids, db))?"
                    + " Each expires again as its retention period says.",
                confirmLabel: "Release", declined: "Not confirmed; every hold stays.", isDestructive: true)
        }
    }
}

extension WorkspaceCommand {
    /// `single`'s change on each call (each once, in ascending order) as one command: every call's
    /// rules, then one question, then every call's body in one transaction under one audit event
    /// whose target names the calls and whose details count them (beside `details`).
    static func onEachCall<One: Sendable>(_ ids: [Call.ID], _ permission: Permission, audit action: AuditAction, details: [String: AuditValue],
                                          _ single: @escaping @Sendable (Call.ID) -> WorkspaceCommand<One>,
                                          confirmation: @escaping @Sendable ([Call.ID], Database) throws -> Confirmation) -> Self
    where Result == [One] {
        let ids = LegalHold.distinct(ids)
        return WorkspaceCommand(permission, audit: action, rules: { db, environment in
            for id in ids { try single(id).rules(db, environment) }
        }, outline: { db, _ in
            ChangeOutline(preview: nil, confirmation: try confirmation(ids, db))
        }) { db, environment in
            guard !ids.isEmpty else { return .unchanged([]) }
            var results: [One] = []
            for id in ids { results.append(try single(id).body(db, environment).result) }
            return .changed(results, target: "calls:\(ids.map { String($0.rawValue) }.joined(separator: ","))",
                            details: details.merging(["count": .int(Int64(results.count))]) { _, count in count })
        }
    }
}

extension LegalHold {
    /// Each id once, in ascending order.
    static func distinct(_ ids: [Call.ID]) -> [Call.ID] { Array(Set(ids)).sorted() }

    /// "CALL-1, CALL-2 and 3 more": the calls' external ids, the first few.
    static func names(_ ids: [Call.ID], _ db: Database, shown: Int = 3) throws -> String {
        var names: [String] = []
        for id in ids.prefix(shown) { names.append(try CallReference.call(id, in: db).externalId) }
        let more = ids.count - names.count
        return names.joined(separator: ", ") + (more > 0 ? " and \(more) more" : "")
    }
}
