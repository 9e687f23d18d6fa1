import Foundation
import GRDB
@testable import HandletDomain
@testable import HandletConsole
import TerminalUI
import XCTest

/// Issue 25: every list narrows as you type. `/` on Calls and Messages opens the filter line (as on
/// Contacts), with the count of what matches; the search of everything moved to `F` and the
/// palette; the footer shows the line's own keys while it is open; hidden columns are kept per user.
final class ListNarrowingScreenTests: ConsoleScreenTestCase {
    private static let sizes = [Size(width: 80, height: 24), Size(width: 200, height: 50)]

    func testSlashNarrowsTheCallsAsYouTypeWithACount() {
        for size in Self.sizes {
            var driver = makeDriver(size: size)
            driver.goTo(.calls)
            XCTAssertNotNil(driver.row(containing: "Alice Archer"), driver.text)
            driver.press("narrow", in: "Calls list")
            driver.type("bob bl")
            driver.settle { $0.lines.joined().contains("60 matches") }
            XCTAssertNil(driver.row(containing: "Alice Archer"), "\(size): narrowed to Bob's calls: \(driver.text)")
            XCTAssertNotNil(driver.row(containing: "Bob Blocked"), driver.text)
            XCTAssertFalse(driver.text.contains("Calls and messages"), "no search panel: \(driver.text)")
            XCTAssertEqual(driver.screen.currentTab.title, "Calls")
            // Enter keeps the words and moves into the list; the list still narrows and pages.
            driver.press(.enter)
            driver.press("page_down", in: "Calls list")
            XCTAssertNil(driver.row(containing: "Alice Archer"), driver.text)
            // Esc on the line (opened again) clears it.
            driver.press("narrow", in: "Calls list")
            driver.press(.escape)
            driver.settle { !$0.lines.joined().contains("matches") }
            XCTAssertNotNil(driver.row(containing: "Alice Archer"), "Esc clears the words: \(driver.text)")
            // A number in any form, and a call's id.
            driver.press("narrow", in: "Calls list")
            driver.type("07700 900001")
            driver.settle { $0.lines.joined().contains("60 matches") }
            XCTAssertNil(driver.row(containing: "Bob Blocked"), driver.text)
            driver.press(.escape)
            driver.press("narrow", in: "Calls list")
            driver.type("CALL-7")
            driver.settle { $0.lines.joined().contains("1 match") }
            XCTAssertNotNil(driver.row(containing: "Bob Blocked"), driver.text)
            driver.press(.escape)
            driver.press("narrow", in: "Calls list")
            driver.type("nobody")
            driver.settle { $0.lines.joined().contains("0 matches") }
            XCTAssertTrue(driver.text.contains("No call matches \"nobody\""), driver.text)
            // x clears the words with the filters.
            driver.press(.enter)
            driver.press("clear", in: "Calls list")
            driver.settle { !$0.lines.joined().contains("matches") }
            XCTAssertNotNil(driver.row(containing: "Alice Archer"), driver.text)
        }
    }

    /// A key typed into a filter line reads only the list's page: the count of what matches starts
    /// once the keys settle (`Screen.idle`), one count for the words typed, not one per key (at
    /// 1M calls each is a walk that competed with the next key), and the count shown is theirs.
    func testTypingNeverStartsACountUntilTheKeysSettle() {
        for (tab, mode, words, count) in [(ScreenID.calls, "Calls list", "bob bl", "60 matches"),
                                          (ScreenID.messages, "Message threads", "ali", "1 match"),
                                          (ScreenID.contacts, "Contacts list", "bob", "1 match")] {
            var driver = makeDriver(size: Size(width: 80, height: 24))
            driver.goTo(tab)
            driver.settle { !$0.lines.joined().contains("counting") }
            driver.press(mode == "Contacts list" ? "filter" : "narrow", in: mode)
            let session = driver.screen.context.session
            let app = driver.app
            let before = session.backgroundReadCount
            for character in words { _ = driver.screen.handle(.key(.char(character))) }
            app.drawFrame(&driver.screen)
            Thread.sleep(forTimeInterval: 0.2)
            XCTAssertEqual(session.backgroundReadCount, before, "\(tab): no count while typing")
            XCTAssertTrue(driver.text.contains("counting…"), driver.text)
            // The keys settle: one count starts, for the words as typed.
            _ = driver.screen.idle()
            _ = driver.screen.idle()
            driver.settle { $0.lines.joined().contains(count) }
            XCTAssertEqual(session.backgroundReadCount, before + 1, "\(tab): one count, once the keys settled")
            // A key typed after it: the count shown is the new words', once counted.
            _ = driver.screen.handle(.key(.backspace))
            app.drawFrame(&driver.screen)
            XCTAssertTrue(driver.text.contains("counting…"), driver.text)
        }
    }

    func testSlashNarrowsTheConversations() {
        for size in Self.sizes {
            var driver = makeDriver(size: size)
            driver.goTo(.messages)
            XCTAssertNotNil(driver.row(containing: "Alice Archer"), driver.text)
            driver.press("narrow", in: "Message threads")
            driver.type("bob")
            driver.settle { $0.lines.joined().contains("0 matches") }
            XCTAssertNil(driver.row(containing: "Alice Archer"), driver.text)
            XCTAssertTrue(driver.text.contains("No conversation matches \"bob\""), driver.text)
            driver.press(.escape)
            driver.press("narrow", in: "Message threads")
            driver.type("ali")
            driver.settle { $0.lines.joined().contains("1 match") }
            XCTAssertNotNil(driver.row(containing: "Alice Archer"), "\(size): \(driver.text)")
        }
    }

    /// `F` and the palette still search summaries, transcripts and messages from a list.
    func testTheSearchOfEverythingIsStillReachableFromTheLists() {
        var driver = makeDriver(size: Size(width: 110, height: 32))
        driver.goTo(.calls)
        driver.press(.char("F"))
        driver.type("boiler")
        driver.settle { $0.lines.joined().contains("CALL-7") || $0.lines.joined().contains("boiler") }
        XCTAssertTrue(driver.text.contains("Search"), driver.text)
        driver.press(.escape)
        driver.goTo(.messages)
        driver.press(.char(":"))
        driver.type("search summaries")
        driver.press(.enter)
        XCTAssertTrue(driver.text.contains("Search"), "the palette opens the search: \(driver.text)")
    }

    /// While the line is open the footer names the line's keys, not the list's or the console's
    /// (whose letters would type into it).
    func testTheFooterShowsTheFilterLinesKeysWhileItIsOpen() {
        var driver = makeDriver(size: Size(width: 200, height: 50))
        driver.goTo(.calls)
        let footer = { (driver: ScreenDriver<ConsoleScreen>) in driver.grid.lines[driver.grid.height - 2] }
        XCTAssertTrue(footer(driver).contains("/ narrow") && footer(driver).contains("F search"), footer(driver))
        driver.press("narrow", in: "Calls list")
        let open = footer(driver)
        XCTAssertTrue(open.contains("Enter done") && open.contains("Esc clear"), open)
        XCTAssertFalse(open.contains("f filter") || open.contains("search") || open.contains("q quit"), open)
        driver.press(.enter)
        XCTAssertTrue(footer(driver).contains("f filter"), footer(driver))
        for tab in [ScreenID.messages, .contacts] {
            driver.goTo(tab)
            driver.press(.char("/"))
            XCTAssertTrue(footer(driver).contains("Enter done") && !footer(driver).contains("q quit"), "\(tab): \(footer(driver))")
            driver.press(.escape)
        }
    }

    /// c hides a column for this user in the next run too; C shows them all again (also kept);
    /// another user's columns are their own. Each change is one `preference.changed` event.
    func testHiddenColumnsAreKeptPerUserAcrossRuns() throws {
        func header(_ driver: ScreenDriver<ConsoleScreen>) -> String { driver.grid.lines[driver.row(containing: "When")!] }
        var first = makeDriver(size: Size(width: 80, height: 24))
        first.goTo(.calls)
        first.press("next_column", in: "Calls list")
        first.press("hide_column", in: "Calls list")
        XCTAssertFalse(header(first).contains("Contact"), header(first))

        var again = makeDriver(size: Size(width: 80, height: 24))
        again.goTo(.calls)
        XCTAssertFalse(header(again).contains("Contact"), "hidden in the next run: \(header(again))")
        var viewer = makeDriver(size: Size(width: 80, height: 24), actor: "viewer@example.test")
        viewer.goTo(.calls)
        XCTAssertTrue(header(viewer).contains("Contact"), "another user's columns are their own: \(header(viewer))")

        again.press("show_columns", in: "Calls list")
        var third = makeDriver(size: Size(width: 80, height: 24))
        third.goTo(.calls)
        XCTAssertTrue(header(third).contains("Contact"), header(third))
        let events = try fixture.workspace.dbPool.read { db in
            try Row.fetchAll(db, sql: "SELECT target, details FROM audit_events WHERE action = 'preference.changed' ORDER BY seq")
        }
        XCTAssertEqual(events.count, 2, "hidden, then shown again")
        XCTAssertTrue((events.first?["details"] as String?)?.contains("calls.hidden_columns") == true, "\(events)")
    }
}
