import Foundation
import GRDB

/// The one arrival step of DESIGN §6. Everything that arrives — a customer's message, a drafted
/// reply from the demo, an importer or `handlet queue add` — goes through here, inside the
/// transaction that stores it:
///
/// - an inbound message's opt-out keyword changes its contact at once (`applyOptOutKeywords`);
/// - a new draft is decided at once by `AutoSendDecider`, the evaluation recorded first, and the
///   result queued: a send becomes an outbox row due at its time (the end of quiet hours if it
///   fell inside them), a hold waits for a person, a block is marked blocked with its gate
///   (`evaluateDraft`).
///
/// A person approving a draft goes through `evaluateDraft` too (`approval` set): the same
/// evaluation first, the same outbox, the same correlation id as an automatic send.
///
/// Internal: the front ends reach it through `.receiveDraft`, `.receiveInboundMessage` and
/// `.decideDraft`; nothing outside the domain is handed a `Database`.
enum Arrival {
    // MARK: Inbound messages

    /// What the opt-out keywords of stored inbound message `id` did to its contact, with the audit
    /// details naming the message when the contact changed.
    static func applyOptOutKeywords(inMessage id: Message.ID, _ db: Database, now: Date) throws
        -> (change: OptOutChange, audit: (target: String, details: [String: AuditValue])?) {
        guard let row = try Row.fetchOne(db, sql: "SELECT direction, contact_id, body, channel FROM messages WHERE id = ?",
                                         arguments: [id.rawValue]) else { throw OptOutError.noSuchMessage(id) }
        guard row["direction"] as String == Direction.inbound.rawValue else { throw OptOutError.notInbound(id) }
        let contactId: Contact.ID? = row["contact_id"]
        let signal = OptOutKeyword.signal(in: row["body"])
        let unchanged = OptOutChange(messageId: id, contactId: contactId, signal: signal, changed: false)
        guard let signal, let contactId else { return (unchanged, nil) }
        let optedOut = try Bool.fetchOne(db, sql: "SELECT opted_out_at IS NOT NULL FROM contacts WHERE id = ?",
                                         arguments: [contactId.rawValue]) ?? false
        switch signal {
        case .optOut(let keyword):
            guard !optedOut else { return (unchanged, nil) }
            try db.execute(sql: "UPDATE contacts SET opted_out_at = ?, opt_out_keyword = ? WHERE id = ?",
                           arguments: [Int64(now.timeIntervalSince1970), keyword, contactId.rawValue])
        case .optIn:
            guard optedOut else { return (unchanged, nil) }
            try db.execute(sql: "UPDATE contacts SET opted_out_at = NULL, opt_out_keyword = NULL WHERE id = ?",
                           arguments: [contactId.rawValue])
        }
        let state = if case .optOut = signal { "opted_out" } else { "opted_in" }
        return (OptOutChange(messageId: id, contactId: contactId, signal: signal, changed: true),
                ("contact:\(contactId)", ["message_id": .int(id.rawValue), "keyword": .string(signal.keyword),
                                          "state": .string(state), "channel": .string(row["channel"])]))
    }

    // MARK: Drafts

    /// Decides stored draft `id` now, records the evaluation, then queues its result. With
    /// `approval`, a person approved it (`approval.by`, nil only for a user since deleted): the gates a person may overrule (the settings, training,
    /// confidence, the cap, the intents' own gates) no longer hold it, but the vetoes still block
    /// (a suppressed contact, missing consent, failing disclosure wording) and quiet hours still
    /// move it to their end.
    @discardableResult
    static func evaluateDraft(_ id: Int64, _ db: Database, now: Date, approval: PersonApproval? = nil) throws -> RecordedEvaluation {
        let context = try DraftContext.load(id, db, now: now)
        var decision = context.decide(now: now)
        if approval != nil { decision = decision.approvedByPerson(now: now) }
        let at = Int64(now.timeIntervalSince1970)
        // The evaluation first: a send never exists without the evaluation that allowed it.
        try db.execute(sql: """
            INSERT INTO autosend_evaluations (draft_id, correlation_id, evaluated_at, outcome, send_at, deciding_gate,
                                              verdicts, settings, approved_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [id, context.correlationId, at, decision.outcome.name,
                             decision.sendAt.map { Int64($0.timeIntervalSince1970) }, decision.decidingGate?.rawValue,
                             decision.verdictsJSON, context.settings.traceJSON, approval?.by?.rawValue])
        let evaluationId = db.lastInsertedRowID
        var outboxId: Int64?
        var state = context.state
        switch decision.outcome {
        case .send(let sendAt):
            try db.execute(sql: """
                INSERT INTO autosend_outbox (evaluation_id, draft_id, correlation_id, idempotency_key, channel, to_address,
                                             body, state, due_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'due', ?)
                """, arguments: [evaluationId, id, context.correlationId, "send-" + context.correlationId,
                                 context.outboxChannel, context.toAddress, context.composedBody,
                                 Int64(sendAt.timeIntervalSince1970)])
            outboxId = db.lastInsertedRowID
            if approval == nil { state = .autoSent }
        case .hold:
            break
        case .blocked:
            state = .blocked
        }
        if state != context.state {
            try db.execute(sql: "UPDATE drafts SET state = ? WHERE id = ?", arguments: [state.rawValue, id])
        }
        return RecordedEvaluation(evaluationId: evaluationId, draftId: id, correlationId: context.correlationId,
                                  outcome: decision.outcome, decidingGate: decision.decidingGate, outboxId: outboxId,
                                  draftState: state)
    }

    /// The decision a person's approval of draft `id` would get now, without recording it.
    static func approvalDecision(_ id: Int64, _ db: Database, now: Date) throws -> AutoSendDecision {
        try DraftContext.load(id, db, now: now).decide(now: now).approvedByPerson(now: now)
    }

    /// Stores a draft from outside and runs it through the arrival step.
    static func receiveDraft(_ arriving: ArrivingDraft, _ db: Database, now: Date) throws -> DraftArrival {
        try arriving.validate()
        let target = try ResolvedTarget.resolve(arriving.answers, db)
        let channel: String? = target.kind == "review" ? "review" : (arriving.channel ?? target.channel)?.rawValue
        let correlationId = arriving.correlationId ?? UUID().uuidString.lowercased()
        if arriving.correlationId != nil,
           try Bool.fetchOne(db, sql: "SELECT 1 FROM drafts WHERE correlation_id = ?", arguments: [correlationId]) != nil {
            throw ArrivalError.duplicateCorrelationId(correlationId)
        }
        var draft = Draft(targetKind: target.kind, targetId: target.id, contactId: target.contactId, channel: channel,
                          intent: arriving.intent, confidence: arriving.confidence, body: arriving.body,
                          firmPriceAvailable: arriving.firmPriceAvailable, bookingFieldsComplete: arriving.bookingFieldsComplete,
                          complaintSeverity: arriving.complaintSeverity, reviewStars: target.reviewStars,
                          isMarketing: arriving.isMarketing, correlationId: correlationId, createdAt: now)
        try draft.insert(db)
        let evaluation = try evaluateDraft(draft.id!, db, now: now)
        return DraftArrival(draftId: draft.id!, correlationId: correlationId, evaluation: evaluation)
    }
}

/// A person's approval of a draft, which `Arrival.evaluateDraft` reads as overruling the holds.
struct PersonApproval: Sendable {
    let by: User.ID?
    init(by: User.ID?) { self.by = by }
}

/// What one evaluation recorded and queued.
public struct RecordedEvaluation: Hashable, Sendable {
    public let evaluationId: Int64
    public let draftId: Int64
    public let correlationId: String
    public let outcome: AutoSendOutcome
    public let decidingGate: AutoSendGate?
    /// The outbox row of a send.
    public let outboxId: Int64?
    public let draftState: DraftState

    var auditDetails: [String: AuditValue] {
        var details: [String: AuditValue] = ["evaluation_id": .int(evaluationId), "outcome": .string(outcome.name)]
        if let decidingGate { details["gate"] = .string(decidingGate.rawValue) }
        if case .send(let at) = outcome { details["send_at"] = .int(Int64(at.timeIntervalSince1970)) }
        if let outboxId { details["outbox_id"] = .int(outboxId) }
        return details
    }
}

extension AutoSendDecision {
    /// The same verdicts read as a person's approval at `now`: only the vetoes (a block) still
    /// stop it, and quiet hours still move it to their end. Kept apart from
    /// `AutoSendDecider.decide`, which stays as fast as the preview needs.
    public func approvedByPerson(now: Date) -> AutoSendDecision {
        if let blocked = verdicts.firstIndex(of: .block) {
            return AutoSendDecision(outcome: .blocked, decidingGate: AutoSendGate.allCases[blocked], verdicts: verdicts)
        }
        if case .deferred(let until) = verdict(.quietHours) {
            return AutoSendDecision(outcome: .send(at: until), decidingGate: .quietHours, verdicts: verdicts)
        }
        return AutoSendDecision(outcome: .send(at: now), decidingGate: nil, verdicts: verdicts)
    }
}

/// A draft's facts, its contact's, and the settings in force, read once for one decision.
struct DraftContext {
    let correlationId: String
    let state: DraftState
    let facts: AutoSendDraftFacts
    let contact: AutoSendContactFacts
    let recentSends: [Date]
    let settings: AutoSendSettings
    let policy: AutoSendPolicy
    let outboxChannel: String
    let toAddress: String
    let composedBody: String

    static func load(_ id: Int64, _ db: Database, now: Date) throws -> DraftContext {
        guard let draft = try Draft.fetchOne(db, key: id) else { throw DraftDecisionError.noSuchDraft(id) }
        let overview = try AutoSendOverview.load(db)
        let facts = AutoSendDraftFacts(draft)
        var contact = AutoSendContactFacts.anonymous
        var recent: [Date] = []
        if let contactId = draft.contactId {
            if let row = try Row.fetchOne(db, sql: "SELECT opted_out_at IS NOT NULL, restricted_at IS NOT NULL FROM contacts WHERE id = ?",
                                          arguments: [contactId]) {
                let consents = try String.fetchAll(db, sql: "SELECT channel FROM marketing_consents WHERE contact_id = ? AND withdrawn_at IS NULL",
                                                   arguments: [contactId])
                contact = AutoSendContactFacts(optedOut: row[0], restricted: row[1],
                                               marketingConsent: Set(consents.compactMap(Channel.init(rawValue:))))
            }
            // What the cap counts: automatic messages sent in the last day, and automatic sends
            // queued for that day but not yet written as messages. A person's approval is not automatic.
            let at = Int64(now.timeIntervalSince1970)
            let sent = try Int64.fetchAll(db, sql: """
                SELECT sent_at FROM messages WHERE contact_id = ? AND auto_sent = 1 AND sent_at > ? AND sent_at <= ?
                UNION ALL
                SELECT o.due_at FROM autosend_outbox o JOIN drafts d ON d.id = o.draft_id
                    JOIN autosend_evaluations e ON e.id = o.evaluation_id
                WHERE d.contact_id = ? AND o.message_id IS NULL AND o.state != 'failed' AND e.approved_by IS NULL
                    AND o.due_at > ? AND o.due_at <= ?
                """, arguments: [contactId, at - 86_400, at, contactId, at - 86_400, at])
            recent = sent.map { Date(timeIntervalSince1970: TimeInterval($0)) }
        }
        let channel = draft.channel.flatMap(Channel.init(rawValue:))
        let body = channel.map { overview.settings.channel($0).wording.compose(body: draft.body, businessName: overview.businessName) }
            ?? draft.body
        return DraftContext(correlationId: draft.correlationId, state: draft.state, facts: facts, contact: contact,
                            recentSends: recent, settings: overview.settings,
                            policy: AutoSendPolicy(settings: overview.settings, training: overview.training,
                                                   businessName: overview.businessName),
                            outboxChannel: draft.channel ?? "review", toAddress: try address(of: draft, db), composedBody: body)
    }

    func decide(now: Date) -> AutoSendDecision {
        AutoSendDecider.decide(facts, policy: policy, contact: contact, recentSends: recentSends, now: now)
    }

    /// Where the reply goes: whoever wrote the message or made the call it answers, else the
    /// contact's number or email; a review reply is published on the review.
    static func address(of draft: Draft, _ db: Database) throws -> String {
        switch draft.targetKind {
        case "message":
            if let row = try Row.fetchOne(db, sql: "SELECT direction, from_address, to_address FROM messages WHERE id = ?",
                                          arguments: [draft.targetId]) {
                return row["direction"] as String == Direction.inbound.rawValue ? row["from_address"] : row["to_address"]
            }
        case "call":
            if let from = try String.fetchOne(db, sql: "SELECT from_number FROM calls WHERE id = ?", arguments: [draft.targetId]) {
                return from
            }
        case "review":
            return "review:\(draft.targetId)"
        default: break
        }
        guard let contactId = draft.contactId else { return "" }
        let row = try Row.fetchOne(db, sql: "SELECT phone, email FROM contacts WHERE id = ?", arguments: [contactId])
        let useEmail = draft.channel == Channel.email.rawValue
        return (useEmail ? row?["email"] : row?["phone"]) ?? ""
    }
}
