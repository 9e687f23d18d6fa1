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
    /// Lines under the item, one per thing behind the count (each notice needing an answer).
    var details: [String] = []
}

/// A compliance duty a screen fixes, declared by that screen: the compliance centre asks the
/// registry where each duty is fixed and sends the user there.
struct DutyFix: Sendable {
    let duty: ComplianceReport.Duty
    /// What going there lets the user do, for the centre's hint ("review who has access").
    let does: String
    let destination: ConsoleDestination

    init(_ duty: ComplianceReport.Duty, does: String, at destination: ConsoleDestination) {
        self.duty = duty
        self.does = does
        self.destination = destination
    }
}

/// A `:` command that takes what follows its words (`:hold REASON`, `:period 45`), declared by
/// the screen that runs it. Either it answers the prompt one of the screen's keys opens (named by
/// its key table's action name, so the user's bindings, the key's refusal and its dimming all
/// apply, and a question the change asks is still asked), or it parses the text into one of the
/// screen's palette commands.
struct PaletteArgument<Command: Sendable>: Sendable {
    enum Run: Sendable {
        /// Press the key bound to this action in the screen's current state, then type the text
        /// into the prompt it opened and save it.
        case answer(action: String)
        /// The screen's command for the text, or why the text is not one (one line).
        case command(@Sendable (String) -> Result<Command, PaletteArgumentError>)
    }

    let words: String
    let placeholder: String
    let about: String
    let run: Run

    init(_ words: String, _ placeholder: String, _ about: String, _ run: Run) {
        self.words = words
        self.placeholder = placeholder
        self.about = about
        self.run = run
    }
}

/// Text a palette command could not take ("45x is not a number of days").
struct PaletteArgumentError: Error, Sendable, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A screen's argument command, erased: what the palette lists and the shell runs.
struct ArgumentDeclaration: Sendable {
    let screen: ScreenID
    let words: String
    let usage: String
    /// The key action it answers, for `.answer`.
    let answers: String?
    /// For `.command`: runs the text on the screen, or says why the text is no command.
    let run: (@Sendable (String, inout any ConsoleTab) -> TabResponse)?
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
    /// False for a screen reached from another rather than from the tab bar (the compliance
    /// centre, from Notices): it has no tab or number key; the palette's "Go to" still lists it.
    public let isTab: Bool
    /// The kinds of destination this screen opens (a call, a filtered calls list…).
    let shows: Set<DestinationKind>
    let palette: [PaletteCommand]
    /// Its `:` commands that take an argument.
    let arguments: [ArgumentDeclaration]
    /// Its part of the Overview's attention list.
    let attention: @Sendable (Overview) -> [AttentionItem]
    /// The compliance duties it fixes.
    let fixes: [DutyFix]
    /// Its key tables, as the reference and `keys.toml` list them. Made when asked: naming every
    /// action (`String(describing:)`, reflection) cost the console's start 59M instructions, and
    /// only the reference, a rebinding check and the help ask.
    var keyTables: [AnyKeyTable] { makeKeyTables() }
    private let makeKeyTables: @Sendable () -> [AnyKeyTable]
    /// Each of its states' combined tables, for the conflict check and rebinding. Made when asked,
    /// like `keyTables`: a `keys.toml` and the conflict check ask, an ordinary start does not (the
    /// tables' names cost 19.5M instructions at start, issue 26).
    var keyModes: [KeyModeDeclaration] { makeKeyModes() }
    private let makeKeyModes: @Sendable () -> [KeyModeDeclaration]
    /// What its list's `/` filter line narrows by; nil when it has none (`ListFilterLine`).
    let narrows: ListNarrowing?
    /// What it shows once at start-up, if anything needs saying (read when the console opens).
    let startupPanel: @Sendable (ConsoleContext) -> StartupPanel?
    let make: @Sendable (ConsoleContext, ScreenRegistry) -> any ConsoleTab

    init(id: ScreenID, title: String, tabLabel: String, isTab: Bool = true, shows: Set<DestinationKind> = [], palette: [PaletteCommand] = [],
         arguments: [ArgumentDeclaration] = [],
         attention: @escaping @Sendable (Overview) -> [AttentionItem] = { _ in [] }, fixes: [DutyFix] = [],
         keyTables: @escaping @Sendable @autoclosure () -> [AnyKeyTable] = [],
         keyModes: @escaping @Sendable @autoclosure () -> [KeyModeDeclaration] = [], narrows: ListNarrowing? = nil, startupPanel: @escaping @Sendable (ConsoleContext) -> StartupPanel? = { _ in nil },
         make: @escaping @Sendable (ConsoleContext, ScreenRegistry) -> any ConsoleTab) {
        self.id = id
        self.title = title
        self.tabLabel = tabLabel
        self.isTab = isTab
        self.shows = shows
        self.palette = palette
        self.arguments = arguments
        self.attention = attention
        self.fixes = fixes
        self.makeKeyTables = keyTables
        self.makeKeyModes = keyModes
        self.narrows = narrows
        self.startupPanel = startupPanel
        self.make = make
    }

    /// The declaration a screen type makes of itself.
    static func tab<S: RegisteredScreen>(_ type: S.Type) -> ScreenDeclaration {
        ScreenDeclaration(
            id: S.id, title: S.title, tabLabel: S.tabLabel, isTab: S.isTab, shows: S.shows,
            palette: S.palette.map { entry in
                let command = entry.command
                return PaletteCommand(title: entry.title, screen: S.id) { tab in
                    guard var screen = tab as? S else { return .ignored }
                    let response = screen.perform(command)
                    tab = screen
                    return response
                }
            },
            arguments: S.paletteArguments.map { argument in
                let usage = "\(argument.words) \(argument.placeholder) — \(argument.about)"
                switch argument.run {
                case .answer(let action):
                    return ArgumentDeclaration(screen: S.id, words: argument.words, usage: usage, answers: action, run: nil)
                case .command(let parse):
                    return ArgumentDeclaration(screen: S.id, words: argument.words, usage: usage, answers: nil) { text, tab in
                        guard var screen = tab as? S else { return .ignored }
                        switch parse(text) {
                        case .failure(let problem): return .flash(problem.description, isError: true)
                        case .success(let command):
                            let response = screen.perform(command)
                            tab = screen
                            return response
                        }
                    }
                }
            },
            attention: { S.attention($0) }, fixes: S.fixes,
            // A list with a filter line has its keys and its state, declared here once for all.
            keyTables: S.keyTables + (S.narrows == nil ? [] : [ListFilterLine.table.erased]),
            keyModes: S.keyModes + (S.narrows == nil ? [] : [ListFilterLine.mode]), narrows: S.narrows,
            startupPanel: { S.startupPanel($0) },
            make: { S.make(context: $0, screens: $1) })
    }
}

/// A screen that declares itself: its id, titles, what it opens, its palette commands, its part
/// of the Overview, the compliance duties it fixes and its key tables, all static, so the
/// registry needs one line per screen. (The change subjects it reports are declared beside its
/// id, as `ChangeSubject` constants: only the screen itself reads them back.)
protocol RegisteredScreen: ConsoleTab, SendableMetatype {
    /// The screen's palette commands, as typed values handed back to `perform`.
    associatedtype Command: Sendable = Never
    static var id: ScreenID { get }
    static var title: String { get }
    static var tabLabel: String { get }
    static var isTab: Bool { get }
    static var shows: Set<DestinationKind> { get }
    static var palette: [(title: String, command: Command)] { get }
    /// Its `:` commands that take an argument (`:hold REASON`).
    static var paletteArguments: [PaletteArgument<Command>] { get }
    static func attention(_ overview: Overview) -> [AttentionItem]
    static var fixes: [DutyFix] { get }
    static var keyTables: [AnyKeyTable] { get }
    static var keyModes: [KeyModeDeclaration] { get }
    /// Set by a list screen that narrows as the user types (`/`, `ListFilterLine`).
    static var narrows: ListNarrowing? { get }
    /// A panel for the console's start-up (nil: nothing to say).
    static func startupPanel(_ context: ConsoleContext) -> StartupPanel?
    static func make(context: ConsoleContext, screens: ScreenRegistry) -> Self
    mutating func perform(_ command: Command) -> TabResponse
}

extension RegisteredScreen {
    static var paletteArguments: [PaletteArgument<Command>] { [] }
    static var isTab: Bool { true }
    static var shows: Set<DestinationKind> { [] }
    static func attention(_ overview: Overview) -> [AttentionItem] { [] }
    static var fixes: [DutyFix] { [] }
    static func startupPanel(_ context: ConsoleContext) -> StartupPanel? { nil }
    static var narrows: ListNarrowing? { nil }
    var title: String { Self.title }
}

extension RegisteredScreen where Command == Never {
    static var palette: [(title: String, command: Command)] { [] }
    mutating func perform(_ command: Never) -> TabResponse {}
}

/// Every screen of the console, in tab order: the one place a screen is listed.
///
/// Adding a tab means a folder `Screens/<Name>/` with a type conforming to `RegisteredScreen`
/// (its id, titles, key tables, palette commands, destinations, attention items, the duties it
/// fixes and its change subjects are declared there) and one line below. Nothing else in the
/// shell, no other screen and nothing in the domain names a screen (`ScreenBoundaryTests`).
public struct ScreenRegistry: Sendable {
    public static let standard = ScreenRegistry([
        .tab(OverviewTab.self),
        .tab(CallsTab.self),
        .tab(MessagesTab.self),
        .tab(ContactsTab.self),
        .tab(RetentionTab.self),
        .tab(AutoSendTab.self),
        .tab(UsersTab.self),
        .tab(AuditTab.self),
        .tab(NoticesTab.self),
        .tab(ComplianceTab.self),
        .tab(RequestsTab.self),
    ])

    public let screens: [ScreenDeclaration]

    public init(_ screens: [ScreenDeclaration]) {
        precondition(screens.first?.isTab == true, "the console opens on a tab")
        precondition(Set(screens.map(\.id)).count == screens.count, "two screens share an id")
        for kind in Set(screens.flatMap(\.shows)) {
            precondition(screens.filter { $0.shows.contains(kind) }.count == 1, "two screens open \(kind)")
        }
        let duties = screens.flatMap { $0.fixes.map(\.duty) }
        precondition(Set(duties).count == duties.count, "two screens fix one duty")
        self.screens = screens
    }

    func index(of id: ScreenID) -> Int? { screens.firstIndex { $0.id == id } }

    /// The screens with a tab, in tab order (their positions are the number keys').
    var tabIndices: [Int] { screens.indices.filter { screens[$0].isTab } }

    /// The screen that opens `destination`: the one named, or the one declaring its kind.
    func index(showing destination: ConsoleDestination) -> Int? {
        guard let kind = destination.kind else { return destination.screen.flatMap(index(of:)) }
        return screens.firstIndex { $0.shows.contains(kind) }
    }

    /// Where `duty` is fixed, and the screen that fixes it (its id, and its title for hints); nil
    /// when no screen does (the domain's words, with the command, are all there is).
    func fix(for duty: ComplianceReport.Duty) -> (fix: DutyFix, screen: ScreenID, screenTitle: String)? {
        for screen in screens {
            if let fix = screen.fixes.first(where: { $0.duty == duty }) { return (fix, screen.id, screen.title) }
        }
        return nil
    }

    /// The attention items of every screen, in tab order; figures that nothing opens yet go last,
    /// so the first stops of the list are ones Enter can take the user to.
    func attention(_ overview: Overview) -> [AttentionItem] {
        let items = screens.flatMap { $0.attention(overview) }
        return items.filter { $0.destination != nil } + items.filter { $0.destination == nil }
    }

    var paletteCommands: [PaletteCommand] { screens.flatMap(\.palette) }
    var paletteArguments: [ArgumentDeclaration] { screens.flatMap(\.arguments) }
}
