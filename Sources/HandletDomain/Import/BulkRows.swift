/// Plain rows as the bulk-write path binds them (DESIGN §9): unix-second integers and ready-made
/// strings, so a producer thread does all the formatting and the writer only talks to SQLite.
/// A row with an `id` keeps it; ids are the producer's to choose on a new workspace.
///
/// No message here is auto-sent: an automatic reply exists only through the arrival step, its
/// evaluation and the outbox (DESIGN §6), never written as an outcome.
public struct BulkContact: Sendable {
    public var id: Int64
    public var name: String
    public var phone: String
    public var email: String?
    public var optedOutAt: Int64?
    public var optOutKeyword: String?
    public var restrictedAt: Int64?
    public var restrictionReason: String?
    public var createdAt: Int64

    public init(id: Int64, name: String, phone: String, email: String? = nil, optedOutAt: Int64? = nil, optOutKeyword: String? = nil, restrictedAt: Int64? = nil, restrictionReason: String? = nil, createdAt: Int64) {
        self.id = id
        self.name = name
        self.phone = phone
        self.email = email
        self.optedOutAt = optedOutAt
        self.optOutKeyword = optOutKeyword
        self.restrictedAt = restrictedAt
        self.restrictionReason = restrictionReason
        self.createdAt = createdAt
    }
}

public struct BulkConsent: Sendable {
    public var contactId: Int64
    public var channel: String
    public var givenAt: Int64
    public var method: String
    public var withdrawnAt: Int64?

    public init(contactId: Int64, channel: String, givenAt: Int64, method: String, withdrawnAt: Int64? = nil) {
        self.contactId = contactId
        self.channel = channel
        self.givenAt = givenAt
        self.method = method
        self.withdrawnAt = withdrawnAt
    }
}

public struct BulkCall: Sendable {
    public var id: Int64
    public var externalId: String
    public var direction: String
    public var fromNumber: String
    public var toNumber: String
    public var contactId: Int64?
    public var startedAt: Int64
    public var durationSeconds: Int
    public var handledBy: String
    public var staffUserId: Int64?
    public var outcome: String
    public var summary: String
    public var transcript: String
    public var transcriptTiming: String
    public var jobDetails: String?
    public var recordingState: String
    public var recordingPurgedAt: Int64?

    public init(id: Int64, externalId: String, direction: String, fromNumber: String, toNumber: String, contactId: Int64? = nil, startedAt: Int64, durationSeconds: Int, handledBy: String, staffUserId: Int64? = nil, outcome: String, summary: String, transcript: String, transcriptTiming: String, jobDetails: String? = nil, recordingState: String, recordingPurgedAt: Int64? = nil) {
        self.id = id
        self.externalId = externalId
        self.direction = direction
        self.fromNumber = fromNumber
        self.toNumber = toNumber
        self.contactId = contactId
        self.startedAt = startedAt
        self.durationSeconds = durationSeconds
        self.handledBy = handledBy
        self.staffUserId = staffUserId
        self.outcome = outcome
        self.summary = summary
        self.transcript = transcript
        self.transcriptTiming = transcriptTiming
        self.jobDetails = jobDetails
        self.recordingState = recordingState
        self.recordingPurgedAt = recordingPurgedAt
    }
}

public struct BulkRecording: Sendable {
    public var callId: Int64
    public var filePath: String?
    public var bytes: Int64
    public var durationMs: Int64
    public var sha256: String?
    public var createdAt: Int64
    public var expiresAt: Int64
    public var legalHold: Bool
    public var holdReason: String?
    public var heldBy: Int64?
    public var heldAt: Int64?
    public var purgedAt: Int64?

    public init(callId: Int64, filePath: String? = nil, bytes: Int64, durationMs: Int64, sha256: String? = nil, createdAt: Int64, expiresAt: Int64, legalHold: Bool, holdReason: String? = nil, heldBy: Int64? = nil, heldAt: Int64? = nil, purgedAt: Int64? = nil) {
        self.callId = callId
        self.filePath = filePath
        self.bytes = bytes
        self.durationMs = durationMs
        self.sha256 = sha256
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.legalHold = legalHold
        self.holdReason = holdReason
        self.heldBy = heldBy
        self.heldAt = heldAt
        self.purgedAt = purgedAt
    }
}

/// Threads get their ids from SQLite in insertion order; messages name theirs by position in
/// the chunk (`BulkMessage.threadSlot`).
public struct BulkThread: Sendable {
    public var contactId: Int64?
    public var channel: String
    public var subject: String?
    public var lastActivityAt: Int64
    public var unreadCount: Int
    public var messageCount: Int

    public init(contactId: Int64? = nil, channel: String, subject: String? = nil, lastActivityAt: Int64, unreadCount: Int, messageCount: Int) {
        self.contactId = contactId
        self.channel = channel
        self.subject = subject
        self.lastActivityAt = lastActivityAt
        self.unreadCount = unreadCount
        self.messageCount = messageCount
    }
}

public struct BulkMessage: Sendable {
    public var id: Int64
    public var threadSlot: Int
    public var channel: String
    public var direction: String
    public var fromAddress: String
    public var toAddress: String
    public var contactId: Int64?
    public var body: String
    public var sentAt: Int64
    public var deliveryStatus: String
    public var attachments: String?
    public var isMarketing: Bool

    public init(id: Int64, threadSlot: Int, channel: String, direction: String, fromAddress: String, toAddress: String, contactId: Int64? = nil, body: String, sentAt: Int64, deliveryStatus: String, attachments: String? = nil, isMarketing: Bool = false) {
        self.id = id
        self.threadSlot = threadSlot
        self.channel = channel
        self.direction = direction
        self.fromAddress = fromAddress
        self.toAddress = toAddress
        self.contactId = contactId
        self.body = body
        self.sentAt = sentAt
        self.deliveryStatus = deliveryStatus
        self.attachments = attachments
        self.isMarketing = isMarketing
    }
}

/// One batch of rows for the writer, in order: a chunk of the demo, a batch of an import.
public enum BulkBatch: Sendable {
    case contacts([BulkContact], [BulkConsent])
    case calls([BulkCall], [BulkRecording])
    case messages([BulkThread], [BulkMessage])
    case reviews([BulkReview])
    case requests([BulkDataSubjectRequest])
}

/// A public review of the business (Google, Trustpilot…), with the reply already published if any.
public struct BulkReview: Sendable {
    public var id: Int64
    public var source: String
    public var author: String
    public var stars: Int
    public var text: String
    public var postedAt: Int64
    public var replyText: String?
    public var repliedAt: Int64?

    public init(id: Int64, source: String, author: String, stars: Int, text: String, postedAt: Int64,
                replyText: String? = nil, repliedAt: Int64? = nil) {
        self.id = id; self.source = source; self.author = author; self.stars = stars; self.text = text
        self.postedAt = postedAt; self.replyText = replyText; self.repliedAt = repliedAt
    }
}

/// A data-subject request as it was received and, if it is done, answered.
public struct BulkDataSubjectRequest: Sendable {
    public var contactId: Int64
    public var type: DataSubjectRequestType
    public var receivedAt: Int64
    public var dueAt: Int64
    public var status: DataSubjectRequestStatus
    public var completedBy: Int64?
    public var completedAt: Int64?
    public var notes: String?

    public init(contactId: Int64, type: DataSubjectRequestType, receivedAt: Int64, dueAt: Int64,
                status: DataSubjectRequestStatus, completedBy: Int64? = nil, completedAt: Int64? = nil, notes: String? = nil) {
        self.contactId = contactId; self.type = type; self.receivedAt = receivedAt; self.dueAt = dueAt
        self.status = status; self.completedBy = completedBy; self.completedAt = completedAt; self.notes = notes
    }
}
