import HandletDomain
import TerminalUI

/// Where a screen can send the user on another screen (a search hit opens its call, the overview's
/// "missed calls" opens the calls list filtered). The registry decides which screen opens each kind.
public enum ConsoleDestination: Sendable, Equatable {
    case call(id: Call.ID, highlight: String?)
    /// The calls list with this filter.
    case calls(CallFilter)
    /// A conversation, scrolled to `messageId` when given.
    case thread(id: MessageThread.ID, highlight: String?, messageId: Message.ID?)
    case contact(id: Contact.ID)
    /// A screen by id, opened as it was left.
    case screen(ScreenID)

    /// The kinds a screen declares it opens (`ScreenDeclaration.shows`).
    public enum Kind: Sendable, Hashable, CaseIterable { case call, calls, thread, contact }

    public var kind: Kind? {
        switch self {
        case .call: .call
        case .calls: .calls
        case .thread: .thread
        case .contact: .contact
        case .screen: nil
        }
    }
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
    /// Put `text` on the clipboard (OSC 52); `what` names it in the confirmation ("the number").
    case copy(String, what: String)
}

/// One tab of the console. Tabs are thin: they ask the domain and draw what it answers. What the
/// shell needs to know about a tab before it exists is in its `ScreenDeclaration`.
public protocol ConsoleTab {
    var title: String { get }
    /// The tab's keys in its current state, for the `?` overlay (the shell adds its global keys):
    /// the same table, in the same order, that `handle` dispatches from.
    var helpEntries: [HelpEntry] { get }
    /// True while the tab edits text (a search box): every key goes to the tab, none to the shell.
    var capturesText: Bool { get }
    /// Left side of the status bar: where the user is in this tab.
    var status: String { get }
    /// What `/` searches from this tab (its records, with its filters).
    var searchScope: SearchScope { get }
    /// Where the user is, as one step of the breadcrumb (the tab's title, or the record open in it).
    var crumb: String { get }

    /// The tab's area: the shell calls it before the tab is first drawn, on every resize, and after
    /// every event, so a list knows its page height (and reads what fills it) and a scroll is
    /// clamped before anything is drawn. Cheap when nothing changed.
    mutating func layout(_ size: Size)
    /// Draws what the tab loaded: reads nothing and changes nothing.
    func render(into grid: inout Grid, area: Rect)
    mutating func handle(_ key: Key) -> TabResponse
    /// Shown again after another tab: re-read what may have changed.
    mutating func activate()
    /// Opens a destination the registry routed here; false if it cannot (the record is gone).
    mutating func open(_ destination: ConsoleDestination) -> Bool
    /// A message from background work; true if the tab changed and should be redrawn.
    mutating func receive(_ message: any Sendable) -> Bool
}

public extension ConsoleTab {
    var capturesText: Bool { false }
    var searchScope: SearchScope { .everything }
    var crumb: String { title }
    mutating func activate() {}
    mutating func layout(_ size: Size) {}
    mutating func open(_ destination: ConsoleDestination) -> Bool {
        if case .screen = destination { return true }
        return false
    }
    mutating func receive(_ message: any Sendable) -> Bool { false }
}
