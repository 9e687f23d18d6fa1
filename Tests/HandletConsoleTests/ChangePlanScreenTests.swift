import GRDB
@testable import HandletDomain
@testable import HandletConsole
import TerminalUI
import XCTest
import HandletTestSupport

/// Issue 21: the console renders the domain's plan of a change and decides nothing itself. A
/// key refused by a context rule (the selected user is an owner, the last enabled owner) is
/// dimmed in help with the domain's reason and refused with it on press; a shortening shows the
/// plan's preview and asks the plan's question.
final class ChangePlanScreenTests: ConsoleScreenTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        let owner = try fixture.workspace.session(as: fixture.workspace.actor(email: "owner@example.test"))
        _ = try owner.perform(.addUser(name: "Ada Admin", email: "admin@example.test", role: .admin), at: ConsoleFixture.now)
        _ = try owner.perform(.addUser(name: "Aggie Agent", email: "agent@example.test", role: .agent), at: ConsoleFixture.now)
    }

    private func session(_ email: String) throws -> WorkspaceSession {
        try fixture.workspace.session(as: fixture.workspace.actor(email: email))
    }

    private func userID(_ email: String) throws -> User.ID { try session("owner@example.test").read(.userID(email: email)) }

    private func usersDriver(actor email: String) -> ScreenDriver<ConsoleScreen> {
        var driver = makeDriver(size: Size(width: 160, height: 30), actor: email)
        driver.goTo(.users)
        return driver
    }

    func testAnAdminOnTheOwnerSeesTheKeysDimmedWithTheDomainsReason() throws {
        let reason = try XCTUnwrap(try session("admin@example.test").plan(.disableUser(userID("owner@example.test"))).refusal)
        XCTAssertEqual(reason, "Only owner may add, promote, change or disable an owner; you are admin.")
        // The list is most powerful first: the owner is selected.
        let help = makeTab(.users, actor: "admin@example.test").helpEntries
        for name in ["role", "disable", "enable"] {
            XCTAssertEqual(help.first { $0.name == name }?.disabledReason, reason, name)
        }
        XCTAssertNil(help.first { $0.name == "add" }?.disabledReason, "adding is the admin's to do")
        var driver = usersDriver(actor: "admin@example.test")
        driver.press(.char("d"))
        XCTAssertTrue(driver.grid.lines.last!.contains(reason), driver.grid.lines.last!)
        XCTAssertEqual(try fixture.workspace.dbPool.read { try Bool.fetchOne($0, sql: "SELECT disabled FROM users WHERE email = 'owner@example.test'") }, false)
        // On the agent the same keys are free.
        let onAgent = makeTab(.users, actor: "admin@example.test") { tab in _ = tab.handle(.char("j")); _ = tab.handle(.char("j")) }.helpEntries
        XCTAssertNil(onAgent.first { $0.name == "disable" }?.disabledReason)
    }

    func testTheLastEnabledOwnerCannotBeDisabledAndTheKeySaysWhy() throws {
        let reason = UserRuleError.lastEnabledOwner.description
        XCTAssertEqual(try session("owner@example.test").plan(.disableUser(userID("owner@example.test"))).refusal, reason)
        let help = makeTab(.users, actor: "owner@example.test").helpEntries
        XCTAssertEqual(help.first { $0.name == "disable" }?.disabledReason, reason)
        XCTAssertNil(help.first { $0.name == "role" }?.disabledReason, "choosing the same role again is no demotion")
        var driver = usersDriver(actor: "owner@example.test")
        driver.press(.char("d"))
        XCTAssertTrue(driver.grid.lines.last!.contains("The last enabled owner"), driver.grid.lines.last!)
        // Choosing a lower role is planned again when chosen, and refused with the same words.
        driver.press(.char("r"))
        XCTAssertTrue(driver.text.contains("Role of owner@example.test"), driver.text)
        driver.press(.down, .enter) // owner → admin
        XCTAssertTrue(driver.grid.lines.last!.contains("The last enabled owner"), driver.grid.lines.last!)
    }

    func testAShorteningThatMakesNothingDueStillShowsThePlansPreviewAndQuestion() throws {
        // The fixture's recording is made now: 30 → 14 days makes nothing due, and still asks.
        let created = Int64(ConsoleFixture.now.timeIntervalSince1970)
        try fixture.workspace.dbPool.write { db in
            try db.execute(sql: "UPDATE recordings SET created_at = ?, expires_at = ?", arguments: [created, created + 30 * 86_400])
        }
        let plan = try session("owner@example.test").plan(.setRetentionPeriod(RetentionPeriod(days: 14)), at: ConsoleFixture.now)
        let question = try XCTUnwrap(plan.confirmation)
        var driver = makeDriver(size: Size(width: 110, height: 32), actor: "owner@example.test")
        driver.press(.char("5"))
        driver.press(.down, .left, .enter) // 30 → 14 days
        XCTAssertTrue(driver.text.contains(question.title), driver.text)
        XCTAssertTrue(driver.text.contains("No stored recording becomes due"), "the plan's preview: \(driver.text)")
        driver.press(.escape)
        XCTAssertEqual(try fixture.workspace.settings().retentionDays, 30)
    }

    func testAcknowledgingShowsThePlansQuestion() throws {
        let owner = try session("owner@example.test")
        let file = NoticesScreenTests.file(id: "dpa", title: "Processing agreement", published: ConsoleFixture.now.addingTimeInterval(-86_400),
                                           effective: ConsoleFixture.now.addingTimeInterval(86_400 * 10), body: "# Agreement\n\nWords.")
        _ = try owner.importNotices([(name: "dpa.md", data: file)], now: ConsoleFixture.now)
        let id = try owner.read(.noticeID(named: "dpa"))
        let question = try XCTUnwrap(try owner.plan(.acknowledgeNotice(id), at: ConsoleFixture.now).confirmation)
        var driver = makeDriver(size: Size(width: 200, height: 30))
        driver.press(.escape)
        driver.goTo(.notices)
        driver.press(.char("a"))
        XCTAssertTrue(driver.text.contains(question.title), driver.text)
        XCTAssertTrue(driver.text.contains("Acknowledge dpa version 1 (SHA-256 "), "the plan's question: \(driver.text)")
        driver.press(.escape)
        XCTAssertEqual(try fixture.workspace.dbPool.read { try NoticeResponse.fetchCount($0) }, 0, "nothing recorded unless confirmed")
    }
    /// Only a refusal (exit class 77) dims a key: a plan that cannot be made (no such user, bad
    /// data) is an error to show, never a reason the user may not act.
    func testAPlanThatFailsIsAnErrorNotARefusal() throws {
        let context = fixture.context(actor: "owner@example.test")
        let missing = User.ID(999_999)
        XCTAssertNil(context.refusal(of: .disableUser(missing)), "no such user is not a refusal")
        guard case .failed(let problem) = context.plan(.disableUser(missing)) else { return XCTFail("expected a failed plan") }
        XCTAssertEqual(problem, "\(UserRuleError.noSuchUserID(missing))")
        // A refusal still is one.
        XCTAssertNotNil(fixture.context(actor: "agent@example.test").refusal(of: .disableUser(missing)))
    }
}
