@testable import HandletDomain
@testable import HandletConsole
import TerminalUI
import XCTest

/// The Users tab: the list, adding through the prompts, role changes, disabling, and refusals
/// that name the role needed before any prompt opens.
final class UsersScreenTests: ConsoleScreenTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        let owner = try fixture.workspace.session(as: fixture.workspace.actor(email: "owner@example.test"))
        _ = try owner.perform(.addUser(name: "Ada Admin", email: "admin@example.test", role: .admin), at: ConsoleFixture.now)
        _ = try owner.perform(.addUser(name: "Aggie Agent", email: "agent@example.test", role: .agent), at: ConsoleFixture.now)
    }

    func usersDriver(actor email: String = "owner@example.test") -> ScreenDriver<ConsoleScreen> {
        var driver = makeDriver(size: Size(width: 160, height: 30), actor: email)
        driver.goTo(.users)
        return driver
    }

    func role(of email: String) throws -> (HandletDomain.Role, Bool) {
        let user = try XCTUnwrap(try fixture.workspace.session(as: .system).read(.users).first { $0.email == email })
        return (user.role, user.disabled)
    }

    func testListsEveryUserMostPowerfulFirst() {
        let driver = usersDriver()
        XCTAssertEqual(driver.screen.currentTab.title, "Users")
        let rows = ["owner@example.test", "admin@example.test", "agent@example.test", "viewer@example.test"].map { driver.row(containing: $0) }
        XCTAssertFalse(rows.contains(nil), driver.text)
        XCTAssertEqual(rows.compactMap { $0 }, rows.compactMap { $0 }.sorted(), driver.text)
        XCTAssertTrue(driver.text.contains("Olivia Owner") && driver.text.contains("Vic Viewer"), driver.text)
    }

    func testAnOwnerAddsAUserThroughThePrompts() throws {
        var driver = usersDriver()
        driver.press("add", in: "Users")
        XCTAssertTrue(driver.text.contains("Add a user"), driver.text)
        driver.type("not-an-email")
        driver.press("save", in: "Text prompt")
        XCTAssertTrue(driver.text.contains("is not an email address"), "a bad email is refused in the prompt: \(driver.text)")
        for _ in 0..<12 { driver.press(.backspace) }
        driver.type("new@example.test")
        driver.press("save", in: "Text prompt")
        driver.type("Nina New")
        driver.press("save", in: "Text prompt")
        XCTAssertTrue(driver.text.contains("What may Nina New do?"), driver.text)
        driver.press("next", in: "Question with several answers")
        driver.press("choose", in: "Question with several answers") // agent → viewer
        XCTAssertTrue(driver.text.contains("Added new@example.test as viewer"), driver.text)
        XCTAssertTrue(driver.text.contains("Nina New"), driver.text)
        XCTAssertEqual(try role(of: "new@example.test").0, .viewer)
        let last = try fixture.workspace.auditActions().last
        XCTAssertEqual(last, "user.added")
    }

    func testAViewerIsRefusedWithTheRoleNeededBeforeAnyPrompt() throws {
        var driver = usersDriver(actor: "viewer@example.test")
        // The domain's reason, not the tab's own words.
        let reason = try XCTUnwrap(driver.screen.context.refusal(of: .addUser(name: "", email: "", role: .viewer)))
        XCTAssertEqual(reason, "Only owner or admin may manage users; you are viewer.")
        XCTAssertTrue(driver.text.contains("Read only: \(reason)"), driver.text)
        driver.press("add", in: "Users")
        XCTAssertFalse(driver.text.contains("Add a user"), "no prompt opens: \(driver.text)")
        XCTAssertTrue(driver.text.contains("Only owner or admin may"), driver.text)
        XCTAssertTrue(driver.text.contains("you are viewer"), driver.text)
        driver.press("disable", in: "Users")
        XCTAssertEqual(try role(of: "owner@example.test").1, false)
    }

    func testHelpDimsTheKeysForAViewerWithTheRoleNeeded() {
        let tab = makeTab(.users, actor: "viewer@example.test")
        let add = tab.helpEntries.first { $0.description.hasPrefix("Add a user") }
        XCTAssertNotNil(add)
        XCTAssertTrue(add?.disabledReason?.contains("owner or admin") == true, "\(String(describing: add))")
    }

    func testAnOwnerChangesARoleAndDisablesAUser() throws {
        var driver = usersDriver()
        driver.press("down", in: "Users")
        driver.press("down", in: "Users")
        driver.press("role", in: "Users") // agent@
        XCTAssertTrue(driver.text.contains("Role of agent@example.test"), driver.text)
        driver.press("previous", in: "Question with several answers")
        driver.press("choose", in: "Question with several answers") // agent → admin
        XCTAssertTrue(driver.text.contains("agent@example.test is now admin (was agent)"), driver.text)
        XCTAssertEqual(try role(of: "agent@example.test").0, .admin)
        driver.press("bottom", in: "Users")
        driver.press("disable", in: "Users")
        XCTAssertTrue(driver.text.contains("Disable viewer@example.test"), "asks first: \(driver.text)")
        driver.press("confirm", in: "Confirmation")
        XCTAssertTrue(driver.text.contains("viewer@example.test is disabled"), driver.text)
        XCTAssertTrue(driver.text.contains("Vic Viewer (disabled)"), driver.text)
        driver.press("enable", in: "Users")
        XCTAssertEqual(try role(of: "viewer@example.test").1, false)
    }

    func testAnAdminMayNotTouchAnOwnerAndTheLastOwnerStays() throws {
        var driver = usersDriver(actor: "admin@example.test")
        driver.press("role", in: "Users") // the owner
        XCTAssertFalse(driver.text.contains("Role of owner@example.test"), driver.text)
        XCTAssertTrue(driver.text.contains("Only owner may"), driver.text)
        driver.press("disable", in: "Users")
        XCTAssertEqual(try role(of: "owner@example.test").1, false)

        var owner = usersDriver()
        owner.press("disable", in: "Users")
        XCTAssertTrue(owner.text.contains("The last enabled owner can be neither demoted nor disabled"), owner.text)
        XCTAssertEqual(try role(of: "owner@example.test").1, false)
    }

    func testHelpListsExactlyTheKeysItDispatches() {
        for actor in [nil, "viewer@example.test"] {
            assertHelpListsExactlyTheKeysItDispatches(.users, actor: actor, state: "Users as \(actor ?? "owner")")
        }
    }

    /// The list fills the height it was laid out for and keeps the selection on screen when moved.
    func testTheListScrollsToKeepTheSelectionOnAShortScreen() throws {
        let owner = try fixture.workspace.session(as: fixture.workspace.actor(email: "owner@example.test"))
        for index in 0..<30 {
            _ = try owner.perform(.addUser(name: "Zed \(index)", email: "zed\(index)@example.test", role: .viewer), at: ConsoleFixture.now)
        }
        var driver = makeDriver(size: Size(width: 80, height: 24), actor: "owner@example.test")
        driver.goTo(.users)
        XCTAssertNotNil(driver.row(containing: "owner@example.test"), driver.text)
        driver.press("page_down", in: "Users")
        XCTAssertTrue(driver.text.contains("21 of 34 users"), "a page is the table's 21 rows less one: \(driver.text)")
        driver.press("bottom", in: "Users")
        XCTAssertNil(driver.row(containing: "owner@example.test"), "scrolled past the first row: \(driver.text)")
        XCTAssertTrue(driver.text.contains("34 of 34 users"), driver.text)
        let last = try XCTUnwrap(driver.grid.lines.lastIndex { $0.contains("@example.test") }, driver.text)
        XCTAssertEqual(last, 24 - 2, "the last user is on the row above the status bar: \(driver.text)")
    }
}
