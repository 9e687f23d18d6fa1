import HandletDomain
import TerminalUI

/// A screen's identity: what navigation, the palette and `keys.toml` sections refer to.
///
/// Each screen declares its own id in its folder (`extension ScreenID { static let calls = … }`),
/// so a new screen adds no case anywhere else; the type keeps ids from being confused with titles.
public struct ScreenID: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
}

/// One line of the Overview's "Needs attention" list, contributed by the screen that deals with it.
struct AttentionItem: Sendable {
    var label: String
    var count: Int
    /// Where Enter goes; nil when no screen deals with it yet.
    var destination: ConsoleDestination?
    var isWarning: Bool
    /// Shown instead of the count for a state rather than a number ("off").
    var state: String? = nil
}

/// A command of the `:` palette: its title, and what it does to the screen that declared it.
struct PaletteCommand: Sendable {
    let title: String
    let screen: ScreenID
    let run: @Sendable (inout any ConsoleTab) -> TabResponse
}

/// Everything the console knows about a screen without constructing it.
public struct ScreenDeclaration: Sendable {
    public let id: ScreenID
    public let title: String
    /// The short title the tab bar falls back to when the full titles do not fit ("Msgs").
    public let tabLabel: String
    /// The kinds of destination this screen opens (a call, a filtered calls list…).
    let shows: Set<ConsoleDestination.Kind>
    let palette: [PaletteCommand]
    /// Its part of the Overview's attention list.
    let attention: @Sendable (Overview) -> [AttentionItem]
    /// Its key tables, as the reference and `keys.toml` list them.
    let keyTables: [AnyKeyTable]
    /// Each of its states' combined tables, for the conflict check and rebinding.
    let keyModes: [KeyModeDeclaration]
    let make: @Sendable (ConsoleContext, ScreenRegistry) -> any ConsoleTab

    init(id: ScreenID, title: String, tabLabel: String, shows: Set<ConsoleDestination.Kind> = [], palette: [PaletteCommand] = [],
         attention: @escaping @Sendable (Overview) -> [AttentionItem] = { _ in [] }, keyTables: [AnyKeyTable] = [],
         keyModes: [KeyModeDeclaration] = [], make: @escaping @Sendable (ConsoleContext, ScreenRegistry) -> any ConsoleTab) {
        self.id = id
        self.title = title
        self.tabLabel = tabLabel
        self.shows = shows
        self.palette = palette
        self.attention = attention
        self.keyTables = keyTables
        self.keyModes = keyModes
        self.make = make
    }

    /// The declaration a screen type makes of itself.
    static func tab<S: RegisteredScreen>(_ type: S.Type) -> ScreenDeclaration {
        ScreenDeclaration(
            id: S.id, title: S.title, tabLabel: S.tabLabel, shows: S.shows,
            palette: S.palette.map { entry in
                let command = entry.command
                return PaletteCommand(title: entry.title, screen: S.id) { tab in
                    guard var screen = tab as? S else { return .ignored }
                    let response = screen.perform(command)
                    tab = screen
                    return response
                }
            },
            attention: { S.attention($0) }, keyTables: S.keyTables, keyModes: S.keyModes,
            make: { S.make(context: $0, screens: $1) })
    }
}

/// A screen that declares itself: its id, titles, what it opens, its palette commands, its part
/// of the Overview and its key tables, all static, so the registry needs one line per screen.
protocol RegisteredScreen: ConsoleTab, SendableMetatype {
    /// The screen's palette commands, as typed values handed back to `perform`.
    associatedtype Command: Sendable = Never
    static var id: ScreenID { get }
    static var title: String { get }
    static var tabLabel: String { get }
    static var shows: Set<ConsoleDestination.Kind> { get }
    static var palette: [(title: String, command: Command)] { get }
    static func attention(_ overview: Overview) -> [AttentionItem]
    static var keyTables: [AnyKeyTable] { get }
    static var keyModes: [KeyModeDeclaration] { get }
    static func make(context: ConsoleContext, screens: ScreenRegistry) -> Self
    mutating func perform(_ command: Command) -> TabResponse
}

extension RegisteredScreen {
    static var shows: Set<ConsoleDestination.Kind> { [] }
    static func attention(_ overview: Overview) -> [AttentionItem] { [] }
    var title: String { Self.title }
}

extension RegisteredScreen where Command == Never {
    static var palette: [(title: String, command: Command)] { [] }
    mutating func perform(_ command: Never) -> TabResponse {}
}

/// Every screen of the console, in tab order: the one place a screen is listed.
///
/// Adding a tab means a folder `Screens/<Name>/` with a type conforming to `RegisteredScreen`
/// (its id, titles, key tables, palette commands, destinations and attention items are declared
/// there) and one line below. Nothing else in the shell names a screen.
public struct ScreenRegistry: Sendable {
    public static let standard = ScreenRegistry([
        .tab(OverviewTab.self),
        .tab(CallsTab.self),
        .tab(MessagesTab.self),
        .tab(ContactsTab.self),
        .tab(RetentionTab.self),
        .tab(UsersTab.self),
        .tab(AuditTab.self),
    ])

    public let screens: [ScreenDeclaration]

    public init(_ screens: [ScreenDeclaration]) {
        precondition(!screens.isEmpty, "the console needs at least one screen")
        precondition(Set(screens.map(\.id)).count == screens.count, "two screens share an id")
        for kind in ConsoleDestination.Kind.allCases {
            precondition(screens.filter { $0.shows.contains(kind) }.count <= 1, "two screens open \(kind)")
        }
        self.screens = screens
    }

    func index(of id: ScreenID) -> Int? { screens.firstIndex { $0.id == id } }

    /// The screen that opens `destination`: the one named, or the one declaring its kind.
    func index(showing destination: ConsoleDestination) -> Int? {
        switch destination {
        case .screen(let id): return index(of: id)
        default: return destination.kind.flatMap { kind in screens.firstIndex { $0.shows.contains(kind) } }
        }
    }

    /// The attention items of every screen, in tab order.
    func attention(_ overview: Overview) -> [AttentionItem] { screens.flatMap { $0.attention(overview) } }

    var paletteCommands: [PaletteCommand] { screens.flatMap(\.palette) }
}
