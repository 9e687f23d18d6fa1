import HandletDomain
import TerminalUI

/// Keys the console handles itself, whatever the tab (after the tab declined them).
enum ConsoleAction: Sendable, Equatable {
    case quit, help, palette, search, nextTab, previousTab, goToTab, redraw, back, messages
}

/// The shell's key tables (the console's own, the help overlay's, dialogs'), and every table and
/// mode of the console put together: for the reference, `keys.toml` and the conflict check.
enum ConsoleKeys {
    /// The tabs' number keys, in tab order: a tab past the last one has no key (reach it with
    /// Tab, `]` or the palette's "Go to …").
    static let tabKeys: [Key] = (1...9).map { .char(Character(String($0))) } + [.char("0")]

    static let table = KeyTable<ConsoleAction>("console", title: "Console",
                                               scope: "Everywhere, for keys the screen and any open dialog leave alone", [
        KeyBinding([.char("q")], .quit, "Back; quit at a tab's top level", group: "Console", name: "quit"),
        KeyBinding([.char("?"), .function(1)], .help, "Help for this screen", group: "Console", name: "help"),
        KeyBinding([.char(":")], .palette, "Command palette", group: "Console", name: "palette"),
        // `/` on a list (Calls, Messages, Contacts) narrows that list instead: `F` searches everywhere.
        KeyBinding([.char("F"), .char("/")], .search, "Search summaries, transcripts and messages (/ on a list narrows it)",
                   group: "Console", name: "search"),
        KeyBinding([.tab, .char("]")], .nextTab, "Next tab", group: "Console", name: "next_tab"),
        KeyBinding([.backTab, .char("[")], .previousTab, "Previous tab", group: "Console", name: "previous_tab"),
        KeyBinding(tabKeys, .goToTab, "Go to that tab (0 is the tenth; : for the rest)", group: "Console",
                   name: "go_to_tab"),
        KeyBinding([.ctrl("l")], .redraw, "Redraw the screen", group: "Console", name: "redraw"),
        KeyBinding([.escape], .back, "Back to the screen this one was opened from", group: "Console", name: "back"),
        KeyBinding([.char("!")], .messages, "The last 50 status-bar messages, newest first", group: "Console", name: "messages"),
    ])

    /// What the app repaints on (it acts on the key before the screen sees it).
    static func redrawKeys(_ keys: KeyBindings) -> Set<Key> {
        Set(table.resolved(keys).bindings.filter { $0.action == .redraw }.flatMap(\.keys))
    }

    enum HelpAction: Sendable, Equatable { case close }
    static let helpTable = KeyTable<HelpAction>("help", title: "Help overlay", scope: "The `?` overlay, which scrolls with the moving keys", [
        KeyBinding([.escape, .char("q"), .char("?"), .function(1)], .close, "Close the help", group: "Help", name: "close"),
    ])

    /// Closing first, then scrolling: the order the overlay tries them.
    enum HelpKey: Sendable { case help(HelpAction), scroll(NavigationAction) }
    static func helpKeys(_ keys: KeyBindings) -> KeyMap<HelpKey> {
        helpTable.resolved(keys, HelpKey.help) + NavigationKeys.table.resolved(keys, HelpKey.scroll)
    }

    /// The yes/no dialog (a TerminalUI widget) under the console's name for it.
    static let confirmTable = KeyTable<ConfirmDialog.Command>("confirm", title: "Confirmation",
                                                              scope: "A yes/no question (shortening retention)",
                                                              ConfirmDialog.keys.bindings)

    static var consoleMode: KeyModeDeclaration { KeyModeDeclaration("Console", .modal, tables: [table.erased]) }

    /// Dialogs and overlays: each takes every key while open.
    static var modalModes: [KeyModeDeclaration] {
        [KeyModeDeclaration("Help overlay", .modal) { helpKeys($0).erasedActions },
         KeyModeDeclaration("Command palette", .modal, tables: [CommandPalette.table.erased, TextFieldKeys.table.erased]),
         KeyModeDeclaration("Search", .modal, tables: [SearchPanel.table.erased, TextFieldKeys.table.erased]),
         // On a date, the editor's ← → change the choice; the field has the other text keys.
         KeyModeDeclaration("Filter editor", .modal, tables: [FilterEditor.table.erased]),
         KeyModeDeclaration("Text prompt", .modal, tables: [TextPrompt.table.erased, TextFieldKeys.table.erased]),
         KeyModeDeclaration("Question with several answers", .modal, tables: [OptionDialog.table.erased]),
         KeyModeDeclaration("Confirmation", .modal, tables: [confirmTable.erased]),
         KeyModeDeclaration("Start-up panel", .modal, tables: [StartupPanel.table.erased])]
    }

    /// Every table, in the reference's order: the console's and movement, each screen's in tab
    /// order (a table shared by two screens once), then dialogs and overlays.
    static func tables(_ screens: ScreenRegistry) -> [AnyKeyTable] {
        let all = [table.erased, NavigationKeys.table.erased] + screens.screens.flatMap(\.keyTables)
            + [helpTable.erased, CommandPalette.table.erased, SearchPanel.table.erased, FilterEditor.table.erased,
               TextPrompt.table.erased, TextFieldKeys.table.erased, OptionDialog.table.erased, confirmTable.erased, StartupPanel.table.erased]
        var seen = Set<String>()
        return all.filter { seen.insert($0.section).inserted }
    }

    /// Every state of every screen and overlay.
    static func modes(_ screens: ScreenRegistry) -> [KeyModeDeclaration] {
        screens.screens.flatMap(\.keyModes) + modalModes
    }

    static func conflicts(_ screens: ScreenRegistry, keys: KeyBindings = .defaults) -> [KeyConflict] {
        KeyConflicts.find(modes: modes(screens), console: consoleMode, keys: keys)
    }
}
