import Crypto
import Foundation
import GRDB

/// What makes an import idempotent (issue 24): one row per record ever imported, keyed by its kind
/// and the source's own id (a Twilio sid, a JSONL `id`) or, where the format has none, a SHA-256 of
/// its content. The primary key is the unique index: the same file imported twice, or an
/// overlapping later export, finds its records already here and adds only the new ones. A record
/// erased later keeps its key, so importing the old file again does not bring the person back.
///
/// Also the workspace's side of a source's names: a JSONL contact's `id` (which later records name
/// in `contact`), a conversation's thread key, a participant known only by name.
enum ImportKeys {
    enum Kind: String {
        case contact, call, message, thread, review, request
        /// A participant with neither a number nor an email (a WhatsApp name): the contact made for them.
        case participant
    }

    /// The tables of the records an export names by this workspace's own ids
    /// (`<prefix>-<kind>-<row id>`, `JSONLExport`) when they were not imported. Calls always carry
    /// their external id; a participant is never exported.
    static let ownTables: [Kind: String] = [.contact: "contacts", .message: "messages", .thread: "threads",
                                            .review: "reviews", .request: "data_subject_requests"]

    /// Migration `import-keys`: the key table, and the FTS triggers a large import set aside until
    /// its search indexes are rebuilt (see `ImportSearchSuspension`).
    static func create(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE import_keys (
                kind TEXT NOT NULL,
                key TEXT NOT NULL,
                record_id INTEGER NOT NULL,
                imported_at INTEGER NOT NULL,
                PRIMARY KEY (kind, key)
            ) WITHOUT ROWID;
            CREATE INDEX import_keys_by_record ON import_keys(kind, record_id);
            CREATE TABLE import_suspended_triggers (
                name TEXT PRIMARY KEY,
                sql TEXT NOT NULL
            );
            """)
    }

    /// The key of a record without an id of its own: "sha256:" and the hash of its fields, each
    /// length-prefixed so no two different records can join into the same text.
    static func contentKey(_ fields: [String]) -> String {
        var hasher = SHA256()
        for field in fields {
            var length = UInt32(field.utf8.count).bigEndian
            withUnsafeBytes(of: &length) { hasher.update(bufferPointer: $0) }
            hasher.update(data: Data(field.utf8))
        }
        return "sha256:" + SHA256Hex.hex(hasher.finalize())
    }

    static func key(of call: IncomingCall) -> String {
        if let id = call.externalId, !id.isEmpty { return id }
        return contentKey(["call", call.direction.rawValue, call.from, call.to, String(Int64(call.startedAt.timeIntervalSince1970)),
                           String(call.durationSeconds), call.outcome.rawValue, call.summary ?? ""])
    }

    static func key(of message: IncomingMessage) -> String {
        if let id = message.externalId, !id.isEmpty { return id }
        return contentKey(["message", message.channel.rawValue, message.direction.rawValue, message.from, message.to,
                           String(Int64(message.sentAt.timeIntervalSince1970)), message.body, message.threadKey ?? ""])
    }

    static func key(of review: IncomingReview) -> String {
        if let id = review.externalId, !id.isEmpty { return id }
        return contentKey(["review", review.source, review.author, String(review.stars), review.text,
                           String(Int64(review.postedAt.timeIntervalSince1970))])
    }

    static func key(of request: IncomingRequest) -> String {
        if let id = request.externalId, !id.isEmpty { return id }
        let contact: String
        switch request.contact {
        case .record(let id): contact = id
        case .match, .none: contact = ""
        }
        return contentKey(["request", contact, request.type.rawValue, String(Int64(request.receivedAt.timeIntervalSince1970))])
    }

    static func key(of contact: IncomingContact) -> String {
        if let id = contact.externalId, !id.isEmpty { return id }
        return contentKey(["contact", contact.name ?? "", contact.phone ?? "", contact.email ?? ""])
    }
}
