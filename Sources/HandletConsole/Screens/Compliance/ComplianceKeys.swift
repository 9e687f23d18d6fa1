import HandletDomain
import TerminalUI

extension ScreenID {
    static let compliance = ScreenID("compliance")
}

/// What the compliance centre opens for other screens: the centre, where the duties it fixes in
/// place (the lawful basis, the caller notice, the special-category matches) are fixed.
extension DestinationKind {
    static let complianceCentre = DestinationKind("compliance_centre")
}

extension ConsoleDestination {
    static func complianceCentre() -> ConsoleDestination { ConsoleDestination(.complianceCentre, ScreenID.compliance) }
}

/// The lawful basis and the caller notice: the centre re-reads when a change lands.
extension ChangeSubject {
    static let compliance = ChangeSubject("compliance")
}

/// The compliance centre's key tables: the duties and promises, and the special-category matches.
/// Their sections keep the names they had inside the Notices tab, so `keys.toml` files still apply.
extension ComplianceTab {
    enum CentreAction: Sendable, Equatable, CaseIterable { case open, basis, callerNotice, refresh, back }
    static let centreTable = KeyTable<CentreAction>("compliance", title: "Compliance centre",
                                                    scope: "Your duties under the DPA and the processor's promises", [
        KeyBinding([.enter], .open, "Go where the selected line is fixed", group: "Compliance", name: "open"),
        KeyBinding([.char("b")], .basis, "Record a lawful basis for a purpose", group: "Compliance", name: "lawful_basis",
                   needs: .changeComplianceSettings),
        KeyBinding([.char("n")], .callerNotice, "Set the caller notice", group: "Compliance", name: "caller_notice",
                   needs: .changeComplianceSettings),
        KeyBinding([.char("r")], .refresh, "Recompute", group: "Compliance", name: "refresh"),
        // DESIGN §8: Esc or q goes back to where the centre was opened from; `q` never quits from here.
        KeyBinding([.escape, .char("q"), .backspace], .back, "Back to where the centre was opened from", group: "Compliance",
                   name: "back", shadowsOuter: true),
    ])

    enum HitsAction: Sendable, Equatable { case open, delete, back }
    static let hitsTable = KeyTable<HitsAction>("special_category", title: "Special-category matches",
                                                scope: "Recent messages and calls matching the word list", [
        KeyBinding([.enter], .open, "Open the message or call", group: "Matches", name: "open"),
        KeyBinding([.char("d")], .delete, "Delete the message's text, or the call's summary and transcript", group: "Matches",
                   name: "delete_text", needs: .minimiseData),
        KeyBinding([.escape, .char("q"), .backspace], .back, "Back to the compliance centre", group: "Matches", name: "back",
                   shadowsOuter: true),
    ])

    enum CentreKey: Sendable { case centre(CentreAction), move(NavigationAction) }
    static func centreKeys(_ keys: KeyBindings) -> KeyMap<CentreKey> {
        centreTable.resolved(keys, CentreKey.centre) + NavigationKeys.table.resolved(keys, CentreKey.move)
    }
    enum HitsKey: Sendable { case hits(HitsAction), move(NavigationAction) }
    static func hitsKeys(_ keys: KeyBindings) -> KeyMap<HitsKey> {
        hitsTable.resolved(keys, HitsKey.hits) + NavigationKeys.table.resolved(keys, HitsKey.move)
    }

    static var keyTables: [AnyKeyTable] { [centreTable.erased, hitsTable.erased] }
    static var keyModes: [KeyModeDeclaration] {
        [KeyModeDeclaration("Compliance centre", .screen) { centreKeys($0).erasedActions },
         KeyModeDeclaration("Special-category matches", .screen) { hitsKeys($0).erasedActions }]
    }
}
