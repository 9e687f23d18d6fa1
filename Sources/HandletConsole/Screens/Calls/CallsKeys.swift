import HandletDomain
import TerminalUI

extension ScreenID {
    static let calls = ScreenID("calls")
}

/// What the Calls tab opens for other screens: a call (scrolled to a search hit), and the list filtered.
extension DestinationKind {
    static let call = DestinationKind("call")
    static let calls = DestinationKind("calls")
}

extension ConsoleDestination {
    struct CallToOpen: Hashable, Sendable {
        var id: Call.ID
        var highlight: String?
    }

    static func call(id: Call.ID, highlight: String?) -> ConsoleDestination { ConsoleDestination(.call, CallToOpen(id: id, highlight: highlight)) }
    static func calls(_ filter: CallFilter) -> ConsoleDestination { ConsoleDestination(.calls, filter, opensList: true) }
}

/// A legal hold placed or released on a call: the call's detail re-reads when it lands.
extension ChangeSubject {
    static func legalHold(_ id: Call.ID) -> ChangeSubject { ChangeSubject("legal_hold", record: id) }
    /// A call's summary and transcript deleted: its detail re-reads when it lands.
    static func callText(_ id: Call.ID) -> ChangeSubject { ChangeSubject("call_text", record: id) }
}

/// The Calls tab's key tables: the list's, the call detail's, and how each state combines them.
extension CallsTab {
    enum ListAction: Sendable, Equatable { case open }
    static let listTable = KeyTable<ListAction>("calls", title: "Calls list", scope: "The Calls tab's list", [
        KeyBinding([.enter], .open, "Open the call", group: "Calls", name: "open"),
    ])

    enum DetailAction: Sendable, Hashable { case back, hold, release, deleteText, copyNumber, copyID, copyTranscript, play, save }
    static let detailTable = KeyTable<DetailAction>("call", title: "Call detail", scope: "A call, opened from the list, a search or a contact", [
        KeyBinding([.escape, .char("q"), .backspace], .back, "Back to the list", group: "Call", name: "back", shadowsOuter: true),
        KeyBinding([.char("H")], .hold, "Place a legal hold (asks why)", group: "Call", name: "hold",
                   needs: .legalHold),
        KeyBinding([.char("U")], .release, "Release the legal hold (asks why, then confirms)", group: "Call", name: "release",
                   needs: .legalHold),
        KeyBinding([.char("D")], .deleteText, "Delete the summary and transcript (asks first)", group: "Call", name: "delete_text",
                   needs: .minimiseData),
        KeyBinding([.char("y")], .copyNumber, "Copy the other party's number", group: "Call", name: "copy_number"),
        KeyBinding([.char("I")], .copyID, "Copy the call's external id", group: "Call", name: "copy_id"),
        KeyBinding([.char("T")], .copyTranscript, "Copy the transcript", group: "Call", name: "copy_transcript"),
        KeyBinding([.char("P")], .play, "Play the recording in the background (again to stop)", group: "Call", name: "play",
                   needs: .exportRecording),
        KeyBinding([.char("S")], .save, "Save the recording to a file (asks where)", group: "Call", name: "save", needs: .exportRecording),
    ])

    /// The list's keys, then the filters', then movement: the order of dispatch and of help.
    enum ListKey: Sendable { case list(ListAction), filter(FilterKeys.Action), move(NavigationAction) }
    static func listKeys(_ keys: KeyBindings) -> KeyMap<ListKey> {
        listTable.resolved(keys, ListKey.list) + FilteredList<CallPage>.keys(keys).mapActions(ListKey.filter)
            + NavigationKeys.table.resolved(keys, ListKey.move)
    }

    enum DetailKey: Sendable { case detail(DetailAction), scroll(NavigationAction) }
    static func detailKeys(_ keys: KeyBindings) -> KeyMap<DetailKey> {
        detailTable.resolved(keys, DetailKey.detail) + NavigationKeys.table.resolved(keys, DetailKey.scroll)
    }

    static var keyTables: [AnyKeyTable] { [listTable.erased, FilterKeys.table.erased, detailTable.erased] }
    static var keyModes: [KeyModeDeclaration] {
        [KeyModeDeclaration("Calls list", .screen) { listKeys($0).erasedActions },
         KeyModeDeclaration("Call detail", .screen) { detailKeys($0).erasedActions }]
    }
}
