import Foundation
import GRDB

/// The moment and the workspace time zone that browsing computes against.
///
/// Passed in rather than read from the system clock so that tests, the CLI and the console agree
/// on "today" and "days left", and so a test can stand on any date.
public struct BrowseClock: Sendable, Hashable {
    public var now: Date
    public var timeZone: TimeZone

    public init(now: Date, timeZone: TimeZone) {
        self.now = now
        self.timeZone = timeZone
    }

    /// The workspace's own zone (DESIGN §3: Europe/London unless configured otherwise).
    static func workspace(_ workspace: Workspace, now: Date = Date()) throws -> BrowseClock {
        try workspace.dbPool.read { db in try current(db, now: now) }
    }

    static func current(_ db: Database, now: Date) throws -> BrowseClock {
        let settings = try WorkspaceRecord.stored(db)!
        return BrowseClock(now: now, timeZone: TimeZone(identifier: settings.timeZone) ?? TimeZone(identifier: "Europe/London")!)
    }

    public var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        calendar.firstWeekday = 2 // Monday, as in the UK
        return calendar
    }

    var nowSeconds: Int64 { Int64(now.timeIntervalSince1970.rounded(.down)) }

    /// The calendar day containing `now` in the workspace zone.
    public var today: LocalDate { LocalDate(containing: now, in: timeZone) }

    /// Midnight starting the given day, in unix seconds (DST-aware: a day may last 23 or 25 hours).
    func startOfDay(_ day: LocalDate) -> Int64 {
        Int64(calendar.date(from: day.components)!.timeIntervalSince1970)
    }

    /// Monday 00:00 of the current week.
    var startOfWeek: Int64 {
        let interval = calendar.dateInterval(of: .weekOfYear, for: now)!
        return Int64(interval.start.timeIntervalSince1970)
    }
}
