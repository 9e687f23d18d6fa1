import Foundation
import GRDB

/// One line of the messages list: a conversation, by last activity.
public struct ThreadRow: Hashable, Sendable, Identifiable {
    public var id: MessageThread.ID
    public var channel: Channel
    public var contactName: String?
    /// The address of the other party when there is no contact (from the latest message).
    public var address: String?
    public var subject: String?
    public var lastActivityAt: Date
    public var unreadCount: Int
    public var messageCount: Int
    /// The latest message's body, for the snippet column (raw: the screen neutralises it).
    public var lastSnippet: String
    public var lastDirection: Direction?

    public var party: String { contactName ?? address ?? "Unknown" }
    public var cursor: ThreadCursor { ThreadCursor(lastActivityAt: Int64(lastActivityAt.timeIntervalSince1970), id: id.rawValue) }

    /// The snippet is limited to its first 200 characters in SQL so a long email costs nothing.
    /// Text is read whole (a NUL hides nothing, `TextWithNUL`).
    static let select = """
        SELECT threads.id, threads.channel, \(TextWithNUL.select("threads.subject")), threads.last_activity_at,
               threads.unread_count, threads.message_count, \(TextWithNUL.select("contacts.name", as: "contact_name")),
               \(TextWithNUL.prefix("latest.body", characters: 200, as: "last_body")), latest.direction AS last_direction,
               \(TextWithNUL.select("CASE latest.direction WHEN 'inbound' THEN latest.from_address ELSE latest.to_address END", as: "address"))
        FROM threads
        LEFT JOIN contacts ON contacts.id = threads.contact_id
        LEFT JOIN messages AS latest ON latest.id = (
            SELECT m.id FROM messages AS m WHERE m.thread_id = threads.id ORDER BY m.sent_at DESC, m.id DESC LIMIT 1)
        """

    init(row: GRDB.Row) throws {
        id = row["id"]
        channel = try CallRow.decode(row["channel"])
        subject = row.storedTextIfPresent("subject")
        lastActivityAt = Date(timeIntervalSince1970: TimeInterval(row["last_activity_at"] as Int64))
        unreadCount = row["unread_count"]
        messageCount = row["message_count"]
        contactName = row.storedTextIfPresent("contact_name")
        address = row.storedTextIfPresent("address")
        lastSnippet = row.storedText("last_body", prefix: 200) ?? ""
        lastDirection = (row["last_direction"] as String?).flatMap(Direction.init(rawValue:))
    }
}

public struct ThreadCursor: Hashable, Sendable, Codable, LosslessStringConvertible {
    public var lastActivityAt: Int64
    public var id: Int64

    public init(lastActivityAt: Int64, id: Int64) { self.lastActivityAt = lastActivityAt; self.id = id }

    public init?(_ description: String) {
        let parts = description.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let at = Int64(parts[0]), let id = Int64(parts[1]) else { return nil }
        self.init(lastActivityAt: at, id: id)
    }

    public var description: String { "\(lastActivityAt).\(id)" }
}

/// The messages list: threads by last activity, newest first, on `threads_by_activity`.
public struct ThreadPage: KeysetList {
    public var filter: MessageFilter
    public var clock: BrowseClock
    /// What was typed into the list's filter line: a contact's name or email (words as typed), or
    /// a number or address in any form (`TypedNarrowing`); empty narrows nothing.
    public var search: String

    public init(filter: MessageFilter = MessageFilter(), clock: BrowseClock, search: String = "") {
        self.filter = filter
        self.clock = clock
        self.search = search
    }

    var narrowing: TypedNarrowing { TypedNarrowing(search) }

    /// `few`: the typed words match few contacts, so their threads are read by the contact index
    /// and sorted (`TypedNarrowing`); else `threads_by_activity` is walked.
    func query(few: Bool = true) -> KeysetQuery {
        var conditions = filter.threadConditions(clock)
        let narrowing = self.narrowing
        if narrowing.isActive { conditions.add(narrowing.threadConditions(few: few)) }
        let keys = ["threads.last_activity_at", "threads.id"]
        let sorted = narrowing.isActive && few
        return KeysetQuery(selectFrom: ThreadRow.select, conditions: conditions,
                           keys: sorted ? keys.map { "+" + $0 } : keys, order: .descending,
                           idsFirst: sorted ? ("threads.id", "threads") : nil)
    }

    var query: KeysetQuery { query() }

    public func cursor(of row: ThreadRow) -> ThreadCursor { row.cursor }

    private func fetch(_ cursor: ThreadCursor?, _ comparison: KeysetQuery.Comparison, _ limit: Int, _ db: Database) throws -> [ThreadRow] {
        let query = narrowing.isActive ? query(few: try narrowing.hasFewMatches(db, numbered: TypedNarrowing.numberedThreads)) : query
        return try query.fetch(db, cursor: cursor.map { [$0.lastActivityAt, $0.id] }, comparison: comparison, limit: limit, decode: ThreadRow.init)
    }

    public func rows(_ request: KeysetRequest<ThreadCursor>, in store: StoreReader) throws -> [ThreadRow] {
        try fetch(request.keyset.cursor, request.keyset.comparison, request.limit, store.db)
    }

    public func count(in store: StoreReader) throws -> Int { try query.count(store.db, from: "threads") }

    func firstPageSQL(limit: Int) -> (sql: String, arguments: StatementArguments) { query.firstPageSQL(limit: limit) }
}
