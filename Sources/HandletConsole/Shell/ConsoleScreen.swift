import Foundation
import HandletDomain
import TerminalUI

/// The whole console: tab bar, the current tab, status bar, and the help and palette overlays.
public struct ConsoleScreen: Screen {
    /// Every screen, in tab order; `tabs` holds one of each.
    public let screens: ScreenRegistry
    public private(set) var tabs: [any ConsoleTab]
    public private(set) var selectedTab = 0 {
        didSet { if screens.screens[selectedTab].isTab { homeTab = selectedTab } }
    }
    /// The tab the bar shows as current: the selected screen, or for a screen without a tab (the
    /// compliance centre) the tab last shown; next and previous tab step from it.
    private var homeTab = 0
    let context: ConsoleContext
    private var overlay: Overlay?
    private var flash: Flash?
    /// Background work still running, one per label (the purge, a delivery pass, an erasure), in
    /// the order they last reported: the status bar shows the latest, and one job's end does not
    /// hide another still running.
    private var activities: [BackgroundActivity] = []
    /// Set while a change waits for another process's writer (`ConsoleChanges`).
    private var changeWaiting = false
    private var ticks = 0
    private var changeToken: ChangeToken?
    /// The screen's size from the last layout; nil before the first.
    private var size: Size?
    /// The console's keys and the help overlay's, with the user's rebindings.
    private let keys: KeyMap<ConsoleAction>
    private let helpKeys: KeyMap<ConsoleKeys.HelpKey>
    /// Every two seconds at the 250 ms tick.
    static let changePollTicks = 8
    /// Every second at the 250 ms tick.
    static let secondTicks = 4

    private enum Overlay {
        case help(ScrollState)
        case palette(CommandPalette)
        case search(SearchPanel)
        case startup(StartupPanel)
        /// The last messages the status bar flashed, newest first (`!`).
        case messages(ScrollState)
        /// Quit while a tab's work runs? (`ConsoleTab.quitWarning`)
        case quit(ConfirmDialog)
    }

    /// Every flash, kept so one that went by too fast (or was too long for the bar) can be read again.
    struct LoggedMessage: Sendable, Equatable {
        var text: String
        var isError: Bool
        var at: Date
    }
    private(set) var messageLog: [LoggedMessage] = []
    /// How many messages the log keeps.
    static let messageLogLimit = 50
    /// "Kestrel Home Services · demo", read once: which workspace this is, in the status bar.
    private var workspaceLabel = ""
    /// The workspace's zone, which every time on screen is in: "Europe/London", "London time" where room is short.
    private var zoneLabel = ""
    private var zoneShortLabel = ""
    /// The workspace's clock as the console opened, for the message log's times (render reads nothing).
    private var logClock: BrowseClock?

    /// The last search, kept so `/` (or Esc from a result opened from it) returns to its results.
    private var lastSearch: SearchPanel?
    private var returnToSearch = false

    private struct Flash {
        var text: String
        var isError: Bool
        var expiresAtTick: Int
        /// Covers the whole status bar when it does not fit beside its right part (a change's
        /// outcome, the busy line), rather than being cut.
        var wide = false
    }

    /// About four seconds at the console's 250 ms tick.
    static let flashTicks = 16
    /// Ctrl-Z with no job-control shell behind the console (a forced SSH command).
    public static let suspendRefusedMessage = "Suspend is off: no shell to return to"

    /// `startupProblem` (a bad `keys.toml` entry) is flashed in red, after `startupMessage`'s turn.
    public init(context: ConsoleContext, screens: ScreenRegistry = .standard, startupMessage: String? = nil,
                startupProblem: String? = nil) {
        self.context = context
        self.screens = screens
        // The workspace row alone: `.workspaceInfo` counts every table (`handlet info`'s figures).
        // Read before the tabs, which take their clocks' zone from it rather than reading it again.
        let settings = try? context.session.read(.settings)
        if let settings { _ = context.zone.zone { TimeZone(identifier: settings.timeZone) } }
        tabs = screens.screens.map { $0.make(context, screens) }
        keys = ConsoleKeys.table.resolved(context.keys)
        helpKeys = ConsoleKeys.helpKeys(context.keys)
        if let settings { workspaceLabel = Self.workspaceLabel(name: settings.name, isDemo: settings.isDemo) }
        let clock = BrowseClock.console(context)
        logClock = clock
        zoneLabel = DisplayText.zoneName(clock)
        zoneShortLabel = DisplayText.zoneShortName(clock)
        if let startupMessage { log(startupMessage, isError: false) }
        if let startupProblem { log(startupProblem, isError: true) }
        if let startupProblem {
            flash = Flash(text: startupProblem, isError: true, expiresAtTick: Self.flashTicks * 3)
        } else if let startupMessage {
            flash = Flash(text: startupMessage, isError: false, expiresAtTick: Self.flashTicks * 2)
        }
        // What needs an answer, once (a bad keys.toml still gets its red flash beneath); before the
        // first tab's read, which takes the notices the panel read. A plain loop:
        // `lazy.compactMap(…).first` ran the first panel's read twice (issue 26).
        for screen in screens.screens {
            if let panel = screen.startupPanel(context) { overlay = .startup(panel); break }
        }
        tabs[0].activate()
        changeToken = try? context.session.read(.changeToken)
    }

    public var minimumSize: Size { Size(width: 80, height: 24) }

    /// The console's quit binding (`[console] quit`), which also works while the terminal is too small.
    public var quitKeys: [Key] { keys.bindings.first { $0.action == .quit }?.keys ?? [] }

    public var currentTab: any ConsoleTab { tabs[selectedTab] }

    /// Where Esc goes back to after a record was opened from another screen (a call from a
    /// contact's timeline, anything from the Overview or a search): the screen as it was left.
    struct BackStep {
        var tab: Int
        /// The tab as it was, restored when the record was opened in that same tab (a tab left
        /// for another one is not touched while away, and keeps what arrived meanwhile).
        var snapshot: any ConsoleTab
        var crumb: String
        /// A record or a screen without a tab was opened (its back key comes back here); else a
        /// list was, and Esc at the top of that list does.
        var openedRecord: Bool
    }
    private(set) var backStack: [BackStep] = []

    /// "Contacts › Dean King › Call · Dean King": how the user got here, newest last.
    var breadcrumb: [String] { backStack.isEmpty ? [] : backStack.map(\.crumb) + [currentTab.crumb] }

    // MARK: Layout and drawing

    /// The tab bar above, the status bar below (with the key footer above it when there is
    /// room), the tab between.
    private static func split(_ area: Rect) -> (tabBar: Rect, body: Rect, footer: Rect, status: Rect) {
        let (tabArea, rest) = area.splitTop(1)
        let (above, statusArea) = rest.splitBottom(1)
        let showsFooter = KeyFooter.isShown(in: Size(width: area.width, height: area.height))
        let (body, footer) = above.splitBottom(showsFooter ? 1 : 0)
        return (tabArea, body, footer, statusArea)
    }

    /// While the screen takes typed text (a list's filter line), the console's keys type into it:
    /// the footer shows the screen's keys alone (the line's own, issue 25).
    private var footer: KeyFooter {
        KeyFooter(screen: currentTab.helpEntries, console: currentTab.capturesText ? [] : keys.help(for: context.actor))
    }

    public mutating func layout(_ size: Size) {
        self.size = size
        layoutContent()
    }

    /// Lays out the current tab and the help at the last size; after every event, since a key or
    /// a result can change what the tab shows (a detail opened, a filter chip appeared).
    private mutating func layoutContent() {
        guard let size else { return }
        let body = Self.split(Rect(x: 0, y: 0, width: size.width, height: size.height)).body
        tabs[selectedTab].layout(Size(width: body.width, height: body.height))
        if case .help(var scroll) = overlay {
            helpOverlay.fit(&scroll, in: Size(width: body.width, height: body.height))
            overlay = .help(scroll)
        }
        if case .messages(var scroll) = overlay {
            messageOverlay.fit(&scroll, in: Size(width: body.width, height: body.height))
            overlay = .messages(scroll)
        }
    }

    private var helpOverlay: HelpOverlay {
        HelpOverlay(title: "\(currentTab.title) keys", entries: helpEntries,
                    closeHint: ConsoleKeys.helpTable.resolved(context.keys).keyLabel(.close).map { "\($0) to close" } ?? "")
    }

    public func render(into grid: inout Grid, area: Rect) {
        let (tabArea, body, footerArea, statusArea) = Self.split(area)
        TabBar(items: tabBarItems, selected: screens.tabIndices.firstIndex(of: homeTab) ?? 0).render(into: &grid, area: tabArea)
        let crumbShown = renderBreadcrumb(into: &grid, area: tabArea)
        tabs[selectedTab].render(into: &grid, area: body)
        footer.render(into: &grid, area: footerArea)
        // Where the title line has no room for the way back (80 columns), the status bar says it.
        let left = crumbShown || breadcrumb.isEmpty || overlay != nil ? statusLeft : breadcrumb.joined(separator: " › ")
        let sides = statusSides(left: left, width: area.width)
        StatusBar(left: sides.left, right: sides.right).render(into: &grid, area: statusArea)
        if changeWaiting {
            renderFlash(Flash(text: ChangeStatus.waitingText, isError: false, expiresAtTick: 0, wide: true), style: Style(.warning, .reverse),
                        beside: sides.right, into: &grid, area: statusArea)
        } else if let flash {
            renderFlash(flash, beside: sides.right, into: &grid, area: statusArea)
        }
        switch overlay {
        case .help(let scroll):
            helpOverlay.render(into: &grid, area: body, state: scroll)
        case .palette(let palette):
            palette.render(into: &grid, area: body)
        case .search(let panel):
            panel.render(into: &grid, area: body)
        case .startup(let panel):
            panel.render(into: &grid, area: body, keys: context.keys)
        case .messages(let scroll):
            messageOverlay.render(into: &grid, area: body, state: scroll)
        case .quit(let dialog):
            dialog.render(into: &grid, area: body)
        case nil:
            break
        }
    }

    private var statusLeft: String {
        if case .search(let panel) = overlay {
            if panel.isSearching { return "Search · searching…" }
            return "Search · \(panel.positionText) · \(String(format: "%.1f", panel.elapsedMilliseconds)) ms"
        }
        let status = currentTab.status
        return status.isEmpty ? currentTab.title : "\(currentTab.title) · \(status)"
    }

    /// The keys nobody should have to guess, always shown: help and the command palette.
    private var statusHints: String {
        [keys.hint(.help, "help"), keys.hint(.palette, "commands")].filter { !$0.isEmpty }.joined(separator: "  ")
    }

    /// "DEMO · Kestrel Home Services" for the demo (its name's own "(demo)" dropped: the marker
    /// comes first, so it stays when the name is shortened), the name for any other workspace.
    static func workspaceLabel(name: String, isDemo: Bool) -> String {
        guard isDemo else { return name }
        let bare = name.replacingOccurrences(of: " (demo)", with: "").trimmingCharacters(in: .whitespaces)
        return "DEMO · " + bare
    }

    /// The status bar's two sides at `width`: the screen's status on the left; on the right any
    /// background progress, which workspace (and that it is the demo), the zone every time is in,
    /// who is acting, then the help and command keys. Where they do not all fit, the zone shortens
    /// ("London time", "London"), the workspace's name shortens to its "DEMO" marker, the zone goes,
    /// then who is acting shortens to their role (a list's position or a search's total matters
    /// more at 80 columns than the name), and only then is the left side cut (at a word); the
    /// keys never give way.
    func statusSides(left: String, width: Int) -> (left: String, right: String) {
        let actorShort: String = switch context.actor {
        case .user(let user): user.role.rawValue + (context.actorIsFallback ? " (fallback)" : "")
        case .system: "system"
        }
        let now = context.now()
        let progress = activities.last.map { $0.progressText(at: now) }
        return Self.statusSides(left: left, progress: progress, workspace: workspaceLabel, zone: (zoneLabel, zoneShortLabel),
                                actor: (context.actingLabel, actorShort), hints: statusHints, width: width, title: currentTab.title)
    }

    static func statusSides(left: String, progress: String?, workspace: String, zone: (long: String, short: String),
                            actor: (long: String, short: String), hints: String, width: Int,
                            title: String? = nil) -> (left: String, right: String) {
        let available = width - 4
        func join(_ parts: [String?]) -> String { parts.compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " · ") }
        let leftWidth = TextWidth.width(of: left)
        /// The workspace's name in what `others` leave beside the whole left side (at least `minimum` columns).
        func shortened(beside others: [String?], minimum: Int) -> String {
            let room = max(minimum, available - leftWidth - TextWidth.width(of: join(others)) - 3)
            return TextWidth.width(of: workspace) > room ? TextWidth.truncate(workspace, to: room) : workspace
        }
        // "London" from "London time", the least that still says the zone.
        let city = zone.short.hasSuffix(" time") ? String(zone.short.dropLast(5)) : zone.short
        // "DEMO" alone, where the demo's name does not fit.
        let marker = workspace.hasPrefix("DEMO") ? "DEMO" : nil
        // Most said first; each next one gives a little way. Who is acting is whole (the owner
        // fallback says so) until only their role fits, and the left side is cut only when even
        // the last does not fit.
        let candidates = [
            join([progress, workspace, zone.long, actor.long, hints]), join([progress, workspace, zone.short, actor.long, hints]),
            join([progress, shortened(beside: [progress, zone.short, actor.long, hints], minimum: 12), zone.short, actor.long, hints]),
            join([progress, shortened(beside: [progress, city, actor.long, hints], minimum: 10), city, actor.long, hints]),
            join([progress, marker, city, actor.long, hints]),
            join([progress, marker, actor.long, hints]),
            join([progress, marker, actor.short, hints]),
        ]
        if let fits = candidates.first(where: { leftWidth + TextWidth.width(of: $0) <= available }) { return (left, fits) }
        let right = candidates.last!
        let leftRoom = max(10, available - TextWidth.width(of: right))
        // The tab bar already names the screen: its title goes from the left side before any of the rest.
        var left = left
        if let title, left.hasPrefix(title + " · "), leftWidth > leftRoom { left.removeFirst(title.count + 3) }
        return (TextWidth.width(of: left) > leftRoom ? Self.cutAtWord(left, to: leftRoom) : left, right)
    }

    /// `text` cut to `width` at a space, with "…": never mid-word (one long word is cut).
    static func cutAtWord(_ text: String, to width: Int) -> String {
        guard TextWidth.width(of: text) > width else { return text }
        var kept = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let candidate = kept.isEmpty ? String(word) : kept + " " + word
            if TextWidth.width(of: candidate) + 1 > width { break }
            kept = candidate
        }
        if kept.isEmpty { return TextWidth.truncate(text, to: width) }
        while kept.hasSuffix(" ") || kept.hasSuffix("·") { kept.removeLast() }
        return kept + "…"
    }

    /// At the right of the title line when it fits beside the tabs; the oldest steps go first
    /// when it does not.
    /// False when it did not fit.
    private func renderBreadcrumb(into grid: inout Grid, area: Rect) -> Bool {
        var steps = breadcrumb
        guard !steps.isEmpty else { return false }
        let tabsEnd = (area.x..<area.maxX).last { grid[$0, area.y].symbol != " " || grid[$0, area.y].style.role == .tabActive } ?? area.x
        let room = area.maxX - tabsEnd - 3
        var text = steps.joined(separator: " › ")
        while TextWidth.width(of: text) > room && steps.count > 1 {
            steps.removeFirst()
            text = "… › " + steps.joined(separator: " › ")
        }
        guard room > 0, TextWidth.width(of: text) <= room else { return false }
        grid.put(text, x: area.maxX - 1 - TextWidth.width(of: text), y: area.y, style: .dim, maxWidth: room)
        return true
    }

    /// The flash replaces the left of the status bar, coloured by outcome, so it is hard to miss.
    /// One too long to sit beside the bar's right part takes the whole bar, and one too long for
    /// that wraps at word boundaries onto the line above: never cut mid-word. What does not fit
    /// in two lines ends at a whole word, pointing at the message log, which has it all.
    private func renderFlash(_ flash: Flash, style: Style? = nil, beside right: String, into grid: inout Grid, area: Rect) {
        let rightWidth = TextWidth.width(of: right) + 2
        let beside = max(0, area.width - rightWidth - 1)
        let textWidth = TextWidth.width(of: flash.text) + 2
        let style: Style = style ?? (flash.isError ? Style(.error, .reverse) : Style(.success, .reverse))
        if textWidth <= beside {
            grid.fill(Rect(x: area.x, y: area.y, width: beside, height: 1), style: .statusBar)
            grid.put(" " + flash.text + " ", x: area.x, y: area.y, style: style, maxWidth: beside)
            return
        }
        let lines = Self.flashLines(flash.text, width: area.width - 2, moreHint: messageLogHint)
        let top = area.y - (lines.count - 1)
        for (index, line) in lines.enumerated() {
            let row = Rect(x: area.x, y: top + index, width: area.width, height: 1)
            grid.fill(row, style: style)
            grid.put(" " + line + " ", x: area.x, y: row.y, style: style, maxWidth: area.width)
        }
        // The help and command keys stay at the right of the bar where the flash leaves room.
        let hints = statusHints
        if let last = lines.last, TextWidth.width(of: last) + TextWidth.width(of: hints) + 5 <= area.width {
            let hintsWidth = TextWidth.width(of: hints)
            grid.fill(Rect(x: area.maxX - hintsWidth - 2, y: area.y, width: hintsWidth + 2, height: 1), style: .statusBar)
            grid.put(hints, x: area.maxX - 1 - hintsWidth, y: area.y, style: Style(.statusBar, .dim), maxWidth: hintsWidth)
        }
    }

    /// "(! for all messages)": where the rest of a long flash is.
    private var messageLogHint: String {
        keys.keyLabel(.messages).map { "(\($0) for all messages)" } ?? ""
    }

    /// A flash's text in at most two lines of `width`, broken between words; a longer one keeps
    /// the whole words that fit and ends with `moreHint`.
    static func flashLines(_ text: String, width: Int, moreHint: String) -> [String] {
        let wrapped = TextWrap.wrap([Span(text, .normal)], width: max(10, width)).map { $0.map(\.text).joined() }
        if wrapped.count <= 2 { return wrapped }
        var second = ""
        for word in wrapped[1...].joined(separator: " ").split(separator: " ") {
            let candidate = second.isEmpty ? String(word) : second + " " + word
            if TextWidth.width(of: candidate + " … " + moreHint) > width { break }
            second = candidate
        }
        return [wrapped[0], second + " … " + moreHint]
    }

    private var messageOverlay: HelpOverlay {
        let close = ConsoleKeys.helpTable.resolved(context.keys).keyLabel(.close).map { "\($0) to close" } ?? ""
        let entries = messageLog.reversed().map { message in
            HelpEntry(keys: logClock.map { DisplayText.clockTime(message.at, clock: $0) } ?? "",
                      description: message.text, group: message.isError ? "Problem" : "Message", name: "")
        }
        return HelpOverlay(title: "Last \(DisplayText.count(messageLog.count, "message"))", entries: entries, closeHint: close,
                           grouped: false, emptyText: "No messages yet")
    }

    /// Each tab under its key (the go-to-tab binding's key at its position) and its short title.
    private var tabBarItems: [TabBar.Item] {
        let tabKeys = keys.bindings.first { $0.action == .goToTab }?.keys ?? []
        return screens.tabIndices.enumerated().map { position, index in
            let screen = screens.screens[index]
            return TabBar.Item(key: tabKeys.indices.contains(position) ? tabKeys[position].label : nil, title: screen.title,
                               shortTitle: screen.tabLabel)
        }
    }

    /// The current tab's keys first (they win), then the console's: the order keys are tried in.
    var helpEntries: [HelpEntry] {
        currentTab.helpEntries + keys.help(for: context.actor)
    }

    // MARK: Events

    /// Only the shown tab has deferred work worth doing.
    public mutating func idle() -> Bool {
        guard tabs[selectedTab].idle() else { return false }
        layoutContent()
        return true
    }

    public mutating func handle(_ event: AppEvent) -> EventOutcome {
        let outcome = dispatch(event)
        // A tick that changed nothing (most of them: four a second at rest) lays nothing out and,
        // being ignored, draws nothing either.
        if case .tick = event, outcome == .ignored { return outcome }
        layoutContent()
        return outcome
    }

    private mutating func dispatch(_ event: AppEvent) -> EventOutcome {
        switch event {
        case .tick:
            ticks += 1
            var outcome = EventOutcome.ignored
            if let current = flash, ticks >= current.expiresAtTick { flash = nil; outcome = .handled }
            if ticks % Self.changePollTicks == 0, overlay == nil, pollForChanges() { outcome = .handled }
            // Work shown with the time it has run (an erasure): laid out and drawn again each
            // second, so the time moves in the status bar and on the screen that shows it.
            if ticks % Self.secondTicks == 0, activities.contains(where: { $0.startedAt != nil }) {
                outcome = .handled
            }
            return outcome
        case .message(let message):
            if let results = message as? SearchPanel.Results { return deliver(results) ? .handled : .ignored }
            if let change = message as? ChangeStatus {
                switch change.phase {
                case .waiting: changeWaiting = true
                case .finished(let text, let isError):
                    changeWaiting = false
                    log(text, isError: isError)
                    flash = Flash(text: text, isError: isError, expiresAtTick: ticks + Self.flashTicks, wide: true)
                }
            }
            if message is SuspendRefused {
                show(Self.suspendRefusedMessage, isError: true)
                return .handled
            }
            if let update = message as? BackgroundActivity {
                activities.removeAll { $0.label == update.label }
                if !update.isFinished { activities.append(update) }
                // A summary does not hide an error the user may not have read yet (a bad keys.toml at start-up).
                if let summary = update.finishedSummary, update.failed || flash?.isError != true { show(summary, isError: update.failed) }
            }
            var changed = false
            for index in tabs.indices where tabs[index].receive(message) { changed = true }
            return changed || message is BackgroundActivity || message is ChangeStatus ? .handled : .ignored
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
        case .copy(let text, let what): copy(text, what: what); return .handled
        case .back:
            // Closing a detail opened in this tab's own list stays here.
            if backStack.last?.openedRecord == true { goBack() }
            if returnToSearch, let lastSearch {
                returnToSearch = false
                overlay = .search(lastSearch)
            }
            return .handled
        case .ignored:
            // Esc at the top of a screen opened from another goes back there.
            if keys.action(for: key) == .back, !backStack.isEmpty, !currentTab.capturesText {
                goBack()
                return .handled
            }
        }
        if currentTab.capturesText { return .handled }
        switch keys.press(key, by: context.actor) {
        case .unbound: return .ignored
        case .refused(let refusal): show(refusal, isError: true)
        case .action(.quit, _): return requestQuit()
        // With nowhere to go back to, Esc at a tab's top level does nothing (only `q` quits).
        case .action(.back, _): break
        case .action(.help, _): overlay = .help(ScrollState())
        case .action(.messages, _): overlay = .messages(ScrollState())
        case .action(.palette, _):
            overlay = .palette(CommandPalette(entries: paletteEntries, arguments: paletteArguments, keys: context.keys))
        case .action(.search, _): openSearch()
        case .action(.nextTab, _): stepTab(by: 1)
        case .action(.previousTab, _): stepTab(by: -1)
        case .action(.goToTab, let position):
            let tabbed = screens.tabIndices
            if tabbed.indices.contains(position) { select(tabbed[position]) }
        // The app repaints on this key before the screen sees it; listed here so help and `keys.toml` know it.
        case .action(.redraw, _): break
        }
        return .handled
    }

    /// Quits, unless a tab's work would be cut short (an erasure running): then asks first, Cancel focused.
    private mutating func requestQuit() -> EventOutcome {
        guard let warning = tabs.lazy.compactMap({ $0.quitWarning }).first else { return .quit }
        overlay = .quit(ConfirmDialog(title: "Quit now?", message: warning, confirmLabel: "Quit anyway", cancelLabel: "Stay",
                                      isDestructive: true))
        return .handled
    }

    private mutating func handleOverlay(_ current: Overlay, _ key: Key) -> EventOutcome {
        switch current {
        case .quit(var dialog):
            switch dialog.handle(key, keys: ConsoleKeys.confirmTable.resolved(context.keys)) {
            case nil: overlay = .quit(dialog)
            case .cancelled?: overlay = nil
            case .confirmed?: return .quit
            }
        case .startup(let panel):
            overlay = nil
            switch StartupPanel.table.resolved(context.keys).action(for: key) {
            case .open?: navigate(to: panel.destination)
            case .dismiss?: break
            // The panel only informs: any other key closes it and does its usual job (2 goes to Calls).
            case nil: return handle(key)
            }
        case .help(var scroll):
            switch helpKeys.action(for: key) {
            case .help(.close)?: overlay = nil
            case .scroll(let move)?: scroll.apply(move); overlay = .help(scroll)
            case nil: break
            }
        case .messages(var scroll):
            if keys.action(for: key) == .messages { overlay = nil; break }
            switch helpKeys.action(for: key) {
            case .help(.close)?: overlay = nil
            case .scroll(let move)?: scroll.apply(move); overlay = .messages(scroll)
            case nil: break
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
        case .goTo(let id):
            guard let index = screens.index(of: id), index != selectedTab else { break }
            if screens.screens[index].isTab { select(index) } else { openWithoutTab(index) }
        case .help: overlay = .help(ScrollState())
        case .search: openSearch()
        case .quit: return requestQuit()
        case .press(let key):
            return handle(key)
        case .openCall(let reference):
            guard let id = try? context.session.read(.callID(named: reference)) else {
                show("No call \(Sanitizer.echo(reference)) in this workspace", isError: true)
                break
            }
            navigate(to: .call(id: id, highlight: nil))
        case .openContact(let text):
            if let number = PhoneNumber.e164(text) {
                // A number no contact has still leads somewhere: the calls from and to it.
                if let id = try? context.session.read(.contactIDs(phone: text)).first {
                    navigate(to: .contact(id: id))
                } else {
                    navigate(to: .calls(CallFilter(number: number)))
                }
                break
            }
            let found: [ContactRow]
            do { found = try context.session.pager(ContactPage(search: text)).first(limit: 2) } catch {
                show("Could not search the contacts: \(error)", isError: true)
                break
            }
            switch found.count {
            case 0: show("No contact matches \(Sanitizer.echo(text))", isError: true)
            case 1: navigate(to: .contact(id: found[0].id))
            default: navigate(to: .contacts(search: text))
            }
        case .theme(let name):
            do {
                let theme = try Theme.load(name)
                terminalRequests.append(.setTheme(theme))
                show("Theme: \(Sanitizer.echo(name))", isError: false)
            } catch {
                show("\(error)", isError: true)
            }
        case .answer(let screen, let action, let text):
            return answer(action, on: screen, with: text)
        case .argument(let number, let text):
            let arguments = screens.paletteArguments
            guard arguments.indices.contains(number), let run = arguments[number].run,
                  let index = screens.index(of: arguments[number].screen) else { break }
            select(index)
            switch run(text, &tabs[index]) {
            case .flash(let text, let isError): show(text, isError: isError)
            case .navigate(let destination): navigate(to: destination)
            case .copy(let text, let what): copy(text, what: what)
            case .handled, .ignored, .back: break
            }
        case .command(let number):
            let commands = screens.paletteCommands
            guard commands.indices.contains(number), let index = screens.index(of: commands[number].screen) else { break }
            select(index)
            switch commands[number].run(&tabs[index]) {
            case .flash(let text, let isError): show(text, isError: isError)
            case .navigate(let destination): navigate(to: destination)
            case .copy(let text, let what): copy(text, what: what)
            case .handled, .ignored, .back: break
            }
        }
        return .handled
    }

    /// The palette's argument commands: the console's, then every screen's, in tab order.
    private var paletteArguments: [CommandPalette.ArgumentCommand] {
        CommandPalette.shellArguments + screens.paletteArguments.enumerated().map { index, argument in
            CommandPalette.ArgumentCommand(word: argument.words, usage: argument.usage) { text in
                if let action = argument.answers { return .answer(screen: argument.screen, action: action, text: text) }
                return .argument(index, text: text)
            }
        }
    }

    /// `:hold REASON`: presses the key bound to `action` where the user is, then types `text`
    /// into the prompt it opened and saves it, as the user would; a refused or dimmed key says
    /// why, and a change that asks first still asks. Only in the screen's state that has the key.
    private mutating func answer(_ action: String, on screen: ScreenID, with text: String) -> EventOutcome {
        let here = screens.screens[selectedTab].id == screen
        guard here, let entry = currentTab.helpEntries.first(where: { $0.name == action }), let key = entry.key else {
            let title = screens.index(of: screen).map { screens.screens[$0].title } ?? screen.rawValue
            show("“\(action.replacingOccurrences(of: "_", with: " "))” works where its key does, in \(title)", isError: true)
            return .handled
        }
        if let reason = entry.disabledReason {
            show(reason, isError: true)
            return .handled
        }
        _ = handle(key)
        guard currentTab.capturesText else { return .handled }
        for character in text { _ = handle(.char(character)) }
        if let save = TextPrompt.table.resolved(context.keys).bindings.first(where: { $0.action == .save })?.keys.first { _ = handle(save) }
        return .handled
    }

    /// The current screen's own actions first (what it can do now, with their keys), then every
    /// screen and command, then the console's.
    private var paletteEntries: [CommandPalette.Entry] {
        let own = currentTab.helpEntries.filter { $0.group != "Navigation" && $0.key != nil }.map {
            CommandPalette.Entry(title: "\(currentTab.title): \($0.description)", choice: .press($0.key!), key: $0.firstKey,
                                 disabledReason: $0.disabledReason)
        }
        let tabKeys = keys.bindings.first { $0.action == .goToTab }?.keys ?? []
        let tabbed = screens.tabIndices
        var entries = own + screens.screens.enumerated().map { index, screen in
            let position = tabbed.firstIndex(of: index)
            return CommandPalette.Entry(title: "Go to \(screen.title)", choice: .goTo(screen.id),
                                        key: position.flatMap { tabKeys.indices.contains($0) ? tabKeys[$0].label : nil })
        }
        entries += screens.paletteCommands.enumerated().map { CommandPalette.Entry(title: $0.element.title, choice: .command($0.offset)) }
        // The search of everything, whatever `/` does on this screen (on a list, it narrows the list).
        entries.append(CommandPalette.Entry(title: "Search summaries, transcripts and messages", choice: .search, key: keys.keyLabel(.search)))
        entries.append(CommandPalette.Entry(title: "Help", choice: .help, key: keys.keyLabel(.help)))
        entries.append(CommandPalette.Entry(title: "Quit", choice: .quit, key: keys.keyLabel(.quit)))
        return entries
    }

    /// Re-reads the current tab when another process changed the workspace; the tab keeps its
    /// selection on the same record (keyset refresh), so new rows never yank the cursor.
    private mutating func pollForChanges() -> Bool {
        guard let token = try? context.session.read(.changeToken) else { return false }
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

    /// Opens the search panel; with the same scope as last time, the last query and results come
    /// back, the query selected so that typing replaces it (Home, End or an arrow keeps it).
    mutating func openSearch() {
        let scope = currentTab.searchScope
        if var panel = lastSearch, panel.tabScope == scope {
            panel.input.selectAll()
            overlay = .search(panel)
        } else {
            var panel = SearchPanel(scope: scope, keys: context.keys)
            if var previous = lastSearch {
                previous.cancel()
                panel.input = previous.input
                panel.run(context)
                panel.input.selectAll()
            }
            overlay = .search(panel)
        }
    }

    /// The next or previous tab from the one the bar shows, wrapping.
    private mutating func stepTab(by step: Int) {
        let tabbed = screens.tabIndices
        let position = tabbed.firstIndex(of: homeTab) ?? 0
        select(tabbed[(position + step + tabbed.count) % tabbed.count])
    }

    /// Back to the screen the current one was opened from, as it was left.
    private mutating func goBack() {
        guard let step = backStack.popLast() else { return }
        if step.tab == selectedTab { tabs[step.tab] = step.snapshot }
        selectedTab = step.tab
        layoutContent()
    }

    /// A screen without a tab (the compliance centre) is a place visited from where the user was,
    /// not a new start: its back key returns there, as when another screen opened it.
    private mutating func openWithoutTab(_ index: Int) {
        backStack.append(BackStep(tab: selectedTab, snapshot: tabs[selectedTab], crumb: tabs[selectedTab].crumb, openedRecord: true))
        switchTab(to: index)
    }

    /// Switches tab; the tab re-reads so it never shows data older than the switch. Choosing a
    /// tab is a new start: the way back is forgotten.
    public mutating func select(_ index: Int) {
        backStack.removeAll()
        switchTab(to: index)
    }

    private mutating func switchTab(to index: Int) {
        guard index != selectedTab else { return }
        selectedTab = index
        returnToSearch = false
        // Laid out first, so the tab's first read fills the screen.
        layoutContent()
        tabs[index].activate()
    }

    /// Hands a destination to the screen the registry says opens it, and switches there.
    public mutating func navigate(to destination: ConsoleDestination) {
        guard let index = screens.index(showing: destination) else {
            show("Nothing here can open that", isError: true)
            return
        }
        let previous = selectedTab
        let opensScreen = destination.kind == nil
        let opensList = destination.opensList
        backStack.append(BackStep(tab: previous, snapshot: tabs[previous], crumb: tabs[previous].crumb,
                                  openedRecord: !opensScreen && !opensList))
        if opensScreen, index != selectedTab {
            switchTab(to: index)
            return
        }
        selectedTab = index
        layoutContent()
        if !tabs[index].open(destination) {
            selectedTab = previous
            backStack.removeLast()
        }
    }

    /// Sent to the terminal after this event's frame; the terminal owns the clipboard, so this
    /// works over SSH too, where no clipboard tool could reach the user's machine.
    private var terminalRequests: [TerminalRequest] = []

    public mutating func takeTerminalRequests() -> [TerminalRequest] {
        defer { terminalRequests.removeAll() }
        return terminalRequests
    }

    private mutating func copy(_ text: String, what: String) {
        guard !text.isEmpty else { return show("Nothing to copy: \(what) is empty", isError: true) }
        terminalRequests.append(.copyToClipboard(text))
        let cut = TerminalRequest.clipboardText(text).utf8.count < text.utf8.count
        show("Copied \(what) to the clipboard" + (cut ? " (cut to \(TerminalRequest.clipboardLimitBytes / 1000) KB)" : "")
             + " · needs a terminal that allows OSC 52 (tmux: set-clipboard on)", isError: false)
    }

    mutating func show(_ text: String, isError: Bool) {
        log(text, isError: isError)
        flash = Flash(text: text, isError: isError, expiresAtTick: ticks + Self.flashTicks)
    }

    private mutating func log(_ text: String, isError: Bool) {
        messageLog.append(LoggedMessage(text: text, isError: isError, at: context.now()))
        if messageLog.count > Self.messageLogLimit { messageLog.removeFirst(messageLog.count - Self.messageLogLimit) }
    }
}
