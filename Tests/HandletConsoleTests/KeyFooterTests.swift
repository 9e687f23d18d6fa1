import Foundation
@testable import HandletConsole
import TerminalUI
import XCTest

/// Issue 16: an always-visible footer of the current screen's own keys, from its key table,
/// dimmed where the role may not use them; hidden at 80x24, where every row goes to the list.
final class KeyFooterTests: ConsoleScreenTestCase {
    private func footerLine(_ driver: ScreenDriver<ConsoleScreen>) -> Int { driver.grid.height - 2 }

    func testTheFooterFollowsTheScreenAndItsKeyTable() {
        var driver = makeDriver(size: Size(width: 140, height: 30))
        driver.press(.char("2"))
        let list = driver.grid.lines[footerLine(driver)]
        XCTAssertTrue(list.contains("Enter open"), list)
        XCTAssertTrue(list.contains("f "), "the filter keys of the list: \(list)")
        XCTAssertTrue(list.contains("/ narrow") && list.contains("F search") && list.contains(": commands"), list)
        XCTAssertFalse(list.contains("down") || list.contains("Move"), "movement is not repeated: \(list)")
        XCTAssertEqual(driver.style(of: "Enter open")?.role, .accent)
        driver.press(.enter)
        let detail = driver.grid.lines[footerLine(driver)]
        XCTAssertTrue(detail.contains("H hold") && detail.contains("Esc back"), detail)
        XCTAssertFalse(detail.contains("Enter open"), detail)
        XCTAssertFalse(detail.contains("q quit"), "q is back in a detail, so the footer does not offer it as quit: \(detail)")
        XCTAssertTrue(list.contains("q quit"), list)
    }

    func testKeysTheRoleMayNotUseAreDimmed() throws {
        var driver = makeDriver(size: Size(width: 140, height: 30), actor: "viewer@example.test")
        driver.press(.char("2"), .enter)
        let line = footerLine(driver)
        let column = try XCTUnwrap(driver.grid.column(of: "H hold", row: line), driver.grid.lines[line])
        XCTAssertEqual(driver.grid[column, line].style.role, .dim, "a viewer cannot hold")
        let back = try XCTUnwrap(driver.grid.column(of: "Esc back", row: line))
        XCTAssertEqual(driver.grid[back, line].style.role, .accent)
    }

    func testHiddenAt80x24AndWholeEntriesOnly() {
        var driver = makeDriver(size: Size(width: 80, height: 24))
        driver.press(.char("2"))
        XCTAssertFalse(driver.text.contains("Enter open"), "no footer at 80x24")
        let footer = KeyFooter(screen: [HelpEntry(keys: "Enter o", description: "Open", group: "Calls", name: "open"),
                                        HelpEntry(keys: "f", description: "Filter", group: "Filter", name: "filter"),
                                        HelpEntry(keys: "j ↓", description: "Down", group: "Navigation", name: "down")],
                               console: [HelpEntry(keys: "/", description: "Search", group: "Console", name: "search"),
                                         HelpEntry(keys: "1–7", description: "Tabs", group: "Console", name: "go_to_tab")])
        XCTAssertEqual(footer.entries.map(\.name), ["open", "filter", "search"])
        var grid = Grid(size: Size(width: 22, height: 1))
        footer.render(into: &grid, area: Rect(x: 0, y: 0, width: 22, height: 1))
        XCTAssertEqual(grid.lines[0].trimmingCharacters(in: .whitespaces), "Enter open  f filter", "no key without its label")
    }
}
