import HandletDomain
import TerminalUI

extension ScreenID {
    static let retention = ScreenID("retention")
}

/// Recording settings and retention: the tab re-reads them when a change lands.
extension ChangeSubject {
    static let retention = ChangeSubject("retention")
}

/// The Retention tab's key tables: the settings form's, and the custom days field's.
extension RetentionTab {
    enum Action: Sendable, Equatable { case previousField, nextField, shorter, longer, apply, refresh }
    static let table = KeyTable<Action>("retention", title: "Retention", scope: "The Retention tab's settings", [
        KeyBinding([.up, .char("k")], .previousField, "Previous setting", group: "Retention", name: "previous_field"),
        KeyBinding([.down, .char("j")], .nextField, "Next setting", group: "Retention", name: "next_field"),
        KeyBinding([.left, .char("h")], .shorter, "Shorter preset period (on the Period row)", group: "Retention", name: "previous_period"),
        KeyBinding([.right, .char("l")], .longer, "Longer preset period, then Custom (on the Period row)", group: "Retention",
                   name: "next_period"),
        KeyBinding([.enter, .char(" ")], .apply, "Turn recording on/off; save the period shown", group: "Retention", name: "apply",
                   needs: .changeRetention),
        KeyBinding([.char("r")], .refresh, "Refresh", group: "Retention", name: "refresh"),
    ])

    enum DaysAction: Sendable, Equatable { case save, leave }
    /// The custom days field takes digits; these are its other keys.
    static let daysTable = KeyTable<DaysAction>("retention_days", title: "Retention: custom days", typesText: true,
                                                scope: "The custom number of days; digits type into it", [
        KeyBinding([.enter], .save, "Save the period", group: "Custom days", name: "save", needs: .changeRetention),
        KeyBinding([.escape, .up], .leave, "Back to the period", group: "Custom days", name: "leave", shadowsOuter: true),
    ])

    static var keyTables: [AnyKeyTable] { [table.erased, daysTable.erased] }
    static var keyModes: [KeyModeDeclaration] {
        [KeyModeDeclaration("Retention", .screen, tables: [table.erased]),
         KeyModeDeclaration("Retention: custom days", .modal, tables: [daysTable.erased])]
    }
}
