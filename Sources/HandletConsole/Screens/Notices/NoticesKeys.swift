import HandletDomain
import TerminalUI

extension ScreenID {
    static let notices = ScreenID("notices")
}

/// Answers to notices: the list and the reader re-read when one lands.
/// What the Notices tab opens for other screens: one notice, in the reader (by its row id).
extension DestinationKind {
    static let notice = DestinationKind("notice")
}

extension ConsoleDestination {
    static func notice(id: Int64) -> ConsoleDestination { ConsoleDestination(.notice, id) }
}

extension ChangeSubject {
    static let notices = ChangeSubject("notices")
}

/// The Notices tab's key tables: the list's, the reader's and the diff's; each state combines one
/// with movement.
extension NoticesTab {
    enum ListAction: Sendable, Equatable { case open, diff, acknowledge, object, compliance, refresh }
    static let listTable = KeyTable<ListAction>("notices", title: "Notices list", scope: "The Notices tab's list", [
        KeyBinding([.enter], .open, "Read the notice", group: "Notices", name: "open"),
        KeyBinding([.char("d")], .diff, "Compare with the previous version", group: "Notices", name: "diff"),
        KeyBinding([.char("a")], .acknowledge, "Acknowledge this version (asks first)", group: "Notices", name: "acknowledge",
                   needs: .acknowledgeNotice),
        KeyBinding([.char("o")], .object, "Object to a subprocessor change (asks why)", group: "Notices", name: "object",
                   needs: .objectToSubprocessor),
        KeyBinding([.char("c")], .compliance, "Compliance centre: your duties and the processor's promises", group: "Notices",
                   name: "compliance"),
        KeyBinding([.char("r")], .refresh, "Refresh", group: "Notices", name: "refresh"),
    ])

    enum ReaderAction: Sendable, Equatable { case back, diff, acknowledge, object }
    static let readerTable = KeyTable<ReaderAction>("notice", title: "Notice reader", scope: "One notice, opened from the list", [
        KeyBinding([.escape, .char("q"), .backspace], .back, "Back to the list", group: "Notice", name: "back", shadowsOuter: true),
        KeyBinding([.char("d")], .diff, "Compare with the previous version", group: "Notice", name: "diff"),
        KeyBinding([.char("a")], .acknowledge, "Acknowledge this version (asks first)", group: "Notice", name: "acknowledge",
                   needs: .acknowledgeNotice),
        KeyBinding([.char("o")], .object, "Object to this subprocessor change (asks why)", group: "Notice", name: "object",
                   needs: .objectToSubprocessor),
    ])

    enum DiffAction: Sendable, Equatable { case back }
    static let diffTable = KeyTable<DiffAction>("notice_diff", title: "Notice diff", scope: "Two versions of a notice, line by line", [
        KeyBinding([.escape, .char("q"), .backspace], .back, "Back", group: "Diff", name: "back", shadowsOuter: true),
    ])

    enum ListKey: Sendable { case list(ListAction), move(NavigationAction) }
    static func listKeys(_ keys: KeyBindings) -> KeyMap<ListKey> {
        listTable.resolved(keys, ListKey.list) + NavigationKeys.table.resolved(keys, ListKey.move)
    }
    enum ReaderKey: Sendable { case reader(ReaderAction), scroll(NavigationAction) }
    static func readerKeys(_ keys: KeyBindings) -> KeyMap<ReaderKey> {
        readerTable.resolved(keys, ReaderKey.reader) + NavigationKeys.table.resolved(keys, ReaderKey.scroll)
    }
    enum DiffKey: Sendable { case diff(DiffAction), scroll(NavigationAction) }
    static func diffKeys(_ keys: KeyBindings) -> KeyMap<DiffKey> {
        diffTable.resolved(keys, DiffKey.diff) + NavigationKeys.table.resolved(keys, DiffKey.scroll)
    }
    static var keyTables: [AnyKeyTable] {
        [listTable.erased, readerTable.erased, diffTable.erased]
    }
    static var keyModes: [KeyModeDeclaration] {
        [KeyModeDeclaration("Notices list", .screen) { listKeys($0).erasedActions },
         KeyModeDeclaration("Notice reader", .screen) { readerKeys($0).erasedActions },
         KeyModeDeclaration("Notice diff", .screen) { diffKeys($0).erasedActions }]
    }
}
