import Foundation
import GRDB

/// What a person does with a draft in the action queue (DESIGN §6): approve it, edit then approve
/// it, discard it, or answer "was this correct?". Approving, editing and a yes or no answer count
/// towards the intent's training; "not now" and discarding do not (see `TrainingCounts`). Each is
/// audited with the draft's correlation id, so its whole story can be found by that id.
public enum DraftDecision: Hashable, Sendable {
    case approve
    case editAndApprove(body: String)
    case discard
    case rate(DraftValidation)

    public static let maximumBodyLength = 2_000
}

/// The draft after a decision.
public struct DraftDecisionResult: Hashable, Sendable {
    public let draftId: Int64
    public let correlationId: String
    public let state: DraftState
    public let validation: DraftValidation?
    /// For an approval: the evaluation recorded and the send it queued.
    public var evaluation: RecordedEvaluation?
}

public enum DraftDecisionError: SysexitsError, Equatable, CustomStringConvertible {
    case noSuchDraft(Int64)
    case notWaiting(Int64, DraftState)
    case blocked(Int64)
    /// A person's approval cannot overrule a veto: a suppressed contact, missing consent, failing disclosure wording.
    case approvalBlocked(Int64, AutoSendGate)
    case emptyBody
    case bodyNotPlainText
    case bodyTooLong(limit: Int)

    public var exitClass: ExitClass {
        switch self {
        case .noSuchDraft, .emptyBody, .bodyNotPlainText, .bodyTooLong: .dataError
        // Rules about the draft as it is now.
        case .notWaiting, .blocked, .approvalBlocked: .refused
        }
    }

    public var description: String {
        switch self {
        case .noSuchDraft(let id): "No draft with id \(id)."
        case .notWaiting(let id, let state):
            "Draft \(id) is \(state.rawValue.replacingOccurrences(of: "_", with: "-")), not waiting: only a waiting draft can be approved, edited or discarded."
        case .blocked(let id):
            "Draft \(id) is blocked (its contact is suppressed or it lacks consent): it cannot be sent, only discarded."
        case .approvalBlocked(let id, let gate):
            "Draft \(id) cannot be sent, even approved: \(gate.failureReason) (\(gate.rawValue)). It can only be discarded."
        case .emptyBody: "An edited reply cannot be empty."
        case .bodyNotPlainText: "An edited reply must be plain text (line breaks allowed, no control characters)."
        case .bodyTooLong(let limit): "An edited reply may be at most \(limit) characters."
        }
    }
}

extension DraftDecision {
    var auditAction: AuditAction {
        switch self {
        case .approve: .draftApproved
        case .editAndApprove: .draftEdited
        case .discard: .draftDiscarded
        case .rate: .draftRated
        }
    }
}

extension WorkspaceCommand where Result == DraftDecisionResult {
    /// A person's decision on draft `id`; needs `handleDrafts` (owner, admin, agent).
    public static func decideDraft(_ id: Int64, _ decision: DraftDecision) -> Self {
        WorkspaceCommand(.handleDrafts, audit: decision.auditAction, rules: { db, environment in
            // Only a waiting draft is approved or edited (a blocked one never is); a waiting or
            // blocked one may be discarded; any may be rated.
            guard let stored = try String.fetchOne(db, sql: "SELECT state FROM drafts WHERE id = ?", arguments: [id]) else {
                throw DraftDecisionError.noSuchDraft(id)
            }
            let state = DraftState(rawValue: stored) ?? .waiting
            switch decision {
            case .approve, .editAndApprove:
                if state == .blocked { throw DraftDecisionError.blocked(id) }
                guard state == .waiting else { throw DraftDecisionError.notWaiting(id, state) }
                // Approving sends through the arrival step's evaluation: refused here, before
                // anything is written, if a veto would block it.
                let approval = try Arrival.approvalDecision(id, db, now: environment.now)
                if approval.outcome == .blocked, let gate = approval.decidingGate { throw DraftDecisionError.approvalBlocked(id, gate) }
            case .discard:
                guard state == .waiting || state == .blocked else { throw DraftDecisionError.notWaiting(id, state) }
            case .rate: break
            }
        }) { db, environment in
            guard let row = try Row.fetchOne(db, sql: "SELECT state, intent, correlation_id, validation FROM drafts WHERE id = ?",
                                             arguments: [id]) else { throw DraftDecisionError.noSuchDraft(id) }
            let state = DraftState(rawValue: row["state"]) ?? .waiting
            let correlationId: String = row["correlation_id"]
            let intent: String = row["intent"]
            let by = environment.actor.userId?.rawValue
            let at = Int64(environment.now.timeIntervalSince1970)
            var details: [String: AuditValue] = ["correlation_id": .string(correlationId), "intent": .string(intent)]
            var newState = state
            var validation = (row["validation"] as String?).flatMap(DraftValidation.init(rawValue:))
            var recorded: RecordedEvaluation?
            switch decision {
            case .approve, .editAndApprove:
                if case .editAndApprove(let body) = decision {
                    let trimmed = body.trimmingCharacters(in: .whitespacesAndNewlines)
                    guard !trimmed.isEmpty else { throw DraftDecisionError.emptyBody }
                    guard !trimmed.unicodeScalars.contains(where: {
                        ($0.properties.generalCategory == .control && $0 != "\n") || $0.properties.generalCategory == .format
                    }) else { throw DraftDecisionError.bodyNotPlainText }
                    guard trimmed.count <= DraftDecision.maximumBodyLength else {
                        throw DraftDecisionError.bodyTooLong(limit: DraftDecision.maximumBodyLength)
                    }
                    newState = .edited
                    try db.execute(sql: "UPDATE drafts SET body = ? WHERE id = ?", arguments: [trimmed, id])
                    details["characters"] = .int(Int64(trimmed.count))
                } else {
                    newState = .approved
                }
                try db.execute(sql: "UPDATE drafts SET state = ?, validated_by = COALESCE(validated_by, ?), validated_at = COALESCE(validated_at, ?) WHERE id = ?",
                               arguments: [newState.rawValue, by, at, id])
                // The same path as an automatic send: the evaluation recorded first, then the
                // outbox row under the draft's correlation id.
                let evaluation = try Arrival.evaluateDraft(id, db, now: environment.now,
                                                           approval: PersonApproval(by: environment.actor.userId))
                if evaluation.outcome == .blocked, let gate = evaluation.decidingGate { throw DraftDecisionError.approvalBlocked(id, gate) }
                details.merge(evaluation.auditDetails) { $1 }
                recorded = evaluation
            case .discard:
                newState = .discarded
                try db.execute(sql: "UPDATE drafts SET state = 'discarded' WHERE id = ?", arguments: [id])
            case .rate(let answer):
                guard answer != validation else {
                    return .unchanged(DraftDecisionResult(draftId: id, correlationId: correlationId, state: state, validation: validation))
                }
                validation = answer
                details["validation"] = .string(answer.rawValue)
                try db.execute(sql: "UPDATE drafts SET validation = ?, validated_by = ?, validated_at = ? WHERE id = ?",
                               arguments: [answer.rawValue, by, at, id])
            }
            details["state"] = .string(newState.rawValue)
            return .changed(DraftDecisionResult(draftId: id, correlationId: correlationId, state: newState, validation: validation,
                                                evaluation: recorded),
                            target: "draft:\(id)", details: details)
        }
    }
}
