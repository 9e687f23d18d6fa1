import Foundation
import HandletDomain
import TerminalUI

/// The first tab: how the phone line is doing and what needs attention, each item one Enter away.
struct OverviewTab: ConsoleTab {
    let context: ConsoleContext
    private var overview: Overview?
    private var clock: BrowseClock?
    private var loadError: String?
    private var selectedItem = 0

    /// The attention items, in screen order; Enter goes where each one is dealt with.
    private struct Item {
        var label: String
        var count: Int
        var destination: ConsoleDestination?
        var isWarning: Bool
    }

    enum Action: Sendable { case move(NavigationAction), open, refresh }
    static let keys = KeyMap<Action>([
        KeyBinding([.up, .char("k")], .move(.up), "Previous item", group: "Overview"),
        KeyBinding([.down, .char("j")], .move(.down), "Next item", group: "Overview"),
        KeyBinding([.enter], .open, "Open the selected item", group: "Overview"),
        KeyBinding([.char("r")], .refresh, "Refresh the figures", group: "Overview"),
    ])

    init(context: ConsoleContext) { self.context = context }

    var title: String { "Overview" }
    var helpEntries: [HelpEntry] { Self.keys.helpEntries }
    var status: String {
        guard let overview else { return "" }
        return "\(Formatting.count(overview.callsPerDay.reduce(0, +))) calls in 90 days"
    }

    mutating func activate() { load() }

    mutating func load() {
        do {
            let clock = try BrowseClock.workspace(context.workspace, now: context.now())
            self.clock = clock
            overview = try context.workspace.dbPool.read { try Overview.load(clock: clock, in: $0) }
            loadError = nil
        } catch {
            loadError = "Could not read the overview: \(error)"
        }
    }

    private var items: [Item] {
        guard let overview else { return [] }
        return [
            Item(label: "Missed calls this week", count: overview.missedCallsThisWeek,
                 destination: .calls(CallFilter(dateRange: .last7Days, outcomes: [.missed])), isWarning: overview.missedCallsThisWeek > 0),
            Item(label: "Callbacks requested this week", count: overview.callbacksRequestedThisWeek,
                 destination: .calls(CallFilter(dateRange: .last7Days, outcomes: [.callbackRequested])),
                 isWarning: overview.callbacksRequestedThisWeek > 0),
            Item(label: "Recordings expiring in the next 7 days", count: overview.recordingsExpiringSoon,
                 destination: .tab("Retention"), isWarning: false),
            Item(label: "Recordings past expiry, waiting for the purge", count: overview.recordingsOverdue,
                 destination: .tab("Retention"), isWarning: overview.recordingsOverdue > 0),
            Item(label: "Auto-Send drafts waiting for a person", count: overview.draftsWaiting,
                 destination: .tab("Auto-Send"), isWarning: overview.draftsWaiting > 0),
            Item(label: "Notices needing an answer", count: overview.noticesNeedingAnswer.count,
                 destination: .tab("Notices"), isWarning: !overview.noticesNeedingAnswer.isEmpty),
        ]
    }

    mutating func render(into grid: inout Grid, area: Rect) {
        if overview == nil && loadError == nil { load() }
        let inner = area.inset(horizontal: 2, vertical: 1)
        if let loadError {
            grid.put(loadError, x: inner.x, y: inner.y, style: .error, maxWidth: inner.width)
            return
        }
        guard let overview, let clock else { return }
        var y = inner.y
        renderChart(overview, clock: clock, into: &grid, x: inner.x, y: &y, width: inner.width)
        y += 1
        grid.put("Needs attention", x: inner.x, y: y, style: .header, maxWidth: inner.width)
        y += 1
        for (index, item) in items.enumerated() where y < inner.maxY {
            let selected = index == selectedItem
            let rowStyle: Style = selected ? .selection : .normal
            if selected { grid.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: .selection) }
            let countText = Formatting.count(item.count).leftPadded(to: 8)
            grid.put(countText, x: inner.x, y: y, style: selected ? rowStyle : (item.isWarning ? .warning : .accent), maxWidth: 8)
            grid.put("  " + item.label, x: inner.x + 8, y: y, style: rowStyle, maxWidth: inner.width - 8)
            y += 1
        }
        let notices = overview.noticesNeedingAnswer
        if !notices.isEmpty && y + 1 < inner.maxY {
            y += 1
            for notice in notices where y < inner.maxY {
                let why: String
                switch notice.reason {
                case .needsAcknowledgement: why = "needs acknowledging"
                case .objectionWindowOpen:
                    why = notice.objectionDeadline.map { "objections until \(Formatting.shortTime($0, clock: clock))" } ?? "objection window open"
                }
                grid.put("  • \(notice.title) (version \(notice.version)) — \(why)", x: inner.x, y: y, style: .normal, maxWidth: inner.width)
                y += 1
            }
        }
    }

    /// Calls per day as a column chart: up to six rows of eighth-blocks, one column per day.
    private func renderChart(_ overview: Overview, clock: BrowseClock, into grid: inout Grid, x: Int, y: inout Int, width: Int) {
        let values = overview.callsPerDay
        let total = values.reduce(0, +)
        let peak = values.max() ?? 0
        grid.put("Calls per day, last \(values.count) days", x: x, y: y, style: .header, maxWidth: width)
        let summary = "\(Formatting.count(total)) calls · busiest day \(Formatting.count(peak))"
        let summaryWidth = TextWidth.width(of: summary)
        if summaryWidth + 34 < width { grid.put(summary, x: x + width - summaryWidth, y: y, style: .dim, maxWidth: summaryWidth) }
        y += 1
        let shown = Array(values.suffix(max(1, width - 6)))
        let chartHeight = 6
        ColumnChart(values: shown.map(Double.init), height: chartHeight).render(into: &grid, area: Rect(x: x + 6, y: y, width: shown.count, height: chartHeight))
        grid.put(Formatting.count(peak).leftPadded(to: 5), x: x, y: y, style: .dim, maxWidth: 5)
        grid.put("0".leftPadded(to: 5), x: x, y: y + chartHeight - 1, style: .dim, maxWidth: 5)
        y += chartHeight
        let firstShown = overview.firstDay.adding(days: values.count - shown.count)
        grid.put(firstShown.shortLabel, x: x + 6, y: y, style: .dim, maxWidth: 10)
        let todayLabel = "today"
        grid.put(todayLabel, x: x + 6 + shown.count - todayLabel.count, y: y, style: .dim, maxWidth: todayLabel.count)
        y += 1
    }

    mutating func handle(_ key: Key) -> TabResponse {
        guard let action = Self.keys.action(for: key) else { return .ignored }
        switch action {
        case .move(let move):
            let count = items.count
            guard count > 0 else { return .handled }
            if move == .up { selectedItem = max(0, selectedItem - 1) }
            if move == .down { selectedItem = min(count - 1, selectedItem + 1) }
        case .open:
            guard let destination = items[safe: selectedItem]?.destination else { return .handled }
            return .navigate(destination)
        case .refresh:
            load()
        }
        return .handled
    }

    mutating func receive(_ message: any Sendable) -> Bool {
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
    var shortLabel: String { "\(day) \(Formatting.monthNames[month - 1])" }
}
