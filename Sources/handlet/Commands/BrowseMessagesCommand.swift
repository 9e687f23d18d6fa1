import ArgumentParser
import Foundation
import HandletDomain

/// `handlet messages list|show`: the Messages tab for scripts.
struct MessagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "messages", abstract: "List message threads by last activity, or show one thread.",
        subcommands: [List.self, Show.self, DeleteMessageTextCommand.self], defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List threads, most recent activity first, filtered.")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var reader: ReadingUserOptions
        @OptionGroup var filters: FilterOptions
        @Flag(name: .long, help: "Only threads with unread messages.") var unread = false
        @Flag(name: .long, help: "Only threads with a message Auto-Send sent.") var autoSent = false
        @Flag(name: .long, help: "Only threads with a marketing message.") var marketing = false
        @OptionGroup var paging: PageOptions

        func run() throws {
            let session = try BrowseSession(workspace, reader)
            var filter = try filters.messageFilter(today: session.clock.today)
            filter.onlyUnread = unread
            filter.onlyAutoSent = autoSent
            filter.onlyMarketing = marketing
            let page = ThreadPage(filter: filter, clock: session.clock)
            let rows = try paging.rows(of: page, cursor: { ThreadCursor($0) }, in: session)
            if paging.json { return try JSONOutput.print(rows.map(ThreadEntry.init)) }
            let output = session.output
            guard !rows.isEmpty else { return print(BrowseOutput.emptyState("threads", chips: filter.chips)) }
            for line in output.table(ThreadRow.columns, rows) { print(line) }
            paging.printNextPageHint(rows: rows.count, lastCursor: rows.last.map(page.cursor(of:)))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a thread as a conversation, oldest first.")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var reader: ReadingUserOptions
        @Argument(help: "The thread's id.") var thread: Int64
        @OptionGroup var limit: LimitOption
        @Flag(name: .long, help: "Print JSON (fields in docs/json.md).") var json = false

        func run() throws {
            let session = try BrowseSession(workspace, reader)
            guard let detail = try session.read(.thread(MessageThread.ID(thread), limit: limit.limit)) else {
                throw CommandFailure("No thread \(thread) in this workspace.", .dataError)
            }
            if json { return try JSONOutput.print(ThreadDetailEntry(detail)) }
            let output = session.output
            var lines = ["Thread \(thread): \(detail.thread.channel.label) with \(detail.contact.map { output.safe($0.name) } ?? "an unknown contact")"]
            if let subject = detail.thread.subject { lines.append("Subject: \(output.safe(subject))") }
            if detail.hasEarlier { lines.append("(earlier messages not shown; raise --limit)") }
            for message in detail.recentMessages {
                let arrow = message.direction == .inbound ? "←" : "→"
                let auto = message.autoSent ? " [auto-sent]" : ""
                lines += ["", "\(arrow) \(output.time(message.sentAt))  \(output.safe(message.fromAddress))  \(message.deliveryStatus.rawValue)\(auto)"]
                lines += message.body.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + output.safe(String($0)) }
                lines += message.attachments.map { "  📎 \(output.safe($0.name)) (\(DisplayText.size($0.bytes)))" }
            }
            print(lines.joined(separator: "\n"))
        }
    }
}

/// One line of `messages list --json`.
struct ThreadEntry: Encodable {
    let id: MessageThread.ID
    let cursor: String
    let channel: String
    let contactName: String?
    let address: String?
    let subject: String?
    let lastActivityAt: Date
    let unreadCount: Int
    let messageCount: Int
    let lastSnippet: String
    let lastDirection: String?

    init(_ row: ThreadRow) {
        id = row.id; cursor = row.cursor.description; channel = row.channel.rawValue; contactName = row.contactName
        address = row.address; subject = row.subject; lastActivityAt = row.lastActivityAt; unreadCount = row.unreadCount
        messageCount = row.messageCount; lastSnippet = row.lastSnippet; lastDirection = row.lastDirection?.rawValue
    }
}

/// `messages show --json`.
struct ThreadDetailEntry: Encodable {
    struct MessageEntry: Encodable {
        let id: Message.ID
        let direction: String
        let fromAddress: String
        let toAddress: String
        let sentAt: Date
        let deliveryStatus: String
        let body: String
        let attachments: [Attachment]
        let autoSent: Bool
        /// The Auto-Send correlation id: `handlet queue trace MESSAGE_ID` follows it.
        let correlationId: String?
    }

    let id: MessageThread.ID
    let channel: String
    let subject: String?
    let contactId: Contact.ID?
    let contactName: String?
    let unreadCount: Int
    let messageCount: Int
    let hasEarlier: Bool
    let messages: [MessageEntry]

    init(_ detail: ThreadDetail) {
        let thread = detail.thread
        id = thread.id ?? MessageThread.ID(0); channel = thread.channel.rawValue; subject = thread.subject; contactId = thread.contactId
        contactName = detail.contact?.name; unreadCount = thread.unreadCount; messageCount = thread.messageCount
        hasEarlier = detail.hasEarlier
        messages = detail.recentMessages.map {
            MessageEntry(id: $0.id, direction: $0.direction.rawValue, fromAddress: $0.fromAddress, toAddress: $0.toAddress,
                         sentAt: $0.sentAt, deliveryStatus: $0.deliveryStatus.rawValue, body: $0.body,
                         attachments: $0.attachments, autoSent: $0.autoSent, correlationId: $0.correlationId)
        }
    }
}
