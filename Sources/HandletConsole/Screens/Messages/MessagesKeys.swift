import HandletDomain
import TerminalUI

extension ScreenID {
    static let messages = ScreenID("messages")
}

/// What the Messages tab opens for other screens: a conversation, at a message when given.
extension DestinationKind {
    static let thread = DestinationKind("thread")
}

/// The compliance duty looked into here: marketing messages and the conversations they went to.
extension MessagesTab {
    static let fixes = [DutyFix(.marketingConsent, does: "see the conversations", at: .screen(.messages))]
}

extension ConsoleDestination {
    struct ThreadToOpen: Hashable, Sendable {
        var id: MessageThread.ID
        var highlight: String?
        var messageId: Message.ID?
    }

    static func thread(id: MessageThread.ID, highlight: String?, messageId: Message.ID?) -> ConsoleDestination {
        ConsoleDestination(.thread, ThreadToOpen(id: id, highlight: highlight, messageId: messageId))
    }
}

/// A message's text deleted from the conversation: the thread re-reads when it lands.
extension ChangeSubject {
    static let messageText = ChangeSubject("message_text")
}

/// The Messages tab's key tables: the thread list's, the conversation's, and how each state combines them.
extension MessagesTab {
    enum ListAction: Sendable, Equatable { case open }
    static let listTable = KeyTable<ListAction>("messages", title: "Message threads", scope: "The Messages tab's list of threads", [
        KeyBinding([.enter], .open, "Open the conversation", group: "Messages", name: "open"),
    ])

    enum ConversationAction: Sendable, Equatable { case back, loadEarlier, trace, deleteText }
    static let conversationTable = KeyTable<ConversationAction>("conversation", title: "Conversation",
                                                                scope: "A thread, opened from the list, a search or a contact", [
        KeyBinding([.escape, .char("q"), .backspace], .back, "Back to the threads", group: "Conversation", name: "back", shadowsOuter: true),
        KeyBinding([.char("e")], .loadEarlier, "Load earlier messages", group: "Conversation", name: "load_earlier"),
        KeyBinding([.char("t")], .trace, "Trace the Auto-Send message in view: settings, every gate, the draft",
                   group: "Conversation", name: "trace"),
        KeyBinding([.char("D")], .deleteText, "Delete the text of the message opened from a search or a match (asks first)",
                   group: "Conversation", name: "delete_text", needs: .minimiseData),
    ])

    enum TraceAction: Sendable, Equatable { case back }
    static let traceTable = KeyTable<TraceAction>("autosend_trace", title: "Auto-Send trace",
                                                  scope: "The trace of a message, opened from a conversation", [
        KeyBinding([.escape, .char("q"), .backspace], .back, "Back to the conversation", group: "Trace", name: "back", shadowsOuter: true),
    ])

    /// The list's keys, then the filters', then movement: the order of dispatch and of help.
    enum ListKey: Sendable { case list(ListAction), filter(FilterKeys.Action), move(NavigationAction) }
    static func listKeys(_ keys: KeyBindings) -> KeyMap<ListKey> {
        listTable.resolved(keys, ListKey.list) + FilteredList<ThreadPage>.keys(keys).mapActions(ListKey.filter)
            + NavigationKeys.table.resolved(keys, ListKey.move)
    }

    enum ConversationKey: Sendable { case conversation(ConversationAction), scroll(NavigationAction) }
    static func conversationKeys(_ keys: KeyBindings) -> KeyMap<ConversationKey> {
        conversationTable.resolved(keys, ConversationKey.conversation) + NavigationKeys.table.resolved(keys, ConversationKey.scroll)
    }

    enum TraceKey: Sendable { case trace(TraceAction), scroll(NavigationAction) }
    static func traceKeys(_ keys: KeyBindings) -> KeyMap<TraceKey> {
        traceTable.resolved(keys, TraceKey.trace) + NavigationKeys.table.resolved(keys, TraceKey.scroll)
    }

    static var keyTables: [AnyKeyTable] { [listTable.erased, FilterKeys.table.erased, conversationTable.erased, traceTable.erased] }
    static var keyModes: [KeyModeDeclaration] {
        [KeyModeDeclaration("Message threads", .screen) { listKeys($0).erasedActions },
         KeyModeDeclaration("Conversation", .screen) { conversationKeys($0).erasedActions },
         KeyModeDeclaration("Auto-Send trace", .screen) { traceKeys($0).erasedActions }]
    }
}
