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
    /// Holds placed or released on the marked calls.
    static let legalHolds = ChangeSubject("legal_holds")
    /// The user's hidden columns saved for the next run.
    static let callsColumns = ChangeSubject("calls_columns")
}

/// The Calls tab's key tables: the list's, the call detail's, and how each state combines them.
extension CallsTab {
    enum ListAction: Sendable, Equatable { case open }
    static let listTable = KeyTable<ListAction>("calls", title: "Calls list", scope: "The Calls tab's list", [
        KeyBinding([.enter], .open, "Open the call", group: "Calls", name: "open"),
    ])

    /// Sorting, the columns shown, the preview, and marking.
    enum ColumnAction: Sendable, Equatable { case sort, nextColumn, previousColumn, hideColumn, showColumns, preview, mark }
    static let columnsTable = KeyTable<ColumnAction>("calls_columns", title: "Calls list: columns and marks",
                                                     scope: "The Calls tab's list", [
        KeyBinding([.char("s")], .sort, "Sort by the underlined column: ascending, descending, then off", group: "Calls", name: "sort"),
        KeyBinding([.char(" ")], .mark, "Mark or unmark the call and move down", group: "Calls", name: "mark"),
        KeyBinding([.char(">")], .nextColumn, "Underline the next column (what s sorts and c hides; also ← →)", group: "Columns",
                   name: "next_column"),
        KeyBinding([.char("<")], .previousColumn, "Underline the previous column", group: "Columns", name: "previous_column"),
        KeyBinding([.char("c")], .hideColumn, "Hide the underlined column", group: "Columns", name: "hide_column"),
        KeyBinding([.char("C")], .showColumns, "Show every column again", group: "Columns", name: "show_columns"),
        KeyBinding([.char("p")], .preview, "Show or hide the preview beside the list (160 columns and wider)", group: "Columns",
                   name: "preview"),
    ])

    /// What acts on the marked calls: only while some are marked.
    enum MarkAction: Sendable, Equatable { case clear, hold, release }
    static let marksTable = KeyTable<MarkAction>("calls_marks", title: "Calls list with marks",
                                                 scope: "The Calls tab's list while calls are marked (Space)", [
        KeyBinding([.escape], .clear, "Clear the marks", group: "Marks", name: "clear_marks", shadowsOuter: true),
        KeyBinding([.char("H")], .hold, "Place a legal hold on the marked calls' recordings (asks why, then asks)", group: "Marks",
                   name: "hold_marked", needs: .legalHold),
        KeyBinding([.char("U")], .release, "Release the legal hold on the marked calls' recordings (asks why, then asks)", group: "Marks",
                   name: "release_marked", needs: .legalHold),
    ])

    enum DetailAction: Sendable, Hashable { case back, hold, release, deleteText, copyNumber, copyID, copyTranscript, play, save, next, previous }
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
        KeyBinding([.char("]"), .char("J")], .next, "The next call in the list", group: "Call", name: "next_call", shadowsOuter: true),
        KeyBinding([.char("["), .char("K")], .previous, "The previous call in the list", group: "Call", name: "previous_call",
                   shadowsOuter: true),
    ])

    /// The list's keys, then the filters', the columns' and movement: the order of dispatch and of
    /// help. While calls are marked, the marks' keys come after the list's.
    enum ListKey: Sendable {
        case list(ListAction), filter(FilterKeys.Action), columns(ColumnAction), marks(MarkAction), move(NavigationAction)
    }
    static func listKeys(_ keys: KeyBindings, marked: Bool = false) -> KeyMap<ListKey> {
        var map = listTable.resolved(keys, ListKey.list)
        if marked { map = map + marksTable.resolved(keys, ListKey.marks) }
        return map + FilteredList<CallPage>.keys(keys).mapActions(ListKey.filter) + columnsTable.resolved(keys, ListKey.columns)
            + NavigationKeys.table.resolved(keys, ListKey.move)
    }

    enum DetailKey: Sendable { case detail(DetailAction), scroll(NavigationAction) }
    static func detailKeys(_ keys: KeyBindings) -> KeyMap<DetailKey> {
        detailTable.resolved(keys, DetailKey.detail) + NavigationKeys.table.resolved(keys, DetailKey.scroll)
    }

    static var keyTables: [AnyKeyTable] {
        [listTable.erased, FilterKeys.table.erased, columnsTable.erased, marksTable.erased, detailTable.erased]
    }
    static var keyModes: [KeyModeDeclaration] {
        [KeyModeDeclaration("Calls list", .screen) { listKeys($0).erasedActions },
         KeyModeDeclaration("Calls list with marks", .screen) { listKeys($0, marked: true).erasedActions },
         KeyModeDeclaration("Call detail", .screen) { detailKeys($0).erasedActions }]
    }
}
