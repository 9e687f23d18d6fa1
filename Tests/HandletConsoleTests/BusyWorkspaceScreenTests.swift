import Foundation
@testable import HandletConsole
@testable import HandletDomain
import TerminalUI
import HandletTestSupport
import XCTest

/// Issue 11, Faults: another process holds the workspace's write lock (the sqlite3 CLI in a child
/// process, in `BEGIN IMMEDIATE`) while the console changes something. The console says so, stays
/// responsive, and the change lands with its audit event once the lock goes, or gives up with one
/// line and changes nothing.
final class BusyWorkspaceScreenTests: ConsoleScreenTestCase {
    private var holder: WriteLockHolder?

    override func setUpWithError() throws {
        try super.setUpWithError()
        // The fixture's recording, made ten days ago (as the Retention tab's tests have it).
        try fixture.workspace.redateRecordings(createdAt: ConsoleFixture.now.addingTimeInterval(-10 * 86_400))
    }

    override func tearDown() {
        releaseLock()
        super.tearDown()
    }

    private var databasePath: String { fixture.workspace.databaseURL.path }

    /// Starts sqlite3 holding the write lock, and returns once it holds it.
    private func holdWriteLock() throws {
        holder = try WriteLockHolder(database: databasePath)
    }

    /// Ends sqlite3's transaction (it wrote nothing) and lets it exit.
    private func releaseLock() {
        holder?.release()
        holder = nil
    }

    private func driver(retryLimit: Duration) -> ScreenDriver<ConsoleScreen> {
        let fixture = self.fixture!
        var driver = ScreenDriver(size: Size(width: 110, height: 32)) { mailbox in
            let base = fixture.context(post: { mailbox.post($0) })
            let context = ConsoleContext(session: base.session, now: base.now, post: base.post, keys: base.keys,
                                         changes: ConsoleChanges(retryLimit: retryLimit))
            return ConsoleScreen(context: context)
        }
        driver.press()
        return driver
    }

    private func retentionDays() throws -> Int { try fixture.workspace.settings().retentionDays }

    private func auditActions() throws -> [String] {
        try fixture.workspace.auditActions()
    }

    private var status: (ScreenDriver<ConsoleScreen>) -> String = { $0.grid.lines.last ?? "" }

    func testAChangeWaitsVisiblyWhileTheConsoleStaysResponsiveThenLandsWithItsAuditEvent() throws {
        var driver = driver(retryLimit: .seconds(30))
        driver.goTo(.retention)
        let before = try auditActions()
        try holdWriteLock()

        let pressed = Date()
        driver.press("next_field", in: "Retention")
        driver.press("next_period", in: "Retention")
        driver.press("apply", in: "Retention") // 30 → a longer period: no question asked
        XCTAssertLessThan(Date().timeIntervalSince(pressed), 0.5, "the key returned at once")
        driver.settle { $0.lines.last!.contains(ChangeStatus.waitingText) }
        XCTAssertTrue(status(driver).contains("workspace busy (another process is writing) — retrying…"), status(driver))
        XCTAssertEqual(try retentionDays(), 30, "nothing lands while the lock is held")

        // Keys, resizes and overlays keep working while it waits.
        let keys = Date()
        driver.press("help", in: "Retention")
        XCTAssertTrue(driver.text.contains("Retention keys"), driver.text)
        driver.press("close", in: "Help overlay")
        driver.goTo(.calls)
        XCTAssertEqual(driver.screen.currentTab.title, "Calls")
        driver.backend.resize(to: Size(width: 200, height: 50))
        driver.press()
        XCTAssertEqual(driver.grid.width, 200)
        XCTAssertTrue(status(driver).contains(ChangeStatus.waitingText), "still said after a resize: \(status(driver))")
        XCTAssertLessThan(Date().timeIntervalSince(keys), 1, "keys were handled at once while the change waited")
        driver.goTo(.retention)
        XCTAssertEqual(try retentionDays(), 30)

        releaseLock()
        driver.settle { $0.lines.last!.contains("Retention is") }
        XCTAssertTrue(status(driver).contains("Retention is 60 days") || status(driver).contains("Retention is"), status(driver))
        XCTAssertFalse(status(driver).contains(ChangeStatus.waitingText))
        XCTAssertGreaterThan(try retentionDays(), 30, "the change landed once the lock was released")
        XCTAssertEqual(try auditActions(), before + [AuditAction.retentionPeriodChanged.rawValue], "with exactly its audit event")
        XCTAssertTrue(driver.text.contains("\(try retentionDays()) days"), "the tab shows the new period: \(driver.text)")
    }

    /// The Notices tab's answers go the same way (they arrived after the busy handling).
    func testAcknowledgingANoticeWaitsForABusyWorkspaceThenLands() throws {
        let now = ConsoleFixture.now
        let owner = fixture.workspace.session(as: try fixture.workspace.actor(email: "owner@example.test"))
        let file = NoticesScreenTests.file(id: "dpa", published: now.addingTimeInterval(-5 * 86_400),
                                           effective: now.addingTimeInterval(20 * 86_400), body: "# Agreement\n\nWords.")
        let summary = try owner.importNotices([(name: "dpa.md", data: file)], now: now)
        XCTAssertEqual(summary.failed.map(\.reason), [])
        var driver = driver(retryLimit: .seconds(30))
        driver.press(.escape)
        driver.goTo(.notices)
        XCTAssertEqual(driver.screen.currentTab.title, "Notices")
        let before = try auditActions()
        try holdWriteLock()
        let pressed = Date()
        driver.press(.char("a"), .char("y"))
        XCTAssertLessThan(Date().timeIntervalSince(pressed), 0.5, "the key returned at once")
        driver.settle { $0.lines.last!.contains(ChangeStatus.waitingText) }
        XCTAssertEqual(try auditActions(), before, "nothing lands while the lock is held")
        releaseLock()
        driver.settle { $0.lines.last!.contains("Acknowledged dpa") }
        XCTAssertEqual(try auditActions(), before + [AuditAction.noticeAcknowledged.rawValue], "with exactly its audit event")
        XCTAssertTrue(driver.grid.lines.first { $0.contains("Notice dpa") }?.contains("acknowledged") == true, driver.text)
    }

    func testAChangeThatNeverGetsTheLockGivesUpInOneLineAndChangesNothing() throws {
        var driver = driver(retryLimit: .seconds(1))
        driver.goTo(.calls)
        driver.press("open", in: "Calls list")
        driver.press("hold", in: "Call detail")
        let before = try auditActions()
        try holdWriteLock()
        driver.type("Insurance claim 42")
        driver.press("save", in: "Text prompt")
        driver.settle { $0.lines.last!.contains(ChangeStatus.waitingText) }
        XCTAssertTrue(status(driver).contains(ChangeStatus.waitingText), status(driver))
        driver.settle { $0.lines.last!.contains("Not changed") }
        XCTAssertTrue(status(driver).contains("Not changed: another process kept the workspace busy for 1 s; try again later"),
                      status(driver))
        XCTAssertFalse(status(driver).contains(ChangeStatus.waitingText))

        releaseLock()
        Thread.sleep(forTimeInterval: 0.5)
        driver.tick(1)
        let held = try !fixture.workspace.session(as: .system).read(.legalHolds).isEmpty
        XCTAssertEqual(held, false, "nothing was written, then or later")
        XCTAssertEqual(try auditActions(), before)
        XCTAssertFalse(driver.text.contains("Held: Insurance claim 42"), driver.text)
        let history = try fixture.workspace.session(as: .system).read(.legalHoldHistory(ofCall: fixture.workspace.callID("CALL-0"))).count
        XCTAssertEqual(history, 0)

        // The same change, now the workspace is free, lands at once.
        driver.press("hold", in: "Call detail")
        driver.type("Insurance claim 42")
        driver.press("save", in: "Text prompt")
        XCTAssertTrue(driver.text.contains("Held: Insurance claim 42"), driver.text)
        XCTAssertEqual(try auditActions(), before + [AuditAction.legalHoldPlaced.rawValue])
    }

    func testAHoldPlacedWhileBusyLandsAndTheCallShowsIt() throws {
        var driver = driver(retryLimit: .seconds(30))
        driver.goTo(.calls)
        driver.press("open", in: "Calls list")
        try holdWriteLock()
        driver.press("hold", in: "Call detail")
        driver.type("Dispute 7")
        driver.press("save", in: "Text prompt")
        driver.settle { $0.lines.last!.contains(ChangeStatus.waitingText) }
        XCTAssertFalse(driver.text.contains("Legal hold on CALL-0"), "the prompt closed: \(driver.text)")
        // A second change while the first waits is refused, and says why.
        driver.press("hold", in: "Call detail")
        driver.type("Another")
        driver.press("save", in: "Text prompt")
        XCTAssertTrue(driver.text.contains("Another change is still waiting"), driver.text)
        driver.press("cancel", in: "Text prompt")
        releaseLock()
        driver.settle { $0.lines.last!.contains("is on legal hold") }
        XCTAssertTrue(driver.text.contains("Held: Dispute 7"), "the detail shows the hold: \(driver.text)")
        let reasons = try fixture.workspace.session(as: .system).read(.legalHoldHistory(ofCall: fixture.workspace.callID("CALL-0"))).map(\.reason)
        XCTAssertEqual(reasons, ["Dispute 7"])
    }

    func testDisablingAUserWhileBusyLandsAndTheListShowsIt() throws {
        var driver = driver(retryLimit: .seconds(30))
        driver.goTo(.users)
        driver.press("bottom", in: "Users")
        let before = try auditActions()
        try holdWriteLock()
        driver.press("disable", in: "Users")
        driver.press("confirm", in: "Confirmation")
        driver.settle { $0.lines.last!.contains(ChangeStatus.waitingText) }
        XCTAssertFalse(driver.text.contains("Vic Viewer (disabled)"), driver.text)
        releaseLock()
        driver.settle { $0.lines.last!.contains("viewer@example.test is disabled") }
        XCTAssertTrue(driver.text.contains("Vic Viewer (disabled)"), "the list re-read: \(driver.text)")
        XCTAssertEqual(try auditActions().count, before.count + 1)
    }

    func testQuittingWhileAChangeWaitsStopsItAndWritesNothing() async throws {
        let changes = ConsoleChanges(retryLimit: .seconds(30))
        let context = ConsoleContext(session: fixture.context.session, now: { ConsoleFixture.now }, changes: changes)
        let before = try auditActions()
        try holdWriteLock()
        let outcome = changes.perform(.disableRecording(existing: .keepUntilExpiry), about: .retention, context: context) { _ in "off" }
        guard case .waiting = outcome else { return XCTFail("\(outcome)") }
        XCTAssertTrue(changes.isWaiting)
        let started = Date()
        await changes.stop()
        XCTAssertLessThan(Date().timeIntervalSince(started), 1, "stopping took at most one try")
        XCTAssertFalse(changes.isWaiting)
        releaseLock()
        try await Task.sleep(for: .milliseconds(300))
        XCTAssertEqual(try auditActions(), before)
        XCTAssertTrue(try fixture.workspace.settings().recordingEnabled, "recording was not turned off")
    }
}
