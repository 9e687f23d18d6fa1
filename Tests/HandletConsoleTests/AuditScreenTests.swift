@testable import HandletDomain
@testable import HandletConsole
import TerminalUI
import XCTest

/// The Audit tab: newest first, filters, an event's details, verify (intact, then a tampered row
/// named by its sequence), and agents refused with the domain's words.
final class AuditScreenTests: ConsoleScreenTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        let owner = try fixture.workspace.session(as: fixture.workspace.actor(email: "owner@example.test"))
        _ = try owner.perform(.addUser(name: "Aggie Agent", email: "agent@example.test", role: .agent), at: ConsoleFixture.now)
        _ = try owner.perform(.addUser(name: "Ada Admin", email: "admin@example.test", role: .admin), at: ConsoleFixture.now)
    }

    func auditDriver(actor email: String = "owner@example.test") -> ScreenDriver<ConsoleScreen> {
        var driver = makeDriver(size: Size(width: 160, height: 30), actor: email)
        driver.goTo(.audit)
        return driver
    }

    func lastSeq() throws -> Int64 {
        try fixture.workspace.session(as: fixture.workspace.localOwner()).read(.auditCheckpoint)?.seq ?? 0
    }

    func testListsEventsNewestFirst() throws {
        let driver = auditDriver()
        XCTAssertEqual(driver.screen.currentTab.title, "Audit")
        let newest = try XCTUnwrap(driver.row(containing: "user.added"))
        let oldest = try XCTUnwrap(driver.row(containing: "workspace.created"))
        XCTAssertLessThan(newest, oldest, driver.text)
        XCTAssertTrue(driver.text.contains("owner@example.test"), driver.text)
        XCTAssertTrue(driver.text.contains("role=admin"), "details are summarised: \(driver.text)")
    }

    func testAnAgentIsRefusedTheTabWithTheDomainsWords() {
        var driver = auditDriver(actor: "agent@example.test")
        XCTAssertTrue(driver.text.contains("The audit log is not available to you"), driver.text)
        XCTAssertTrue(driver.text.contains("Only owner, admin or viewer may"), driver.text)
        XCTAssertTrue(driver.text.contains("you are agent"), driver.text)
        XCTAssertFalse(driver.text.contains("workspace.created"), "no event shows: \(driver.text)")
        driver.press("verify", in: "Audit log")
        XCTAssertFalse(driver.text.contains("intact"), driver.text)
        XCTAssertTrue(driver.text.contains("you are agent"), driver.text)
    }

    func testAViewerAndAnAdminReadTheLog() {
        for email in ["viewer@example.test", "admin@example.test"] {
            let driver = auditDriver(actor: email)
            XCTAssertTrue(driver.text.contains("workspace.created"), "\(email): \(driver.text)")
        }
    }

    func testFiltersByActionActorAndDate() throws {
        var driver = auditDriver()
        driver.press("action", in: "Audit log")
        XCTAssertTrue(driver.text.contains("Filter by action"), driver.text)
        let index = try XCTUnwrap(AuditAction.allCases.firstIndex(of: .userAdded))
        for _ in 0...index { driver.press("next", in: "Question with several answers") }
        driver.press("choose", in: "Question with several answers")
        XCTAssertTrue(driver.text.contains("action: user.added"), driver.text)
        XCTAssertFalse(driver.text.contains("workspace.created"), driver.text)
        XCTAssertTrue(driver.text.contains("user.added"), driver.text)

        driver.press("clear", in: "Audit log")
        driver.press("actor", in: "Audit log")
        driver.type("nobody@example.test")
        driver.press("save", in: "Text prompt")
        XCTAssertTrue(driver.text.contains("No audit events match these filters"), driver.text)

        driver.press("clear", in: "Audit log")
        driver.press("dates", in: "Audit log")
        driver.type("2000-01-01")
        driver.press("save", in: "Text prompt")
        XCTAssertTrue(driver.text.contains("dates: 2000-01-01") || driver.text.contains("2000-01-01"), driver.text)
        XCTAssertTrue(driver.text.contains("No audit events match these filters"), driver.text)
        driver.press("clear", in: "Audit log")
        driver.press("dates", in: "Audit log")
        driver.type("nonsense")
        driver.press("save", in: "Text prompt")
        XCTAssertTrue(driver.text.contains("is not a date"), driver.text)
        driver.press("cancel", in: "Text prompt")
        driver.press("dates", in: "Audit log")
        driver.type("2026-11-23")
        driver.press("save", in: "Text prompt")
        XCTAssertTrue(driver.text.contains("user.added"), "today's events: \(driver.text)")
    }

    func testAnEventsDetails() throws {
        var driver = auditDriver()
        driver.press("open", in: "Audit log")
        XCTAssertTrue(driver.text.contains("Event \(try lastSeq())"), driver.text)
        XCTAssertTrue(driver.text.contains("Previous hash") && driver.text.contains("user_id"), driver.text)
        driver.press("back", in: "Audit event")
        XCTAssertTrue(driver.text.contains("workspace.created"), driver.text)
    }

    func testVerifyShowsIntactThenTheTamperedSequence() throws {
        var driver = auditDriver(actor: "viewer@example.test")
        driver.press("verify", in: "Audit log")
        driver.settle { !$0.lines.joined().contains("Verifying") }
        XCTAssertTrue(driver.text.contains("Audit log intact"), driver.text)
        let seq = try lastSeq() - 1
        try fixture.workspace.tamperWithAuditEvent(seq: seq, target: "user:999")
        driver.press("verify", in: "Audit log")
        driver.settle { !$0.lines.joined().contains("Verifying") }
        XCTAssertTrue(driver.text.contains("Audit log broken at event \(seq)"), driver.text)
        XCTAssertFalse(driver.text.contains("Audit log intact"), driver.text)
    }

    func testVerifyAgainstACheckpoint() throws {
        let head = try XCTUnwrap(try fixture.workspace.session(as: fixture.workspace.actor(email: "owner@example.test")).read(.auditCheckpoint))
        var driver = auditDriver()
        driver.press("verify_checkpoint", in: "Audit log")
        driver.type(head.description)
        driver.press("save", in: "Text prompt")
        driver.settle { !$0.lines.joined().contains("Verifying") }
        XCTAssertTrue(driver.text.contains("checkpoint \(head.seq) holds"), driver.text)
        driver.press("verify_checkpoint", in: "Audit log")
        driver.type("\(head.seq):" + String(repeating: "0", count: 64))
        driver.press("save", in: "Text prompt")
        driver.settle { !$0.lines.joined().contains("Verifying") }
        XCTAssertTrue(driver.text.contains("Audit log broken at event \(head.seq)"), driver.text)
    }

    func testHelpListsExactlyTheKeysItDispatches() {
        for actor in [nil, "agent@example.test"] {
            assertHelpListsExactlyTheKeysItDispatches(.audit, actor: actor, state: "Audit log as \(actor ?? "owner")")
        }
        assertHelpListsExactlyTheKeysItDispatches(.audit, state: "An audit event") { _ = $0.handle(.enter) }
    }

    /// A long detail wraps under its label at 80 columns instead of running off the screen.
    func testAnEventsLongValuesWrapAtEightyColumns() throws {
        var driver = makeDriver(size: Size(width: 80, height: 24), actor: "owner@example.test")
        driver.goTo(.audit)
        driver.press("open", in: "Audit log")
        XCTAssertTrue(driver.text.contains("Previous hash"), driver.text)
        let head = try XCTUnwrap(try fixture.workspace.session(as: fixture.workspace.actor(email: "owner@example.test")).read(.auditCheckpoint))
        let hashLine = try XCTUnwrap(driver.grid.lines.firstIndex { $0.contains("Hash ") && !$0.contains("Previous") }, driver.text)
        let shown = driver.grid.lines[hashLine...].prefix(3).joined().replacingOccurrences(of: " ", with: "")
        XCTAssertTrue(shown.contains(head.hash), "the whole hash shows, wrapped: \(driver.text)")
    }

    /// Verify runs in the background: the key returns at once with "Verifying…", and only the
    /// latest run's result is shown when it is posted back.
    func testVerifyRunsInTheBackgroundAndShowsOnlyTheLatestResult() throws {
        var tab = makeTab(.audit)
        tab.layout(Size(width: 120, height: 20))
        XCTAssertEqual(tab.handle(.char("v")), .handled)
        func text() -> String {
            var grid = Grid(size: Size(width: 120, height: 20))
            tab.render(into: &grid, area: grid.bounds)
            return grid.lines.joined(separator: "\n")
        }
        XCTAssertTrue(text().contains("Verifying the hash chain…"), text())
        let intact = try fixture.workspace.session(as: fixture.workspace.actor(email: "owner@example.test")).read(.auditVerification())
        XCTAssertFalse(tab.receive(AuditVerified(generation: 0, result: intact, error: nil)), "an older run's result is dropped")
        XCTAssertTrue(text().contains("Verifying"), text())
        XCTAssertTrue(tab.receive(AuditVerified(generation: 1, result: intact, error: nil)))
        XCTAssertTrue(text().contains("Audit log intact: \(intact.eventsChecked) events checked"), text())
        XCTAssertFalse(text().contains("Verifying"), text())
    }
}
