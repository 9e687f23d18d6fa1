import Foundation
@testable import HandletConsole
@testable import HandletDomain
import TerminalUI
import XCTest

/// Tests press actions, not keys (`ActionKeys`): the same script passes with the default keys and
/// with a keys.toml that rebinds every key it uses, and the lookup refuses what is not bound.
final class ActionKeysTests: ConsoleScreenTestCase {
    /// Open a call by actions, hold it (answering the prompt), go back, go to another tab.
    private func holdTheNewestCall(keys: KeyBindings, file: StaticString = #filePath, line: UInt = #line) throws {
        var driver = makeDriver(keys: keys)
        driver.goTo(.calls, file: file, line: line)
        driver.press("open", in: "Calls list", file: file, line: line)
        XCTAssertTrue(driver.text.contains("Transcript"), "the call opened:\n\(driver.text)", file: file, line: line)
        driver.press("hold", in: "Call detail", file: file, line: line)
        XCTAssertTrue(driver.text.contains("Legal hold on CALL-0"), driver.text, file: file, line: line)
        driver.type("Insurance claim 42")
        driver.press("save", in: "Text prompt", file: file, line: line)
        XCTAssertTrue(driver.text.contains("Held: Insurance claim 42"), driver.text, file: file, line: line)
        let holds = try fixture.workspace.session(as: .system).read(.legalHolds)
        XCTAssertEqual(holds.map(\.reason), ["Insurance claim 42"], file: file, line: line)
        driver.press("back", in: "Call detail", file: file, line: line)
        XCTAssertTrue(driver.text.contains("Contact or number"), "back on the list:\n\(driver.text)", file: file, line: line)
        driver.goTo(ScreenID("users"), file: file, line: line)
        XCTAssertTrue(driver.text.contains("viewer@example.test"), driver.text, file: file, line: line)
        XCTAssertEqual(driver.outcome(of: "quit", in: "Users", file: file, line: line), .quit, file: file, line: line)
    }

    func testAScriptPressingActionsPassesWithTheDefaultKeys() throws {
        try holdTheNewestCall(keys: .defaults)
    }

    func testTheSameScriptPassesWithEveryKeyItUsesRebound() throws {
        let config = KeyConfig.parse("""
            [console]
            go_to_tab = ["F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9"]
            quit = "Ctrl-X"
            [calls]
            open = "o"
            [call]
            hold = "F12"
            back = "Ctrl-O"
            [prompt]
            save = "Ctrl-S"
            """, file: "keys.toml")
        XCTAssertEqual(config.problems, [])
        for (action, mode, key) in [("open", "Calls list", Key.char("o")), ("hold", "Call detail", .function(12)),
                                    ("back", "Call detail", .ctrl("o")), ("save", "Text prompt", .ctrl("s")),
                                    ("quit", "Users", .ctrl("x"))] {
            XCTAssertEqual(try ActionKeys.key(action, in: mode, keys: config.bindings), key, "\(mode): \(action)")
        }
        XCTAssertEqual(try ActionKeys.tabKey(.calls, keys: config.bindings), .function(3))
        try holdTheNewestCall(keys: config.bindings)
    }

    /// A console key a screen reuses (`q` is "back" in a detail view) is not the one pressed for
    /// the console's action there; an unknown action or mode is an error naming what exists.
    func testTheLookupPressesOnlyKeysThatReachTheAction() throws {
        XCTAssertEqual(try ActionKeys.key("back", in: "Call detail"), .escape)
        XCTAssertThrowsError(try ActionKeys.key("quit", in: "Call detail"), "q is back there and quit has no other key")
        XCTAssertEqual(try ActionKeys.key("quit", in: "Calls list"), .char("q"))
        XCTAssertEqual(try ActionKeys.key("call.hold", in: "Call detail"), .char("H"))
        XCTAssertThrowsError(try ActionKeys.key("hold", in: "Calls list")) { error in
            XCTAssertTrue("\(error)".contains("calls.open"), "\(error)")
        }
        XCTAssertThrowsError(try ActionKeys.key("open", in: "No such screen")) { error in
            XCTAssertTrue("\(error)".contains("Calls list"), "\(error)")
        }
    }
}
