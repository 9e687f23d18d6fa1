import Foundation
import HandletDomain
import TerminalUI

/// Message threads by last activity, and a thread as a conversation.
struct MessagesTab: ConsoleTab {
    let context: ConsoleContext
    private var clock: BrowseClock
    private var list: FilteredList<ThreadPage>
    private var conversation: Conversation?

    private struct Conversation {
        var view: ConversationView
        var scroll = ScrollState()
        var pendingFocus: Bool
    }

    enum Action: Sendable, Equatable { case open, back, loadEarlier }
    static let listKeys = KeyMap<Action>([
        KeyBinding([.enter], .open, "Open the conversation", group: "Messages"),
    ])
    static let conversationKeys = KeyMap<Action>([
        KeyBinding([.escape, .char("q"), .backspace], .back, "Back to the threads", group: "Conversation"),
        KeyBinding([.char("e")], .loadEarlier, "Load earlier messages", group: "Conversation"),
    ])

    init(context: ConsoleContext) {
        self.context = context
        clock = BrowseClock.console(context)
        list = FilteredList(name: "Messages", list: ThreadPage(clock: clock), clock: clock, columns: Self.columns)
    }

    var title: String { "Messages" }
    var capturesText: Bool { list.isEditing }
    var searchScope: SearchScope { SearchScope(calls: nil, messages: list.filter) }
    var status: String { conversation != nil ? "conversation" : list.positionText + " threads" }
    var helpEntries: [HelpEntry] {
        (conversation == nil ? Self.listKeys.helpEntries + FilteredList<ThreadPage>.keys.helpEntries : Self.conversationKeys.helpEntries)
            + KeyMap.standardNavigation.helpEntries
    }
    var paletteCommands: [PaletteCommand] {
        [PaletteCommand("Messages: filter…", identifier: "filter"), PaletteCommand("Messages: clear filters", identifier: "clear")]
    }

    mutating func activate() { list.refresh(context) }
    private mutating func reload(filter: MessageFilter) { list.reload(filter: filter, context) }

    static let columns = [
        TableColumn("Last activity", width: .fixed(13)),
        TableColumn("Channel", width: .fixed(9)),
        TableColumn("Contact", width: .flexible(minimum: 14, weight: 2)),
        TableColumn("Unread", width: .fixed(6), alignRight: true),
        TableColumn("Last message", width: .flexible(minimum: 20, weight: 5)),
    ]

    static func tableRow(_ thread: ThreadRow, clock: BrowseClock) -> TableRow {
        let arrow = thread.lastDirection == .outbound ? "→ " : "← "
        return TableRow([
            Formatting.shortTime(thread.lastActivityAt, clock: clock),
            thread.channel.label,
            thread.party,
            thread.unreadCount > 0 ? String(thread.unreadCount) : "",
            arrow + thread.lastSnippet.replacingOccurrences(of: "\n", with: " "),
        ], style: thread.unreadCount > 0 ? Style(.normal, .bold) : nil)
    }

    mutating func render(into grid: inout Grid, area: Rect) {
        if !list.loaded { reload(filter: list.filter) }
        if var current = conversation {
            let inner = area.inset(horizontal: 2, vertical: 0)
            let (lines, focusLine) = current.view.lines(width: inner.width)
            if current.pendingFocus, let focusLine {
                current.scroll.offset = max(0, focusLine - 3)
                current.pendingFocus = false
            } else if current.pendingFocus {
                current.scroll.apply(.bottom)
                current.pendingFocus = false
            }
            renderLines(lines, into: &grid, area: inner, state: &current.scroll)
            conversation = current
        } else {
            let clock = self.clock
            list.render(into: &grid, area: area, context: context) { Self.tableRow($0, clock: clock) }
        }
        list.renderEditor(into: &grid, area: area)
    }

    mutating func handle(_ key: Key) -> TabResponse {
        if conversation == nil || list.isEditing {
            if list.handle(key, context) { return .handled }
        }
        if let current = conversation {
            switch Self.conversationKeys.action(for: key) {
            case .back: conversation = nil; return .back
            case .loadEarlier:
                if current.view.hasEarlier { openThread(id: current.view.detail.thread.id!, highlight: nil, messageId: nil, limit: 2000) }
                return .handled
            default: break
            }
            if let move = KeyMap.standardNavigation.action(for: key) { conversation?.scroll.apply(move); return .handled }
            return .ignored
        }
        guard Self.listKeys.action(for: key) == .open else { return .ignored }
        if let row = list.selectedRow { openThread(id: row.id, highlight: nil, messageId: nil) }
        return .handled
    }

    mutating func perform(_ commandIdentifier: String) -> TabResponse {
        switch commandIdentifier {
        case "filter": conversation = nil; list.openEditor()
        case "clear": conversation = nil; reload(filter: MessageFilter())
        default: return .ignored
        }
        return .handled
    }

    mutating func open(_ destination: ConsoleDestination) -> Bool {
        switch destination {
        case .tab(let name): return name == title
        case .thread(let id, let highlight, let messageId):
            if !list.loaded { reload(filter: list.filter) }
            return openThread(id: id, highlight: highlight, messageId: messageId)
        case .call, .calls, .contact: return false
        }
    }

    /// Opens a thread at a message (from search or a contact's timeline) or at its newest messages.
    @discardableResult
    private mutating func openThread(id: Int64, highlight: String?, messageId: Int64?, limit: Int = 200) -> Bool {
        do {
            let loaded = try context.workspace.dbPool.read { db -> (ThreadDetail, [MessageRow], Bool, HighlightedText?)? in
                guard let detail = try ThreadDetail.load(id: id, limit: limit, in: db) else { return nil }
                var messages = detail.recentMessages
                var hasEarlier = detail.hasEarlier
                var marked: HighlightedText?
                if let messageId, !messages.contains(where: { $0.id == messageId }),
                   let target = try Message.fetchOne(db, key: messageId) {
                    // An older message: read a window around it instead of the newest ones.
                    let cursor = MessageCursor(sentAt: Int64(target.sentAt.timeIntervalSince1970), id: messageId)
                    let window = try detail.messages.window(keeping: cursor, rowsAbove: 20, limit: limit, in: db)
                    messages = window.rows
                    hasEarlier = try messages.first.map { try !detail.messages.before($0.cursor, limit: 1, in: db).isEmpty } ?? false
                }
                if let messageId, let highlight {
                    marked = try Search.highlight(SearchQuery(highlight), inMessage: messageId, in: db)
                }
                return (detail, messages, hasEarlier, marked)
            }
            guard let (detail, messages, hasEarlier, marked) = loaded else { list.problem = "Thread \(id) no longer exists"; return false }
            conversation = Conversation(view: ConversationView(detail: detail, messages: messages, hasEarlier: hasEarlier, clock: clock,
                                                               focusMessageId: messageId, focusHighlight: marked),
                                        pendingFocus: true)
            list.problem = nil
            return true
        } catch {
            list.problem = "Could not open the conversation: \(error)"
            return false
        }
    }

    mutating func receive(_ message: any Sendable) -> Bool { list.receive(message) }
}
