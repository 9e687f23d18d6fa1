import Foundation

/// One record an importer read from a file, before the workspace has seen it (issue 24): what
/// every format's parser produces and the one import path takes in. Addresses are as the file
/// gave them (the import path normalises phones to E.164 and matches contacts by phone and
/// email); text is untrusted and stored as given (sanitised on screen, like everything else).
public enum IncomingRecord: Sendable, Equatable {
    case contact(IncomingContact)
    case call(IncomingCall)
    case message(IncomingMessage)
    /// A public review and its reply (JSONL only).
    case review(IncomingReview)
    /// A data-subject request as received and answered (JSONL only).
    case request(IncomingRequest)
}

/// Where a record (or a refused line) came from, for the summary and the reject report.
public struct SourcePosition: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// 1-based; a record spread over several lines (a CSV field with newlines, a multi-line chat
    /// message, an email) gives its first.
    public var line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    public var description: String { "\(file):\(line)" }
}

/// A line a parser could not read: its position, the line(s) as they were (for the reject
/// report, verbatim), and why, in one sentence.
public struct RejectedLine: Sendable, Equatable, SysexitsError, CustomStringConvertible {
    public var position: SourcePosition
    public var text: String
    public var reason: String

    public init(position: SourcePosition, text: String, reason: String) {
        self.position = position
        self.text = text
        self.reason = reason
    }

    /// A line that cannot be read is bad input data, like any other malformed record.
    public var exitClass: ExitClass { .dataError }

    public var description: String { "\(position): \(reason)" }
}

/// What a parser hands on, in file order.
public enum ParsedLine: Sendable, Equatable {
    case record(IncomingRecord, SourcePosition)
    case rejected(RejectedLine)
}

public struct IncomingContact: Sendable, Equatable {
    /// The source's own id (a CRM id, a JSONL `id`); nil where the format has none.
    public var externalId: String?
    public var name: String?
    public var phone: String?
    public var email: String?
    /// When the person opted out of messages, and with which keyword (a JSONL export carries it).
    public var optedOutAt: Date?
    public var optOutKeyword: String?

    /// When the contact was first stored (an export carries it; otherwise the import's time).
    public var createdAt: Date?
    /// A data-subject restriction of processing: since when, and why.
    public var restrictedAt: Date?
    public var restrictionReason: String?
    /// When the person objected to processing (a data-subject objection).
    public var objectedAt: Date?
    /// Marketing consents, one per channel, with when and how each was given (and withdrawn).
    public var consents: [IncomingConsent]

    public init(externalId: String? = nil, name: String? = nil, phone: String? = nil, email: String? = nil,
                optedOutAt: Date? = nil, optOutKeyword: String? = nil, createdAt: Date? = nil, restrictedAt: Date? = nil,
                restrictionReason: String? = nil, objectedAt: Date? = nil, consents: [IncomingConsent] = []) {
        self.externalId = externalId; self.name = name; self.phone = phone; self.email = email
        self.optedOutAt = optedOutAt; self.optOutKeyword = optOutKeyword
        self.createdAt = createdAt; self.restrictedAt = restrictedAt; self.restrictionReason = restrictionReason
        self.objectedAt = objectedAt; self.consents = consents
    }
}

/// A contact's marketing consent on one channel.
public struct IncomingConsent: Sendable, Equatable {
    public var channel: Channel
    public var givenAt: Date
    public var method: String
    public var withdrawnAt: Date?

    public init(channel: Channel, givenAt: Date, method: String, withdrawnAt: Date? = nil) {
        self.channel = channel; self.givenAt = givenAt; self.method = method; self.withdrawnAt = withdrawnAt
    }
}

/// A legal hold on a call's recording: why, when, and by whom (a user's email, linked when the
/// workspace has that user).
public struct IncomingHold: Sendable, Equatable {
    public var reason: String
    public var heldAt: Date
    public var heldBy: String?

    public init(reason: String, heldAt: Date, heldBy: String? = nil) {
        self.reason = reason; self.heldAt = heldAt; self.heldBy = heldBy
    }
}

public struct IncomingReview: Sendable, Equatable {
    public var externalId: String?
    public var source: String
    public var author: String
    public var stars: Int
    public var text: String
    public var postedAt: Date
    public var replyText: String?
    public var repliedAt: Date?
    /// The contact the review was picked as written by (`dsr reviews --pick`): a JSONL `contact`
    /// field; `.none` or `.match` attribute nothing.
    public var contact: ContactLink

    public init(externalId: String? = nil, source: String, author: String, stars: Int, text: String, postedAt: Date,
                replyText: String? = nil, repliedAt: Date? = nil, contact: ContactLink = .none) {
        self.externalId = externalId; self.source = source; self.author = author; self.stars = stars; self.text = text
        self.postedAt = postedAt; self.replyText = replyText; self.repliedAt = repliedAt; self.contact = contact
    }
}

/// A data-subject request; users (who completed or extended it) are named by email.
public struct IncomingRequest: Sendable, Equatable {
    public var externalId: String?
    public var contact: ContactLink
    public var type: DataSubjectRequestType
    public var receivedAt: Date
    public var dueAt: Date
    public var status: DataSubjectRequestStatus
    public var completedBy: String?
    public var completedAt: Date?
    public var notes: String?
    public var firstDueAt: Date?
    public var extensionReason: String?
    public var extendedBy: String?
    public var extendedAt: Date?

    public init(externalId: String? = nil, contact: ContactLink, type: DataSubjectRequestType, receivedAt: Date, dueAt: Date,
                status: DataSubjectRequestStatus, completedBy: String? = nil, completedAt: Date? = nil, notes: String? = nil,
                firstDueAt: Date? = nil, extensionReason: String? = nil, extendedBy: String? = nil, extendedAt: Date? = nil) {
        self.externalId = externalId; self.contact = contact; self.type = type; self.receivedAt = receivedAt
        self.dueAt = dueAt; self.status = status; self.completedBy = completedBy; self.completedAt = completedAt
        self.notes = notes; self.firstDueAt = firstDueAt; self.extensionReason = extensionReason
        self.extendedBy = extendedBy; self.extendedAt = extendedAt
    }
}

/// Which contact a call or message belongs to.
public enum ContactLink: Sendable, Equatable {
    /// Matched by the customer's number or email (created when new): what every format but JSONL does.
    case match
    /// The contact record with this external id (a JSONL `contact` field), imported before.
    case record(String)
    /// Nobody: the record stays without a contact.
    case none
}

public struct IncomingCall: Sendable, Equatable {
    /// Twilio's `sid`, Asterisk's `uniqueid`; nil: the import path uses a hash of the content.
    public var externalId: String?
    public var direction: Direction
    public var from: String
    public var to: String
    /// The caller's name as the source knew it (Asterisk's `clid` "Name" part), for a new contact.
    public var callerName: String?
    public var startedAt: Date
    public var durationSeconds: Int
    public var outcome: CallOutcome
    public var handledBy: HandledBy
    public var summary: String?
    public var transcript: Transcript?
    /// A recording file to copy into the workspace (only when recording is on).
    public var recordingPath: String?
    /// The job or quote details as JSON text (a JSONL export carries them).
    public var jobDetails: String?
    public var contact: ContactLink
    /// The staff member who took it, by email (linked when the workspace has that user).
    public var staff: String?
    /// Why there is no recording (`not_recorded`, `recording_disabled`, `purged`), as the source
    /// workspace stored it; used only when no recording file comes with the call.
    public var recordingState: RecordingState?
    public var recordingPurgedAt: Date?
    /// A legal hold on the recording that comes with the call.
    public var hold: IncomingHold?
    /// When the recording was made (its retention counts from then); default: the call's start.
    public var recordingCreatedAt: Date?

    public init(externalId: String? = nil, direction: Direction, from: String, to: String, callerName: String? = nil,
                startedAt: Date, durationSeconds: Int, outcome: CallOutcome, handledBy: HandledBy = .staff,
                summary: String? = nil, transcript: Transcript? = nil, recordingPath: String? = nil,
                jobDetails: String? = nil, contact: ContactLink = .match, staff: String? = nil,
                recordingState: RecordingState? = nil, recordingPurgedAt: Date? = nil, hold: IncomingHold? = nil,
                recordingCreatedAt: Date? = nil) {
        self.externalId = externalId; self.direction = direction; self.from = from; self.to = to
        self.callerName = callerName; self.startedAt = startedAt; self.durationSeconds = durationSeconds
        self.outcome = outcome; self.handledBy = handledBy; self.summary = summary; self.transcript = transcript
        self.recordingPath = recordingPath; self.jobDetails = jobDetails; self.contact = contact
        self.staff = staff; self.recordingState = recordingState; self.recordingPurgedAt = recordingPurgedAt; self.hold = hold
        self.recordingCreatedAt = recordingCreatedAt
    }
}

public struct IncomingMessage: Sendable, Equatable {
    /// Twilio's `sid`, an email's `Message-ID`; nil: the import path uses a hash of the content.
    public var externalId: String?
    public var channel: Channel
    public var direction: Direction
    public var from: String
    public var to: String
    /// The sender's display name (a WhatsApp participant, an email's From name), for a new contact.
    public var senderName: String?
    public var sentAt: Date
    public var body: String
    /// An email's subject.
    public var subject: String?
    /// Which conversation it belongs to, in the source's terms (an email thread's root
    /// Message-ID, a chat file); nil: the contact's latest thread on the channel.
    public var threadKey: String?
    /// Names of attachments the source mentioned (a WhatsApp "<Media omitted>", an email part).
    public var attachments: [String]
    /// Each attachment's size in bytes where the source knew it (a JSONL export does), else empty.
    public var attachmentBytes: [Int64]
    public var deliveryStatus: DeliveryStatus?
    public var contact: ContactLink
    /// Sent by Auto-Send in the workspace it came from (a JSONL export says so).
    public var autoSent: Bool
    /// Still unread in the workspace it came from: counts towards its thread's unread messages.
    public var unread: Bool
    /// The key an earlier version of handlet's import gave this message, looked up when `externalId`
    /// is not found: a WhatsApp message imported before its key named the chat (session 11) was
    /// keyed by the file's path instead, and is recognised so rather than imported a second time.
    var legacyKey: String?

    public init(externalId: String? = nil, channel: Channel, direction: Direction, from: String, to: String,
                senderName: String? = nil, sentAt: Date, body: String, subject: String? = nil, threadKey: String? = nil,
                attachments: [String] = [], attachmentBytes: [Int64] = [], deliveryStatus: DeliveryStatus? = nil,
                contact: ContactLink = .match, autoSent: Bool = false, unread: Bool = false) {
        self.externalId = externalId; self.channel = channel; self.direction = direction; self.from = from; self.to = to
        self.senderName = senderName; self.sentAt = sentAt; self.body = body; self.subject = subject
        self.threadKey = threadKey; self.attachments = attachments; self.attachmentBytes = attachmentBytes
        self.deliveryStatus = deliveryStatus; self.contact = contact; self.autoSent = autoSent; self.unread = unread
    }
}

/// A format's parser: reads one file as a stream (constant memory however large), in order.
public protocol RecordParser {
    /// Calls `emit` for each record or refused line; `bytesRead` reports progress through the file.
    mutating func parse(_ input: InputStream, file: String, emit: (ParsedLine) throws -> Void,
                        bytesRead: (Int) -> Void) throws
}
