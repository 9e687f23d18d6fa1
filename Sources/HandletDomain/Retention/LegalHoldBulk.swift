import Foundation
import GRDB

/// Legal holds on several calls at once (the console's marked calls): one command, one plan with
/// one question, one transaction and one audit event. Every call must qualify, or nothing
/// changes: the first call that does not is named in the refusal.
extension WorkspaceCommand where Result == [LegalHold.Held] {
    public static func placeLegalHolds(onCalls ids: [Call.ID], reason: String) -> Self {
        let ids = LegalHold.distinct(ids)
        return WorkspaceCommand(.legalHold, audit: .legalHoldPlaced, rules: { db, environment in
            for id in ids { try WorkspaceCommand<LegalHold.Held>.placeLegalHold(onCall: id, reason: reason).rules(db, environment) }
        }, outline: { db, _ in
            ChangeOutline(preview: nil, confirmation: Confirmation(
                title: "Legal hold on \(DisplayText.count(ids.count, "recording"))",
                question: "Place a legal hold on the \(DisplayText.count(ids.count, "recording")) of \(try LegalHold.names(ids, db))?",
                confirmLabel: "Hold", declined: "Not confirmed; no hold was placed.", isDestructive: false))
        }) { db, environment in
            guard !ids.isEmpty else { return .unchanged([]) }
            var held: [LegalHold.Held] = []
            for id in ids { held.append(try WorkspaceCommand<LegalHold.Held>.placeLegalHold(onCall: id, reason: reason).body(db, environment).result) }
            return .changed(held, target: "calls:\(ids.map { String($0.rawValue) }.joined(separator: ","))",
                            details: ["count": .int(Int64(held.count))])
        }
    }
}

extension WorkspaceCommand where Result == [LegalHold.Released] {
    public static func releaseLegalHolds(onCalls ids: [Call.ID], reason: String) -> Self {
        let ids = LegalHold.distinct(ids)
        return WorkspaceCommand(.legalHold, audit: .legalHoldReleased, rules: { db, environment in
            for id in ids { try WorkspaceCommand<LegalHold.Released>.releaseLegalHold(onCall: id, reason: reason).rules(db, environment) }
        }, outline: { db, _ in
            ChangeOutline(preview: nil, confirmation: Confirmation(
                title: "Release \(DisplayText.count(ids.count, "legal hold"))",
                question: "Release the legal hold on the \(DisplayText.count(ids.count, "recording")) of \(try LegalHold.names(ids, db))?"
                    + " Each expires again as its retention period says.",
                confirmLabel: "Release", declined: "Not confirmed; every hold stays.", isDestructive: true))
        }) { db, environment in
            guard !ids.isEmpty else { return .unchanged([]) }
            var released: [LegalHold.Released] = []
            for id in ids { released.append(try WorkspaceCommand<LegalHold.Released>.releaseLegalHold(onCall: id, reason: reason).body(db, environment).result) }
            return .changed(released, target: "calls:\(ids.map { String($0.rawValue) }.joined(separator: ","))",
                            details: ["count": .int(Int64(released.count)), "with_reason": .bool(true)])
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
