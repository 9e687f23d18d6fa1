import Foundation
import HandletDomain
import TerminalUI

/// Message threads by last activity, and a thread as a conversation.
struct MessagesTab: RegisteredScreen {
    static let id = ScreenID.messages
    static let title = "Messages"
    static let tabLabel = "Msgs"
    static let shows: Set<ConsoleDestination.Kind> = [.thread]

    enum Command: Sendable { case filter, clear }
    static let palette: [(title: String, command: Command)] = [("Messages: filter…", .filter), ("Messages: clear filters", .clear)]

    static func make(context: ConsoleContext, screens: ScreenRegistry) -> MessagesTab { MessagesTab(context: context) }

    let context: ConsoleContext
    private var clock: BrowseClock
    private var list: FilteredList<ThreadPage>
    private var conversation: Conversation?
    private let listKeys: KeyMap<ListKey>
    private let conversationKeys: KeyMap<ConversationKey>

    private struct Conversation {
        var view: ConversationView
        var scroll = ScrollState()
        var pendingFocus: Bool
    }

    init(context: ConsoleContext) {
        self.context = context
        clock = BrowseClock.console(context)
        list = FilteredList(name: "Messages", list: ThreadPage(clock: clock), clock: clock, columns: Self.columns, keys: context.keys)
        listKeys = Self.listKeys(context.keys)
        conversationKeys = Self.conversationKeys(context.keys)
    }

    var capturesText: Bool { list.isEditing }
    var searchScope: SearchScope { SearchScope(calls: nil, messages: list.filter) }
    var status: String { conversation != nil ? "conversation" : list.positionText + " threads" }
    var helpEntries: [HelpEntry] {
        conversation == nil ? listKeys.help(for: context.actor) : conversationKeys.help(for: context.actor)
    }

    mutating func activate() { list.refresh(context) }
    private mutating func reload(filter: MessageFilter) { list.reload(filter: filter, context) }

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
        if list.handleEditor(key, context) { return .handled }
        if let current = conversation {
            switch conversationKeys.press(key, by: context.actor) {
            case .unbound: return .ignored
            case .refused(let refusal): return .flash(refusal, isError: true)
            case .action(.conversation(.back), _): conversation = nil; return .back
            case .action(.conversation(.loadEarlier), _):
                if current.view.hasEarlier { openThread(id: current.view.detail.thread.id!, highlight: nil, messageId: nil, limit: 2000) }
            case .action(.scroll(let move), _): conversation?.scroll.apply(move)
            }
            return .handled
        }
        switch listKeys.press(key, by: context.actor) {
        case .unbound: return .ignored
        case .refused(let refusal): return .flash(refusal, isError: true)
        case .action(.list(.open), _): if let row = list.selectedRow { openThread(id: row.id, highlight: nil, messageId: nil) }
        case .action(.filter(let action), _): list.perform(action, context)
        case .action(.move(let move), _): list.move(move, context)
        }
        return .handled
    }

    mutating func perform(_ command: Command) -> TabResponse {
        conversation = nil
        switch command {
        case .filter: list.openEditor()
        case .clear: reload(filter: MessageFilter())
        }
        return .handled
    }

    mutating func open(_ destination: ConsoleDestination) -> Bool {
        switch destination {
        case .screen: return true
        case .thread(let id, let highlight, let messageId):
            if !list.loaded { reload(filter: list.filter) }
            return openThread(id: id, highlight: highlight, messageId: messageId)
        case .call, .calls, .contact: return false
        }
    }

    /// Opens a thread at a message (from search or a contact's timeline) or at its newest messages.
    @discardableResult
    private mutating func openThread(id: MessageThread.ID, highlight: String?, messageId: Message.ID?, limit: Int = 200) -> Bool {
        do {
            let loaded = try context.workspace.dbPool.read { db -> (ThreadDetail, [MessageRow], Bool, HighlightedText?)? in
                guard let detail = try ThreadDetail.load(id: id, limit: limit, in: db) else { return nil }
                var messages = detail.recentMessages
                var hasEarlier = detail.hasEarlier
                var marked: HighlightedText?
                if let messageId, !messages.contains(where: { $0.id == messageId }),
                   let target = try Message.fetchOne(db, key: messageId) {
                    // An older message: read a window around it instead of the newest ones.
                    let cursor = MessageCursor(sentAt: Int64(target.sentAt.timeIntervalSince1970), id: messageId.rawValue)
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
