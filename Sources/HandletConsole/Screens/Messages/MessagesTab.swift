import Foundation
import HandletDomain
import TerminalUI

/// Message threads by last activity, and a thread as a conversation.
struct MessagesTab: RegisteredScreen {
    static let id = ScreenID.messages
    static let title = "Messages"
    static let tabLabel = "Msgs"
    static let shows: Set<DestinationKind> = [.thread]
    static let narrows: ListNarrowing? = ListNarrowing(matches: "a name, an email or a number")

    enum Command: Sendable { case filter, clear }
    static let palette: [(title: String, command: Command)] = [("Messages: filter…", .filter), ("Messages: clear filters", .clear)]

    static func make(context: ConsoleContext, screens: ScreenRegistry) -> MessagesTab { MessagesTab(context: context) }

    let context: ConsoleContext
    private var clock: BrowseClock
    private var list: FilteredList<ThreadPage>
    private var conversation: Conversation?
    /// The tab's size from the last layout; nil before the first.
    private var size: Size?
    private let listKeys: KeyMap<ListKey>
    private let conversationKeys: KeyMap<ConversationKey>
    private let traceKeys: KeyMap<TraceKey>
    /// A message's trace, opened from the conversation over it; Back returns to the conversation.
    private var trace: Trace?

    private struct Trace {
        var view: TraceView
        var scroll = ScrollState()
        var lines: [StyledLine] = []
        var width: Int?

        func lines(width: Int) -> [StyledLine] { width == self.width ? lines : view.lines(width: width) }
    }

    private struct Conversation {
        var view: ConversationView
        var scroll = ScrollState()
        /// Scroll to the opened message (or the newest) at the next layout, once the lines have a width.
        var pendingFocus: Bool
        /// The view's lines at `width`, from the last layout.
        var lines: [StyledLine] = []
        var width: Int?
        /// Where each message with a trace starts in `lines`.
        var traceable: [(line: Int, id: Message.ID)] = []
        /// The message the thread was opened at (a search hit, a special-category match): the one `D` deletes.
        var focus: Message.ID?
        /// Asking before that message's text is deleted.
        var deleteQuestion: (dialog: ConfirmDialog, plan: ChangePlan<TextDeletion.Deleted>)?

        /// The lines for a width: those laid out, or (drawn before any layout) wrapped now.
        func lines(width: Int) -> [StyledLine] { width == self.width ? lines : view.lines(width: width).lines }
    }

    init(context: ConsoleContext) {
        self.context = context
        clock = BrowseClock.console(context)
        list = FilteredList(name: "Messages", list: ThreadPage(clock: clock), clock: clock, columns: Self.columns,
                            narrowing: Self.narrows!, context: context)
        listKeys = Self.listKeys(context.keys)
        conversationKeys = Self.conversationKeys(context.keys)
        traceKeys = Self.traceKeys(context.keys)
    }

    var capturesText: Bool { list.isEditing || conversation?.deleteQuestion != nil }
    var searchScope: SearchScope { SearchScope(calls: nil, messages: list.filter) }
    var status: String { trace != nil ? "trace" : conversation != nil ? "conversation" : list.positionText + " threads" }
    var crumb: String {
        if let trace { return "Trace · message " + (trace.view.trace.message.map { "\($0.id)" } ?? "draft \(trace.view.trace.draft.id)") }
        guard let thread = conversation?.view.detail else { return title }
        return "Conversation · " + (thread.contact?.name ?? thread.thread.channel.label)
    }
    var helpEntries: [HelpEntry] {
        if list.isTypingFilter { return ListFilterLine.table.resolved(context.keys).help(for: context.actor) }
        if trace != nil { return traceKeys.help(for: context.actor) }
        return conversation == nil ? listKeys.help(for: context.actor) : conversationKeys.help(for: context.actor)
    }

    mutating func activate() { list.refresh(context) }
    private mutating func reload(filter: MessageFilter) { list.reload(filter: filter, context) }

    mutating func layout(_ size: Size) {
        self.size = size
        list.layout(size)
        if var current = trace {
            let width = Self.conversationArea(in: Rect(x: 0, y: 0, width: size.width, height: size.height)).width
            if current.width != width { current.lines = current.view.lines(width: width); current.width = width }
            current.scroll.fit(contentHeight: current.lines.count, pageHeight: size.height)
            trace = current
        }
        guard var current = conversation else { return }
        let width = Self.conversationArea(in: Rect(x: 0, y: 0, width: size.width, height: size.height)).width
        var focusLine: Int?
        if current.width != width || current.pendingFocus {
            (current.lines, focusLine, current.traceable) = current.view.lines(width: width)
            current.width = width
        }
        current.scroll.fit(contentHeight: current.lines.count, pageHeight: size.height)
        if current.pendingFocus {
            // The opened message a few lines below the top, so its context shows; else the newest.
            if let focusLine { current.scroll.offset = max(0, focusLine - 3) } else { current.scroll.apply(.bottom) }
            current.scroll.fit(contentHeight: current.lines.count, pageHeight: size.height)
            current.pendingFocus = false
        }
        conversation = current
    }

    private mutating func relayout() { if let size { layout(size) } }

    func render(into grid: inout Grid, area: Rect) {
        if let trace {
            let inner = Self.conversationArea(in: area)
            renderLines(trace.lines(width: inner.width), into: &grid, area: inner, state: trace.scroll)
        } else if let conversation {
            let inner = Self.conversationArea(in: area)
            renderLines(conversation.lines(width: inner.width), into: &grid, area: inner, state: conversation.scroll)
            conversation.deleteQuestion?.dialog.render(into: &grid, area: area)
        } else {
            let clock = self.clock
            list.render(into: &grid, area: area, context: clock) { Self.tableRow($0, clock: clock) }
        }
        list.renderEditor(into: &grid, area: area)
    }

    private static func conversationArea(in area: Rect) -> Rect { area.inset(horizontal: 2, vertical: 0) }

    mutating func handle(_ key: Key) -> TabResponse {
        if list.handleEditor(key, context) { return .handled }
        if trace != nil {
            switch traceKeys.press(key, by: context.actor) {
            case .unbound: return .ignored
            case .refused(let refusal): return .flash(refusal, isError: true)
            case .action(.trace(.back), _): trace = nil
            case .action(.scroll(let move), _): trace?.scroll.apply(move)
            }
            return .handled
        }
        if let current = conversation {
            if let question = current.deleteQuestion { return handleDeleteQuestion(question, key) }
            switch conversationKeys.press(key, by: context.actor) {
            case .unbound: return .ignored
            case .refused(let refusal): return .flash(refusal, isError: true)
            case .action(.conversation(.back), _): conversation = nil; return .back
            case .action(.conversation(.loadEarlier), _):
                if current.view.hasEarlier { openThread(id: current.view.detail.thread.id!, highlight: nil, messageId: nil, limit: 2000) }
            case .action(.conversation(.trace), _): return openTrace(current)
            case .action(.conversation(.deleteText), _):
                guard let target = current.focus else {
                    return .flash("Open the message from a search or the compliance centre's matches to delete its text", isError: false)
                }
                switch context.plan(.deleteMessageText(target)) {
                case .ready(let plan):
                    guard let question = plan.confirmation else { return .handled }
                    conversation?.deleteQuestion = (ConfirmDialog(title: question.title, message: plan.preview?.summary ?? question.question,
                                                                  confirmLabel: question.confirmLabel,
                                                                  isDestructive: question.isDestructive), plan)
                case .refused(let reason): return .flash(reason, isError: true)
                case .failed(let problem): return .flash(problem, isError: true)
                }
            case .action(.scroll(let move), _): conversation?.scroll.apply(move)
            }
            return .handled
        }
        switch listKeys.press(key, by: context.actor) {
        case .unbound: return .ignored
        case .refused(let refusal): return .flash(refusal, isError: true)
        case .action(.list(.open), _): if let row = list.selectedRow { openThread(id: row.id, highlight: nil, messageId: nil) }
        case .action(.filter(let action), _): list.perform(action, context)
        case .action(.move(let move), _): list.move(move)
        }
        return .handled
    }

    /// The answer to "delete this message's text?": deleted through the domain (which checks the
    /// role and the rules again), then the thread is shown as it now is.
    private mutating func handleDeleteQuestion(_ question: (dialog: ConfirmDialog, plan: ChangePlan<TextDeletion.Deleted>),
                                               _ key: Key) -> TabResponse {
        var dialog = question.dialog
        switch dialog.handle(key, keys: ConsoleKeys.confirmTable.resolved(context.keys)) {
        case nil: conversation?.deleteQuestion = (dialog, question.plan); return .handled
        case .cancelled?:
            conversation?.deleteQuestion = nil
            return .flash(question.plan.confirmation?.declined ?? "", isError: false)
        case .confirmed?:
            conversation?.deleteQuestion = nil
            guard let current = conversation else { return .handled }
            let command: WorkspaceCommand<TextDeletion.Deleted>
            do { command = try question.plan.approved(confirmed: true) } catch { return .flash("\(error)", isError: true) }
            switch context.changes.perform(command, about: .messageText, context: context, describe: { deleted in
                "Deleted the text of message \(deleted.id)"
            }) {
            case .failed(let text): return .flash(text, isError: true)
            case .waiting: return .handled
            case .done(_, let text):
                openThread(id: current.view.detail.thread.id!, highlight: nil, messageId: current.focus)
                return .flash(text, isError: false)
            }
        }
    }

    /// Opens the trace of the traced message in view: the last one whose first line shows, else
    /// the last above the view, else the first below it.
    private mutating func openTrace(_ current: Conversation) -> TabResponse {
        let top = current.scroll.offset, bottom = top + (size?.height ?? 0)
        let shown = current.traceable.last { $0.line >= top && $0.line < bottom }
            ?? current.traceable.last { $0.line < top } ?? current.traceable.first
        guard let target = shown else { return .flash("No message here was sent from the Auto-Send queue: nothing to trace", isError: false) }
        do {
            trace = Trace(view: TraceView(trace: try context.session.read(.autoSendTrace(.message(target.id))), clock: clock))
            relayout()
            return .handled
        } catch {
            return .flash("Could not trace message \(target.id): \(error)", isError: true)
        }
    }

    mutating func perform(_ command: Command) -> TabResponse {
        trace = nil
        conversation = nil
        switch command {
        case .filter: list.openEditor()
        case .clear: reload(filter: MessageFilter())
        }
        return .handled
    }

    mutating func open(_ destination: ConsoleDestination) -> Bool {
        if destination.kind == nil { return true }
        trace = nil
        guard let thread = destination.value(.thread, as: ConsoleDestination.ThreadToOpen.self) else { return false }
        if !list.loaded { reload(filter: list.filter) }
        return openThread(id: thread.id, highlight: thread.highlight, messageId: thread.messageId)
    }

    /// Opens a thread at a message (from search or a contact's timeline) or at its newest messages.
    @discardableResult
    private mutating func openThread(id: MessageThread.ID, highlight: String?, messageId: Message.ID?, limit: Int = 200) -> Bool {
        do {
            // Opening it reads it (issue 25): its unread count clears for everyone, audited when
            // there was one. While another process writes, it is marked on a later opening.
            do {
                if try context.session.performIfFree(.markThreadRead(id)) > 0 { list.refresh(context) }
            } catch WorkspaceError.locked {}
            let query = WorkspaceQuery.conversation(id, limit: limit, at: messageId, highlighting: highlight)
            guard let loaded = try context.session.read(query) else { list.problem = "Thread \(id) no longer exists"; return false }
            conversation = Conversation(view: ConversationView(detail: loaded.detail, messages: loaded.messages, hasEarlier: loaded.hasEarlier,
                                                               loadEarlierKey: Self.conversationTable.resolved(context.keys).keyLabel(.loadEarlier),
                                                               traceKey: Self.conversationTable.resolved(context.keys).keyLabel(.trace),
                                                               clock: clock, focusMessageId: messageId, focusHighlight: loaded.highlight),
                                        pendingFocus: true, focus: messageId)
            list.problem = nil
            relayout()
            return true
        } catch {
            list.problem = "Could not open the conversation: \(error)"
            return false
        }
    }

    mutating func receive(_ message: any Sendable) -> Bool { list.receive(message) }

    /// The keys have settled: the filter line's count starts (it arrives as a message).
    mutating func idle() -> Bool {
        list.idle(context)
        return false
    }
}
