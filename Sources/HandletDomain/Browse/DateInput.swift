import Foundation

/// A day or an instant as a person types it into a date filter: the one grammar of the console's
/// filters and the CLI's `--since`/`--until` (calls, messages, search, audit), with one set of
/// messages. Days are whole days in the workspace's zone (`BrowseClock`).
///
/// - `today`, `yesterday`
/// - `7d` (any `Nd`, 1 to 36500): today and the N−1 days before it; only where a range starts
/// - a weekday, `monday` or `last monday` (three letters or more): the latest one before today,
///   so on a Monday both mean a week ago
/// - `YYYY-MM-DD`, a real calendar date
/// - an ISO 8601 instant (`2026-03-14T09:30:00Z`), where the filter takes instants (the audit log)
public enum DateInput: Equatable, Sendable {
    case date(LocalDate)
    /// `today` is 1 day: today only; `7d` is today and the 6 days before.
    case lastDays(Int)
    /// `yesterday` is 1.
    case daysAgo(Int)
    /// The latest day before today with this Gregorian weekday (1 Sunday … 7 Saturday).
    case previousWeekday(Int)
    case instant(Date)

    /// Which end of a range the text names: counts of days (`7d`) only start one.
    public enum End: Sendable { case start, end }

    static let weekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
    static let longestCount = 36_500

    public init(parsing text: String, as end: End, allowingInstants: Bool) throws {
        let lowered = text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        if lowered == "today" { self = .lastDays(1); return }
        if lowered == "yesterday" { self = .daysAgo(1); return }
        if let date = LocalDate(parsing: lowered) { self = .date(date); return }
        let name = lowered.hasPrefix("last ") ? String(lowered.dropFirst(5)) : lowered
        if name.count >= 3, let index = Self.weekdays.firstIndex(where: { $0.hasPrefix(name) }) {
            self = .previousWeekday(index + 1)
            return
        }
        if end == .start, lowered.hasSuffix("d"), let count = Int(lowered.dropLast()), (1...Self.longestCount).contains(count) {
            self = .lastDays(count)
            return
        }
        if allowingInstants, let instant = Self.instant(text.trimmingCharacters(in: .whitespaces)) {
            self = .instant(instant)
            return
        }
        throw DateInputError.notADate(text, expected: Self.forms(end, allowingInstants: allowingInstants))
    }

    /// A range as the console's filter prompt takes it: one day or instant (`2026-11-23`, `7d`,
    /// `yesterday`), or `FROM..TO` with either side empty. Empty text is no range at all.
    /// Returns the first instant included and the first no longer included.
    public static func range(parsing text: String, clock: BrowseClock, allowingInstants: Bool) throws -> (since: Date?, until: Date?) {
        let text = text.trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return (nil, nil) }
        let parts = text.components(separatedBy: "..")
        do {
            switch parts.count {
            case 1:
                let input = try DateInput(parsing: text, as: .start, allowingInstants: allowingInstants)
                // A single instant starts the range; a single day (or `7d`) covers it to its end.
                if case .instant(let instant) = input { return (instant, nil) }
                return (input.start(clock), input.end(clock))
            case 2:
                let from = parts[0].trimmingCharacters(in: .whitespaces), to = parts[1].trimmingCharacters(in: .whitespaces)
                guard !from.isEmpty || !to.isEmpty else { break }
                let since = try from.isEmpty ? nil : DateInput(parsing: from, as: .start, allowingInstants: allowingInstants).start(clock)
                let until = try to.isEmpty ? nil : DateInput(parsing: to, as: .end, allowingInstants: allowingInstants).end(clock)
                try checkOrder(since: since, until: until)
                return (since, until)
            default: break
            }
        } catch DateInputError.notADate {
            // Say the whole grammar, ranges included, rather than the one side.
        }
        throw DateInputError.notADate(text, expected: "a day (" + forms(.start, allowingInstants: allowingInstants)
                                      + ") or FROM..TO, either side of which may be empty")
    }

    /// Refuses a range whose end is not after its start: it could match nothing.
    public static func checkOrder(since: Date?, until: Date?) throws {
        if let since, let until, until <= since { throw DateInputError.backwards }
    }

    /// The first instant included: the start of the day, or the instant itself.
    public func start(_ clock: BrowseClock) -> Date {
        if case .instant(let instant) = self { return instant }
        return Date(timeIntervalSince1970: TimeInterval(clock.startOfDay(day(today: clock.today))))
    }

    /// The first instant no longer included: the start of the day after, or the instant itself.
    /// `7d` ends with today.
    public func end(_ clock: BrowseClock) -> Date {
        switch self {
        case .instant(let instant): return instant
        case .lastDays: return Date(timeIntervalSince1970: TimeInterval(clock.startOfDay(clock.today.adding(days: 1))))
        default: return Date(timeIntervalSince1970: TimeInterval(clock.startOfDay(day(today: clock.today).adding(days: 1))))
        }
    }

    /// The calendar day it names (its first day, for `7d`), counted back from `today`; an instant's
    /// day in UTC (callers with instants use `start`/`end`).
    public func day(today: LocalDate) -> LocalDate {
        switch self {
        case .date(let date): return date
        case .lastDays(let count): return today.adding(days: -(count - 1))
        case .daysAgo(let count): return today.adding(days: -count)
        case .previousWeekday(let weekday):
            let back = (Self.weekday(of: today) - weekday + 7) % 7
            return today.adding(days: -(back == 0 ? 7 : back))
        case .instant(let instant): return LocalDate(containing: instant, in: TimeZone(identifier: "UTC")!)
        }
    }

    static func weekday(of day: LocalDate) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.component(.weekday, from: calendar.date(from: day.components)!)
    }

    private static func instant(_ text: String) -> Date? {
        guard hasRealOffset(text) else { return nil }
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions.insert(.withFractionalSeconds)
        return formatter.date(from: text)
    }

    /// A UTC offset that exists: at most 14 hours (the world's range is −12:00 to +14:00) and
    /// 59 minutes; `Z` is one. `+25:00` is refused rather than read as a day and an hour.
    static func hasRealOffset(_ text: String) -> Bool {
        guard let time = text.firstIndex(of: "T") else { return true }
        if text.hasSuffix("Z") || text.hasSuffix("z") { return true }
        guard let sign = text[time...].lastIndex(where: { $0 == "+" || $0 == "-" }) else { return true }
        let digits = text[text.index(after: sign)...].filter { $0 != ":" }
        guard digits.count == 4 || digits.count == 2, digits.allSatisfy(\.isASCII), let value = Int(digits) else { return false }
        let hours = digits.count == 4 ? value / 100 : value, minutes = digits.count == 4 ? value % 100 : 0
        return hours <= 14 && minutes < 60
    }

    static func forms(_ end: End, allowingInstants: Bool) -> String {
        var forms = ["today", "yesterday"]
        if end == .start { forms.append("a number of days like 7d") }
        forms += ["a weekday like \"last monday\"", "a date YYYY-MM-DD (a real calendar date)"]
        if allowingInstants { forms.append("an instant like 2026-03-14T09:30:00Z") }
        return forms.dropLast().joined(separator: ", ") + " or " + forms.last!
    }
}

/// Why a date filter was refused. The text is echoed short; front ends sanitise it like any other.
public enum DateInputError: SysexitsError, Equatable, CustomStringConvertible {
    case notADate(String, expected: String)
    /// The end is not after the start.
    case backwards

    public var exitClass: ExitClass { .usage }

    public var description: String {
        switch self {
        case .notADate(let text, let expected):
            return "\"\(PlainText.echo(text))\" is not a date: give \(expected)."
        case .backwards:
            return "The end is before the start: nothing is in that range."
        }
    }
}
