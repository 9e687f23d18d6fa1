import Foundation
import HandletDomain
import TerminalUI

/// Keys the console handles itself, whatever the tab (after the tab declined them).
enum ConsoleAction: Sendable, Equatable {
    case quit, help, palette, search, nextTab, previousTab
    case goToTab(Int)
}

/// The whole console: tab bar, the current tab, status bar, and the help and palette overlays.
public struct ConsoleScreen: Screen {
    public private(set) var tabs: [any ConsoleTab]
    public private(set) var selectedTab = 0
    let context: ConsoleContext
    private var overlay: Overlay?
    private var flash: Flash?
    private var activity: BackgroundActivity?
    private var ticks = 0
    private var changeToken: ChangeToken?
    /// Every two seconds at the 250 ms tick.
    static let changePollTicks = 8

    private enum Overlay {
        case help(ScrollState)
        case palette(CommandPalette)
        case search(SearchPanel)
    }

    /// The last search, kept so `/` (or Esc from a result opened from it) returns to its results.
    private var lastSearch: SearchPanel?
    private var returnToSearch = false

    private struct Flash {
        var text: String
        var isError: Bool
        var expiresAtTick: Int
    }

    /// About four seconds at the console's 250 ms tick.
    static let flashTicks = 16
    static let keys: KeyMap<ConsoleAction> = {
        var bindings = [
            KeyBinding([.char("q")], ConsoleAction.quit, "Back; quit at a tab's top level", group: "Console"),
            KeyBinding([.char("?"), .function(1)], .help, "Help for this screen", group: "Console"),
            KeyBinding([.char(":")], .palette, "Command palette", group: "Console"),
            KeyBinding([.char("/")], .search, "Search summaries, transcripts and messages", group: "Console"),
            KeyBinding([.tab, .char("]")], .nextTab, "Next tab", group: "Console"),
            KeyBinding([.backTab, .char("[")], .previousTab, "Previous tab", group: "Console"),
        ]
        for number in 1...9 {
            bindings.append(KeyBinding([.char(Character(String(number)))], .goToTab(number - 1),
                                       number == 1 ? "Go to tab 1…9" : "", group: "Console"))
        }
        return KeyMap(bindings)
    }()

    public init(context: ConsoleContext, tabs: [any ConsoleTab], startupMessage: String? = nil) {
        precondition(!tabs.isEmpty, "the console needs at least one tab")
        self.context = context
        self.tabs = tabs
        if let startupMessage { flash = Flash(text: startupMessage, isError: false, expiresAtTick: Self.flashTicks * 2) }
        self.tabs[0].activate()
        changeToken = try? context.workspace.dbPool.read { try ChangeToken.read($0) }
    }

    public var minimumSize: Size { Size(width: 80, height: 24) }

    public var currentTab: any ConsoleTab { tabs[selectedTab] }

    // MARK: Drawing

    public mutating func render(into grid: inout Grid, area: Rect) {
        let (tabArea, rest) = area.splitTop(1)
        let (body, statusArea) = rest.splitBottom(1)
        TabBar(tabs.map(\.title), selected: selectedTab)
            .render(into: &grid, area: tabArea)
        tabs[selectedTab].render(into: &grid, area: body)
        StatusBar(left: statusLeft, right: statusRight).render(into: &grid, area: statusArea)
        if let flash {
            renderFlash(flash, into: &grid, area: statusArea)
        }
        switch overlay {
        case .help(var scroll):
            HelpOverlay(title: "\(currentTab.title) keys", entries: helpEntries).render(into: &grid, area: body, state: &scroll)
            overlay = .help(scroll)
        case .palette(let palette):
            palette.render(into: &grid, area: body)
        case .search(let panel):
            panel.render(into: &grid, area: body)
        case nil:
            break
        }
    }

    private var statusLeft: String {
        if case .search(let panel) = overlay {
            if panel.isSearching { return "Search · searching…" }
            let count = panel.hits.count
            return "Search · \(count == SearchPanel.limit ? "newest \(SearchPanel.limit) results" : count == 1 ? "1 result" : "\(count) results")"
                + " · \(String(format: "%.1f", panel.elapsedMilliseconds)) ms"
        }
        let status = currentTab.status
        return status.isEmpty ? currentTab.title : "\(currentTab.title) · \(status)"
    }

    private var statusRight: String {
        var parts: [String] = []
        if let activity, !activity.isFinished { parts.append(activity.progressText) }
        parts.append(context.actingLabel)
        parts.append("? help")
        return parts.joined(separator: " · ")
    }

    /// The flash replaces the left of the status bar, coloured by outcome, so it is hard to miss.
    private func renderFlash(_ flash: Flash, into grid: inout Grid, area: Rect) {
        let rightWidth = TextWidth.width(of: statusRight) + 2
        let width = max(0, area.width - rightWidth - 1)
        let style: Style = flash.isError ? Style(.error, .reverse) : Style(.success, .reverse)
        grid.fill(Rect(x: area.x, y: area.y, width: width, height: 1), style: .statusBar)
        grid.put(" " + flash.text + " ", x: area.x, y: area.y, style: style, maxWidth: width)
    }

    /// The current tab's keys first (they win), then the console's.
    var helpEntries: [HelpEntry] {
        currentTab.helpEntries + Self.keys.helpEntries.filter { !$0.description.isEmpty }
            + KeyMap<ConsoleAction>([KeyBinding([.ctrl("l")], .help, "Redraw the screen", group: "Console")]).helpEntries
    }

    // MARK: Events

    public mutating func handle(_ event: AppEvent) -> EventOutcome {
        switch event {
        case .tick:
            ticks += 1
            var outcome = EventOutcome.ignored
            if let current = flash, ticks >= current.expiresAtTick { flash = nil; outcome = .handled }
            if ticks % Self.changePollTicks == 0, overlay == nil, pollForChanges() { outcome = .handled }
            return outcome
        case .message(let message):
            if let results = message as? SearchPanel.Results { return deliver(results) ? .handled : .ignored }
            if let update = message as? BackgroundActivity {
                activity = update
                if let summary = update.finishedSummary { show(summary, isError: update.failed) }
            }
            var changed = false
            for index in tabs.indices where tabs[index].receive(message) { changed = true }
            return changed || message is BackgroundActivity ? .handled : .ignored
        case .key(let key):
            return handle(key)
        }
    }

    private mutating func handle(_ key: Key) -> EventOutcome {
        if let overlay { return handleOverlay(overlay, key) }
        if flash != nil && !(flash!.isError) { flash = nil }
        let response = tabs[selectedTab].handle(key)
        switch response {
        case .handled: return .handled
        case .navigate(let destination): navigate(to: destination); return .handled
        case .flash(let text, let isError): show(text, isError: isError); return .handled
        case .back:
            if returnToSearch, let lastSearch {
                returnToSearch = false
                overlay = .search(lastSearch)
            }
            return .handled
        case .ignored: break
        }
        if currentTab.capturesText { return .handled }
        switch Self.keys.action(for: key) {
        case .quit: return .quit
        case .help: overlay = .help(ScrollState())
        case .palette: overlay = .palette(CommandPalette(entries: paletteEntries))
        case .search: openSearch()
        case .nextTab: select((selectedTab + 1) % tabs.count)
        case .previousTab: select((selectedTab + tabs.count - 1) % tabs.count)
        case .goToTab(let index): if tabs.indices.contains(index) { select(index) }
        case nil: return .ignored
        }
        return .handled
    }

    private mutating func handleOverlay(_ current: Overlay, _ key: Key) -> EventOutcome {
        switch current {
        case .help(var scroll):
            switch key {
            case .escape, .char("q"), .char("?"), .function(1): overlay = nil
            default:
                if let action = KeyMap.standardNavigation.action(for: key) { scroll.apply(action) }
                overlay = .help(scroll)
            }
        case .search(var panel):
            switch panel.handle(key, context: context) {
            case .stay: overlay = .search(panel)
            case .close:
                lastSearch = panel
                overlay = nil
            case .open(let destination):
                lastSearch = panel
                overlay = nil
                returnToSearch = true
                navigate(to: destination)
            }
        case .palette(var palette):
            switch palette.handle(key) {
            case .stay: overlay = .palette(palette)
            case .cancel: overlay = nil
            case .run(let choice):
                overlay = nil
                return run(choice)
            }
        }
        return .handled
    }

    private mutating func run(_ choice: CommandPalette.Choice) -> EventOutcome {
        switch choice {
        case .goToTab(let index): select(index)
        case .help: overlay = .help(ScrollState())
        case .quit: return .quit
        case .tabCommand(let tab, let identifier):
            select(tab)
            switch tabs[tab].perform(identifier) {
            case .flash(let text, let isError): show(text, isError: isError)
            case .navigate(let destination): navigate(to: destination)
            case .handled, .ignored, .back: break
            }
        }
        return .handled
    }

    private var paletteEntries: [CommandPalette.Entry] {
        var entries = tabs.enumerated().map { CommandPalette.Entry(title: "Go to \($0.element.title)", choice: .goToTab($0.offset)) }
        for (index, tab) in tabs.enumerated() {
            entries += tab.paletteCommands.map {
                CommandPalette.Entry(title: $0.title, choice: .tabCommand(tab: index, identifier: $0.identifier))
            }
        }
        entries.append(CommandPalette.Entry(title: "Help", choice: .help))
        entries.append(CommandPalette.Entry(title: "Quit", choice: .quit))
        return entries
    }

    /// Re-reads the current tab when another process changed the workspace; the tab keeps its
    /// selection on the same record (keyset refresh), so new rows never yank the cursor.
    private mutating func pollForChanges() -> Bool {
        guard let token = try? context.workspace.dbPool.read({ try ChangeToken.read($0) }) else { return false }
        defer { changeToken = token }
        guard let previous = changeToken, previous != token else { return false }
        tabs[selectedTab].activate()
        return true
    }

    /// Search results go to the open panel, or to the closed one that Esc would reopen.
    private mutating func deliver(_ results: SearchPanel.Results) -> Bool {
        if case .search(var panel) = overlay, panel.receive(results) {
            overlay = .search(panel)
            return true
        }
        if var closed = lastSearch, closed.receive(results) { lastSearch = closed }
        return false
    }

    /// Opens the search panel; with the same scope as last time, the last query and results come back.
    mutating func openSearch() {
        let scope = currentTab.searchScope
        if let lastSearch, lastSearch.tabScope == scope {
            overlay = .search(lastSearch)
        } else {
            var panel = SearchPanel(scope: scope)
            if var previous = lastSearch {
                previous.cancel()
                panel.input = previous.input
                panel.run(context)
            }
            overlay = .search(panel)
        }
    }

    /// Switches tab; the tab re-reads so it never shows data older than the switch.
    public mutating func select(_ index: Int) {
        guard index != selectedTab else { return }
        selectedTab = index
        returnToSearch = false
        tabs[index].activate()
    }

    /// Hands a destination to the first tab that shows it and switches there.
    public mutating func navigate(to destination: ConsoleDestination) {
        for index in tabs.indices where tabs[index].open(destination) {
            selectedTab = index
            return
        }
        show("Nothing here can open that", isError: true)
    }

    mutating func show(_ text: String, isError: Bool) {
        flash = Flash(text: text, isError: isError, expiresAtTick: ticks + Self.flashTicks)
    }
}
