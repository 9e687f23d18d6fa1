import HandletDomain
import TerminalUI

extension ScreenID {
    static let overview = ScreenID("overview")
}

/// The Overview's one key table.
extension OverviewTab {
    enum Action: Sendable, Equatable { case move(NavigationAction), open, refresh }
    static let table = KeyTable<Action>("overview", title: "Overview", scope: "The first tab: the chart and what needs attention", [
        KeyBinding([.up, .char("k")], .move(.up), "Previous item", group: "Overview", name: "previous"),
        KeyBinding([.down, .char("j")], .move(.down), "Next item", group: "Overview", name: "next"),
        KeyBinding([.enter], .open, "Open the selected item", group: "Overview", name: "open"),
        KeyBinding([.char("r")], .refresh, "Refresh the figures", group: "Overview", name: "refresh"),
    ])

    static var keyTables: [AnyKeyTable] { [table.erased] }
    static var keyModes: [KeyModeDeclaration] { [KeyModeDeclaration("Overview", .screen, tables: [table.erased])] }
}
