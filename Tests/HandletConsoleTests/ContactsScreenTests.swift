import Foundation
@testable import HandletDomain
@testable import HandletConsole
import TerminalUI
import XCTest

/// The Contacts tab: the list, a person and their timeline.
final class ContactsScreenTests: ConsoleScreenTestCase {
    func testContactsShowOptOutAndTimelineOpensACall() {
        var driver = makeDriver()
        driver.goTo(.contacts)
        let bobRow = driver.row(containing: "Bob Blocked")!
        XCTAssertTrue(driver.grid.lines[bobRow].contains("opted out"))
        XCTAssertEqual(driver.grid[0, bobRow].style, .dim)
        driver.press("down", in: "Contacts list")
        driver.press("open", in: "Contacts list")
        XCTAssertTrue(driver.text.contains("Opted out") && driver.text.contains("STOP"), driver.text)
        XCTAssertTrue(driver.text.contains("60 calls"))
        driver.press("open", in: "Contact")
        XCTAssertEqual(driver.screen.currentTab.title, "Calls")
        XCTAssertTrue(driver.text.contains("Bob Blocked") && driver.text.contains("Transcript"))
    }

    /// Issue 25: `/` on Contacts narrows the list as each key is typed, by any word (prefix,
    /// accents ignored) or number, with the count of matches; Esc clears it. `/Quinn` searched
    /// calls and messages before.
    func testSlashNarrowsTheContactsAsYouTypeWithACount() {
        for size in [Size(width: 80, height: 24), Size(width: 200, height: 50)] {
            var driver = makeDriver(size: size)
            driver.goTo(.contacts)
            XCTAssertNotNil(driver.row(containing: "Alice Archer"))
            driver.press("filter", in: "Contacts list")
            driver.type("bl")
            driver.settle { $0.lines.joined().contains("1 match") }
            XCTAssertNotNil(driver.row(containing: "Bob Blocked"), driver.text)
            XCTAssertNil(driver.row(containing: "Alice Archer"), "narrowed: \(driver.text)")
            XCTAssertFalse(driver.screen.currentTab.title != "Contacts" || driver.text.contains("Calls and messages"), "no search panel")
            driver.press(.escape)
            driver.settle { !$0.lines.joined().contains("1 match") }
            XCTAssertNotNil(driver.row(containing: "Alice Archer"), "Esc clears the filter: \(driver.text)")
            driver.press("filter", in: "Contacts list")
            driver.type("07700 900001")
            driver.settle { $0.lines.joined().contains("1 match") }
            XCTAssertNotNil(driver.row(containing: "Alice Archer"), "by number in any form: \(driver.text)")
            driver.press(.enter)
            driver.press("open", in: "Contacts list")
            XCTAssertTrue(driver.text.contains("Alice Archer") && driver.text.contains("Held:"), driver.text)
        }
    }

    func testUntrustedTextIsNeutralised() throws {
        try fixture.workspace.overwriteContactName("Alice Archer", with: "Alice\u{1B}[2J\u{202E}Evil")
        var driver = makeDriver()
        driver.goTo(.contacts)
        for y in 0..<driver.grid.height {
            for x in 0..<driver.grid.width {
                let symbol = driver.grid[x, y].symbol
                XCTAssertFalse(symbol.unicodeScalars.contains { $0.value < 0x20 || $0 == "\u{202E}" }, "raw control at \(x),\(y)")
            }
        }
        XCTAssertTrue(driver.text.contains("␛"), driver.text)
    }

    func testHelpListsExactlyTheKeysItDispatches() {
        assertHelpListsExactlyTheKeysItDispatches(.contacts, state: "Contacts list")
        assertHelpListsExactlyTheKeysItDispatches(.contacts, state: "Contact") { _ = $0.open(.contact(id: Contact.ID(1))) }
    }
}
