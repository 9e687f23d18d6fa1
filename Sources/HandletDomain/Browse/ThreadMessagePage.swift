import Foundation
import GRDB

/// One message in a conversation view.
public struct MessageRow: Equatable, Sendable, Identifiable {
    public var id: Message.ID
    public var threadId: MessageThread.ID
    public var channel: Channel
    public var direction: Direction
    public var fromAddress: String
    public var toAddress: String
    public var body: String
    public var sentAt: Date
    public var deliveryStatus: DeliveryStatus
    public var attachments: [Attachment]
    /// Sent by Auto-Send without a person pressing send: the screen marks it.
    public var autoSent: Bool
    /// The Auto-Send correlation id a sent draft carries: what its trace is found by.
    public var correlationId: String?
    /// Why the text is gone (`retention` or `deleted`), and when; nil while kept.
    public var textRemoved: String?
    public var textRemovedAt: Date?

    public var cursor: MessageCursor { MessageCursor(sentAt: Int64(sentAt.timeIntervalSince1970), id: id.rawValue) }

    init(row: GRDB.Row) throws {
        id = row["id"]; threadId = row["thread_id"]
        channel = try CallRow.decode(row["channel"])
        direction = try CallRow.decode(row["direction"])
        fromAddress = row.storedText("from_address"); toAddress = row.storedText("to_address")
        body = row.storedText("body")
        sentAt = Date(timeIntervalSince1970: TimeInterval(row["sent_at"] as Int64))
        deliveryStatus = try CallRow.decode(row["delivery_status"])
        let json: String? = row["attachments"]
        attachments = json.flatMap { try? JSONDecoder().decode([Attachment].self, from: Data($0.utf8)) } ?? []
        autoSent = row["auto_sent"]
        correlationId = row["correlation_id"]
        textRemoved = row["text_removed"]
        textRemovedAt = (row["text_removed_at"] as Int64?).map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }

    static let select = """
        SELECT id, thread_id, channel, direction, \(TextWithNUL.select("from_address")), \(TextWithNUL.select("to_address")),
               \(TextWithNUL.select("body")),
               sent_at, delivery_status,
               attachments, auto_sent, correlation_id, text_removed, text_removed_at FROM messages
        """
}

/// Position in a thread: (sent_at, id); the thread is fixed by the page.
public struct MessageCursor: Hashable, Sendable, Codable {
    public var sentAt: Int64
    public var id: Int64
    public init(sentAt: Int64, id: Int64) { self.sentAt = sentAt; self.id = id }
}

/// A thread's messages, oldest first (a conversation reads downwards); `last` is where it opens.
/// Walks `messages_by_thread(thread_id, sent_at, id)`.
public struct ThreadMessagePage: KeysetList {
    public var threadId: MessageThread.ID

    public init(threadId: MessageThread.ID) { self.threadId = threadId }

    var query: KeysetQuery {
        var conditions = SQLConditions()
        conditions.add("messages.thread_id = ?", [threadId])
        return KeysetQuery(selectFrom: MessageRow.select, conditions: conditions,
                           keys: ["messages.sent_at", "messages.id"], order: .ascending)
    }

    public func cursor(of row: MessageRow) -> MessageCursor { row.cursor }

    private func fetch(_ cursor: MessageCursor?, _ comparison: KeysetQuery.Comparison, _ limit: Int, _ db: Database) throws -> [MessageRow] {
        try query.fetch(db, cursor: cursor.map { [$0.sentAt, $0.id] }, comparison: comparison, limit: limit, decode: MessageRow.init)
    }

    public func rows(_ request: KeysetRequest<MessageCursor>, in store: StoreReader) throws -> [MessageRow] {
        try fetch(request.keyset.cursor, request.keyset.comparison, request.limit, store.db)
    }

    public func count(in store: StoreReader) throws -> Int { try query.count(store.db, from: "messages") }

    func firstPageSQL(limit: Int) -> (sql: String, arguments: StatementArguments) { query.firstPageSQL(limit: limit) }
}
