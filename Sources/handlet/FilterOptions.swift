import Foundation
import ArgumentParser
import HandletDomain
import TerminalUI

/// The browsing filters as flags, the same for `calls list`, `messages list` and `search`
/// (the console's `f` filter, for scripts).
struct FilterOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("First day shown: today, yesterday, 7d (any Nd), \"last monday\" (any weekday), or YYYY-MM-DD.", valueName: "DAY"))
    var since: String?

    @Option(name: .long, help: ArgumentHelp("Last day shown (included): today, yesterday, a weekday, or YYYY-MM-DD.", valueName: "DAY"))
    var until: String?

    @Option(name: .long, parsing: .singleValue,
            help: ArgumentHelp("Only this outcome (repeatable): \(CallOutcome.allCases.map(\.rawValue).joined(separator: ", ")).",
                               valueName: "OUTCOME"))
    var outcome: [CallOutcome] = []

    @Option(name: .long, help: ArgumentHelp("Only this channel: sms, whatsapp, email, webchat.", valueName: "CHANNEL"))
    var channel: Channel?

    @Option(name: .long, help: ArgumentHelp("Only inbound or outbound.", valueName: "DIRECTION"))
    var direction: Direction?

    @Flag(name: .long, inversion: .prefixedNo, help: "Only calls whose audio is held (--no-has-recording: only calls without).")
    var hasRecording: Bool?

    @Option(name: .long, help: ArgumentHelp("Only calls handled by ai_agent, staff or voicemail.", valueName: "HANDLER"))
    var handledBy: HandledBy?

    /// A day as typed: an absolute date, a count of days back from today, or a day named
    /// relative to today (`yesterday`, `last monday`, `friday`).
    enum Day: Equatable {
        case date(LocalDate)
        /// `today` is 1 day: today only; `7d` is today and the 6 days before.
        case lastDays(Int)
        /// `yesterday` is 1.
        case daysAgo(Int)
        /// The latest day before today with this Gregorian weekday (1 Sunday … 7 Saturday):
        /// on a Monday, `last monday` and `monday` are a week ago.
        case previousWeekday(Int)

        static let weekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]

        init(parsing text: String, flag: String, allowingCounts: Bool) throws {
            let lowered = text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
            if lowered == "today" { self = .lastDays(1); return }
            if lowered == "yesterday" { self = .daysAgo(1); return }
            if let date = LocalDate(parsing: text) { self = .date(date); return }
            let name = lowered.hasPrefix("last ") ? String(lowered.dropFirst(5)) : lowered
            if name.count >= 3, let index = Self.weekdays.firstIndex(where: { $0.hasPrefix(name) }) {
                self = .previousWeekday(index + 1)
                return
            }
            if allowingCounts, lowered.hasSuffix("d"), let count = Int(lowered.dropLast()), (1...36_500).contains(count) {
                self = .lastDays(count)
                return
            }
            let forms = (allowingCounts ? "today, yesterday, a number of days like 7d" : "today, yesterday")
                + ", a weekday like \"last monday\", or a date YYYY-MM-DD"
            throw ValidationError("--\(flag) \(Sanitizer.echo(text)): expected \(forms) (a real calendar date).")
        }

        func date(today: LocalDate) -> LocalDate {
            switch self {
            case .date(let date): date
            case .lastDays(let count): today.adding(days: -(count - 1))
            case .daysAgo(let count): today.adding(days: -count)
            case .previousWeekday(let weekday):
                today.adding(days: -(((Self.weekday(of: today) - weekday + 7) % 7).nonZero ?? 7))
            }
        }

        static func weekday(of day: LocalDate) -> Int {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let date = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day))!
            return calendar.component(.weekday, from: date)
        }
    }

    func validate() throws {
        let since = try self.since.map { try Day(parsing: $0, flag: "since", allowingCounts: true) }
        let until = try self.until.map { try Day(parsing: $0, flag: "until", allowingCounts: false) }
        if case .date(let from)? = since, case .date(let to)? = until, to < from {
            throw ValidationError("--until \(to) is before --since \(from): no day is in that range.")
        }
    }

    /// The date range in the workspace's calendar, using the named ranges when they fit so that
    /// chips and JSON say "7 days" rather than two dates.
    func dateRange(today: LocalDate) throws -> DateRange? {
        let since = try self.since.map { try Day(parsing: $0, flag: "since", allowingCounts: true) }
        let until = try self.until.map { try Day(parsing: $0, flag: "until", allowingCounts: false) }
        switch (since, until) {
        case (nil, nil): return nil
        case (.lastDays(1)?, nil): return .today
        case (.lastDays(7)?, nil): return .last7Days
        case (.lastDays(30)?, nil): return .last30Days
        default:
            let range = DateRange.custom(from: since?.date(today: today), to: until?.date(today: today))
            if range.isBackwards { throw CommandFailure("--until is before --since: no day is in that range.") }
            return range
        }
    }

    func filter(today: LocalDate) throws -> BrowseFilter {
        BrowseFilter(dateRange: try dateRange(today: today), outcomes: Set(outcome), channel: channel,
                     direction: direction, hasRecording: hasRecording, handledBy: handledBy)
    }

    /// The calls part, refusing a message-only flag rather than ignoring it.
    func callFilter(today: LocalDate) throws -> CallFilter {
        guard let filter = try self.filter(today: today).callFilter else {
            throw CommandFailure("--channel applies to messages; calls have no channel.")
        }
        return filter
    }

    /// The messages part, refusing call-only flags rather than ignoring them.
    func messageFilter(today: LocalDate) throws -> MessageFilter {
        guard let filter = try self.filter(today: today).messageFilter else {
            throw CommandFailure("--outcome, --has-recording and --handled-by apply to calls; messages have none of them.")
        }
        return filter
    }
}

/// `--limit`, `--after CURSOR` and `--json` of a paged listing (`calls list`, `messages list`).
struct PageOptions: ParsableArguments {
    @OptionGroup var limit: LimitOption
    @Option(name: .long, help: ArgumentHelp("Continue after this row (a `cursor` from the previous page).", valueName: "CURSOR"))
    var after: String?
    @Flag(name: .long, help: "Print JSON (fields in docs/json.md).") var json = false

    func validate() throws {
        // Every list cursor is written "<time>.<id>".
        if let after, CallCursor(after) == nil {
            throw ValidationError("--after \(Sanitizer.echo(after)): expected a cursor like 1773230400.42 from a previous listing.")
        }
    }

    /// After a full page, where the next one starts, on standard error so the table stays clean.
    func printNextPageHint<Cursor: CustomStringConvertible>(rows: Int, lastCursor: Cursor?) {
        guard !json, rows == limit.limit, let lastCursor else { return }
        // A cursor is digits and a dot: nothing in it needs sanitising.
        FileHandle.standardError.write(Data("More rows follow: add --after \(lastCursor) for the next page.\n".utf8))
    }

    /// The first page, or the page after `--after`.
    func rows<List: KeysetList>(of list: List, cursor: (String) -> List.Cursor?, in session: BrowseSession) throws -> [List.Row] {
        let pager = session.pager(list)
        return try failing {
            if let after, let cursor = cursor(after) { return try pager.after(cursor, limit: limit.limit) }
            return try pager.first(limit: limit.limit)
        }
    }
}

/// `--limit N`: how many rows a listing prints.
struct LimitOption: ParsableArguments {
    // Unconditional: `--limit -1` takes -1 as the value (and gets the same error as `--limit=-1`)
    // instead of reading it as an unknown flag and reporting a missing value.
    @Option(name: .long, parsing: .unconditional, help: "How many rows to print (1 to 10000).")
    var limit = 50

    func validate() throws {
        guard (1...10_000).contains(limit) else { throw ValidationError("--limit \(limit): expected 1 to 10000.") }
    }
}

extension CallOutcome: ExpressibleByArgument {}
extension Channel: ExpressibleByArgument {}
extension Direction: ExpressibleByArgument {}
extension HandledBy: ExpressibleByArgument {}

private extension Int {
    var nonZero: Int? { self == 0 ? nil : self }
}
