@testable import HandletDomain
@testable import HandletConsole
import TerminalUI
import XCTest

final class ConsoleShellTests: XCTestCase {
    var fixture: ConsoleFixture!
    override func setUpWithError() throws { fixture = try ConsoleFixture() }
    override func tearDown() { fixture.remove() }

    func makeDriver(size: Size = Size(width: 100, height: 30)) -> ScreenDriver<ConsoleScreen> {
        let context = fixture.context
        return ScreenDriver(ConsoleScreen(context: context), size: size)
    }

    func testTabBarStatusBarAndActingUser() {
        // Ten tabs' full titles need 120 columns (narrower, the bar falls back to short labels).
        var driver = makeDriver(size: Size(width: 120, height: 30))
        driver.press()
        let lines = driver.grid.lines
        XCTAssertTrue(lines[0].contains("1 Overview"), lines[0])
        XCTAssertTrue(lines[0].contains("2 Calls") && lines[0].contains("3 Messages") && lines[0].contains("4 Contacts"))
        XCTAssertEqual(driver.grid[1, 0].style, .tabActive, "the current tab is drawn active")
        XCTAssertTrue(lines.last!.contains("Olivia Owner (owner)"), "status bar names who is acting: \(lines.last!)")
        XCTAssertEqual(driver.grid[0, 29].style.role, .statusBar)
    }

    func testNumberKeysAndTabSwitchTabs() {
        var driver = makeDriver()
        driver.press(.char("2"))
        XCTAssertEqual(driver.screen.currentTab.title, "Calls")
        driver.press(.tab)
        XCTAssertEqual(driver.screen.currentTab.title, "Messages")
        driver.press(.backTab, .backTab)
        XCTAssertEqual(driver.screen.currentTab.title, "Overview")
    }

    func testHelpOverlayListsTheTabsKeysAndCloses() {
        var driver = makeDriver()
        driver.press(.char("2"), .char("?"))
        XCTAssertTrue(driver.text.contains("Calls keys"), driver.text)
        XCTAssertTrue(driver.text.contains("Filter: date, outcome"), "the tab's own bindings are in its help")
        // The Calls list's keys fill the first screen of help at this size: the console's are at its end.
        driver.press(.char("G"))
        XCTAssertTrue(driver.text.contains("Command palette"), "the console's bindings too")
        driver.press(.escape)
        XCTAssertFalse(driver.text.contains("Calls keys"))
    }

    func testPaletteFiltersCommandsAndRunsOne() {
        var driver = makeDriver()
        driver.press(.char(":"))
        driver.type("go cont")
        XCTAssertTrue(driver.text.contains("Go to Contacts"))
        XCTAssertFalse(driver.text.contains("Go to Calls"), "words narrow the list")
        driver.press(.enter)
        XCTAssertEqual(driver.screen.currentTab.title, "Contacts")
    }

    /// In a detail, Esc and q both go back to the list; at the top level Esc does nothing more
    /// (it never quits), and q quits.
    func testQuitFromTopLevelButEscapeOnlyGoesBack() {
        var driver = makeDriver()
        driver.press(.char("2"), .enter)
        XCTAssertTrue(driver.text.contains("Transcript"), "Enter opened the call")
        XCTAssertNotEqual(driver.outcome(of: .escape), .quit, "Esc in a detail does not quit")
        XCTAssertFalse(driver.text.contains("Transcript"), "Esc closed the detail")
        XCTAssertTrue(driver.text.contains("Contact or number"), "back to the list")

        driver.press(.enter)
        XCTAssertTrue(driver.text.contains("Transcript"))
        XCTAssertNotEqual(driver.outcome(of: .char("q")), .quit, "q in a detail does not quit")
        XCTAssertTrue(driver.text.contains("Contact or number"), "q closed the detail, back to the list")

        let list = driver.text
        XCTAssertNotEqual(driver.outcome(of: .escape), .quit, "Esc at the top level never quits")
        XCTAssertNotEqual(driver.outcome(of: .escape), .quit)
        XCTAssertEqual(driver.screen.currentTab.title, "Calls")
        XCTAssertEqual(driver.text, list, "and changes nothing")
        XCTAssertEqual(driver.outcome(of: .char("q")), .quit, "q at the top level quits")
    }

    func testBackgroundProgressShowsInStatusBarThenFlashes() {
        var driver = makeDriver()
        driver.press()
        driver.deliver(BackgroundActivity(label: "Purging recordings", done: 1200, total: 5000))
        XCTAssertTrue(driver.grid.lines.last!.contains("Purging recordings 1,200/5,000"), driver.grid.lines.last!)
        driver.deliver(BackgroundActivity(label: "Purging recordings", done: 5000, total: 5000, finishedSummary: "Purged 5,000 recordings"))
        XCTAssertTrue(driver.grid.lines.last!.contains("Purged 5,000 recordings"))
        XCTAssertEqual(driver.style(of: "Purged 5,000")?.role, .success)
    }

    func testTooSmallTerminalSaysTheSizeNeeded() {
        var driver = makeDriver(size: Size(width: 60, height: 15))
        driver.press()
        XCTAssertTrue(driver.text.contains("80x24"), driver.text)
        driver.backend.resize(to: Size(width: 100, height: 30))
        driver.press()
        XCTAssertTrue(driver.grid.lines[0].contains("Overview"))
    }

    /// The too-small message names the quit key as the user has it bound, not a hand-typed `q`.
    func testTooSmallTerminalNamesTheReboundQuitKey() {
        let config = KeyConfig.parse("""
            [console]
            quit = "Ctrl-Q"
            """, file: "keys.toml")
        XCTAssertEqual(config.problems.map(\.description), [])
        var driver = ScreenDriver(ConsoleScreen(context: fixture.context(keys: config.bindings)), size: Size(width: 60, height: 15))
        driver.press()
        XCTAssertTrue(driver.text.contains("press Ctrl-Q to quit"), driver.text)
        XCTAssertFalse(driver.text.contains("press q"), driver.text)
        XCTAssertEqual(driver.screen.quitKeys, [Key.ctrl("q")])
    }
}
