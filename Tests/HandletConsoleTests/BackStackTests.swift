import Foundation
@testable import HandletConsole
import TerminalUI
import XCTest

/// Issue 16: back goes back. A record opened from another screen returns there on Esc, as it
/// was left, with a breadcrumb in the title line showing the way.
final class BackStackTests: ConsoleScreenTestCase {
    func testContactThenOneOfTheirCallsThenEscReturnsToTheContact() {
        var driver = makeDriver(size: Size(width: 160, height: 32))
        driver.goTo(.contacts)
        driver.press("down", in: "Contacts list")
        driver.press("open", in: "Contacts list")
        XCTAssertTrue(driver.text.contains("60 calls"), "Bob Blocked's timeline")
        driver.press("down", in: "Contact")
        driver.press("down", in: "Contact")
        let timelineRow = (0..<driver.grid.height).first { driver.grid[2, $0].style == .selection }
        driver.press("open", in: "Contact")
        XCTAssertEqual(driver.screen.currentTab.title, "Calls")
        XCTAssertTrue(driver.text.contains("Transcript"))
        XCTAssertTrue(driver.grid.lines[0].contains("Bob Blocked › Call · Bob Blocked"), driver.grid.lines[0])
        driver.press("back", in: "Call detail")
        XCTAssertEqual(driver.screen.currentTab.title, "Contacts", "back at the contact, not the Calls list")
        XCTAssertTrue(driver.text.contains("60 calls"), driver.text)
        XCTAssertEqual((0..<driver.grid.height).first { driver.grid[2, $0].style == .selection }, timelineRow,
                       "on the same timeline row")
        XCTAssertFalse(driver.grid.lines[0].contains("›"), "nothing left to go back to")
        driver.press("back", in: "Contact")
        XCTAssertEqual(driver.screen.currentTab.title, "Contacts")
        XCTAssertFalse(driver.text.contains("60 calls"), "the second Esc closes the contact, within its own tab")
    }

    func testOverviewOpensAFilteredListAndEscReturnsToTheOverview() {
        // Wide enough for ten tab titles and the breadcrumb beside them.
        var driver = makeDriver(size: Size(width: 160, height: 32))
        driver.press("open", in: "Overview")
        XCTAssertEqual(driver.screen.currentTab.title, "Calls")
        XCTAssertTrue(driver.grid.lines[0].contains("Overview › Calls"), driver.grid.lines[0])
        driver.press("open", in: "Calls list")
        XCTAssertTrue(driver.text.contains("Transcript"), "a missed call opened")
        driver.press("back", in: "Call detail")
        XCTAssertEqual(driver.screen.currentTab.title, "Calls", "first back to the list")
        driver.press(.escape)
        XCTAssertEqual(driver.screen.currentTab.title, "Overview", "then back to the Overview")
        XCTAssertEqual(driver.style(of: "Missed calls, last 7 days")?.role, .selection, "as it was left")
    }

    func testAt80ColumnsTheStatusBarCarriesTheBreadcrumb() {
        var driver = makeDriver(size: Size(width: 80, height: 24))
        driver.goTo(.contacts)
        driver.press("down", in: "Contacts list")
        driver.press("open", in: "Contacts list")
        driver.press("open", in: "Contact")
        XCTAssertEqual(driver.screen.currentTab.title, "Calls")
        XCTAssertTrue(driver.grid.lines.last!.contains("Bob Blocked › Call · Bob Blocked"), driver.grid.lines.last!)
    }

    func testChoosingATabForgetsTheWayBack() {
        var driver = makeDriver()
        driver.press("open", in: "Overview")
        XCTAssertEqual(driver.screen.currentTab.title, "Calls")
        driver.goTo(.messages)
        driver.goTo(.calls)
        XCTAssertFalse(driver.grid.lines[0].contains("›"), driver.grid.lines[0])
        driver.press(.escape)
        XCTAssertEqual(driver.screen.currentTab.title, "Calls", "Esc does not jump to a screen left by choice")
    }

    func testSearchHitBackToTheResultsThenToTheScreenItWasOpenedOver() {
        var driver = makeDriver()
        driver.goTo(.users)
        driver.press("search", in: "Users")
        driver.type("boiler")
        driver.settle { !$0.lines.last!.contains("searching") }
        driver.press("open", in: "Search")
        XCTAssertEqual(driver.screen.currentTab.title, "Calls")
        driver.press("back", in: "Call detail")
        XCTAssertTrue(driver.grid.lines.last!.contains("Search · 1 result"), driver.grid.lines.last!)
        XCTAssertEqual(driver.screen.currentTab.title, "Users", "the results float over the screen they were opened from")
        driver.press(.escape)
        XCTAssertEqual(driver.screen.currentTab.title, "Users")
    }
}
