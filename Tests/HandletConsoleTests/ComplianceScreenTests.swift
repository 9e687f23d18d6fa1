import Foundation
@testable import HandletDomain
@testable import HandletConsole
import TerminalUI
import XCTest
import HandletTestSupport

/// Issue 21: the compliance centre is its own screen; Enter on a duty goes to the screen that
/// declared it; its hints, and every other, name keys as the user has them bound.
final class ComplianceScreenTests: ConsoleScreenTestCase {
    /// One DPA version needing an acknowledgement, so the Notices list shows its header hint.
    func importANoticeNeedingAnAnswer() throws {
        let now = ConsoleFixture.now
        let owner = fixture.workspace.session(as: try fixture.workspace.actor(email: "owner@example.test"))
        let file = NoticesScreenTests.file(id: "dpa", published: now.addingTimeInterval(-5 * 86_400), effective: now.addingTimeInterval(20 * 86_400),
                                           body: "# Processing agreement\n\nWords.")
        XCTAssertEqual(try owner.importNotices([("dpa.md", file)], now: now).failed.map(\.reason), [])
    }

    /// The centre has no tab of its own: the palette's "Go to" reaches it from anywhere.
    func openCompliance(_ driver: inout ScreenDriver<ConsoleScreen>) {
        driver.press(.char(":"))
        driver.type("go to compliance")
        driver.press(.enter)
        XCTAssertEqual(driver.screen.currentTab.title, "Compliance", driver.text)
    }

    func bindings(_ toml: String) -> KeyBindings {
        let config = KeyConfig.parse(toml, file: "keys.toml")
        XCTAssertEqual(config.problems.map(\.description), [])
        return config.bindings
    }

    func testItListsEachDutyWithItsComputedStatusAtEitherSize() throws {
        for size in [Size(width: 80, height: 24), Size(width: 200, height: 50)] {
            var driver = makeDriver(size: size)
            openCompliance(&driver)
            // No numbered tab of its own; the bar's breadcrumb shows the way back (Overview › Compliance).
            XCTAssertNil(driver.grid.lines[0].range(of: #"\d Comp"#, options: .regularExpression), "no tab of its own: \(driver.grid.lines[0])")
            // At 80 columns ten tabs' short titles fill the bar and the breadcrumb no longer fits beside them.
            if size.width > 80 { XCTAssertTrue(driver.grid.lines[0].contains("› Compliance"), driver.grid.lines[0]) }
            let text = driver.text
            XCTAssertTrue(text.contains("Your duties under the DPA") && text.contains("Enter goes where each is fixed"), text)
            let basis = try XCTUnwrap(driver.grid.lines.first { $0.contains("Lawful basis recorded") }, text)
            XCTAssertTrue(basis.contains("FAILING"), basis)
            if size.width > 80 { XCTAssertTrue(text.contains("Enter or b: record a basis"), text) }
            XCTAssertTrue(text.contains("Auto-Send is off"), text)
        }
    }

    /// Account access is declared by the Users screen: Enter goes there.
    func testEnterOnADutyGoesToTheScreenThatDeclaresIt() throws {
        var driver = makeDriver(size: Size(width: 200, height: 50))
        openCompliance(&driver)
        let access = try XCTUnwrap(driver.row(containing: "Account access limited"), driver.text)
        XCTAssertTrue(driver.grid.lines[access + 1].contains("review who has access (Users)"), driver.grid.lines[access + 1])
        let lines = try driver.screen.context.session.read(.compliance(now: ConsoleFixture.now)).lines.map(\.duty)
        for _ in 0..<lines.firstIndex(of: .accountAccess)! { driver.press(.down) }
        driver.press(.enter)
        XCTAssertEqual(driver.screen.currentTab.title, "Users")
        // Data-subject requests are the Requests tab's.
        openCompliance(&driver)
        driver.press(.char("g"))
        for _ in 0..<lines.firstIndex(of: .dataSubjectRequests)! { driver.press(.down) }
        driver.press(.enter)
        XCTAssertEqual(driver.screen.currentTab.title, "Requests")
        // A duty no screen declares (a registry without the Requests tab) says the domain's command, and stays.
        let without = ScreenRegistry(ScreenRegistry.standard.screens.filter { $0.id != .requests })
        var bare = makeDriver(size: Size(width: 200, height: 50), screens: without)
        openCompliance(&bare)
        bare.press(.char("g"))
        for _ in 0..<lines.firstIndex(of: .dataSubjectRequests)! { bare.press(.down) }
        bare.press(.enter)
        XCTAssertEqual(bare.screen.currentTab.title, "Compliance")
        XCTAssertTrue(bare.grid.lines.last!.contains(ComplianceReport.Duty.dataSubjectRequests.fix.prefix(30)), bare.grid.lines.last!)
    }

    /// `[notices] compliance = "C"`: the header hint says C, C opens the centre, c no longer does;
    /// the centre's own hints follow `[compliance]` rebindings; Esc goes back to Notices.
    func testRebindingChangesTheHintsAndTheKeysWork() throws {
        try importANoticeNeedingAnAnswer()
        let keys = bindings("""
            [notices]
            compliance = "C"
            [compliance]
            open = "o"
            lawful_basis = "B"
            """)
        var driver = makeDriver(size: Size(width: 200, height: 50), keys: keys)
        driver.press(.escape)
        driver.goTo(.notices)
        XCTAssertEqual(driver.screen.currentTab.title, "Notices")
        XCTAssertTrue(driver.text.contains("C compliance centre"), driver.text)
        XCTAssertFalse(driver.text.contains("c compliance centre"), driver.text)
        driver.press(.char("c"))
        XCTAssertEqual(driver.screen.currentTab.title, "Notices", "c is no longer bound")
        driver.press(.char("C"))
        XCTAssertEqual(driver.screen.currentTab.title, "Compliance")
        XCTAssertTrue(driver.text.contains("o goes where each is fixed"), driver.text)
        XCTAssertTrue(driver.text.contains("o or B: record a basis"), driver.text)
        driver.press(.char("B"))
        XCTAssertTrue(driver.text.contains("Which purpose?"), driver.text)
        driver.press(.escape)
        XCTAssertFalse(driver.text.contains("Which purpose?"), driver.text)
        driver.press(.escape)
        XCTAssertEqual(driver.screen.currentTab.title, "Notices", "Esc goes back to where the centre was opened from")
    }

    /// The shell's and other screens' hints follow rebindings too.
    func testOtherHintsNameTheKeysAsBound() throws {
        let keys = bindings("""
            [console]
            help = "F2"
            [startup_panel]
            open = "o"
            """)
        try importANoticeNeedingAnAnswer()
        var driver = makeDriver(size: Size(width: 110, height: 32), keys: keys)
        XCTAssertTrue(driver.text.contains("o open the Notices tab"), driver.text)
        driver.press(.escape)
        XCTAssertTrue(driver.grid.lines.last!.contains("F2 help"), driver.grid.lines.last!)
        XCTAssertFalse(driver.grid.lines.last!.contains("? help"), driver.grid.lines.last!)
    }

    /// Text-field keys are a table: rebinding Ctrl-U (delete to the start) moves it.
    func testTextFieldKeysAreRebindable() throws {
        let keys = bindings("""
            [text_field]
            delete_to_start = "Ctrl-X"
            """)
        var driver = makeDriver(size: Size(width: 110, height: 32), keys: keys)
        driver.press(.char(":"))
        driver.type("abc")
        driver.press(.ctrl("u"))
        XCTAssertTrue(driver.text.contains("abc"), "Ctrl-U no longer deletes: \(driver.text)")
        driver.press(.ctrl("x"))
        XCTAssertFalse(driver.text.contains("abc"), driver.text)
        XCTAssertTrue(KeyReference.markdown().contains("`delete_to_start`"))
    }

    func testHelpListsExactlyTheKeysItDispatches() {
        assertHelpListsExactlyTheKeysItDispatches(.compliance, state: "Compliance centre")
        assertHelpListsExactlyTheKeysItDispatches(.compliance, actor: "viewer@example.test", state: "Compliance centre as viewer")
    }
    /// DESIGN §8: Esc or q goes back. Opened from the palette (it has no tab), each of the centre's
    /// back keys returns to the tab the user was on; `q` never quits from it.
    func testTheCentresBackKeysReturnWhereTheUserWasAndQDoesNotQuit() throws {
        let back = try XCTUnwrap(ComplianceTab.centreTable.defaults.bindings.first { $0.name == "back" })
        XCTAssertEqual(Set(back.keys), [.escape, .char("q"), .backspace])
        for key in back.keys {
            var driver = makeDriver(size: Size(width: 110, height: 32))
            driver.press(.escape)
            driver.goTo(.users)
            openCompliance(&driver)
            XCTAssertNotEqual(driver.outcome(of: key), .quit, "\(key) quit the console")
            XCTAssertEqual(driver.screen.currentTab.title, "Users", "\(key) goes back to where the centre was opened from")
        }
    }

    /// `[compliance] back = …` rebinds the centre's back key rather than being refused.
    func testTheCentresBackKeyIsRebindable() throws {
        let keys = bindings("""
            [compliance]
            back = "x"
            """)
        var driver = makeDriver(size: Size(width: 110, height: 32), keys: keys)
        driver.press(.escape)
        driver.goTo(.users)
        openCompliance(&driver)
        driver.press(.char("x"))
        XCTAssertEqual(driver.screen.currentTab.title, "Users")
    }

    /// Enter on a processor promise opens its notice; Esc there comes back to the centre, not to
    /// the Notices list.
    func testEscFromAPromisesNoticeReturnsToTheCentre() throws {
        try importANoticeNeedingAnAnswer()
        var driver = makeDriver(size: Size(width: 200, height: 50))
        driver.press(.escape)
        openCompliance(&driver)
        let report = try driver.screen.context.session.read(.compliance(now: ConsoleFixture.now))
        XCTAssertFalse(report.promises.isEmpty)
        for _ in 0..<report.lines.count { driver.press(.down) }
        driver.press(.enter)
        XCTAssertEqual(driver.screen.currentTab.title, "Notices")
        XCTAssertTrue(driver.text.contains("Processing agreement"), driver.text)
        driver.press(.escape)
        XCTAssertEqual(driver.screen.currentTab.title, "Compliance", driver.text)
    }
}
