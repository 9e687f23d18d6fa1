import Foundation
import ArgumentParser
import HandletDomain
import TerminalUI

/// The filters calls and messages share, declared once: `FilterOptions` (`messages list`, `search`)
/// and `CallFilterOptions` (`calls list`) both include them, so every flag means the same in each.
struct SharedFilterOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("First day shown: today, yesterday, 7d (any Nd), \"last monday\" (any weekday), or YYYY-MM-DD.", valueName: "DAY"))
    var since: String?

    @Option(name: .long, help: ArgumentHelp("Last day shown (included): today, yesterday, a weekday, or YYYY-MM-DD.", valueName: "DAY"))
    var until: String?

    @Option(name: .long, parsing: .singleValue,
            help: ArgumentHelp("Only this outcome (repeatable): \(CallOutcome.allCases.map(\.rawValue).joined(separator: ", ")).",
                               valueName: "OUTCOME"))
    var outcome: [CallOutcome] = []

    @Option(name: .long, help: ArgumentHelp("Only inbound or outbound.", valueName: "DIRECTION"))
    var direction: Direction?

    @Flag(name: .long, inversion: .prefixedNo, help: "Only calls whose audio is held (--no-has-recording: only calls without).")
    var hasRecording: Bool?

    @Option(name: .long, help: ArgumentHelp("Only calls handled by ai_agent, staff or voicemail.", valueName: "HANDLER"))
    var handledBy: HandledBy?

    /// `--since`/`--until` in the domain's one date grammar (`DateInput`); days only here, as the
    /// lists filter whole days. A value it refuses is a usage error naming the flag.
    static func day(_ text: String?, flag: String, as end: DateInput.End) throws -> DateInput? {
        guard let text else { return nil }
        do { return try DateInput(parsing: text, as: end, allowingInstants: false) } catch {
            throw ValidationError("--\(flag) \(error)")
        }
    }

    /// A day that comes before the first is refused before anything is opened.
    func validate() throws {
        let since = try Self.day(since, flag: "since", as: .start)
        let until = try Self.day(until, flag: "until", as: .end)
        if case .date(let from)? = since, case .date(let to)? = until, to < from {
            throw ValidationError("--since \(from) --until \(to): \(DateInputError.backwards)")
        }
    }

    /// The date range in the workspace's calendar, using the named ranges when they fit so that
    /// chips and JSON say "7 days" rather than two dates.
    func dateRange(today: LocalDate) throws -> DateRange? {
        let since = try Self.day(since, flag: "since", as: .start)
        let until = try Self.day(until, flag: "until", as: .end)
        switch (since, until) {
        case (nil, nil): return nil
        case (.lastDays(1)?, nil): return .today
        case (.lastDays(7)?, nil): return .last7Days
        case (.lastDays(30)?, nil): return .last30Days
        default:
            let range = DateRange.custom(from: since?.day(today: today), to: until?.day(today: today))
            if range.isBackwards { throw CommandFailure("--since/--until: \(DateInputError.backwards)", .usage) }
            return range
        }
    }

    /// The whole browse filter, with `--channel` for messages (nil for calls).
    func filter(today: LocalDate, channel: Channel?) throws -> BrowseFilter {
        BrowseFilter(dateRange: try dateRange(today: today), outcomes: Set(outcome), channel: channel,
                     direction: direction, hasRecording: hasRecording, handledBy: handledBy)
    }
}

/// The browsing filters as flags for `messages list` and `search` (the console's `f` filter, for
/// scripts): the shared ones and a message's `--channel`.
struct FilterOptions: ParsableArguments {
    @OptionGroup var shared: SharedFilterOptions

    @Option(name: .long, help: ArgumentHelp("Only this channel: sms, whatsapp, email, webchat.", valueName: "CHANNEL"))
    var channel: Channel?

    func filter(today: LocalDate) throws -> BrowseFilter { try shared.filter(today: today, channel: channel) }

    /// The messages part, refusing call-only flags rather than ignoring them.
    func messageFilter(today: LocalDate) throws -> MessageFilter {
        guard let filter = try self.filter(today: today).messageFilter else {
            throw CommandFailure("--outcome, --has-recording and --handled-by apply to calls; messages have none of them.", .usage)
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
        guard (1...10_000).contains(limit) else { throw outOfRange("--limit \(limit): expected 1 to 10000.") }
    }
}

extension CallOutcome: ExpressibleByArgument {}
extension Channel: ExpressibleByArgument {}
extension Direction: ExpressibleByArgument {}
extension HandledBy: ExpressibleByArgument {}

/// The filters that apply to calls, for `calls list`: its `--help` offers only the shared ones (a
/// message's `--channel` is `messages list`'s).
struct CallFilterOptions: ParsableArguments {
    @OptionGroup var shared: SharedFilterOptions

    /// Not offered (help, completions, man page): taken only to say why it does not apply.
    @Option(name: .long, help: ArgumentHelp(visibility: .private))
    var channel: String?

    func validate() throws {
        if channel != nil { throw ValidationError("--channel applies to messages; calls have no channel.") }
    }

    func callFilter(today: LocalDate) throws -> CallFilter {
        // No channel given, so the browse filter always has its calls part.
        guard let filter = try shared.filter(today: today, channel: nil).callFilter else {
            throw CommandFailure("--channel applies to messages; calls have no channel.", .usage)
        }
        return filter
    }
}
