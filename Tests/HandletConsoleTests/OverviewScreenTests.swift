import Foundation
@testable import HandletDomain
@testable import HandletConsole
import TerminalUI
import XCTest

/// The Overview: the chart and the attention list, each item one Enter away.
final class OverviewScreenTests: ConsoleScreenTestCase {
    func testOverviewShowsChartAndAttentionItemsThatOpenFilteredCalls() {
        var driver = makeDriver()
        XCTAssertTrue(driver.text.contains("Calls per day, last 90 days"))
        XCTAssertTrue(driver.text.contains("█"), "the chart has bars")
        XCTAssertTrue(driver.text.contains("Missed calls, last 7 days"))
        XCTAssertTrue(driver.text.contains("Recordings expiring in the next 7 days"))
        // 120 calls an hour apart back from Monday noon, all within the last 7 days (issue 25: not
        // only those since Monday 00:00), of which every fifth (index 0, 5, … 115) is missed.
        let missedLine = driver.grid.lines.first { $0.contains("Missed calls, last 7 days") }!
        XCTAssertTrue(missedLine.trimmingCharacters(in: .whitespaces).hasPrefix("24 "), missedLine)
        XCTAssertEqual(driver.style(of: "Missed calls, last 7 days")?.role, .selection, "the first item is selected")
        driver.press("open", in: "Overview")
        XCTAssertEqual(driver.screen.currentTab.title, "Calls")
        XCTAssertTrue(driver.text.contains(" 7 days ") && driver.text.contains(" Missed "), "filter chips show: \(driver.grid.lines[1])")
        driver.settle { $0.lines.last!.contains(" of ") }
        XCTAssertTrue(driver.grid.lines.last!.contains("of 24"), "the list holds exactly the 24 counted: \(driver.grid.lines.last!)")
        let rows = driver.grid.lines.filter { $0.contains("Alice Archer") || $0.contains("Bob Blocked") }
        XCTAssertFalse(rows.isEmpty)
        XCTAssertTrue(rows.allSatisfy { $0.contains("Missed") }, "only missed calls are listed")
    }

    func testHelpListsExactlyTheKeysItDispatches() {
        assertHelpListsExactlyTheKeysItDispatches(.overview, state: "Overview")
        assertHelpListsExactlyTheKeysItDispatches(.overview, actor: "viewer@example.test", state: "Overview as viewer")
    }

    /// The attention list is what the registry's screens contribute, each item opening its screen.
    func testAttentionItemsComeFromTheScreensThatDealWithThem() throws {
        let clock = BrowseClock(now: ConsoleFixture.now, timeZone: TimeZone(identifier: "Europe/London")!)
        let overview = try fixture.workspace.session(as: .system).read(.overview(clock: clock))
        let items = ScreenRegistry.standard.attention(overview)
        XCTAssertEqual(items.map(\.label), ["Missed calls, last 7 days", "Callbacks requested, last 7 days",
                                            "Recordings expiring in the next 7 days", "Recordings past expiry, waiting for the purge",
                                            "Auto-Send drafts waiting for a person", "Notices needing an answer",
                                            "Data-subject requests overdue", "Data-subject requests due in the next 7 days"])
        XCTAssertEqual(items[4].destination, .screen(.autosend))
        XCTAssertEqual(items[5].destination, .screen(.notices))
        XCTAssertEqual(items[6].destination, .screen(.requests))
        XCTAssertEqual(items[0].destination, .calls(CallFilter(dateRange: .last7Days, outcomes: [.missed])))
        XCTAssertEqual(items[2].destination, .screen(.retention))
        XCTAssertEqual(items[0].count, 24)
        XCTAssertEqual(items[2].count, overview.recordingsExpiringSoon)

        var driver = makeDriver()
        for _ in 0..<2 { driver.press("next", in: "Overview") }
        driver.press("open", in: "Overview")
        XCTAssertEqual(driver.screen.currentTab.title, "Retention", "Enter on the expiring recordings opens Retention")
    }

    func testAnItemWithNoScreenYetSaysSo() {
        let unplaced = AttentionItem(label: "Something no screen opens yet", count: 1, destination: nil, isWarning: false)
        let screens = ScreenRegistry([.tab(OverviewTab.self),
                                      ScreenDeclaration(id: ScreenID("elsewhere"), title: "Elsewhere", tabLabel: "Else",
                                                        attention: { _ in [unplaced] }) { OverviewTab.make(context: $0, screens: $1) }])
        var driver = makeDriver(screens: screens)
        XCTAssertTrue(driver.text.contains("Something no screen opens yet"), driver.text)
        driver.press("open", in: "Overview")
        XCTAssertEqual(driver.screen.currentTab.title, "Overview")
        XCTAssertTrue(driver.grid.lines.last!.contains("Nothing here can open that"), driver.grid.lines.last!)
    }

    /// Issue 16: "recording is off" shows on the Overview when it is, and opens the Retention tab.
    func testRecordingOffIsAnAttentionLineThatOpensRetention() throws {
        var driver = makeDriver()
        XCTAssertFalse(driver.text.contains("Recording is off"))
        _ = try fixture.workspace.session(as: fixture.workspace.localOwner()).perform(.disableRecording(existing: .keepUntilExpiry))
        driver = makeDriver()
        let row = try XCTUnwrap(driver.row(containing: "Recording is off"), driver.text)
        XCTAssertTrue(driver.grid.lines[row].trimmingCharacters(in: .whitespaces).hasPrefix("off  Recording is off"), driver.grid.lines[row])
        for _ in 0..<10 where driver.style(of: "Recording is off")?.role != .selection { driver.press("next", in: "Overview") }
        XCTAssertEqual(driver.style(of: "Recording is off")?.role, .selection)
        driver.press("open", in: "Overview")
        XCTAssertEqual(driver.screen.currentTab.title, "Retention")
    }

    /// Issue 23: removed text whose words the search's stored pages still hold is owed a rewrite
    /// by `handlet purge`: the Overview says so, since when and with what command (and Retention
    /// too), until it is paid. At 80x24 and 200x50.
    func testASearchDebtShowsUntilThePurgePaysIt() throws {
        let session = fixture.workspace.session(as: try fixture.workspace.localOwner(), clock: .fixed(ConsoleFixture.now))
        let message = try XCTUnwrap(fixture.workspace.dbPool.read { db in try Int64.fetchOne(db, sql: "SELECT MIN(id) FROM messages") })
        try session.perform(session.plan(.deleteMessageText(Message.ID(message))), confirmed: true)
        for size in [Size(width: 80, height: 24), Size(width: 200, height: 50)] {
            var driver = makeDriver(size: size)
            XCTAssertNotNil(driver.row(containing: "Removed text still in the search"), driver.text)
            if size.width == 200 {
                XCTAssertTrue(driver.text.contains("Removed text in the stored search of messages since"), driver.text)
                XCTAssertTrue(driver.text.contains("run `handlet purge` to rewrite it"), driver.text)
            }
            for _ in 0..<12 where driver.style(of: "Removed text still in the search")?.role != .selection { driver.press("next", in: "Overview") }
            driver.press("open", in: "Overview")
            XCTAssertEqual(driver.screen.currentTab.title, "Retention")
            XCTAssertTrue(driver.text.contains("Search debt"), driver.text)
            XCTAssertTrue(driver.text.contains("handlet purge"), driver.text)
        }
        try fixture.workspace.session(as: .system, clock: .fixed(ConsoleFixture.now)).purge()
        let driver = makeDriver()
        XCTAssertFalse(driver.text.contains("Removed text still in the search"), "paid: \(driver.text)")
    }
}
