import Foundation
@testable import HandletConsole
import TerminalUI
import XCTest

/// Issue 16: the selected row is one band of the selection colour from edge to edge in every
/// list and every theme, whatever the other rows' styles (missed calls, dim channels, names).
final class SelectedRowTests: ConsoleScreenTestCase {
    func testTheSelectedRowIsUniformInEveryListAndTheme() throws {
        var driver = makeDriver()
        for (tab, list, header) in [(ScreenID.calls, "Calls list", "Contact or number"), (.messages, "Message threads", "Channel"),
                                    (.contacts, "Contacts list", "Name")] {
            driver.goTo(tab)
            driver.settle { $0.lines[1].contains(header) }
            for step in 0..<3 {
                let row = try XCTUnwrap(driver.grid.lines.indices.first { driver.grid[0, $0].style.role == .selection },
                                        "tab \(tab): a selected row")
                let roles = Set((0..<driver.grid.size.width).map { driver.grid[$0, row].style.role })
                XCTAssertEqual(roles, [.selection], "tab \(tab), step \(step): \(driver.grid.lines[row])")
                for name in Theme.builtinNames {
                    let theme = try XCTUnwrap(Theme.builtin(name))
                    let looks = Set((0..<driver.grid.size.width).map { theme.resolve(driver.grid[$0, row].style, mode: .colors256) })
                    XCTAssertEqual(looks.count, 1, "tab \(tab) in \(name): \(looks)")
                }
                driver.press("down", in: list)
            }
        }
    }
}
