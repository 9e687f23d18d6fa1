import Foundation
@testable import HandletDomain
@testable import HandletConsole
import TerminalUI
import XCTest

/// keys.toml: rebinding what the tables name; every mistake reported with its line, defaults kept.
final class KeyConfigTests: ConsoleScreenTestCase {
    func parse(_ text: String) -> KeyConfig { KeyConfig.parse(text, file: "keys.toml") }

    func testTheFileLivesUnderXDGConfigHomeElseDotConfig() {
        XCTAssertEqual(KeyConfig.fileURL(environment: ["XDG_CONFIG_HOME": "/x/conf", "HOME": "/home/a"]).path, "/x/conf/handlet/keys.toml")
        XCTAssertEqual(KeyConfig.fileURL(environment: ["HOME": "/home/a"]).path, "/home/a/.config/handlet/keys.toml")
        XCTAssertEqual(KeyConfig.fileURL(environment: ["XDG_CONFIG_HOME": "relative", "HOME": "/home/a"]).path,
                       "/home/a/.config/handlet/keys.toml", "a relative XDG_CONFIG_HOME is ignored, as the spec says")
    }

    func testAMissingFileIsNoRebindingAndNoProblem() {
        let config = KeyConfig.load(environment: ["XDG_CONFIG_HOME": fixture.folder.appendingPathComponent("none").path])
        XCTAssertEqual(config.bindings, .defaults)
        XCTAssertEqual(config.problems, [])
    }

    func testRebindingChangesDispatchHelpAndTheTabBar() throws {
        let folder = fixture.folder.appendingPathComponent("config/handlet")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try """
            # mine
            [call]
            hold = ["Y", "F5"]

            [console]
            quit = "Ctrl-X"
            help = ["?"]
            go_to_tab = ["F1", "F2"]
            """.write(to: folder.appendingPathComponent("keys.toml"), atomically: true, encoding: .utf8)
        let config = KeyConfig.load(environment: ["XDG_CONFIG_HOME": fixture.folder.appendingPathComponent("config").path])
        XCTAssertEqual(config.problems, [])
        var driver = makeDriver(keys: config.bindings)
        XCTAssertTrue(driver.grid.lines[0].contains("F1 Overview") && driver.grid.lines[0].contains("F2 Calls"), driver.grid.lines[0])
        XCTAssertFalse(driver.grid.lines[0].contains("3 Messages"), "only two tabs have keys now")
        driver.press(.function(2), .enter, .char("H"))
        XCTAssertFalse(driver.text.contains("Legal hold on CALL-0"), "H no longer holds")
        driver.press(.char("Y"))
        XCTAssertTrue(driver.text.contains("Legal hold on CALL-0"), driver.text)
        driver.press(.escape, .char("?"))
        let row = try XCTUnwrap(driver.row(containing: "Place a legal hold"))
        XCTAssertTrue(driver.grid.lines[row].contains("Y F5"), driver.grid.lines[row])
        driver.press(.escape, .escape)
        XCTAssertNotEqual(driver.screen.handle(.key(.char("q"))), .quit, "q no longer quits")
        XCTAssertEqual(driver.screen.handle(.key(.ctrl("x"))), .quit)
    }

    func testEveryMistakeIsReportedWithItsLineAndTheDefaultsStay() {
        let config = parse("""
            [cals]
            open = ["o"]
            [calls]
            opne = ["o"]
            [call]
            hold = ["Ctrl-"]
            release = ["H"]
            back = 3
            [prompt]
            cancel = ["q"]
            [console]
            search = ["F3"]
            """)
        XCTAssertEqual(config.problems.map(\.line), [1, 4, 6, 7, 8, 10])
        let messages = config.problems.map(\.description)
        XCTAssertTrue(messages[0].hasPrefix("keys.toml:1: no key table is called [cals]"), messages[0])
        XCTAssertTrue(messages[1].contains("[calls] has no action \"opne\"; its actions are open"), messages[1])
        XCTAssertTrue(messages[2].contains("\"Ctrl-\" is not a key"), messages[2])
        XCTAssertTrue(messages[3].contains("[call] release not rebound: H is bound to both call.hold and call.release in Call detail; it keeps U"),
                      messages[3])
        XCTAssertTrue(messages[4].contains("must be a key or a list of keys"), messages[4])
        XCTAssertTrue(messages[5].contains("would type into the text field"), messages[5])
        // Only the good entry applies.
        XCTAssertEqual(config.bindings, KeyBindings.defaults.setting("console", "search", to: [.function(3)]))
    }

    func testInvalidTOMLIsOneProblemAtItsLine() {
        let config = parse("[call]\nhold = [\"H\"\nrelease = 1\n")
        XCTAssertEqual(config.problems.count, 1)
        XCTAssertTrue(config.problems[0].message.hasPrefix("not valid TOML"), config.problems[0].description)
        XCTAssertNotNil(config.problems[0].line)
        XCTAssertEqual(config.bindings, .defaults)
    }

    func testAProblemIsFlashedAtStartUp() {
        var driver = ScreenDriver(size: Size(width: 110, height: 32)) { _ in
            ConsoleScreen(context: self.fixture.context, startupMessage: "hello", startupProblem: "keys.toml:4: [calls] has no action \"opne\"")
        }
        driver.press()
        XCTAssertTrue(driver.grid.lines.last!.contains("keys.toml:4:"), driver.grid.lines.last!)
        XCTAssertEqual(driver.style(of: "keys.toml:4")?.role, .error)
    }
}
