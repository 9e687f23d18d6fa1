import Foundation
import GRDB

/// A thread as a conversation: its header and the newest messages (older ones page in through
/// `messages`, a `ThreadMessagePage`).
public struct ThreadDetail: Sendable {
    public var thread: MessageThread
    public var contact: Contact?
    /// The newest `limit` messages, oldest first.
    public var recentMessages: [MessageRow]
    /// True when there are older messages than `recentMessages` holds.
    public var hasEarlier: Bool
    public var messages: ThreadMessagePage { ThreadMessagePage(threadId: thread.id!) }

    static func load(id: MessageThread.ID, limit: Int = 200, in db: Database) throws -> ThreadDetail? {
        guard let thread = try MessageThread.fetchOne(db, key: id) else { return nil }
        let contact = try thread.contactId.flatMap { try Contact.fetchOne(db, key: $0) }
        let page = ThreadMessagePage(threadId: id)
        let recent = try page.last(limit: limit, in: db)
        let hasEarlier = try recent.first.map { try !page.before($0.cursor, limit: 1, in: db).isEmpty } ?? false
        return ThreadDetail(thread: thread, contact: contact, recentMessages: recent, hasEarlier: hasEarlier)
    }
}
