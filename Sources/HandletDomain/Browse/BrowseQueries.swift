import Foundation
import GRDB

// The browsing reads of the console and the CLI (DESIGN §4: every role may browse).

extension WorkspaceQuery where Value == Overview {
    /// The Overview tab's figures. `notices`: every notice as the caller read it moments before (the
    /// console's start-up panel, issue 26), taken instead of reading them again; nil reads them.
    public static func overview(clock: BrowseClock, notices: [NoticeSummary]? = nil) -> Self {
        .reading(.browse) { try Overview.load(clock: clock, notices: notices, in: $0) }
    }
}

extension WorkspaceQuery where Value == (detail: CallDetail, hits: CallHitLocation?)? {
    /// A call, and where the searched words occur in it when `highlighting` is a search's text;
    /// nil when there is no such call.
    public static func call(_ id: Call.ID, clock: BrowseClock, highlighting text: String? = nil) -> Self {
        .reading(.browse) { db in
            guard let detail = try CallDetail.load(id: id, clock: clock, in: db) else { return nil }
            let hits = try text.map { try Search.locate(SearchQuery.typed($0), inCall: id, in: db) }
            return (detail, hits)
        }
    }
}

extension WorkspaceQuery where Value == CallDetail? {
    /// A call named by a person or script: its external id, else its number in this workspace.
    public static func call(reference: String, clock: BrowseClock) -> Self {
        .reading(.browse) { try CallDetail.find(reference, clock: clock, in: $0) }
    }
}

extension WorkspaceQuery where Value == CallHitLocation {
    /// Where a search's words occur in a call: the summary and/or which transcript turns.
    public static func hits(of query: SearchQuery, inCall id: Call.ID) -> Self {
        .reading(.browse) { try Search.locate(query, inCall: id, in: $0) }
    }
}

extension WorkspaceQuery where Value == HighlightedText? {
    /// A message body with a search's words marked; nil when the message does not match.
    public static func highlight(of query: SearchQuery, inMessage id: Message.ID) -> Self {
        .reading(.browse) { try Search.highlight(query, inMessage: id, in: $0) }
    }
}

extension WorkspaceQuery where Value == ContactDetail? {
    /// A contact with its consents and how much is held; its timeline pages through `timeline`.
    public static func contact(_ id: Contact.ID) -> Self { .reading(.browse) { try ContactDetail.load(id: id, in: $0) } }
}

extension WorkspaceQuery where Value == [ContactRow]? {
    /// The contacts page after the contact with this id (a script paging by the ids it printed);
    /// nil when there is no such contact.
    public static func contacts(afterContact id: Contact.ID, limit: Int, search: String = "") -> Self {
        .reading(.browse) { try ContactPage(search: search).after(contactId: id, limit: limit, in: $0) }
    }
}

/// A thread as the conversation view opens it: at its newest messages, or around one message.
public struct ThreadConversation: Sendable {
    public var detail: ThreadDetail
    /// Oldest first.
    public var messages: [MessageRow]
    /// True when there are older messages than `messages` holds.
    public var hasEarlier: Bool
    /// The focused message's body with the searched words marked.
    public var highlight: HighlightedText?
}

extension WorkspaceQuery where Value == ThreadDetail? {
    /// A thread with its newest `limit` messages.
    public static func thread(_ id: MessageThread.ID, limit: Int = 200) -> Self {
        .reading(.browse) { try ThreadDetail.load(id: id, limit: limit, in: $0) }
    }
}

extension WorkspaceQuery where Value == ThreadConversation? {
    /// A thread opened at `message` (from a search hit or a contact's timeline) or, without one, at
    /// its newest messages; `highlighting` marks a search's words in that message.
    public static func conversation(_ id: MessageThread.ID, limit: Int = 200, at message: Message.ID? = nil,
                                    highlighting text: String? = nil) -> Self {
        .reading(.browse) { db in
            guard let detail = try ThreadDetail.load(id: id, limit: limit, in: db) else { return nil }
            var messages = detail.recentMessages
            var hasEarlier = detail.hasEarlier
            if let message, !messages.contains(where: { $0.id == message }),
               let sentAt = try Int64.fetchOne(db, sql: "SELECT sent_at FROM messages WHERE id = ? AND thread_id = ?",
                                               arguments: [message, id]) {
                // An older message: read a window around it instead of the newest ones.
                let window = try detail.messages.window(keeping: MessageCursor(sentAt: sentAt, id: message.rawValue), rowsAbove: 20,
                                                        limit: limit, in: db)
                messages = window.rows
                hasEarlier = try messages.first.map { try !detail.messages.before($0.cursor, limit: 1, in: db).isEmpty } ?? false
            }
            let highlight = try message.flatMap { message in
                try text.flatMap { try Search.highlight(SearchQuery.typed($0), inMessage: message, in: db) }
            }
            return ThreadConversation(detail: detail, messages: messages, hasEarlier: hasEarlier, highlight: highlight)
        }
    }
}

extension WorkspaceQuery where Value == Search.Results {
    /// The `limit` newest hits of each kind by time (the console's first page, `handlet search`);
    /// a nil filter leaves that kind out.
    public static func search(_ query: SearchQuery, calls: CallFilter?, messages: MessageFilter?, clock: BrowseClock,
                              limit: Int) -> Self {
        .reading(.browse) { try Search.run(query, callFilter: calls, messageFilter: messages, clock: clock, limit: limit, in: $0) }
    }
}

extension WorkspaceQuery where Value == Search.Page {
    /// A page of calls and messages together, newest first, after `position` (nil: the first).
    public static func searchPage(_ query: SearchQuery, calls: CallFilter?, messages: MessageFilter?, clock: BrowseClock,
                                  after position: Search.Position?, limit: Int) -> Self {
        .reading(.browse) {
            try Search.page(query, callFilter: calls, messageFilter: messages, clock: clock, after: position, limit: limit, in: $0)
        }
    }
}

extension WorkspaceQuery where Value == Int {
    /// How many calls and messages a search finds with these filters.
    public static func searchTotal(_ query: SearchQuery, calls: CallFilter?, messages: MessageFilter?, clock: BrowseClock) -> Self {
        .reading(.browse) { try Search.total(query, callFilter: calls, messageFilter: messages, clock: clock, in: $0) }
    }
}

extension WorkspaceQuery where Value == ChangeToken {
    /// What other processes may have added since the last look (three index lookups).
    public static var changeToken: Self { .reading(.browse) { try ChangeToken.read($0) } }
}

extension WorkspaceQuery where Value == BrowseClock {
    /// `now` in the workspace's own time zone (DESIGN §3: Europe/London unless configured otherwise).
    public static func browseClock(now: Date? = nil) -> Self {
        .reading(.browse, at: now) { db, now in try BrowseClock.current(db, now: now) }
    }
}

extension WorkspaceQuery where Value == [Contact.ID] {
    /// Contacts whose stored number is this one, however it was typed (`07940 887684`); none
    /// when the text is not a phone number.
    public static func contactIDs(phone typed: String) -> Self {
        .reading(.browse) { db in
            guard let number = PhoneNumber.e164(typed) else { return [] }
            return try Contact.select(Column("id")).filter(Column("phone") == number).order(Column("id"))
                .asRequest(of: Contact.ID.self).fetchAll(db)
        }
    }
}
