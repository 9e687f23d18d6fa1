import Foundation
import GRDB

/// What an export wrote.
public struct ExportCounts: Sendable, Equatable, Codable {
    public var contacts = 0
    public var calls = 0
    public var messages = 0
    public var recordings = 0
    public var reviews = 0
    /// Data-subject requests.
    public var requests = 0
    public init() {}
}

extension WorkspaceSession {
    /// Writes every contact, call and message as handlet's JSON Lines (docs/import.md), in one
    /// snapshot, a chunk at a time to `write` (constant memory), then records a `records.exported`
    /// event with the counts. Ids are the ones the records were imported with, where they were, so
    /// an export of an imported workspace names its records as the original did. Needs `.importExportRecords`.
    public func exportRecords(format: ImportFormat = .jsonl, write: (Data) throws -> Void) throws -> ExportCounts {
        try actor.require(.importExportRecords)
        let audioFolder = workspace.audioDirectory.path
        let database = workspace.dbPool
        let counts = try withoutActuallyEscaping(write) { write in
            try database.read { db in
                var export = JSONLExport(db: db, audioFolder: audioFolder, write: write)
                return try export.run()
            }
        }
        try perform(WorkspaceCommand(.importExportRecords, audit: .recordsExported) { _, _ in
            .changed(counts, target: "export:\(format.rawValue)",
                     details: ["format": .string(format.rawValue), "contacts": .int(Int64(counts.contacts)),
                               "calls": .int(Int64(counts.calls)), "messages": .int(Int64(counts.messages)),
                               "reviews": .int(Int64(counts.reviews)), "requests": .int(Int64(counts.requests))])
        })
        return counts
    }
}

struct JSONLExport {
    let db: Database
    let audioFolder: String
    let write: (Data) throws -> Void
    private var buffer = ""
    private var counts = ExportCounts()
    /// Starts the ids this workspace gives records it did not import (`3f9a0c1e-message-12`), so
    /// exports of two workspaces never name different records alike: the first 8 hex digits of a
    /// SHA-256 of the workspace's creation time and name.
    private var prefix = ""

    init(db: Database, audioFolder: String, write: @escaping (Data) throws -> Void) {
        self.db = db
        self.audioFolder = audioFolder
        self.write = write
    }

    /// The prefix of the ids this workspace's exports give records it did not import.
    static func ownPrefix(_ db: Database) throws -> String {
        let workspace = try Row.fetchOne(db, sql: "SELECT created_at, name FROM workspace WHERE id = 1")
        return String(SHA256Hex.of(Data("\(workspace?["created_at"] as Int64? ?? 0)|\(workspace?["name"] as String? ?? "")".utf8)).prefix(8))
    }

    private static func key(_ kind: String, _ column: String) -> String {
        "(SELECT key FROM import_keys WHERE kind = '\(kind)' AND record_id = \(column) ORDER BY imported_at, key LIMIT 1)"
    }

    mutating func run() throws -> ExportCounts {
        prefix = try Self.ownPrefix(db)
        let contacts = try Row.fetchCursor(db, sql: """
            SELECT id, name, phone, email, opted_out_at, opt_out_keyword, created_at, restricted_at, restriction_reason,
                objected_at, EXISTS (SELECT 1 FROM marketing_consents m WHERE m.contact_id = contacts.id) AS has_consents,
                \(Self.key("contact", "contacts.id")) AS import_key
            FROM contacts ORDER BY id
            """)
        while let row = try contacts.next() {
            var line = JSONLine(type: "contact", id: (row["import_key"] as String?) ?? "\(prefix)-contact-\(row["id"] as Int64)")
            line.add("name", string: row["name"])
            line.add("phone", string: row["phone"])
            line.add("email", string: row["email"])
            line.add("opted_out_at", time: row["opted_out_at"])
            line.add("opt_out_keyword", string: row["opt_out_keyword"])
            line.add("created_at", time: row["created_at"])
            line.add("restricted_at", time: row["restricted_at"])
            line.add("restriction_reason", string: row["restriction_reason"])
            line.add("objected_at", time: row["objected_at"])
            if row["has_consents"] as Bool {
                let consents = try Row.fetchAll(db.cachedStatement(sql: """
                    SELECT channel, given_at, method, withdrawn_at FROM marketing_consents WHERE contact_id = ? ORDER BY channel
                    """), arguments: [row["id"] as Int64])
                line.raw("consents", "[" + consents.map { consent in
                    var object = JSONObject()
                    object.add("channel", string: consent["channel"])
                    object.add("given_at", time: consent["given_at"])
                    object.add("method", string: consent["method"])
                    object.add("withdrawn_at", time: consent["withdrawn_at"])
                    return object.text + "}"
                }.joined(separator: ",") + "]")
            }
            try emit(line)
            counts.contacts += 1
        }
        let calls = try Row.fetchCursor(db, sql: """
            SELECT c.external_id, c.direction, c.from_number, c.to_number, c.contact_id, c.started_at, c.duration_seconds,
                c.outcome, c.handled_by, c.summary, c.transcript, c.transcript_timing, c.job_details,
                c.recording_state, c.recording_purged_at, staff.email AS staff_email,
                r.file_path, r.sha256, r.created_at AS recording_created_at, r.legal_hold, r.hold_reason, r.held_at, holder.email AS held_by,
                \(Self.key("contact", "c.contact_id")) AS contact_key
            FROM calls c LEFT JOIN recordings r ON r.call_id = c.id AND r.purged_at IS NULL AND c.recording_state = 'recorded'
            LEFT JOIN users staff ON staff.id = c.staff_user_id
            LEFT JOIN users holder ON holder.id = r.held_by
            -- An erased person's calls are kept as anonymised metadata without numbers: not records
            -- another workspace could import (and nothing of the person to carry over).
            WHERE c.external_id NOT LIKE 'erased-%'
            ORDER BY c.id
            """)
        while let row = try calls.next() {
            var line = JSONLine(type: "call", id: row["external_id"])
            line.add("direction", string: row["direction"])
            line.add("from", string: row["from_number"])
            line.add("to", string: row["to_number"])
            line.contact(row["contact_id"], key: row["contact_key"], prefix: prefix)
            line.add("started_at", time: row["started_at"])
            line.add("duration_seconds", int: row["duration_seconds"])
            line.add("outcome", string: row["outcome"])
            line.add("handled_by", string: row["handled_by"])
            line.add("staff", string: row["staff_email"])
            let summary: String = row["summary"]
            if !summary.isEmpty { line.add("summary", string: summary) }
            let transcript = Transcript(text: row["transcript"], timing: row["transcript_timing"])
            if !transcript.turns.isEmpty {
                line.raw("transcript", "[" + transcript.turns.map { turn in
                    "{\"speaker\":\(JSONString.quoted(Self.speakerNames[turn.speaker] ?? "caller")),\"at_ms\":\(turn.offsetMs),"
                        + "\"text\":\(JSONString.quoted(turn.text))}"
                }.joined(separator: ",") + "]")
            }
            line.add("job_details", string: row["job_details"])
            if let path: String = row["file_path"], AudioFolder.isInside(path) {
                line.add("recording", string: audioFolder + "/" + path)
                line.add("recording_sha256", string: row["sha256"])
                line.add("recording_created_at", time: row["recording_created_at"])
                counts.recordings += 1
                if row["legal_hold"] as Bool {
                    // A hold is carried even without a reason (older holds had none).
                    var hold = JSONObject()
                    hold.add("reason", string: row["hold_reason"] as String? ?? "")
                    hold.add("held_at", time: row["held_at"])
                    hold.add("held_by", string: row["held_by"])
                    line.raw("legal_hold", hold.text + "}")
                }
            } else {
                let state: String = row["recording_state"]
                if state != RecordingState.recorded.rawValue {
                    line.add("recording_state", string: state)
                    line.add("recording_purged_at", time: row["recording_purged_at"])
                }
            }
            try emit(line)
            counts.calls += 1
        }
        // A thread's unread messages are its newest `unread_count`: per thread with any, the id
        // they start from, found once (a message is unread when its id is at least that). Counting
        // each message's later ones instead cost the square of a thread's length.
        var unreadFrom: [Int64: Int64] = [:]
        let unreadThreads = try Row.fetchAll(db, sql: "SELECT id, unread_count FROM threads WHERE unread_count > 0")
        let firstUnread = try db.cachedStatement(sql: "SELECT id FROM messages WHERE thread_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?")
        for thread in unreadThreads {
            let id: Int64 = thread[0], count: Int64 = thread[1]
            // More unread than messages: all of them.
            unreadFrom[id] = try Int64.fetchOne(firstUnread, arguments: [id, count - 1]) ?? 0
        }
        let messages = try Row.fetchCursor(db, sql: """
            SELECT m.id, m.channel, m.direction, m.from_address, m.to_address, m.contact_id, m.body, m.sent_at,
                m.delivery_status, m.attachments, m.thread_id, t.subject, m.auto_sent,
                \(Self.key("message", "m.id")) AS import_key, \(Self.key("thread", "m.thread_id")) AS thread_key,
                \(Self.key("contact", "m.contact_id")) AS contact_key
            FROM messages m JOIN threads t ON t.id = m.thread_id ORDER BY m.id
            """)
        while let row = try messages.next() {
            var line = JSONLine(type: "message", id: (row["import_key"] as String?) ?? "\(prefix)-message-\(row["id"] as Int64)")
            line.add("channel", string: row["channel"])
            line.add("direction", string: row["direction"])
            line.add("from", string: row["from_address"])
            line.add("to", string: row["to_address"])
            line.contact(row["contact_id"], key: row["contact_key"], prefix: prefix)
            line.add("sent_at", time: row["sent_at"])
            line.add("body", string: row["body"])
            line.add("subject", string: row["subject"])
            line.add("thread", string: (row["thread_key"] as String?) ?? "\(prefix)-thread-\(row["thread_id"] as Int64)")
            if let attachments: String = row["attachments"], let data = attachments.data(using: .utf8),
               let list = try? JSONDecoder().decode([Attachment].self, from: data), !list.isEmpty {
                line.raw("attachments", "[" + list.map { attachment in
                    "{\"name\":\(JSONString.quoted(attachment.name)),\"bytes\":\(attachment.bytes)}"
                }.joined(separator: ",") + "]")
            }
            line.add("status", string: row["delivery_status"])
            if row["auto_sent"] as Bool { line.raw("auto_sent", "true") }
            if let from = unreadFrom[row["thread_id"] as Int64], row["id"] as Int64 >= from { line.raw("unread", "true") }
            try emit(line)
            counts.messages += 1
        }
        let reviews = try Row.fetchCursor(db, sql: """
            SELECT reviews.id, source, author, stars, text, posted_at, reply_text, replied_at,
                \(Self.key("review", "reviews.id")) AS import_key,
                review_authors.contact_id, \(Self.key("contact", "review_authors.contact_id")) AS contact_key
            FROM reviews LEFT JOIN review_authors ON review_authors.review_id = reviews.id ORDER BY reviews.id
            """)
        while let row = try reviews.next() {
            var line = JSONLine(type: "review", id: (row["import_key"] as String?) ?? "\(prefix)-review-\(row["id"] as Int64)")
            line.add("source", string: row["source"])
            line.add("author", string: row["author"])
            line.add("stars", int: row["stars"])
            line.add("text", string: row["text"])
            line.add("posted_at", time: row["posted_at"])
            line.add("reply_text", string: row["reply_text"])
            line.add("replied_at", time: row["replied_at"])
            // Picked as written by a contact (issue 23): the pick travels, so an erasure after a
            // move still finds the review.
            if let contactId: Int64 = row["contact_id"] { line.contact(contactId, key: row["contact_key"], prefix: prefix) }
            try emit(line)
            counts.reviews += 1
        }
        let requests = try Row.fetchCursor(db, sql: """
            SELECT r.id, r.contact_id, r.type, r.received_at, r.due_at, r.status, completer.email AS completed_by,
                r.completed_at, r.notes, r.first_due_at, r.extension_reason, extender.email AS extended_by, r.extended_at,
                \(Self.key("request", "r.id")) AS import_key, \(Self.key("contact", "r.contact_id")) AS contact_key
            FROM data_subject_requests r
            LEFT JOIN users completer ON completer.id = r.completed_by
            LEFT JOIN users extender ON extender.id = r.extended_by
            ORDER BY r.id
            """)
        while let row = try requests.next() {
            var line = JSONLine(type: "request", id: (row["import_key"] as String?) ?? "\(prefix)-request-\(row["id"] as Int64)")
            line.contact(row["contact_id"], key: row["contact_key"], prefix: prefix)
            line.add("request_type", string: row["type"])
            line.add("received_at", time: row["received_at"])
            line.add("due_at", time: row["due_at"])
            line.add("status", string: row["status"])
            line.add("completed_by", string: row["completed_by"])
            line.add("completed_at", time: row["completed_at"])
            line.add("notes", string: row["notes"])
            line.add("first_due_at", time: row["first_due_at"])
            line.add("extension_reason", string: row["extension_reason"])
            line.add("extended_by", string: row["extended_by"])
            line.add("extended_at", time: row["extended_at"])
            try emit(line)
            counts.requests += 1
        }
        try flush()
        return counts
    }

    static let speakerNames: [Transcript.Speaker: String] = [.caller: "caller", .aiAgent: "ai_agent", .staff: "staff", .voicemail: "voicemail"]

    private mutating func emit(_ line: JSONLine) throws {
        buffer += line.text + "}\n"
        if buffer.utf8.count >= 1 << 20 { try flush() }
    }

    private mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        try write(Data(buffer.utf8))
        buffer = ""
    }
}

/// A nested JSON object built field by field (close it with "}").
struct JSONObject {
    private(set) var text = "{"

    mutating func add(_ key: String, string value: String?) {
        guard let value else { return }
        text += (text == "{" ? "" : ",") + "\"\(key)\":" + JSONString.quoted(value)
    }

    mutating func add(_ key: String, time value: Int64?) {
        guard let value else { return }
        text += (text == "{" ? "" : ",") + "\"\(key)\":\"\(ImportTime.format(value))\""
    }
}

/// One line of JSON built field by field, in a fixed order (so two exports of the same records
/// are byte for byte the same).
struct JSONLine {
    private(set) var text: String

    init(type: String, id: String) {
        text = "{\"type\":\(JSONString.quoted(type)),\"id\":\(JSONString.quoted(id))"
    }

    mutating func add(_ key: String, string value: String?) {
        guard let value else { return }
        text += ",\"\(key)\":" + JSONString.quoted(value)
    }

    mutating func add(_ key: String, int value: Int64?) {
        guard let value else { return }
        text += ",\"\(key)\":\(value)"
    }

    mutating func add(_ key: String, time value: Int64?) {
        guard let value else { return }
        text += ",\"\(key)\":\"\(ImportTime.format(value))\""
    }

    mutating func raw(_ key: String, _ json: String) { text += ",\"\(key)\":" + json }

    /// The record's contact: its id (as imported, else `contact-N`), or null for none.
    mutating func contact(_ id: Int64?, key: String?, prefix: String) {
        if let id { add("contact", string: key ?? "\(prefix)-contact-\(id)") } else { raw("contact", "null") }
    }
}
