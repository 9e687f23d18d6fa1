import Foundation
import GRDB

/// One entry of a contact's timeline: a call or a message, newest first.
public struct TimelineEntry: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, Codable {
        case call, message
        /// Tie-break at equal times: calls sort above messages.
        var rank: Int { self == .call ? 1 : 0 }
    }

    /// The call, or the message and its thread.
    public var target: RecordReference
    public var at: Date
    public var direction: Direction
    /// For a call: its outcome; nil for a message.
    public var outcome: CallOutcome?
    public var durationSeconds: Int?
    /// For a message: its channel.
    public var channel: Channel?
    /// Summary of the call, or the message body, cut to 200 characters (raw text, whole past a NUL).
    public var text: String

    public var kind: Kind { target.kind == .call ? .call : .message }
    public var callID: Call.ID? { target.callID }
    public var messageID: Message.ID? { target.messageID }
    public var threadID: MessageThread.ID? { target.threadID }
    public var cursor: TimelineCursor { TimelineCursor(at: Int64(at.timeIntervalSince1970), kind: kind, id: target.rowID) }
}

public struct TimelineCursor: Hashable, Sendable, Codable {
    public var at: Int64
    public var kind: TimelineEntry.Kind
    public var id: Int64
    public init(at: Int64, kind: TimelineEntry.Kind, id: Int64) { self.at = at; self.kind = kind; self.id = id }
}

/// A contact's calls and messages merged by time, newest first.
///
/// Each side is a keyset read on its own index (`calls_by_contact`, `messages_by_contact`) limited
/// to the page size; the merge then keeps the newest `limit`. Order: (time, calls before messages, id), descending.
public struct ContactTimeline: KeysetList {
    public var contactId: Contact.ID

    public init(contactId: Contact.ID) { self.contactId = contactId }

    public func cursor(of row: TimelineEntry) -> TimelineCursor { row.cursor }

    private enum Walk { case older, newer }

    /// The keyset condition for one side given a cursor, honouring the (time, rank, id) order.
    private func condition(time: String, id: String, kind: TimelineEntry.Kind, cursor: TimelineCursor, walk: Walk, inclusive: Bool) -> (String, [any DatabaseValueConvertible]) {
        let older = walk == .older
        if kind == cursor.kind {
            let op = older ? (inclusive ? "<=" : "<") : (inclusive ? ">=" : ">")
            return ("(\(time), \(id)) \(op) (?, ?)", [cursor.at, cursor.id])
        }
        // Different kind at the same time: its rank decides which side of the cursor it falls.
        let sameTimeIsOlder = kind.rank < cursor.kind.rank
        if older {
            return (sameTimeIsOlder ? "\(time) <= ?" : "\(time) < ?", [cursor.at])
        } else {
            return (sameTimeIsOlder ? "\(time) > ?" : "\(time) >= ?", [cursor.at])
        }
    }

    private func fetch(_ cursor: TimelineCursor?, walk: Walk, inclusive: Bool, limit: Int, _ db: Database) throws -> [TimelineEntry] {
        guard limit > 0 else { return [] }
        let order = walk == .older ? "DESC" : "ASC"
        var callConditions = SQLConditions()
        callConditions.add("calls.contact_id = ?", [contactId.rawValue])
        var messageConditions = SQLConditions()
        messageConditions.add("messages.contact_id = ?", [contactId.rawValue])
        if let cursor {
            let call = condition(time: "calls.started_at", id: "calls.id", kind: .call, cursor: cursor, walk: walk, inclusive: inclusive)
            callConditions.add(call.0, call.1)
            let message = condition(time: "messages.sent_at", id: "messages.id", kind: .message, cursor: cursor, walk: walk, inclusive: inclusive)
            messageConditions.add(message.0, message.1)
        }
        let sql = """
            SELECT * FROM (
                SELECT 'call' AS kind, 1 AS rank, calls.id, calls.started_at AS at, calls.direction, calls.outcome,
                       calls.duration_seconds, NULL AS channel, NULL AS thread_id,
                       \(TextWithNUL.prefix("calls.summary", characters: 200, as: "text"))
                FROM calls \(callConditions.whereClause)
                ORDER BY calls.started_at \(order), calls.id \(order) LIMIT ?)
            UNION ALL
            SELECT * FROM (
                SELECT 'message', 0, messages.id, messages.sent_at, messages.direction, NULL,
                       NULL, messages.channel, messages.thread_id, \(TextWithNUL.prefix("messages.body", characters: 200, as: "text"))
                FROM messages \(messageConditions.whereClause)
                ORDER BY messages.sent_at \(order), messages.id \(order) LIMIT ?)
            ORDER BY at \(order), rank \(order), id \(order) LIMIT ?
            """
        var arguments = callConditions.arguments
        arguments += [limit]
        arguments += messageConditions.arguments
        arguments += [limit, limit]
        let entries = try GRDB.Row.fetchAll(db, sql: sql, arguments: arguments).map { row -> TimelineEntry in
            let id: Int64 = row["id"]
            let target: RecordReference = (row["kind"] as String) == "call" ? .call(Call.ID(id)) : .message(Message.ID(id), thread: row["thread_id"])
            return TimelineEntry(target: target,
                          at: Date(timeIntervalSince1970: TimeInterval(row["at"] as Int64)),
                          direction: try CallRow.decode(row["direction"]),
                          outcome: (row["outcome"] as String?).flatMap(CallOutcome.init(rawValue:)),
                          durationSeconds: row["duration_seconds"],
                          channel: (row["channel"] as String?).flatMap(Channel.init(rawValue:)),
                          text: row.storedText("text", prefix: 200) ?? "")
        }
        return walk == .older ? entries : entries.reversed()
    }

    public func rows(_ request: KeysetRequest<TimelineCursor>, in store: StoreReader) throws -> [TimelineEntry] {
        switch request {
        case .first(let limit): try fetch(nil, walk: .older, inclusive: false, limit: limit, store.db)
        case .after(let cursor, let limit): try fetch(cursor, walk: .older, inclusive: false, limit: limit, store.db)
        case .before(let cursor, let limit): try fetch(cursor, walk: .newer, inclusive: false, limit: limit, store.db)
        case .last(let limit): try fetch(nil, walk: .newer, inclusive: false, limit: limit, store.db)
        case .starting(let cursor, let limit): try fetch(cursor, walk: .older, inclusive: true, limit: limit, store.db)
        }
    }

    public func count(in store: StoreReader) throws -> Int {
        let db = store.db
        let calls = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM calls WHERE contact_id = ?", arguments: [contactId]) ?? 0
        let messages = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM messages WHERE contact_id = ?", arguments: [contactId]) ?? 0
        return calls + messages
    }
}
