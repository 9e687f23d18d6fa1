import Foundation

/// Which days a list shows, always in the workspace time zone.
public enum DateRange: Hashable, Sendable {
    case today
    /// Since Monday 00:00 (the week the Overview counts), through today.
    case thisWeek
    /// Today and the six days before it.
    case last7Days
    /// Today and the 29 days before it.
    case last30Days
    /// Whole days, both ends included; either end may be open.
    case custom(from: LocalDate?, to: LocalDate?)

    /// Half-open bounds in unix seconds: `from <= t < until`. Nil means unbounded on that side.
    public func bounds(_ clock: BrowseClock) -> (from: Int64?, until: Int64?) {
        let today = clock.today
        switch self {
        case .today:
            return (clock.startOfDay(today), clock.startOfDay(today.adding(days: 1)))
        case .thisWeek:
            return (clock.startOfWeek, clock.startOfDay(today.adding(days: 1)))
        case .last7Days:
            return (clock.startOfDay(today.adding(days: -6)), clock.startOfDay(today.adding(days: 1)))
        case .last30Days:
            return (clock.startOfDay(today.adding(days: -29)), clock.startOfDay(today.adding(days: 1)))
        case .custom(let from, let to):
            return (from.map { clock.startOfDay($0) }, to.map { clock.startOfDay($0.adding(days: 1)) })
        }
    }

    /// The chip text: "Today", "7 days", "30 days", "1 Nov – 20 Nov 2026", "from 1 Nov 2026".
    public var label: String {
        switch self {
        case .today: return "Today"
        case .thisWeek: return "This week"
        case .last7Days: return "7 days"
        case .last30Days: return "30 days"
        case .custom(let from?, let to?):
            if from == to { return from.shortLabel(includingYear: true) }
            return "\(from.shortLabel(includingYear: from.year != to.year)) – \(to.shortLabel(includingYear: true))"
        case .custom(let from?, nil): return "from \(from.shortLabel(includingYear: true))"
        case .custom(nil, let to?): return "until \(to.shortLabel(includingYear: true))"
        case .custom(nil, nil): return "All time"
        }
    }

    /// A custom range whose end comes before its start matches nothing; say so instead.
    public var isBackwards: Bool {
        if case .custom(let from?, let to?) = self { return to < from }
        return false
    }
}
