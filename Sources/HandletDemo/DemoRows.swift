import HandletDomain

/// Plain rows as the bulk loader binds them: unix-second integers and ready-made strings, so the
/// generator thread does all the formatting and the writer thread only talks to SQLite.
struct DemoContactRow: Sendable {
    var id: Int64
    var name: String
    var phone: String
    var email: String?
    var optedOutAt: Int64?
    var optOutKeyword: String?
    var restrictedAt: Int64?
    var restrictionReason: String?
    var createdAt: Int64
}

struct DemoConsentRow: Sendable {
    var contactId: Int64
    var channel: String
    var givenAt: Int64
    var method: String
    var withdrawnAt: Int64?
}

struct DemoCallRow: Sendable {
    var id: Int64
    var externalId: String
    var direction: String
    var fromNumber: String
    var toNumber: String
    var contactId: Int64?
    var startedAt: Int64
    var durationSeconds: Int
    var handledBy: String
    var staffUserId: Int64?
    var outcome: String
    var summary: String
    var transcript: String
    var transcriptTiming: String
    var jobDetails: String?
    var recordingState: String
    var recordingPurgedAt: Int64?
}

struct DemoRecordingRow: Sendable {
    var callId: Int64
    var filePath: String?
    var bytes: Int64
    var durationMs: Int64
    var sha256: String?
    var createdAt: Int64
    var expiresAt: Int64
    var legalHold: Bool
    var holdReason: String?
    var heldBy: Int64?
    var heldAt: Int64?
    var purgedAt: Int64?
}

/// Threads get their ids from SQLite in insertion order; messages name theirs by position in
/// the chunk (`DemoMessageRow.threadSlot`).
struct DemoThreadRow: Sendable {
    var contactId: Int64?
    var channel: String
    var subject: String?
    var lastActivityAt: Int64
    var unreadCount: Int
    var messageCount: Int
}

struct DemoMessageRow: Sendable {
    var id: Int64
    var threadSlot: Int
    var channel: String
    var direction: String
    var fromAddress: String
    var toAddress: String
    var contactId: Int64?
    var body: String
    var sentAt: Int64
    var deliveryStatus: String
    var attachments: String?
    var autoSent: Bool
    var correlationId: String?
}

/// One unit of work handed from a generator thread to the writer thread, in chunk order.
enum DemoChunk: Sendable {
    case contacts([DemoContactRow], [DemoConsentRow])
    case calls([DemoCallRow], [DemoRecordingRow])
    case messages([DemoThreadRow], [DemoMessageRow], [MessageComposer.DraftCandidate])
}
