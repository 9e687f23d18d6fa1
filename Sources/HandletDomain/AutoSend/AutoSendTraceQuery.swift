import Foundation
import GRDB

/// Where a trace starts: a message (the usual way in: "why did this go out?"), a draft, or a
/// correlation id as printed by `messages show --json` and the audit log.
public enum AutoSendTraceReference: Hashable, Sendable {
    case message(Message.ID)
    case draft(Int64)
    case correlation(String)

    /// "42" is message 42, "draft:7" draft 7; anything else is a correlation id.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let lower = trimmed.lowercased()
        if let id = Int64(trimmed), id > 0 {
            self = .message(Message.ID(id))
        } else if lower.hasPrefix("draft:"), let id = Int64(lower.dropFirst(6)), id > 0 {
            self = .draft(id)
        } else if !trimmed.isEmpty, trimmed.count <= 100, !trimmed.contains(where: { $0.isWhitespace || $0.isNewline }),
                  trimmed.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x21 }) {
            self = .correlation(trimmed)
        } else {
            throw AutoSendTraceError.badReference(text)
        }
    }
}

/// Everything that led to one automatic (or approved) send, DESIGN §6: the draft, each
/// evaluation with the settings in force and every gate's verdict in order, the outbox row, the
/// message that went out, and who validated the intent's training.
public struct AutoSendTrace: Hashable, Sendable, Codable {
    public struct TracedMessage: Hashable, Sendable, Codable {
        public let id: Message.ID
        public let threadId: MessageThread.ID
        public let channel: String
        public let sentAt: Date
        public let autoSent: Bool
        public let deliveryStatus: String
    }

    public struct TracedDraft: Hashable, Sendable, Codable {
        public let id: Int64
        /// `message`, `call` or `review`, and its id.
        public let answersKind: String
        public let answersId: Int64
        public let contactId: Int64?
        public let channel: String?
        public let intent: String
        public let confidence: Double
        public let body: String
        public let state: String
        public let createdAt: Date
        /// The facts the gates read.
        public let isMarketing: Bool
        public let firmPriceAvailable: Bool
        public let bookingFieldsComplete: Bool
        public let complaintSeverity: String?
        public let reviewStars: Int?
    }

    public struct GateVerdict: Hashable, Sendable, Codable {
        public let order: Int
        public let gate: String
        /// `pass`, `n/a`, `hold`, `block` or `wait`.
        public let verdict: String
        /// For `wait`: when quiet hours end.
        public let until: Date?
        /// The condition when it passed or did not apply, the reason when it stopped the draft.
        public let says: String
    }

    public struct Evaluation: Hashable, Sendable, Codable {
        public let id: Int64
        public let evaluatedAt: Date
        public let outcome: String
        public let sendAt: Date?
        public let decidingGate: String?
        /// The person whose approval this evaluation was made for; absent when automatic.
        public let approvedBy: String?
        /// The settings in force, as stored (switches, numbers, identifiers).
        public let settings: [String: String]
        public let gates: [GateVerdict]
    }

    public struct Outbox: Hashable, Sendable, Codable {
        public let id: Int64
        public let evaluationId: Int64
        public let state: String
        public let dueAt: Date
        public let attempts: Int
        public let sentAt: Date?
        public let lastError: String?
        public let idempotencyKey: String
    }

    public struct Validator: Hashable, Sendable, Codable {
        /// The user's email; "former user" when they are gone, "not recorded" when no one was named.
        public let user: String
        public let drafts: Int
    }

    public struct Training: Hashable, Sendable, Codable {
        public let intent: String
        public let validated: Int
        public let needed: Int
        public let validatedBy: [Validator]
    }

    public let correlationId: String
    public let message: TracedMessage?
    public let draft: TracedDraft
    public let evaluations: [Evaluation]
    public let outbox: Outbox?
    /// Nil for intents Auto-Send never sends (unknown, noise, risk, unsupported): nothing to train.
    public let training: Training?

    static func load(_ reference: AutoSendTraceReference, _ db: Database) throws -> AutoSendTrace {
        var messageRow: Row?
        let correlationId: String
        switch reference {
        case .message(let id):
            guard let row = try Row.fetchOne(db, sql: """
                SELECT id, thread_id, channel, sent_at, auto_sent, delivery_status, correlation_id FROM messages WHERE id = ?
                """, arguments: [id.rawValue]) else { throw AutoSendTraceError.noSuchMessage(id) }
            guard let correlation: String = row["correlation_id"] else { throw AutoSendTraceError.notFromAutoSend(id) }
            messageRow = row
            correlationId = correlation
        case .draft(let id):
            guard let correlation = try String.fetchOne(db, sql: "SELECT correlation_id FROM drafts WHERE id = ?", arguments: [id]) else {
                throw AutoSendTraceError.noSuchDraft(id)
            }
            correlationId = correlation
        case .correlation(let id):
            correlationId = id
        }
        guard let draft = try Draft.fetchOne(db, sql: "SELECT * FROM drafts WHERE correlation_id = ?", arguments: [correlationId]) else {
            throw AutoSendTraceError.noSuchCorrelation(correlationId)
        }
        if messageRow == nil {
            messageRow = try Row.fetchOne(db, sql: """
                SELECT id, thread_id, channel, sent_at, auto_sent, delivery_status FROM messages
                WHERE correlation_id = ? ORDER BY id LIMIT 1
                """, arguments: [correlationId])
        }
        let message = messageRow.map {
            TracedMessage(id: $0["id"], threadId: $0["thread_id"], channel: $0["channel"],
                          sentAt: Date(timeIntervalSince1970: TimeInterval($0["sent_at"] as Int64)),
                          autoSent: $0["auto_sent"], deliveryStatus: $0["delivery_status"])
        }
        let evaluations = try Row.fetchAll(db, sql: """
            SELECT e.id, e.evaluated_at, e.outcome, e.send_at, e.deciding_gate, e.verdicts, e.settings, e.approved_by, u.email
            FROM autosend_evaluations e LEFT JOIN users u ON u.id = e.approved_by
            WHERE e.correlation_id = ? ORDER BY e.id
            """, arguments: [correlationId]).map(evaluation)
        let outbox = try Row.fetchOne(db, sql: """
            SELECT id, evaluation_id, state, due_at, attempts, sent_at, last_error, idempotency_key FROM autosend_outbox
            WHERE correlation_id = ?
            """, arguments: [correlationId]).map {
            Outbox(id: $0["id"], evaluationId: $0["evaluation_id"], state: $0["state"],
                   dueAt: Date(timeIntervalSince1970: TimeInterval($0["due_at"] as Int64)), attempts: $0["attempts"],
                   sentAt: ($0["sent_at"] as Int64?).map { Date(timeIntervalSince1970: TimeInterval($0)) },
                   lastError: $0["last_error"], idempotencyKey: $0["idempotency_key"])
        }
        var training: Training?
        if let intent = draft.intent.autoSendIntent {
            let validators = try Row.fetchAll(db, sql: """
                SELECT COALESCE(u.email, CASE WHEN d.validated_by IS NULL THEN 'not recorded' ELSE 'former user' END) AS user, COUNT(*) AS drafts FROM drafts d LEFT JOIN users u ON u.id = d.validated_by
                WHERE d.intent = ? AND (d.state IN ('approved', 'edited') OR d.validation IN ('correct', 'incorrect'))
                GROUP BY d.validated_by ORDER BY drafts DESC, user
                """, arguments: [intent.rawValue]).map { Validator(user: $0["user"], drafts: $0["drafts"]) }
            training = Training(intent: intent.rawValue, validated: validators.reduce(0) { $0 + $1.drafts },
                                needed: intent.validatedDraftsNeeded, validatedBy: validators)
        }
        return AutoSendTrace(
            correlationId: correlationId, message: message,
            draft: TracedDraft(id: draft.id!, answersKind: draft.targetKind, answersId: draft.targetId, contactId: draft.contactId,
                               channel: draft.channel, intent: draft.intent.rawValue, confidence: draft.confidence,
                               body: draft.body, state: draft.state.rawValue, createdAt: draft.createdAt,
                               isMarketing: draft.isMarketing, firmPriceAvailable: draft.firmPriceAvailable,
                               bookingFieldsComplete: draft.bookingFieldsComplete,
                               complaintSeverity: draft.complaintSeverity?.rawValue, reviewStars: draft.reviewStars),
            evaluations: evaluations, outbox: outbox, training: training)
    }

    private static func evaluation(_ row: Row) -> Evaluation {
        let date = { (seconds: Int64?) in seconds.map { Date(timeIntervalSince1970: TimeInterval($0)) } }
        let verdicts = (try? JSONSerialization.jsonObject(with: Data((row["verdicts"] as String).utf8))) as? [String: String] ?? [:]
        let settings = ((try? JSONDecoder().decode([String: StoredSetting].self, from: Data((row["settings"] as String).utf8))) ?? [:])
            .mapValues(\.text)
        let gates = AutoSendGate.allCases.enumerated().map { index, gate -> GateVerdict in
            let stored = verdicts[gate.rawValue] ?? "n/a"
            var until: Date?
            var verdict = stored
            if stored.hasPrefix("wait:") {
                verdict = "wait"
                until = date(Int64(stored.dropFirst(5)))
            }
            let says = ["hold", "block", "wait"].contains(verdict) ? gate.failureReason : gate.summary
            return GateVerdict(order: index + 1, gate: gate.rawValue, verdict: verdict, until: until, says: says)
        }
        return Evaluation(id: row["id"], evaluatedAt: date(row["evaluated_at"])!, outcome: row["outcome"],
                          sendAt: date(row["send_at"]), decidingGate: row["deciding_gate"],
                          approvedBy: (row["approved_by"] as Int64?).map { _ in (row["email"] as String?) ?? "former user" },
                          settings: settings, gates: gates)
    }
}

/// One value of the stored settings JSON, as text.
private struct StoredSetting: Decodable {
    let text: String

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let bool = try? container.decode(Bool.self) { text = bool ? "true" : "false" }
        else if let int = try? container.decode(Int64.self) { text = String(int) }
        else if let double = try? container.decode(Double.self) { text = String(double) }
        else { text = (try? container.decode(String.self)) ?? "" }
    }
}

public enum AutoSendTraceError: SysexitsError, Equatable, CustomStringConvertible {
    case badReference(String)
    case noSuchMessage(Message.ID)
    case notFromAutoSend(Message.ID)
    case noSuchDraft(Int64)
    case noSuchCorrelation(String)

    public var exitClass: ExitClass {
        switch self {
        case .badReference: .usage
        case .noSuchMessage, .notFromAutoSend, .noSuchDraft, .noSuchCorrelation: .dataError
        }
    }

    public var description: String {
        switch self {
        case .badReference: "Give a message id (42), a draft (draft:7) or a correlation id to trace."
        case .noSuchMessage(let id): "No message with id \(id)."
        case .notFromAutoSend(let id): "Message \(id) was not sent from the Auto-Send queue: it has no correlation id to trace."
        case .noSuchDraft(let id): "No draft with id \(id)."
        case .noSuchCorrelation: "No draft carries that correlation id."
        }
    }
}

extension WorkspaceQuery where Value == AutoSendTrace {
    /// The trace of one send. Everyone who may browse may trace: it shows what browsing shows,
    /// plus the settings and who trained the intent.
    public static func autoSendTrace(_ reference: AutoSendTraceReference) -> Self {
        .reading(.browse) { db in try AutoSendTrace.load(reference, db) }
    }
}

extension AutoSendTrace {
    /// The trace as plain lines, the same in the CLI and the console; `time` formats an instant.
    /// Stored text (the draft's body) comes as stored: each front end sanitises what it shows.
    public func lines(time: (Date) -> String) -> [String] {
        var lines: [String] = []
        if let message {
            lines.append("Message \(message.id) on thread \(message.threadId), \(message.channel), \(time(message.sentAt)), "
                         + "\(message.deliveryStatus)" + (message.autoSent ? ", auto-sent" : ", approved by a person"))
        }
        lines.append("Correlation id \(correlationId)")
        lines.append("")
        lines.append("Draft \(draft.id) answering \(draft.answersKind) \(draft.answersId), drafted \(time(draft.createdAt)): "
                     + "\(draft.intent), confidence \(Int((draft.confidence * 100).rounded()))%, "
                     + "\(draft.channel ?? "review"), now \(draft.state.replacingOccurrences(of: "_", with: "-"))")
        var facts: [String] = []
        if draft.isMarketing { facts.append("marketing") }
        if draft.firmPriceAvailable { facts.append("firm price available") }
        if draft.bookingFieldsComplete { facts.append("booking fields complete") }
        if let severity = draft.complaintSeverity { facts.append("\(severity) severity") }
        if let stars = draft.reviewStars { facts.append("\(stars)-star review") }
        if !facts.isEmpty { lines.append("  Facts: " + facts.joined(separator: ", ")) }
        lines += draft.body.split(separator: "\n", omittingEmptySubsequences: false).map { "  │ " + $0 }
        if evaluations.isEmpty { lines += ["", "No evaluation was recorded for this draft."] }
        for evaluation in evaluations {
            lines.append("")
            var outcome = evaluation.outcome
            if let sendAt = evaluation.sendAt { outcome += " at \(time(sendAt))" }
            if let gate = evaluation.decidingGate, evaluation.outcome != "send" { outcome += " (\(gate))" }
            lines.append("Evaluation \(evaluation.id), \(time(evaluation.evaluatedAt)): \(outcome), "
                         + (evaluation.approvedBy.map { "approved by \($0)" } ?? "automatic"))
            lines.append("  Settings in force: " + evaluation.settings.sorted { $0.key < $1.key }
                .map { "\($0.key)=\($0.value.isEmpty ? "none" : $0.value)" }.joined(separator: ", "))
            for gate in evaluation.gates {
                let verdict = gate.until.map { "wait until \(time($0))" } ?? gate.verdict
                let order = gate.order < 10 ? " \(gate.order)" : "\(gate.order)"
                lines.append("  \(order) \(gate.gate.padding(toLength: 26, withPad: " ", startingAt: 0)) "
                             + "\(verdict.padding(toLength: 5, withPad: " ", startingAt: 0))  \(gate.says)")
            }
        }
        if let outbox {
            lines.append("")
            var line = "Outbox \(outbox.id): \(outbox.state), due \(time(outbox.dueAt)), \(DisplayText.count(outbox.attempts, "attempt"))"
            if let sentAt = outbox.sentAt { line += ", sent \(time(sentAt))" }
            if let error = outbox.lastError { line += ", last error: \(error)" }
            lines.append(line)
        }
        if let training {
            lines.append("")
            lines.append("Training of \(training.intent): \(training.validated) of \(training.needed) validated drafts"
                         + (training.validatedBy.isEmpty ? "" : ", by " + training.validatedBy.map { "\($0.user) (\($0.drafts))" }
                            .joined(separator: ", ")))
        }
        return lines
    }
}
