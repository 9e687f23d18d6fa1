import Foundation
@testable import HandletDomain
@testable import HandletConsole
import TerminalUI
import XCTest

/// Issue 16: the palette matches fuzzily, shows each command's key, runs the current screen's
/// actions, and takes arguments (`:call 1990`, `:contact 07940 887684`).
final class CommandPaletteTests: ConsoleScreenTestCase {
    func testFuzzyMatchingRanksWordStartsAndRuns() {
        XCTAssertNotNil(CommandPalette.fuzzyScore("gtret", "Go to Retention"))
        XCTAssertNil(CommandPalette.fuzzyScore("retx", "Go to Retention"))
        XCTAssertGreaterThan(CommandPalette.fuzzyScore("ret", "Go to Retention")!, CommandPalette.fuzzyScore("ret", "Messages: filter…") ?? .min)
        var palette = CommandPalette(entries: [.init(title: "Messages: clear filters", choice: .help),
                                               .init(title: "Go to Retention", choice: .quit)], keys: .defaults)
        for character in "gore" { _ = palette.handle(.char(character)) }
        XCTAssertEqual(palette.matches.first?.title, "Go to Retention")
    }

    func testTheCurrentScreensActionsWithTheirKeys() {
        var driver = makeDriver(size: Size(width: 120, height: 32))
        driver.goTo(.calls)
        driver.press("open", in: "Calls list")
        driver.press("palette", in: "Call detail")
        XCTAssertTrue(driver.text.contains("Calls: Place a legal hold"), driver.text)
        let row = driver.row(containing: "Calls: Place a legal hold")!
        XCTAssertTrue(driver.grid.lines[row].contains("(asks why)") && driver.grid.lines[row].contains(" H  │"), driver.grid.lines[row])
        let retention = driver.row(containing: "Go to Retention")!
        XCTAssertTrue(driver.grid.lines[retention].contains("5"), "the tab's key beside it: \(driver.grid.lines[retention])")
        driver.type("hold")
        driver.press("run", in: "Command palette")
        XCTAssertTrue(driver.text.contains("reason") || driver.text.contains("Reason"), "the hold prompt opened: \(driver.text)")
    }

    func testCallAndContactTakeArguments() throws {
        var driver = makeDriver()
        driver.press("palette", in: "Overview")
        driver.type("call CALL-7")
        XCTAssertTrue(driver.text.contains("Open call CALL-7"), driver.text)
        driver.press("run", in: "Command palette")
        XCTAssertEqual(driver.screen.currentTab.title, "Calls")
        XCTAssertTrue(driver.text.contains("Transcript"), driver.text)

        // Alice Archer is +447700900001 in the fixture.
        let typed = "07700 900001"
        driver.goTo(.overview)
        driver.press("palette", in: "Overview")
        driver.type("contact \(typed)")
        driver.press("run", in: "Command palette")
        XCTAssertEqual(driver.screen.currentTab.title, "Contacts")
        XCTAssertTrue(driver.text.contains("Alice Archer") && driver.text.contains("+447700900001"), "\(typed) opened Alice: \(driver.text)")

        driver.press("palette", in: "Contact")
        driver.type("call nosuch")
        driver.press("run", in: "Command palette")
        XCTAssertTrue(driver.grid.lines.last!.contains("No call nosuch"), driver.grid.lines.last!)
        driver.press("palette", in: "Contact")
        driver.type("contact nobody")
        driver.press("run", in: "Command palette")
        XCTAssertTrue(driver.grid.lines.last!.contains("No contact matches nobody"), driver.grid.lines.last!)
    }

    /// Issue 25: `:contact` takes a name (it answered "not a phone number"), and a number no
    /// contact has opens the calls from and to it.
    func testContactByNameAndANumberNoContactHas() throws {
        var driver = makeDriver()
        driver.press("palette", in: "Overview")
        driver.type("contact alice arch")
        driver.press("run", in: "Command palette")
        XCTAssertEqual(driver.screen.currentTab.title, "Contacts")
        XCTAssertTrue(driver.text.contains("Alice Archer") && driver.text.contains("+447700900001"), driver.text)

        driver.goTo(.overview)
        driver.press("palette", in: "Overview")
        driver.type("contact 020 5346 6403")
        driver.press("run", in: "Command palette")
        XCTAssertEqual(driver.screen.currentTab.title, "Calls")
        XCTAssertTrue(driver.text.contains("+442053466403"), "the number's filter chip: \(driver.text)")
    }

    func testPhoneNumbersInEveryCommonForm() {
        for typed in ["07940 887684", "07940887684", "+447940887684", "+44 (0) 7940 887684", "0044 7940 887684", "447940887684", "07940-887-684"] {
            XCTAssertEqual(PhoneNumber.e164(typed), "+447940887684", typed)
        }
        XCTAssertEqual(PhoneNumber.e164("(0113) 496 0000"), "+441134960000")
        for notANumber in ["bob", "0794", "07940 88768a", "", "+", "1990"] {
            XCTAssertNil(PhoneNumber.e164(notANumber), notANumber)
        }
    }
}
