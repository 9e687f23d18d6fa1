import Foundation
import GRDB

/// What a drafted reply answers: a message, the latest customer message of a thread, a call, or a review.
public enum DraftTarget: Hashable, Sendable {
    case message(Message.ID)
    case thread(MessageThread.ID)
    case call(Call.ID)
    case review(Int64)
}

/// A drafted reply arriving from outside (the demo, an importer, `handlet queue add`): the reply
/// and the facts its gates need. The contact, and for reviews the stars, come from what it answers.
public struct ArrivingDraft: Hashable, Sendable {
    public static let maximumBodyLength = 2_000

    public var answers: DraftTarget
    public var intent: DraftIntent
    /// 0 to 1.
    public var confidence: Double
    public var body: String
    /// The channel the reply goes out on; nil: the channel of the message or thread it answers
    /// (SMS for a call; a review reply is published on the review).
    public var channel: Channel?
    public var isMarketing: Bool
    public var firmPriceAvailable: Bool
    public var bookingFieldsComplete: Bool
    public var complaintSeverity: ComplaintSeverity?
    /// The drafting system's own id for it, kept as the correlation id that follows the draft into
    /// its evaluation, the outbox and the sent message; nil: a new one is made. A second draft
    /// with the same id is refused, so a system that retries cannot queue one reply twice.
    public var correlationId: String?

    public static let maximumCorrelationIdLength = 100

    public init(answers: DraftTarget, intent: DraftIntent, confidence: Double, body: String, channel: Channel? = nil,
                isMarketing: Bool = false, firmPriceAvailable: Bool = false, bookingFieldsComplete: Bool = false,
                complaintSeverity: ComplaintSeverity? = nil, correlationId: String? = nil) {
        self.answers = answers; self.intent = intent; self.confidence = confidence; self.body = body
        self.channel = channel; self.isMarketing = isMarketing; self.firmPriceAvailable = firmPriceAvailable
        self.bookingFieldsComplete = bookingFieldsComplete; self.complaintSeverity = complaintSeverity
        self.correlationId = correlationId
    }

    func validate() throws {
        guard confidence.isFinite, (0...1).contains(confidence) else { throw ArrivalError.confidenceOutOfRange }
        // Stored as given (control characters included: sanitised on screen, sent as stored), but
        // a reply must say something and fit the longest reply a person may write.
        guard !body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw ArrivalError.emptyBody }
        guard body.count <= Self.maximumBodyLength else { throw ArrivalError.bodyTooLong(limit: Self.maximumBodyLength) }
        if intent == .complaint, complaintSeverity == nil { throw ArrivalError.complaintWithoutSeverity }
        if let correlationId {
            // An id, not text: it is printed in traces and passed to the gateway as it is.
            guard !correlationId.isEmpty, correlationId.count <= Self.maximumCorrelationIdLength,
                  correlationId.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.:".unicodeScalars.contains($0)) })
            else { throw ArrivalError.malformedCorrelationId }
        }
    }
}

/// A draft stored by the arrival step, with the evaluation it got at once.
public struct DraftArrival: Hashable, Sendable {
    public let draftId: Int64
    public let correlationId: String
    public let evaluation: RecordedEvaluation
}

/// A customer's message arriving on a thread.
public struct ArrivingMessage: Hashable, Sendable {
    public var thread: MessageThread.ID
    public var body: String
    /// The sender's number or address; nil: the thread's contact's.
    public var from: String?

    public init(thread: MessageThread.ID, body: String, from: String? = nil) {
        self.thread = thread; self.body = body; self.from = from
    }
}

/// A message stored by the arrival step, and what its opt-out keyword did.
public struct MessageArrival: Hashable, Sendable {
    public let messageId: Message.ID
    public let optOut: OptOutChange
}

public enum ArrivalError: SysexitsError, Equatable, CustomStringConvertible {
    case noSuchMessage(Int64)
    case noSuchThread(Int64)
    case noSuchCall(Int64)
    case noSuchReview(Int64)
    case threadHasNoCustomerMessage(Int64)
    case confidenceOutOfRange
    case emptyBody
    case bodyTooLong(limit: Int)
    case complaintWithoutSeverity
    case malformedCorrelationId
    case duplicateCorrelationId(String)

    public var exitClass: ExitClass {
        switch self {
        case .malformedCorrelationId: .usage
        default: .dataError
        }
    }

    public var description: String {
        switch self {
        case .noSuchMessage(let id): "No message with id \(id)."
        case .noSuchThread(let id): "No thread with id \(id)."
        case .noSuchCall(let id): "No call with id \(id)."
        case .noSuchReview(let id): "No review with id \(id)."
        case .threadHasNoCustomerMessage(let id): "Thread \(id) has no message from the customer to answer."
        case .confidenceOutOfRange: "Confidence must be a number from 0 to 1 (or a percentage from 0 to 100)."
        case .emptyBody: "A drafted reply cannot be empty."
        case .bodyTooLong(let limit): "A drafted reply may be at most \(limit) characters."
        case .complaintWithoutSeverity: "A complaint needs its severity (low, medium or high): only low ever goes automatically."
        case .malformedCorrelationId:
            "A correlation id is 1 to \(ArrivingDraft.maximumCorrelationIdLength) letters, digits, '-', '_', '.' or ':'."
        case .duplicateCorrelationId(let id): "A draft with correlation id \(id) is already stored; it is not queued twice."
        }
    }
}

/// What a draft's target resolves to in the store.
struct ResolvedTarget {
    let kind: String
    let id: Int64
    let contactId: Int64?
    let channel: Channel?
    let reviewStars: Int?

    static func resolve(_ target: DraftTarget, _ db: Database) throws -> ResolvedTarget {
        switch target {
        case .message(let id):
            guard let row = try Row.fetchOne(db, sql: "SELECT contact_id, channel FROM messages WHERE id = ?", arguments: [id.rawValue])
            else { throw ArrivalError.noSuchMessage(id.rawValue) }
            return ResolvedTarget(kind: "message", id: id.rawValue, contactId: row[0], channel: Channel(rawValue: row[1]), reviewStars: nil)
        case .thread(let id):
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM threads WHERE id = ?", arguments: [id.rawValue]) != nil else {
                throw ArrivalError.noSuchThread(id.rawValue)
            }
            guard let message = try Int64.fetchOne(db, sql: """
                SELECT id FROM messages WHERE thread_id = ? AND direction = 'inbound' ORDER BY sent_at DESC, id DESC LIMIT 1
                """, arguments: [id.rawValue]) else { throw ArrivalError.threadHasNoCustomerMessage(id.rawValue) }
            return try resolve(.message(Message.ID(message)), db)
        case .call(let id):
            guard let contact = try Row.fetchOne(db, sql: "SELECT contact_id FROM calls WHERE id = ?", arguments: [id.rawValue]) else {
                throw ArrivalError.noSuchCall(id.rawValue)
            }
            return ResolvedTarget(kind: "call", id: id.rawValue, contactId: contact[0], channel: .sms, reviewStars: nil)
        case .review(let id):
            guard let stars = try Int.fetchOne(db, sql: "SELECT stars FROM reviews WHERE id = ?", arguments: [id]) else {
                throw ArrivalError.noSuchReview(id)
            }
            return ResolvedTarget(kind: "review", id: id, contactId: nil, channel: nil, reviewStars: stars)
        }
    }
}

extension WorkspaceCommand where Result == DraftArrival {
    /// Stores a drafted reply from outside and runs the arrival step on it: evaluated at once, the
    /// evaluation recorded, the result queued. Audited as `draft.arrived` with the correlation id
    /// and the outcome (identifiers only, never the text).
    public static func receiveDraft(_ draft: ArrivingDraft) -> Self {
        WorkspaceCommand(.recordInboundMessages, audit: .draftArrived) { db, environment in
            let arrival = try Arrival.receiveDraft(draft, db, now: environment.now)
            var details = arrival.evaluation.auditDetails
            details["correlation_id"] = .string(arrival.correlationId)
            details["intent"] = .string(draft.intent.rawValue)
            return .changed(arrival, target: "draft:\(arrival.draftId)", details: details)
        }
    }
}

extension WorkspaceCommand where Result == MessageArrival {
    /// Stores a customer's message on a thread and runs the arrival step on it: an opt-out or
    /// START keyword changes the contact at once, audited as `contact.opt_out_changed` naming the
    /// message. A message without a keyword writes no event: the audit log records decisions and
    /// changes to a person's standing, not every message that arrives.
    public static func receiveInboundMessage(_ message: ArrivingMessage) -> Self {
        WorkspaceCommand(.recordInboundMessages, audit: .contactOptOutChanged) { db, environment in
            guard let thread = try Row.fetchOne(db, sql: """
                SELECT t.contact_id, t.channel, c.phone, c.email FROM threads t LEFT JOIN contacts c ON c.id = t.contact_id WHERE t.id = ?
                """, arguments: [message.thread.rawValue]) else { throw ArrivalError.noSuchThread(message.thread.rawValue) }
            guard !message.body.isEmpty else { throw ArrivalError.emptyBody }
            let channel = Channel(rawValue: thread["channel"]) ?? .sms
            let contactAddress: String? = channel == .email ? thread["email"] : thread["phone"]
            // The business's address on this thread: whatever the customer wrote to before.
            let business = try String.fetchOne(db, sql: """
                SELECT CASE direction WHEN 'inbound' THEN to_address ELSE from_address END FROM messages
                WHERE thread_id = ? ORDER BY sent_at DESC, id DESC LIMIT 1
                """, arguments: [message.thread.rawValue]) ?? ""
            var stored = Message(threadId: message.thread, channel: channel, direction: .inbound,
                                 fromAddress: message.from ?? contactAddress ?? "", toAddress: business,
                                 contactId: thread["contact_id"], body: message.body, sentAt: environment.now,
                                 deliveryStatus: .received)
            try stored.insert(db)
            try db.execute(sql: """
                UPDATE threads SET last_activity_at = MAX(last_activity_at, ?), unread_count = unread_count + 1,
                    message_count = message_count + 1 WHERE id = ?
                """, arguments: [Int64(environment.now.timeIntervalSince1970), message.thread.rawValue])
            let applied = try Arrival.applyOptOutKeywords(inMessage: stored.id!, db, now: environment.now)
            let arrival = MessageArrival(messageId: stored.id!, optOut: applied.change)
            guard let audit = applied.audit else { return .unchanged(arrival) }
            return .changed(arrival, target: audit.target, details: audit.details)
        }
    }
}

extension Schema {
    /// Migration `autosend-approvals`: an evaluation made for a person's approval names that
    /// person, so the trace tells an automatic send from an approved one.
    /// Migration `autosend-preview-indexes`: the live preview reads the last N days of drafts and
    /// the automatic sends the cap counts; without these it scanned every draft and a month of
    /// every message (107 ms of its 190 at 1M calls). The second index holds only auto-sent rows.
    static func addPreviewIndexes(_ db: Database) throws {
        try db.execute(sql: """
            CREATE INDEX drafts_by_created ON drafts(created_at);
            CREATE INDEX messages_auto_sent_by_time ON messages(sent_at, contact_id) WHERE auto_sent = 1;
            """)
    }

    static func addEvaluationApprovals(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE autosend_evaluations ADD COLUMN approved_by INTEGER REFERENCES users(id) ON DELETE SET NULL")
    }
}
