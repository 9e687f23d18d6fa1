import Foundation
@testable import HandletDomain
import XCTest

/// Issue 21: one date grammar for the console's audit filter and the CLI's --since/--until.
final class DateInputTests: XCTestCase {
    /// Wednesday 2026-03-11 10:00 in London (GMT, before the clocks change).
    private let clock = BrowseClock(now: Date(timeIntervalSince1970: 1_773_223_200), timeZone: TimeZone(identifier: "Europe/London")!)

    private func day(_ text: String, _ end: DateInput.End = .start) throws -> LocalDate {
        try DateInput(parsing: text, as: end, allowingInstants: false).day(today: clock.today)
    }

    private func instant(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    func testNamedAndCountedDaysCountBackFromTheWorkspacesToday() throws {
        XCTAssertEqual(clock.today, LocalDate(year: 2026, month: 3, day: 11))
        XCTAssertEqual(try day("today"), LocalDate(year: 2026, month: 3, day: 11))
        XCTAssertEqual(try day(" Yesterday "), LocalDate(year: 2026, month: 3, day: 10))
        XCTAssertEqual(try day("7d"), LocalDate(year: 2026, month: 3, day: 5), "today and the six days before")
        XCTAssertEqual(try day("1d"), clock.today)
        XCTAssertEqual(try day("2026-02-28"), LocalDate(year: 2026, month: 2, day: 28))
        // On a Wednesday: last monday is two days ago; "wednesday" is a week ago, never today.
        XCTAssertEqual(try day("last monday"), LocalDate(year: 2026, month: 3, day: 9))
        XCTAssertEqual(try day("MON"), LocalDate(year: 2026, month: 3, day: 9))
        XCTAssertEqual(try day("wednesday"), LocalDate(year: 2026, month: 3, day: 4))
        XCTAssertEqual(try day("last  thursday"), LocalDate(year: 2026, month: 3, day: 5))
    }

    func testADayIsWholeInTheWorkspacesZoneAcrossTheClockChange() throws {
        let summer = try DateInput(parsing: "2026-03-29", as: .end, allowingInstants: false)
        XCTAssertEqual(summer.start(clock), instant("2026-03-29T00:00:00Z"))
        XCTAssertEqual(summer.end(clock), instant("2026-03-29T23:00:00Z"), "the day the clocks go forward lasts 23 hours")
        let july = try DateInput(parsing: "2026-07-01", as: .start, allowingInstants: false)
        XCTAssertEqual(july.start(clock), instant("2026-06-30T23:00:00Z"), "midnight BST")
        let week = try DateInput(parsing: "7d", as: .start, allowingInstants: false)
        XCTAssertEqual(week.end(clock), instant("2026-03-12T00:00:00Z"), "7d runs to the end of today")
    }

    func testInstantsOnlyWhereTheFilterTakesThem() throws {
        let exact = try DateInput(parsing: "2026-03-14T09:30:00Z", as: .start, allowingInstants: true)
        XCTAssertEqual(exact, .instant(instant("2026-03-14T09:30:00Z")))
        XCTAssertEqual(exact.start(clock), exact.end(clock))
        XCTAssertEqual(try DateInput(parsing: "2026-03-14T09:30:00.250Z", as: .end, allowingInstants: true).start(clock),
                       instant("2026-03-14T09:30:00Z").addingTimeInterval(0.25))
        XCTAssertThrowsError(try DateInput(parsing: "2026-03-14T09:30:00Z", as: .start, allowingInstants: false))
    }

    func testRefusalsNameTheWholeGrammarAndAreUsageErrors() {
        for text in ["2026-02-30", "tomorrow", "7", "0d", "36501d", "mo", "", "2026-3-1"] {
            XCTAssertThrowsError(try DateInput(parsing: text, as: .start, allowingInstants: true), text) { error in
                let refusal = error as? DateInputError
                XCTAssertEqual(refusal?.exitClass, .usage)
                XCTAssertEqual(refusal?.description,
                               "\"\(text)\" is not a date: give today, yesterday, a number of days like 7d, a weekday like "
                                   + "\"last monday\", a date YYYY-MM-DD (a real calendar date) or an instant like 2026-03-14T09:30:00Z.")
            }
        }
        XCTAssertThrowsError(try DateInput(parsing: "7d", as: .end, allowingInstants: false), "a count only starts a range") { error in
            XCTAssertFalse(String(describing: error).contains("7d,"), "the end's forms leave counts out: \(error)")
        }
        let long = String(repeating: "x", count: 500)
        XCTAssertThrowsError(try DateInput(parsing: long, as: .start, allowingInstants: false)) { error in
            XCTAssertLessThan(String(describing: error).count, 300, "the text is echoed short")
        }
    }

    func testRangesAsTheConsolePromptTakesThem() throws {
        let single = try DateInput.range(parsing: "2026-03-10", clock: clock, allowingInstants: true)
        XCTAssertEqual(single.since, instant("2026-03-10T00:00:00Z"))
        XCTAssertEqual(single.until, instant("2026-03-11T00:00:00Z"))
        let week = try DateInput.range(parsing: "7d", clock: clock, allowingInstants: true)
        XCTAssertEqual(week.since, instant("2026-03-05T00:00:00Z"))
        XCTAssertEqual(week.until, instant("2026-03-12T00:00:00Z"))
        let open = try DateInput.range(parsing: "yesterday..", clock: clock, allowingInstants: true)
        XCTAssertEqual(open.since, instant("2026-03-10T00:00:00Z"))
        XCTAssertNil(open.until)
        let upTo = try DateInput.range(parsing: "..last monday", clock: clock, allowingInstants: true)
        XCTAssertNil(upTo.since)
        XCTAssertEqual(upTo.until, instant("2026-03-10T00:00:00Z"), "TO is included")
        let none = try DateInput.range(parsing: "  ", clock: clock, allowingInstants: true)
        XCTAssertNil(none.since)
        XCTAssertNil(none.until)

        XCTAssertThrowsError(try DateInput.range(parsing: "2026-03-10..2026-03-01", clock: clock, allowingInstants: true)) { error in
            XCTAssertEqual(error as? DateInputError, .backwards)
        }
        for text in ["..", "nonsense", "2026-03-01..later", "a..b..c"] {
            XCTAssertThrowsError(try DateInput.range(parsing: text, clock: clock, allowingInstants: true), text) { error in
                XCTAssertTrue(String(describing: error).hasSuffix("or FROM..TO, either side of which may be empty."), "\(error)")
            }
        }
    }
}
