import Foundation
@testable import HandletDomain
@testable import HandletConsole
import TerminalUI
import XCTest

/// Issue 25, "never misread a time or a count": one format per kind of time in the workspace's
/// stated zone, counts with their plurals, flashes that never cut a word, the keys and the
/// workspace always in the chrome, help that says there is more, and a chart that uses its width.
final class TimesAndCountsScreenTests: ConsoleScreenTestCase {
    static let sizes = [Size(width: 80, height: 24), Size(width: 200, height: 50)]
    private var london: BrowseClock { BrowseClock(now: ConsoleFixture.now, timeZone: TimeZone(identifier: "Europe/London")!) }

    // MARK: 1. One format per kind, in one stated zone

    func testOneFormatPerKindOfTime() {
        let clock = london
        let summer = Date(timeIntervalSince1970: 1_782_893_400)   // 1 Jul 2026 08:10 UTC, 09:10 BST
        XCTAssertEqual(DisplayText.timestamp(summer, clock: clock), "1 Jul 2026 09:10", "in the workspace's zone")
        XCTAssertEqual(DisplayText.zonedTimestamp(summer, clock: clock), "1 Jul 2026 09:10 BST")
        XCTAssertEqual(DisplayText.zonedTimestamp(ConsoleFixture.now, clock: clock), "23 Nov 2026 12:00 GMT")
        XCTAssertEqual(DisplayText.date(summer, clock: clock), "1 Jul 2026")
        XCTAssertEqual(DisplayText.date(LocalDate(year: 2026, month: 12, day: 27)), "27 Dec 2026")
        XCTAssertEqual(DisplayText.instant(summer), "1 Jul 2026 08:10 UTC", "without a clock, the zone is said")
        XCTAssertEqual(NoticeDateText.day(Date(timeIntervalSince1970: 1_798_329_600)), "27 Dec 2026", "a notice's day, as every date")
        XCTAssertEqual(DisplayText.duration(245), "4m 05s")
        XCTAssertEqual(DisplayText.zoneName(clock), "Europe/London")
        XCTAssertEqual(DisplayText.zoneShortName(clock), "London time", "true in summer too, unlike GMT")
    }

    /// The zone every time is in is in the status bar, at 80x24 and at 200x50.
    func testTheStatusBarNamesTheZone() {
        for size in Self.sizes {
            let driver = makeDriver(size: size)
            let status = driver.grid.lines.last!
            XCTAssertTrue(status.contains("Europe/London") || status.contains("London time"), "\(size): \(status)")
        }
    }

    /// A call's time reads the same in its detail as the deadline-free list: day, month, year and
    /// time, never a weekday-and-seconds form beside an ISO one.
    func testTheCallDetailUsesTheOneTimestampFormat() {
        var driver = makeDriver(size: Size(width: 80, height: 24))
        driver.goTo(.calls)
        driver.press(.enter)
        let when = driver.grid.lines.first { $0.contains("When") } ?? ""
        XCTAssertTrue(when.contains("23 Nov 2026 11:00"), when)
        XCTAssertFalse(when.contains("Mon "), "no second format with a weekday and seconds: \(when)")
    }

    // MARK: 2. The Overview counts the last 7 days

    func testTheOverviewCountsTheLastSevenDaysAndSaysSo() {
        // The fixture's "now" is a Monday noon: 120 hourly calls go back to the Thursday before,
        // so a count "since Monday" would say 3 missed where the last 7 days had 24.
        for size in Self.sizes {
            let driver = makeDriver(size: size)
            let line = driver.grid.lines.first { $0.contains("Missed calls") } ?? ""
            XCTAssertTrue(line.contains("last 7 days"), "\(size): \(line)")
            XCTAssertTrue(line.trimmingCharacters(in: .whitespaces).hasPrefix("24 "), "\(size): \(line)")
            XCTAssertFalse(driver.text.contains("this week"), driver.text)
        }
    }

    // MARK: 3. Plurals

    func testPluralsAreRight() {
        XCTAssertEqual(DisplayText.count(1, "message"), "1 message")
        XCTAssertEqual(DisplayText.count(2, "duty"), "2 duties")
        XCTAssertEqual(DisplayText.count(1, "thread"), "1 thread")
        XCTAssertEqual(DisplayText.count(1, "day"), "1 day")
        XCTAssertEqual(DisplayText.count(3, "day"), "3 days")
        XCTAssertEqual(DisplayText.count(2, "address"), "2 addresses")
        XCTAssertEqual(DisplayText.count(1_200, "expired recording"), "1,200 expired recordings")
        XCTAssertEqual(DisplayText.plural("person", 2, plural: "people"), "people")
        // The conversation header counts its messages right: the fixture's thread has 2.
        var driver = makeDriver(size: Size(width: 80, height: 24))
        driver.goTo(.messages)
        driver.press(.enter)
        XCTAssertTrue(driver.text.contains("2 messages"), driver.text)
        XCTAssertFalse(driver.text.contains("(s)"), driver.text)
    }

    /// "Quote by email" is as long as the label column: its value still stands apart.
    func testJobDetailLabelsNeverRunIntoTheirValues() {
        let line = CallDetailView.field("Quote by email", "yes", .normal, width: 80).first!.map(\.text).joined()
        XCTAssertTrue(line.hasPrefix("Quote by email  yes"), line)
        let longer = CallDetailView.field("Preferred arrival window", "morning", .normal, width: 80).first!.map(\.text).joined()
        XCTAssertTrue(longer.hasPrefix("Preferred arrival window  morning"), "a longer label is not cut either: \(longer)")
        let short = CallDetailView.field("When", "23 Nov 2026 11:00", .normal, width: 80).first!.map(\.text).joined()
        XCTAssertEqual(short, "When          23 Nov 2026 11:00", "short labels still line up")
    }

    // MARK: 4. Flashes never cut a word; the message log keeps them

    func testALongFlashWrapsAtWordsIntoTwoLines() {
        let text = "Purged 185 expired recordings (1.9 MB) under the workspace's retention period of 90 days; "
            + "the next purge runs tomorrow morning and removes what expires by then"
        var driver = makeDriver(size: Size(width: 80, height: 24))
        driver.screen.show(text, isError: false)
        driver.press()
        let bottom = driver.grid.lines[23], above = driver.grid.lines[22]
        let shown = (above + " " + bottom).split(separator: " ").map(String.init)
        let words = Set(text.split(separator: " ").map(String.init) + ["…", "(!", "for", "all", "messages)"])
        for word in shown {
            XCTAssertTrue(words.contains(word), "\"\(word)\" is a whole word of the message: \(above) / \(bottom)")
        }
        XCTAssertTrue(above.contains("Purged 185 expired recordings"), above)
        XCTAssertTrue(bottom.contains("90 days") || above.contains("90 days"), "the message goes on past the first line: \(above) / \(bottom)")
        XCTAssertTrue(bottom.contains("messages"), "what does not fit points at the log: \(bottom)")

        let lines = ConsoleScreen.flashLines(text, width: 40, moreHint: "(! for all messages)")
        XCTAssertEqual(lines.count, 2)
        XCTAssertTrue(lines[1].hasSuffix("… (! for all messages)"), lines[1])
        for line in lines { XCTAssertLessThanOrEqual(TextWidth.width(of: line), 40, line) }
    }

    /// The first run's flash: a purge summary while its progress is still in the bar. It used to
    /// be cut short with the status line's tail showing after it ("Purged 185 expired reco…n 90 days").
    func testAFlashBesideProgressIsWholeAndNothingShowsThroughIt() {
        var driver = makeDriver(size: Size(width: 80, height: 24))
        driver.deliver(BackgroundActivity(label: "Purging expired recordings", done: 12, total: 185))
        driver.screen.show("Purged 185 expired recordings (1.9 MB)", isError: false)
        driver.press()
        let flash = driver.grid.lines[23]
        XCTAssertEqual(flash.replacingOccurrences(of: #" +"#, with: " ", options: .regularExpression).trimmingCharacters(in: .whitespaces),
                       "Purged 185 expired recordings (1.9 MB) ? help : commands",
                       "whole, the keys kept, nothing of the status underneath showing through: \(flash)")
    }

    func testTheMessageLogShowsTheLastFiftyNewestFirst() {
        var driver = makeDriver(size: Size(width: 80, height: 24))
        for index in 1...55 { driver.screen.show("Message number \(index)", isError: index == 55) }
        XCTAssertEqual(driver.screen.messageLog.count, 50)
        XCTAssertEqual(driver.screen.messageLog.first?.text, "Message number 6")
        driver.press("messages", in: "Console")
        XCTAssertTrue(driver.text.contains("Last 50 messages"), driver.text)
        let newest = driver.row(containing: "Message number 55") ?? -1
        let older = driver.row(containing: "Message number 54") ?? -1
        XCTAssertTrue(newest >= 0 && newest < older, "newest first: \(driver.text)")
        XCTAssertTrue(driver.text.contains("more line"), "the log scrolls, and says so: \(driver.text)")
        driver.press(.escape)
        XCTAssertFalse(driver.text.contains("Last 50 messages"))
    }

    // MARK: 5. Chrome: the keys, the workspace, help that says there is more

    func testTheStatusBarAlwaysOffersHelpAndCommandsAndNamesTheWorkspace() {
        for size in Self.sizes {
            var driver = makeDriver(size: size)
            for tab in [ScreenID.overview, .calls, .messages, .retention, .audit] {
                driver.goTo(tab)
                let status = driver.grid.lines.last!
                XCTAssertTrue(status.contains("? help"), "\(size) \(tab): \(status)")
                XCTAssertTrue(status.contains(": commands"), "\(size) \(tab): \(status)")
                XCTAssertTrue(status.contains("Olivia Owner (owner)"), "who is acting, whole: \(size) \(tab): \(status)")
                // At 80 columns a long status on the left (Retention's) leaves the name no room; the Overview's does.
                if size.width >= 200 || tab == .overview || tab == .calls {
                    XCTAssertTrue(status.contains("Fixture"), "the workspace's name: \(size) \(tab): \(status)")
                }
            }
        }
    }

    func testTheDemoIsLabelledAsADemo() {
        XCTAssertEqual(ConsoleScreen.workspaceLabel(name: "Kestrel Home Services (demo)", isDemo: true), "DEMO · Kestrel Home Services")
        XCTAssertEqual(ConsoleScreen.workspaceLabel(name: "Fixture", isDemo: false), "Fixture")
        // At 80 columns beside a long status, the name shortens but the DEMO marker and the keys stay.
        let sides = ConsoleScreen.statusSides(left: "Overview · 2,675 calls in 90 days", progress: nil,
                                              workspace: "DEMO · Kestrel Home Services", zone: ("Europe/London", "London time"),
                                              actor: ("Gareth Holroyd (owner)", "owner"), hints: "? help  : commands", width: 80)
        XCTAssertTrue(sides.right.hasPrefix("DEMO"), sides.right)
        XCTAssertTrue(sides.right.hasSuffix("? help  : commands"), sides.right)
        XCTAssertLessThanOrEqual(TextWidth.width(of: sides.left) + TextWidth.width(of: sides.right), 76, "\(sides)")
        XCTAssertFalse(sides.left.hasSuffix("9…"), "the left side is never cut mid-word: \(sides.left)")
    }

    func testTheHelpOverlaySaysWhenThereIsMoreBelowAndScrolls() {
        var driver = makeDriver(size: Size(width: 80, height: 24))
        driver.goTo(.calls)
        driver.press(.char("?"))
        XCTAssertTrue(driver.text.contains("more line"), driver.text)
        driver.press(.end)
        XCTAssertFalse(driver.text.contains("more line"), "at the end there is nothing below: \(driver.text)")
        XCTAssertTrue(driver.text.contains("more above"), driver.text)
        var wide = makeDriver(size: Size(width: 200, height: 50))
        wide.goTo(.overview)
        wide.press(.char("?"))
        XCTAssertFalse(wide.text.contains("more line"), "the Overview's help fits at 200x50: \(wide.text)")
    }

    // MARK: 6. The chart uses its width, and its title says what it draws

    func testTheChartUsesTheWidthAndItsTitleMatchesWhatIsDrawn() throws {
        XCTAssertEqual(OverviewTab.chartLayout(days: 90, width: 76).days, 70)
        XCTAssertEqual(OverviewTab.chartLayout(days: 90, width: 196).columnsPerDay, 2)

        let narrow = makeDriver(size: Size(width: 80, height: 24))
        XCTAssertTrue(narrow.text.contains("Calls per day, last 70 days"), narrow.text)
        XCTAssertFalse(narrow.text.contains("last 90 days"), "the title says what is drawn")

        let wide = makeDriver(size: Size(width: 200, height: 50))
        XCTAssertTrue(wide.text.contains("Calls per day, last 90 days"), wide.text)
        let title = try XCTUnwrap(wide.row(containing: "Calls per day"))
        let axis = try XCTUnwrap(wide.row(containing: "today"))
        let todayColumn = try XCTUnwrap(wide.grid.column(of: "today", row: axis))
        XCTAssertGreaterThan(todayColumn + 5, 180, "90 days two columns each: the chart runs most of the 200 columns")
        let titleLine = Array(wide.grid.lines[title])
        let summaryEnd = try XCTUnwrap(titleLine.lastIndex { $0 != " " }) + 1
        XCTAssertLessThanOrEqual(abs(summaryEnd - (todayColumn + 5)), 3, "the total sits over the chart's right edge, not far past it")
    }
}
