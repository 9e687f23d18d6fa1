import Foundation
import HandletDomain
import TerminalUI

/// The first tab: how the phone line is doing and what needs attention, each item one Enter away.
/// The attention items come from the screens that deal with them (`ScreenDeclaration.attention`).
struct OverviewTab: RegisteredScreen {
    static let id = ScreenID.overview
    static let title = "Overview"
    static let tabLabel = "Over"

    static func make(context: ConsoleContext, screens: ScreenRegistry) -> OverviewTab { OverviewTab(context: context, screens: screens) }

    let context: ConsoleContext
    /// Asked for the attention items.
    private let screens: ScreenRegistry
    private var overview: Overview?
    private var clock: BrowseClock?
    private var loadError: String?
    private var selectedItem = 0
    private let keys: KeyMap<Action>

    init(context: ConsoleContext, screens: ScreenRegistry) {
        self.context = context
        self.screens = screens
        keys = Self.table.resolved(context.keys)
    }

    var helpEntries: [HelpEntry] { keys.help(for: context.actor) }
    /// Nothing beside the title: the chart's own line has the total for the days it draws, and the
    /// status bar's room goes to the workspace, its zone and the keys.
    var status: String { "" }

    /// At the console's start the counts come after the first frame (issue 26): the screen is
    /// drawn at once with the Overview's shell, and the figures fill it in when they arrive.
    /// Coming back to the tab later reads them again, synchronously.
    mutating func activate() {
        if overview == nil && loadError == nil && context.loadsInBackgroundAtStart && !isLoading {
            loadInBackground()
        } else {
            load()
        }
    }

    private var isLoading = false

    /// What the background read at start posts back.
    struct Loaded: Sendable {
        var result: Result<(clock: BrowseClock, overview: Overview), any Error>
    }

    private mutating func loadInBackground() {
        isLoading = true
        // The zone the console read once at start (`BrowseClock.console`), not another read of the workspace row.
        // The notices the start-up panel just read, if it did, rather than reading them again.
        let session = context.session, clock = BrowseClock.console(context), post = context.post
        let notices = context.startNotices.take()
        Task.detached(priority: .userInitiated) {
            do {
                let overview = try await session.read(.overview(clock: clock, notices: notices))
                post(Loaded(result: .success((clock, overview))))
            } catch {
                post(Loaded(result: .failure(error)))
            }
        }
    }

    mutating func load() {
        do {
            let clock = try context.session.read(.browseClock(now: context.now()))
            self.clock = clock
            overview = try context.session.read(.overview(clock: clock))
            loadError = nil
        } catch {
            loadError = "Could not read the overview: \(error)"
        }
    }

    /// The attention items, in screen order; Enter goes where each one is dealt with.
    private var items: [AttentionItem] {
        guard let overview else { return [] }
        return screens.attention(overview)
    }

    func render(into grid: inout Grid, area: Rect) {
        let inner = area.inset(horizontal: 2, vertical: 1)
        if let loadError {
            grid.put(loadError, x: inner.x, y: inner.y, style: .error, maxWidth: inner.width)
            return
        }
        guard let overview, let clock else {
            if isLoading {
                grid.put("Calls per day, last 90 days", x: inner.x, y: inner.y, style: .header, maxWidth: inner.width)
                grid.put("counting…", x: inner.x, y: inner.y + 1, style: .dim, maxWidth: inner.width)
            }
            return
        }
        var y = inner.y
        renderChart(overview, clock: clock, into: &grid, x: inner.x, y: &y, width: inner.width)
        y += 1
        grid.put("Needs attention", x: inner.x, y: y, style: .header, maxWidth: inner.width)
        y += 1
        for (index, item) in items.enumerated() where y < inner.maxY {
            let selected = index == selectedItem
            let rowStyle: Style = selected ? .selection : .normal
            if selected { grid.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: .selection) }
            let countText = (item.state ?? DisplayText.count(item.count)).leftPadded(to: 8)
            grid.put(countText, x: inner.x, y: y, style: selected ? rowStyle : (item.isWarning ? .warning : .accent), maxWidth: 8)
            grid.put("  " + item.label, x: inner.x + 8, y: y, style: rowStyle, maxWidth: inner.width - 8)
            y += 1
        }
        // The items' details (each notice needing an answer), after the list, while there is room.
        let details = items.flatMap(\.details)
        if !details.isEmpty && y + 1 < inner.maxY {
            y += 1
            for detail in details where y < inner.maxY {
                grid.put("  • " + detail, x: inner.x, y: y, style: .normal, maxWidth: inner.width)
                y += 1
            }
        }
    }

    /// Calls per day as a column chart: up to six rows of eighth-blocks. It takes the width it
    /// has: each day as many columns as fit (two at 200 columns), or, where even one column a day
    /// is too many (80 columns), the most recent days that fit, and the title and the total say how
    /// many days are drawn.
    private func renderChart(_ overview: Overview, clock: BrowseClock, into grid: inout Grid, x: Int, y: inout Int, width: Int) {
        let layout = Self.chartLayout(days: overview.callsPerDay.count, width: width)
        let shown = Array(overview.callsPerDay.suffix(layout.days))
        let total = shown.reduce(0, +)
        let peak = shown.max() ?? 0
        let chartWidth = layout.days * layout.columnsPerDay
        grid.put("Calls per day, last \(DisplayText.count(layout.days, "day"))", x: x, y: y, style: .header, maxWidth: width)
        let summary = "\(DisplayText.count(total, "call")) · busiest day \(DisplayText.count(peak))"
        let summaryWidth = TextWidth.width(of: summary)
        // Right-aligned to the chart's own right edge, not the screen's.
        if summaryWidth + 34 < 6 + chartWidth { grid.put(summary, x: x + 6 + chartWidth - summaryWidth, y: y, style: .dim, maxWidth: summaryWidth) }
        y += 1
        let chartHeight = 6
        let columns = shown.flatMap { Array(repeating: Double($0), count: layout.columnsPerDay) }
        ColumnChart(values: columns, height: chartHeight).render(into: &grid, area: Rect(x: x + 6, y: y, width: chartWidth, height: chartHeight))
        grid.put(DisplayText.count(peak).leftPadded(to: 5), x: x, y: y, style: .dim, maxWidth: 5)
        grid.put("0".leftPadded(to: 5), x: x, y: y + chartHeight - 1, style: .dim, maxWidth: 5)
        y += chartHeight
        let firstShown = overview.firstDay.adding(days: overview.callsPerDay.count - shown.count)
        grid.put(firstShown.shortLabel, x: x + 6, y: y, style: .dim, maxWidth: 10)
        let todayLabel = "today"
        grid.put(todayLabel, x: x + 6 + chartWidth - todayLabel.count, y: y, style: .dim, maxWidth: todayLabel.count)
        y += 1
    }

    /// How many of `days` the chart draws in `width` columns (6 go to the axis labels), and how
    /// many columns each day takes.
    static func chartLayout(days: Int, width: Int) -> (days: Int, columnsPerDay: Int) {
        let room = max(1, width - 6)
        guard days > 0 else { return (0, 1) }
        if room < days { return (room, 1) }
        return (days, room / days)
    }

    mutating func handle(_ key: Key) -> TabResponse {
        switch keys.press(key, by: context.actor) {
        case .unbound: return .ignored
        case .refused(let refusal): return .flash(refusal, isError: true)
        case .action(.move(let move), _):
            let count = items.count
            guard count > 0 else { return .handled }
            if move == .up { selectedItem = max(0, selectedItem - 1) }
            if move == .down { selectedItem = min(count - 1, selectedItem + 1) }
        case .action(.open, _):
            guard let item = items[safe: selectedItem] else { return .handled }
            guard let destination = item.destination else { return .flash("Nothing here can open that", isError: true) }
            return .navigate(destination)
        case .action(.refresh, _):
            load()
        }
        return .handled
    }

    mutating func receive(_ message: any Sendable) -> Bool {
        if let loaded = message as? Loaded {
            isLoading = false
            switch loaded.result {
            case .success(let value):
                clock = value.clock
                overview = value.overview
                loadError = nil
            case .failure(let error):
                loadError = "Could not read the overview: \(error)"
            }
            return true
        }
        // A finished purge changes the recording figures.
        if let activity = message as? BackgroundActivity, activity.isFinished { load(); return true }
        return false
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}

extension String {
    func leftPadded(to width: Int) -> String {
        let shown = TextWidth.width(of: self)
        return shown >= width ? self : String(repeating: " ", count: width - shown) + self
    }
}

extension LocalDate {
    /// "23 Aug".
    var shortLabel: String { "\(day) \(DisplayText.monthName(month))" }
}
