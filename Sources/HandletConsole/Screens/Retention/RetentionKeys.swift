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
    enum Action: Sendable, Equatable { case previousField, nextField, shorter, longer, apply, textPeriods, refresh }
    static let table = KeyTable<Action>("retention", title: "Retention", scope: "The Retention tab's settings", [
        KeyBinding([.up, .char("k")], .previousField, "Previous setting", group: "Retention", name: "previous_field"),
        KeyBinding([.down, .char("j")], .nextField, "Next setting", group: "Retention", name: "next_field"),
        KeyBinding([.left, .char("h")], .shorter, "Shorter preset period (on the Period row)", group: "Retention", name: "previous_period"),
        KeyBinding([.right, .char("l")], .longer, "Longer preset period, then Custom (on the Period row)", group: "Retention",
                   name: "next_period"),
        KeyBinding([.enter, .char(" ")], .apply, "Turn recording on/off; save the period shown", group: "Retention", name: "apply",
                   needs: .changeRetention),
        KeyBinding([.char("t")], .textPeriods, "Edit how long call and message text is kept", group: "Retention", name: "text_periods"),
        KeyBinding([.char("r")], .refresh, "Refresh", group: "Retention", name: "refresh"),
    ])

    enum DaysAction: Sendable, Equatable { case save, leave }
    /// The custom days field takes digits; these are its other keys.
    static let daysTable = KeyTable<DaysAction>("retention_days", title: "Retention: custom days", typesText: true,
                                                scope: "The custom number of days; digits type into it", [
        KeyBinding([.enter], .save, "Save the period", group: "Custom days", name: "save", needs: .changeRetention),
        KeyBinding([.escape, .up], .leave, "Back to the period", group: "Custom days", name: "leave", shadowsOuter: true),
    ])

    enum TextDaysAction: Sendable, Equatable { case save, previous, next, leave }
    /// The text periods' fields (call text, message text) take digits; empty means off.
    static let textDaysTable = KeyTable<TextDaysAction>("retention_text_days", title: "Retention: text periods", typesText: true,
                                                        scope: "How long call and message text is kept; digits type, empty is off", [
        KeyBinding([.enter], .save, "Save this text period (empty: off)", group: "Text periods", name: "save",
                   needs: .changeRetention),
        KeyBinding([.up], .previous, "Previous text period, then back to the period", group: "Text periods", name: "previous",
                   shadowsOuter: true),
        KeyBinding([.down], .next, "Next text period", group: "Text periods", name: "next", shadowsOuter: true),
        KeyBinding([.escape], .leave, "Back to the period", group: "Text periods", name: "leave", shadowsOuter: true),
    ])

    enum HoldAction: Sendable, Equatable { case previous, next, open, release, leave }
    /// The recordings on legal hold, once one is selected (Down from the period, or from the text periods).
    static let holdsTable = KeyTable<HoldAction>("retention_holds", title: "Retention: legal holds",
                                                 scope: "The recordings on legal hold, one selected", [
        KeyBinding([.up, .char("k")], .previous, "Previous hold, then back to the settings", group: "Legal holds", name: "previous"),
        KeyBinding([.down, .char("j")], .next, "Next hold", group: "Legal holds", name: "next"),
        KeyBinding([.enter], .open, "Open the held call", group: "Legal holds", name: "open"),
        KeyBinding([.char("U")], .release, "Release the hold (asks why, then confirms)", group: "Legal holds", name: "release",
                   needs: .legalHold),
        KeyBinding([.escape], .leave, "Back to the settings", group: "Legal holds", name: "leave", shadowsOuter: true),
    ])

    static var keyTables: [AnyKeyTable] { [table.erased, daysTable.erased, textDaysTable.erased, holdsTable.erased] }
    static var keyModes: [KeyModeDeclaration] {
        [KeyModeDeclaration("Retention", .screen, tables: [table.erased]),
         KeyModeDeclaration("Retention: custom days", .modal, tables: [daysTable.erased]),
         KeyModeDeclaration("Retention: text periods", .modal, tables: [textDaysTable.erased]),
         KeyModeDeclaration("Retention: legal holds", .screen, tables: [holdsTable.erased])]
    }
}
