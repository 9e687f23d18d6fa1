import Foundation
import GRDB

/// Shared GRDB conventions: snake_case columns, dates as whole seconds since 1970.
public protocol HandletRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {}

/// A record whose table assigns its id: inserting one sets `id`, as GRDB does for mutable records.
/// The records people navigate between (calls, contacts, threads, messages, recordings) have typed
/// ids (`Call.ID` …); the others keep the bare row id.
public protocol RowIdentifiedRecord: HandletRecord {
    associatedtype RowID: RowIDRepresentable = Int64
    var id: RowID? { get set }
}

extension RowIdentifiedRecord {
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = RowID(rowID: inserted.rowID) }
}

extension HandletRecord {
    public static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .convertFromSnakeCase }
    public static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy { .convertToSnakeCase }
    // GRDB 7 asks per column through these functions; static properties of the same name are
    // never consulted, and dates would be stored as text that integer comparisons get wrong.
    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .secondsSince1970 }
}

public struct WorkspaceRecord: HandletRecord, PersistableRecord, Equatable {
    public static let databaseTableName = "workspace"
    public var id: Int64 = 1
    public var name: String
    public var businessName: String
    public var businessPhone: String?
    public var businessEmail: String?
    public var businessAddress: String?
    public var timeZone: String
    public var isDemo: Bool
    public var demoSeed: Int64?
    public var recordingEnabled: Bool
    public var retentionDays: Int
    public var transcriptRetentionDays: Int?
    public var createdAt: Date

    public init(name: String, businessName: String, businessPhone: String? = nil, businessEmail: String? = nil,
                businessAddress: String? = nil, timeZone: String = "Europe/London", isDemo: Bool = false,
                demoSeed: Int64? = nil, recordingEnabled: Bool = true, retentionDays: Int = 30,
                transcriptRetentionDays: Int? = nil, createdAt: Date) {
        self.name = name; self.businessName = businessName; self.businessPhone = businessPhone
        self.businessEmail = businessEmail; self.businessAddress = businessAddress; self.timeZone = timeZone
        self.isDemo = isDemo; self.demoSeed = demoSeed; self.recordingEnabled = recordingEnabled
        self.retentionDays = retentionDays; self.transcriptRetentionDays = transcriptRetentionDays
        self.createdAt = createdAt
    }

    /// The one row, read by plain SQL: `fetchOne(db, key: 1)` looks the table and its primary key
    /// up first, which start-up paid on every open (issue 26).
    static func stored(_ db: Database) throws -> WorkspaceRecord? {
        try fetchOne(db, sql: "SELECT \(storedText.selectionSQL) FROM workspace WHERE id = 1")
    }
}

public struct User: RowIdentifiedRecord, Equatable {
    public static let databaseTableName = "users"
    public var id: User.ID?
    public var name: String
    public var email: String
    public var role: Role
    public var disabled: Bool
    public var createdAt: Date

    public init(id: User.ID? = nil, name: String, email: String, role: Role, disabled: Bool = false, createdAt: Date) {
        self.id = id; self.name = name; self.email = email; self.role = role; self.disabled = disabled
        self.createdAt = createdAt
    }
}

public struct Contact: RowIdentifiedRecord, Equatable {
    public static let databaseTableName = "contacts"
    public var id: Contact.ID?
    public var name: String
    public var phone: String?
    public var email: String?
    public var optedOutAt: Date?
    public var optOutKeyword: String?
    public var restrictedAt: Date?
    public var restrictionReason: String?
    public var createdAt: Date
    /// When the person objected to processing (Art. 21), recorded through a data-subject request.
    public var objectedAt: Date?

    public init(id: Contact.ID? = nil, name: String, phone: String? = nil, email: String? = nil,
                optedOutAt: Date? = nil, optOutKeyword: String? = nil, restrictedAt: Date? = nil,
                restrictionReason: String? = nil, createdAt: Date, objectedAt: Date? = nil) {
        self.id = id; self.name = name; self.phone = phone; self.email = email; self.optedOutAt = optedOutAt
        self.optOutKeyword = optOutKeyword; self.restrictedAt = restrictedAt
        self.restrictionReason = restrictionReason; self.createdAt = createdAt; self.objectedAt = objectedAt
    }

    /// Suppressed contacts never receive automatic messages (opted out, or processing restricted).
    public var isSuppressed: Bool { optedOutAt != nil || restrictedAt != nil }
}

public struct MarketingConsent: RowIdentifiedRecord, Equatable {
    public static let databaseTableName = "marketing_consents"
    public var id: Int64?
    public var contactId: Contact.ID
    public var channel: Channel
    public var givenAt: Date
    public var method: String
    public var withdrawnAt: Date?

    public init(id: Int64? = nil, contactId: Contact.ID, channel: Channel, givenAt: Date, method: String, withdrawnAt: Date? = nil) {
        self.id = id; self.contactId = contactId; self.channel = channel; self.givenAt = givenAt
        self.method = method; self.withdrawnAt = withdrawnAt
    }
}

public struct Call: RowIdentifiedRecord, Equatable {
    public static let databaseTableName = "calls"
    public var id: Call.ID?
    public var externalId: String
    public var direction: Direction
    public var fromNumber: String
    public var toNumber: String
    public var contactId: Contact.ID?
    public var startedAt: Date
    public var durationSeconds: Int
    public var handledBy: HandledBy
    public var staffUserId: Int64?
    public var outcome: CallOutcome
    public var summary: String
    /// One turn per line; see `Transcript` for the structured form.
    public var transcript: String
    public var transcriptTiming: String
    public var jobDetails: String?
    public var recordingState: RecordingState
    public var recordingPurgedAt: Date?
    /// Why the summary and transcript are gone (`retention` or `deleted`), and when; nil while kept.
    public var textRemoved: String? = nil
    public var textRemovedAt: Date? = nil

    public init(id: Call.ID? = nil, externalId: String, direction: Direction, fromNumber: String, toNumber: String,
                contactId: Contact.ID?, startedAt: Date, durationSeconds: Int, handledBy: HandledBy,
                staffUserId: Int64? = nil, outcome: CallOutcome, summary: String, transcript: Transcript,
                jobDetails: String? = nil, recordingState: RecordingState, recordingPurgedAt: Date? = nil) {
        self.id = id; self.externalId = externalId; self.direction = direction; self.fromNumber = fromNumber
        self.toNumber = toNumber; self.contactId = contactId; self.startedAt = startedAt
        self.durationSeconds = durationSeconds; self.handledBy = handledBy; self.staffUserId = staffUserId
        self.outcome = outcome; self.summary = summary
        let stored = transcript.storedColumns
        self.transcript = stored.text; self.transcriptTiming = stored.timing
        self.jobDetails = jobDetails; self.recordingState = recordingState; self.recordingPurgedAt = recordingPurgedAt
    }

    public var turns: Transcript { Transcript(text: transcript, timing: transcriptTiming) }
}

public struct Recording: RowIdentifiedRecord, Equatable {
    public static let databaseTableName = "recordings"
    public var id: Recording.ID?
    public var callId: Call.ID
    /// Relative to the workspace's audio folder; nil once purged.
    public var filePath: String?
    public var bytes: Int64
    public var durationMs: Int64
    public var sha256: String?
    public var createdAt: Date
    public var expiresAt: Date
    public var legalHold: Bool
    public var holdReason: String?
    public var heldBy: Int64?
    public var heldAt: Date?
    public var purgedAt: Date?
    public var purgeNote: String?

    public init(id: Recording.ID? = nil, callId: Call.ID, filePath: String?, bytes: Int64, durationMs: Int64, sha256: String?,
                createdAt: Date, expiresAt: Date, legalHold: Bool = false, holdReason: String? = nil,
                heldBy: Int64? = nil, heldAt: Date? = nil, purgedAt: Date? = nil, purgeNote: String? = nil) {
        self.id = id; self.callId = callId; self.filePath = filePath; self.bytes = bytes
        self.durationMs = durationMs; self.sha256 = sha256; self.createdAt = createdAt; self.expiresAt = expiresAt
        self.legalHold = legalHold; self.holdReason = holdReason; self.heldBy = heldBy; self.heldAt = heldAt
        self.purgedAt = purgedAt; self.purgeNote = purgeNote
    }
}

public struct MessageThread: RowIdentifiedRecord, Equatable {
    public static let databaseTableName = "threads"
    public var id: MessageThread.ID?
    public var contactId: Contact.ID?
    public var channel: Channel
    public var subject: String?
    public var lastActivityAt: Date
    public var unreadCount: Int
    public var messageCount: Int

    public init(id: MessageThread.ID? = nil, contactId: Contact.ID?, channel: Channel, subject: String? = nil,
                lastActivityAt: Date, unreadCount: Int = 0, messageCount: Int = 0) {
        self.id = id; self.contactId = contactId; self.channel = channel; self.subject = subject
        self.lastActivityAt = lastActivityAt; self.unreadCount = unreadCount; self.messageCount = messageCount
    }
}

public struct Attachment: Codable, Equatable, Sendable {
    public var name: String
    public var bytes: Int64
    public init(name: String, bytes: Int64) { self.name = name; self.bytes = bytes }
}

public struct Message: RowIdentifiedRecord, Equatable {
    public static let databaseTableName = "messages"
    public var id: Message.ID?
    public var threadId: MessageThread.ID
    public var channel: Channel
    public var direction: Direction
    public var fromAddress: String
    public var toAddress: String
    public var contactId: Contact.ID?
    public var body: String
    public var sentAt: Date
    public var deliveryStatus: DeliveryStatus
    /// JSON array of `Attachment`.
    public var attachments: String?
    public var autoSent: Bool
    public var correlationId: String?

    public init(id: Message.ID? = nil, threadId: MessageThread.ID, channel: Channel, direction: Direction, fromAddress: String,
                toAddress: String, contactId: Contact.ID?, body: String, sentAt: Date, deliveryStatus: DeliveryStatus,
                attachments: [Attachment] = [], autoSent: Bool = false, correlationId: String? = nil) {
        self.id = id; self.threadId = threadId; self.channel = channel; self.direction = direction
        self.fromAddress = fromAddress; self.toAddress = toAddress; self.contactId = contactId; self.body = body
        self.sentAt = sentAt; self.deliveryStatus = deliveryStatus
        self.attachments = attachments.isEmpty ? nil : String(decoding: try! JSONEncoder().encode(attachments), as: UTF8.self)
        self.autoSent = autoSent; self.correlationId = correlationId
    }

    public var attachmentList: [Attachment] {
        guard let attachments, let data = attachments.data(using: .utf8) else { return [] }
        return (try? JSONDecoder().decode([Attachment].self, from: data)) ?? []
    }
}

public struct Review: RowIdentifiedRecord, Equatable, Identifiable {
    public static let databaseTableName = "reviews"
    public var id: Int64?
    public var source: String
    public var author: String
    public var stars: Int
    public var text: String
    public var postedAt: Date
    public var replyText: String?
    public var repliedAt: Date?

    public init(id: Int64? = nil, source: String, author: String, stars: Int, text: String, postedAt: Date,
                replyText: String? = nil, repliedAt: Date? = nil) {
        self.id = id; self.source = source; self.author = author; self.stars = stars; self.text = text
        self.postedAt = postedAt; self.replyText = replyText; self.repliedAt = repliedAt
    }
}

public struct Draft: RowIdentifiedRecord, Equatable, Identifiable {
    public static let databaseTableName = "drafts"
    public var id: Int64?
    public var targetKind: String
    public var targetId: Int64
    public var contactId: Int64?
    public var channel: String?
    public var intent: DraftIntent
    public var confidence: Double
    public var body: String
    public var firmPriceAvailable: Bool
    public var bookingFieldsComplete: Bool
    public var complaintSeverity: ComplaintSeverity?
    public var reviewStars: Int?
    public var isMarketing: Bool
    public var state: DraftState
    public var validation: DraftValidation?
    public var validatedBy: Int64?
    public var validatedAt: Date?
    public var correlationId: String
    public var createdAt: Date

    public init(id: Int64? = nil, targetKind: String, targetId: Int64, contactId: Int64?, channel: String?,
                intent: DraftIntent, confidence: Double, body: String, firmPriceAvailable: Bool = false,
                bookingFieldsComplete: Bool = false, complaintSeverity: ComplaintSeverity? = nil,
                reviewStars: Int? = nil, isMarketing: Bool = false, state: DraftState = .waiting,
                validation: DraftValidation? = nil, validatedBy: Int64? = nil, validatedAt: Date? = nil,
                correlationId: String, createdAt: Date) {
        self.id = id; self.targetKind = targetKind; self.targetId = targetId; self.contactId = contactId
        self.channel = channel; self.intent = intent; self.confidence = confidence; self.body = body
        self.firmPriceAvailable = firmPriceAvailable; self.bookingFieldsComplete = bookingFieldsComplete
        self.complaintSeverity = complaintSeverity; self.reviewStars = reviewStars; self.isMarketing = isMarketing
        self.state = state; self.validation = validation; self.validatedBy = validatedBy
        self.validatedAt = validatedAt; self.correlationId = correlationId; self.createdAt = createdAt
    }
}

public struct Notice: RowIdentifiedRecord, Equatable, Identifiable {
    public static let databaseTableName = "notices"
    public var id: Int64?
    public var noticeKey: String
    public var kind: NoticeKind
    public var title: String
    public var version: String
    public var effectiveAt: Date
    public var body: String
    public var sha256: String
    public var needsAcknowledgement: Bool
    public var objectionDeadline: Date?
    public var publishedAt: Date
    public var readAt: Date?
    /// The file it was imported from (its name), or "shipped".
    public var source: String?
    /// A breach notification's Art. 33(3) particulars, as JSON (`NoticeFile.Breach`).
    public var breach: String?
    /// SHA-256 of the stored title, version and body (`Notice.textHash`), computed when the row is
    /// made and checked on every read: a text changed in the database shows as tampering (issue 28).
    public var textSha256: String?

    public init(id: Int64? = nil, noticeKey: String, kind: NoticeKind, title: String, version: String,
                effectiveAt: Date, body: String, sha256: String, needsAcknowledgement: Bool,
                objectionDeadline: Date? = nil, publishedAt: Date, readAt: Date? = nil, source: String? = nil,
                breach: String? = nil) {
        self.id = id; self.noticeKey = noticeKey; self.kind = kind; self.title = title; self.version = version
        self.effectiveAt = effectiveAt; self.body = body; self.sha256 = sha256
        self.needsAcknowledgement = needsAcknowledgement; self.objectionDeadline = objectionDeadline
        self.publishedAt = publishedAt; self.readAt = readAt; self.source = source; self.breach = breach
        self.textSha256 = Self.textHash(title: title, version: version, body: body)
    }

    /// What `textSha256` holds: the SHA-256 of the title, version and body, NUL-separated.
    public static func textHash(title: String, version: String, body: String) -> String {
        SHA256Hex.of(Data("\(title)\u{0}\(version)\u{0}\(body)".utf8))
    }

    /// The stored text is not the text the row was made with.
    public var isTampered: Bool { textSha256 != Self.textHash(title: title, version: version, body: body) }
}

public struct NoticeResponse: RowIdentifiedRecord, Equatable, Identifiable {
    public static let databaseTableName = "notice_responses"
    public var id: Int64?
    public var noticeId: Int64
    public var userId: Int64
    public var response: NoticeResponseKind
    public var version: String
    public var sha256: String
    public var reason: String?
    public var respondedAt: Date

    public init(id: Int64? = nil, noticeId: Int64, userId: Int64, response: NoticeResponseKind, version: String,
                sha256: String, reason: String? = nil, respondedAt: Date) {
        self.id = id; self.noticeId = noticeId; self.userId = userId; self.response = response
        self.version = version; self.sha256 = sha256; self.reason = reason; self.respondedAt = respondedAt
    }
}

public struct DataSubjectRequest: RowIdentifiedRecord, Equatable, Identifiable {
    public static let databaseTableName = "data_subject_requests"
    public var id: Int64?
    public var contactId: Int64?
    public var type: DataSubjectRequestType
    public var receivedAt: Date
    public var dueAt: Date
    public var status: DataSubjectRequestStatus
    public var completedBy: Int64?
    public var completedAt: Date?
    public var notes: String?
    /// The one-month due date, kept once the request is extended (`dueAt` is then the extended one).
    public var firstDueAt: Date?
    public var extensionReason: String?
    public var extendedBy: Int64?
    public var extendedAt: Date?

    public init(id: Int64? = nil, contactId: Int64?, type: DataSubjectRequestType, receivedAt: Date, dueAt: Date,
                status: DataSubjectRequestStatus = .open, completedBy: Int64? = nil, completedAt: Date? = nil,
                notes: String? = nil, firstDueAt: Date? = nil, extensionReason: String? = nil,
                extendedBy: Int64? = nil, extendedAt: Date? = nil) {
        self.id = id; self.contactId = contactId; self.type = type; self.receivedAt = receivedAt; self.dueAt = dueAt
        self.status = status; self.completedBy = completedBy; self.completedAt = completedAt; self.notes = notes
        self.firstDueAt = firstDueAt; self.extensionReason = extensionReason; self.extendedBy = extendedBy
        self.extendedAt = extendedAt
    }
}

// MARK: Stored text read and written whole (issue 11; see `TextWithNUL`)

extension WorkspaceRecord {
    static var storedText: StoredTextColumns<Self> {
        StoredTextColumns([.text("name", \.name), .text("business_name", \.businessName),
                           .optional("business_address", \.businessAddress)])
    }
    public static var databaseSelection: [any SQLSelectable] { storedText.selection }
    public init(row: GRDB.Row) throws { self = try Self.storedText.decode(row) }
    public func aroundInsert(_ db: Database, insert: () throws -> InsertionSuccess) throws {
        try Self.storedText.rewrite(self, rowID: try insert().rowID, in: db)
    }
    public func aroundUpdate(_ db: Database, columns: Set<String>, update: () throws -> PersistenceSuccess) throws {
        _ = try update()
        try Self.storedText.rewrite(self, rowID: id, in: db)
    }
}

extension User {
    static var storedText: StoredTextColumns<Self> { StoredTextColumns([.text("name", \.name)]) }
    public static var databaseSelection: [any SQLSelectable] { storedText.selection }
    public init(row: GRDB.Row) throws { self = try Self.storedText.decode(row) }
    public func aroundInsert(_ db: Database, insert: () throws -> InsertionSuccess) throws {
        try Self.storedText.rewrite(self, rowID: try insert().rowID, in: db)
    }
    public func aroundUpdate(_ db: Database, columns: Set<String>, update: () throws -> PersistenceSuccess) throws {
        _ = try update()
        try Self.storedText.rewrite(self, rowID: id?.rawValue, in: db)
    }
}

extension Contact {
    static var storedText: StoredTextColumns<Self> {
        StoredTextColumns([.text("name", \.name), .optional("opt_out_keyword", \.optOutKeyword),
                           .optional("restriction_reason", \.restrictionReason)])
    }
    public static var databaseSelection: [any SQLSelectable] { storedText.selection }
    public init(row: GRDB.Row) throws { self = try Self.storedText.decode(row) }
    public func aroundInsert(_ db: Database, insert: () throws -> InsertionSuccess) throws {
        try Self.storedText.rewrite(self, rowID: try insert().rowID, in: db)
    }
    public func aroundUpdate(_ db: Database, columns: Set<String>, update: () throws -> PersistenceSuccess) throws {
        _ = try update()
        try Self.storedText.rewrite(self, rowID: id?.rawValue, in: db)
    }
}

extension Call {
    static var storedText: StoredTextColumns<Self> {
        StoredTextColumns([.text("external_id", \.externalId), .text("summary", \.summary),
                           .text("transcript", \.transcript)])
    }
    public static var databaseSelection: [any SQLSelectable] { storedText.selection }
    public init(row: GRDB.Row) throws { self = try Self.storedText.decode(row) }
    public func aroundInsert(_ db: Database, insert: () throws -> InsertionSuccess) throws {
        try Self.storedText.rewrite(self, rowID: try insert().rowID, in: db)
    }
    public func aroundUpdate(_ db: Database, columns: Set<String>, update: () throws -> PersistenceSuccess) throws {
        _ = try update()
        try Self.storedText.rewrite(self, rowID: id?.rawValue, in: db)
    }
}

extension Recording {
    static var storedText: StoredTextColumns<Self> { StoredTextColumns([.optional("hold_reason", \.holdReason)]) }
    public static var databaseSelection: [any SQLSelectable] { storedText.selection }
    public init(row: GRDB.Row) throws { self = try Self.storedText.decode(row) }
    public func aroundInsert(_ db: Database, insert: () throws -> InsertionSuccess) throws {
        try Self.storedText.rewrite(self, rowID: try insert().rowID, in: db)
    }
    public func aroundUpdate(_ db: Database, columns: Set<String>, update: () throws -> PersistenceSuccess) throws {
        _ = try update()
        try Self.storedText.rewrite(self, rowID: id?.rawValue, in: db)
    }
}

extension MessageThread {
    static var storedText: StoredTextColumns<Self> { StoredTextColumns([.optional("subject", \.subject)]) }
    public static var databaseSelection: [any SQLSelectable] { storedText.selection }
    public init(row: GRDB.Row) throws { self = try Self.storedText.decode(row) }
    public func aroundInsert(_ db: Database, insert: () throws -> InsertionSuccess) throws {
        try Self.storedText.rewrite(self, rowID: try insert().rowID, in: db)
    }
    public func aroundUpdate(_ db: Database, columns: Set<String>, update: () throws -> PersistenceSuccess) throws {
        _ = try update()
        try Self.storedText.rewrite(self, rowID: id?.rawValue, in: db)
    }
}

extension Message {
    static var storedText: StoredTextColumns<Self> {
        StoredTextColumns([.text("from_address", \.fromAddress), .text("to_address", \.toAddress), .text("body", \.body)])
    }
    public static var databaseSelection: [any SQLSelectable] { storedText.selection }
    public init(row: GRDB.Row) throws { self = try Self.storedText.decode(row) }
    public func aroundInsert(_ db: Database, insert: () throws -> InsertionSuccess) throws {
        try Self.storedText.rewrite(self, rowID: try insert().rowID, in: db)
    }
    public func aroundUpdate(_ db: Database, columns: Set<String>, update: () throws -> PersistenceSuccess) throws {
        _ = try update()
        try Self.storedText.rewrite(self, rowID: id?.rawValue, in: db)
    }
}
