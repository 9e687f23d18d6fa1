import HandletDomain
import TerminalUI

/// Where a tab can send the user in another tab (a search hit opens its call, the overview's
/// "missed calls" opens the calls list filtered).
public enum ConsoleDestination: Sendable, Equatable {
    case call(id: Call.ID, highlight: String?)
    /// The calls list with this filter.
    case calls(CallFilter)
    /// A conversation, scrolled to `messageId` when given.
    case thread(id: MessageThread.ID, highlight: String?, messageId: Message.ID?)
    case contact(id: Contact.ID)
    /// A tab by title, opened at its top level.
    case tab(String)
}

/// What a tab did with a key.
public enum TabResponse: Sendable, Equatable {
    case handled
    /// Not the tab's key: the shell tries its own bindings (so `q` at a tab's top level quits).
    case ignored
    case navigate(ConsoleDestination)
    /// A short message for the status bar (a refusal, "Saved").
    case flash(String, isError: Bool)
    /// The tab closed a detail view (Esc): the shell may return to where the user came from (search results).
    case back
}

/// A command a tab adds to the `:` palette.
public struct PaletteCommand: Sendable, Equatable {
    public var title: String
    /// Passed back to `ConsoleTab.perform` when chosen.
    public var identifier: String

    public init(_ title: String, identifier: String) {
        self.title = title
        self.identifier = identifier
    }
}

/// One tab of the console. Tabs are thin: they ask the domain and draw what it answers.
public protocol ConsoleTab {
    var title: String { get }
    /// The tab's own key table, for the `?` overlay (the shell adds its global keys).
    var helpEntries: [HelpEntry] { get }
    /// True while the tab edits text (a search box): every key goes to the tab, none to the shell.
    var capturesText: Bool { get }
    /// Left side of the status bar: where the user is in this tab.
    var status: String { get }
    var paletteCommands: [PaletteCommand] { get }
    /// What `/` searches from this tab (its records, with its filters).
    var searchScope: SearchScope { get }

    mutating func render(into grid: inout Grid, area: Rect)
    mutating func handle(_ key: Key) -> TabResponse
    /// Shown again after another tab: re-read what may have changed.
    mutating func activate()
    /// Opens a destination; false if this tab does not show such things.
    mutating func open(_ destination: ConsoleDestination) -> Bool
    /// A message from background work; true if the tab changed and should be redrawn.
    mutating func receive(_ message: any Sendable) -> Bool
    mutating func perform(_ commandIdentifier: String) -> TabResponse
}

public extension ConsoleTab {
    var capturesText: Bool { false }
    var paletteCommands: [PaletteCommand] { [] }
    var searchScope: SearchScope { .everything }
    mutating func activate() {}
    mutating func open(_ destination: ConsoleDestination) -> Bool {
        if case .tab(let title) = destination { return title == self.title }
        return false
    }
    mutating func receive(_ message: any Sendable) -> Bool { false }
    mutating func perform(_ commandIdentifier: String) -> TabResponse { .ignored }
}
