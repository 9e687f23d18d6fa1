import HandletDomain
import TerminalUI

extension ScreenID {
    static let notices = ScreenID("notices")
}

/// The Notices tab's key tables: the list's, the reader's, the diff's, the compliance centre's
/// and its special-category matches'; each state combines one with movement.
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

    enum ComplianceAction: Sendable, Equatable { case open, basis, callerNotice, back, refresh }
    static let complianceTable = KeyTable<ComplianceAction>("compliance", title: "Compliance centre",
                                                            scope: "Your duties under the DPA and the processor's promises", [
        KeyBinding([.enter], .open, "Go where the selected line is fixed", group: "Compliance", name: "open"),
        KeyBinding([.char("b")], .basis, "Record a lawful basis for a purpose", group: "Compliance", name: "lawful_basis",
                   needs: .changeComplianceSettings),
        KeyBinding([.char("n")], .callerNotice, "Set the caller notice", group: "Compliance", name: "caller_notice",
                   needs: .changeComplianceSettings),
        KeyBinding([.escape, .char("q"), .backspace], .back, "Back to the notices", group: "Compliance", name: "back",
                   shadowsOuter: true),
        KeyBinding([.char("r")], .refresh, "Recompute", group: "Compliance", name: "refresh"),
    ])

    enum HitsAction: Sendable, Equatable { case open, back }
    static let hitsTable = KeyTable<HitsAction>("special_category", title: "Special-category matches",
                                                scope: "Recent messages and calls matching the word list", [
        KeyBinding([.enter], .open, "Open the message or call", group: "Matches", name: "open"),
        KeyBinding([.escape, .char("q"), .backspace], .back, "Back to the compliance centre", group: "Matches", name: "back",
                   shadowsOuter: true),
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
    enum ComplianceKey: Sendable { case compliance(ComplianceAction), move(NavigationAction) }
    static func complianceKeys(_ keys: KeyBindings) -> KeyMap<ComplianceKey> {
        complianceTable.resolved(keys, ComplianceKey.compliance) + NavigationKeys.table.resolved(keys, ComplianceKey.move)
    }
    enum HitsKey: Sendable { case hits(HitsAction), move(NavigationAction) }
    static func hitsKeys(_ keys: KeyBindings) -> KeyMap<HitsKey> {
        hitsTable.resolved(keys, HitsKey.hits) + NavigationKeys.table.resolved(keys, HitsKey.move)
    }

    static var keyTables: [AnyKeyTable] {
        [listTable.erased, readerTable.erased, diffTable.erased, complianceTable.erased, hitsTable.erased]
    }
    static var keyModes: [KeyModeDeclaration] {
        [KeyModeDeclaration("Notices list", .screen) { listKeys($0).erasedActions },
         KeyModeDeclaration("Notice reader", .screen) { readerKeys($0).erasedActions },
         KeyModeDeclaration("Notice diff", .screen) { diffKeys($0).erasedActions },
         KeyModeDeclaration("Compliance centre", .screen) { complianceKeys($0).erasedActions },
         KeyModeDeclaration("Special-category matches", .screen) { hitsKeys($0).erasedActions }]
    }
}
