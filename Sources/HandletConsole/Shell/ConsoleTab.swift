import HandletDomain
import TerminalUI

/// What kind of place a destination is (a call, a filtered calls list…). Open: the screen that
/// opens a kind declares it in its folder (`extension DestinationKind { static let call = … }`),
/// so a new screen adds no case anywhere else; the registry routes each kind to that screen.
public struct DestinationKind: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
}

/// Where a screen can send the user on another screen (a search hit opens its call, the overview's
/// "missed calls" opens the calls list filtered): a kind, and what the screen opening it needs
/// (a value its owner declares beside the kind). The registry decides which screen opens each kind.
public struct ConsoleDestination: Sendable, Equatable, CustomStringConvertible {
    /// Nil for `screen(_:)`: a screen by id, opened as it was left.
    public let kind: DestinationKind?
    /// The screen, for `screen(_:)`.
    public let screen: ScreenID?
    /// A list rather than a record (the missed calls): Esc leaves it from its top, not at once.
    public let opensList: Bool
    /// What the opening screen reads back with `value(_:)`.
    private let payload: any Hashable & Sendable

    public init<Value: Hashable & Sendable>(_ kind: DestinationKind, _ value: Value, opensList: Bool = false) {
        self.kind = kind
        screen = nil
        self.opensList = opensList
        payload = value
    }

    private init(screen: ScreenID) {
        kind = nil
        self.screen = screen
        opensList = false
        payload = screen
    }

    /// A screen by id, opened as it was left.
    public static func screen(_ id: ScreenID) -> ConsoleDestination { ConsoleDestination(screen: id) }

    /// The value the destination carries, when it is of `kind` and holds a `Value`.
    public func value<Value>(_ kind: DestinationKind, as type: Value.Type = Value.self) -> Value? {
        self.kind == kind ? payload as? Value : nil
    }

    public static func == (lhs: ConsoleDestination, rhs: ConsoleDestination) -> Bool {
        lhs.kind == rhs.kind && lhs.screen == rhs.screen && AnyHashable(lhs.payload) == AnyHashable(rhs.payload)
    }

    public var description: String { kind.map { "\($0)(\(payload))" } ?? "screen(\(screen!))" }
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
    /// The keys have settled (see `Screen.idle`): deferred reads; true if the tab should be redrawn.
    mutating func idle() -> Bool
    /// What quitting now would cut short (an erasure running), asked about before the console
    /// quits; nil when nothing would be.
    var quitWarning: String? { get }
}

public extension ConsoleTab {
    var capturesText: Bool { false }
    var searchScope: SearchScope { .everything }
    var crumb: String { title }
    mutating func activate() {}
    mutating func layout(_ size: Size) {}
    mutating func open(_ destination: ConsoleDestination) -> Bool { destination.kind == nil }
    mutating func receive(_ message: any Sendable) -> Bool { false }
    mutating func idle() -> Bool { false }
    var quitWarning: String? { nil }
}
