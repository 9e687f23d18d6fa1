@testable import HandletDomain
@testable import HandletConsole
import TerminalUI
import XCTest

/// The Retention tab: recording on/off, the period with its impact, holds and the last purge.
final class RetentionScreenTests: ConsoleScreenTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        // The fixture's one recording, made ten days ago: a 7-day period makes it due.
        try fixture.workspace.redateRecordings(createdAt: ConsoleFixture.now.addingTimeInterval(-10 * 86_400))
    }
    func retentionDriver(actor email: String = "owner@example.test", size: Size = Size(width: 110, height: 32)) throws
        -> ScreenDriver<ConsoleScreen> {
        let actor = try fixture.workspace.actor(email: email)
        let context = ConsoleContext(session: fixture.workspace.session(as: actor), now: { ConsoleFixture.now })
        var driver = ScreenDriver(ConsoleScreen(context: context), size: size)
        driver.goTo(.retention)
        return driver
    }

    func retentionDays() throws -> Int { try fixture.workspace.settings().retentionDays }
    func auditActions() throws -> [String] {
        try fixture.workspace.auditActions()
    }

    func testShowsSettingsAndFacts() throws {
        let driver = try retentionDriver()
        XCTAssertEqual(driver.screen.currentTab.title, "Retention")
        let text = driver.text
        XCTAssertTrue(text.contains("Recording") && text.contains("[x] on"), text)
        let period = try XCTUnwrap(driver.row(containing: "Period"), text)
        XCTAssertTrue(driver.grid.lines[period].contains("30 days"), "the stored period: \(driver.grid.lines[period])")
        for other in RetentionPeriod.presets where other.days != 30 {
            XCTAssertFalse(driver.grid.lines[period].contains(" \(other.description)"), "only the current one: \(driver.grid.lines[period])")
        }
        XCTAssertTrue(text.contains("Expiring in 7 days"))
        XCTAssertTrue(text.contains("Last purge") && text.contains("never"))
        XCTAssertTrue(text.contains("On legal hold (0)"))
        XCTAssertEqual(driver.style(of: "Settings")?.role, .header)
        XCTAssertFalse(text.contains("`"), "no Markdown backticks on screen: \(text)")
    }

    /// Issue 23, session 12: an erasure still running (its lock held, here by the test) is shown
    /// as running on the tab, and is no duty on the Overview; once stopped, it is.
    func testAnErasureStillRunningIsShownAsRunningNotAsUnfinished() throws {
        try fixture.workspace.dbPool.write { db in try db.execute(sql: "INSERT INTO erasure_pending(erased_at) VALUES (1)") }
        let lock = try SearchRewriteLock.acquire(beside: fixture.workspace.databaseURL)
        for size in [Size(width: 80, height: 24), Size(width: 200, height: 50)] {
            var driver = try retentionDriver(size: size)
            XCTAssertTrue(driver.text.contains("An erasure is running") || driver.text.contains("an erasure is running"), driver.text)
            XCTAssertTrue(driver.text.contains("it finishes by itself"), driver.text)
            XCTAssertFalse(driver.text.contains("--finish"), driver.text)
            driver.goTo(.overview)
            XCTAssertFalse(driver.text.contains("Erasures not finished"), driver.text)
        }
        lock.release()
        var driver = try retentionDriver()
        XCTAssertTrue(driver.text.contains("stopped before finishing"), driver.text)
        driver.goTo(.overview)
        XCTAssertTrue(driver.text.contains("Erasures not finished"), driver.text)
    }

    func testLastPurgeSaysWhatTheRunDidAndWhenTheNextComes() throws {
        try fixture.workspace.setRecordingExpiry(ConsoleFixture.now.addingTimeInterval(-60))
        try fixture.workspace.session(as: .system).purge(now: ConsoleFixture.now)
        let text = try retentionDriver().text
        XCTAssertTrue(text.contains("by system: 1 recording ("), text)
        XCTAssertFalse(text.contains("already missing") || text.contains("stopped early"), text)
        XCTAssertTrue(text.contains("within 5 min of expiry while open"), text)
    }

    func testShorteningShowsTheImpactAndOnlyChangesAfterConfirmation() throws {
        var driver = try retentionDriver()
        driver.press("next_field", in: "Retention")
        driver.press("previous_period", in: "Retention")
        driver.press("previous_period", in: "Retention") // 30 → 14 → 7 days
        XCTAssertTrue(driver.text.contains("Enter to save"), driver.text)
        driver.press("apply", in: "Retention")
        XCTAssertTrue(driver.text.contains("Shorten retention to 7 days"), driver.text)
        XCTAssertTrue(driver.text.contains("1 recording ") || driver.text.contains("1 recording,"), "the preview counts what would go")
        XCTAssertFalse(driver.text.contains("1 recordings"), driver.text)
        XCTAssertEqual(try retentionDays(), 30, "nothing changes before the answer")
        driver.press("cancel", in: "Confirmation")
        XCTAssertEqual(try retentionDays(), 30)
        // The plan's own words for a declined question.
        XCTAssertTrue(driver.grid.lines.last!.contains("Not confirmed; the retention period stays 30 days"), driver.grid.lines.last!)

        driver.press("next_field", in: "Retention")
        driver.press("previous_period", in: "Retention")
        driver.press("previous_period", in: "Retention")
        driver.press("apply", in: "Retention")
        driver.press("confirm", in: "Confirmation")
        XCTAssertEqual(try retentionDays(), 7)
        XCTAssertTrue(driver.grid.lines.last!.contains("Retention is 7 days"), driver.grid.lines.last!)
        XCTAssertTrue(try auditActions().contains(AuditAction.retentionPeriodChanged.rawValue))
        XCTAssertTrue(driver.text.contains("Due now") && driver.text.contains("1 recording (") && driver.text.contains("goes at the next purge"),
                      "the recording is now due: \(driver.text)")
    }

    /// The confirmation says what `retention set` says: RetentionText's sentence for the same preview.
    func testShorteningDialogUsesTheDomainsImpactWording() throws {
        var driver = try retentionDriver()
        driver.press("next_field", in: "Retention")
        driver.press("previous_period", in: "Retention")
        driver.press("previous_period", in: "Retention")
        driver.press("apply", in: "Retention") // 30 → 7 days
        let preview = try fixture.workspace.session(as: fixture.workspace.localOwner())
            .read(.impactPreview(changingTo: try RetentionPeriod(parsing: "7"), now: ConsoleFixture.now))
        XCTAssertEqual(preview.recordings, 1)
        let grid = driver.grid
        let top = try XCTUnwrap(driver.row(containing: "Shorten retention to 7 days"))
        let left = try XCTUnwrap((0..<grid.width).first { grid[$0, top].symbol == "┌" })
        let right = try XCTUnwrap((left..<grid.width).first { grid[$0, top].symbol == "┐" })
        let body = ((top + 1)..<grid.height).prefix { grid[left, $0].symbol != "└" }.map { y in
            (left + 1..<right).map { grid[$0, y].symbol }.joined().trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty && !$0.contains("[ Cancel ]") }
        XCTAssertEqual(body.joined(separator: " "), RetentionText.impact(preview))
    }

    func testHoldsAreATableWithTheDeclaredColumns() throws {
        let call = try fixture.workspace.callID("CALL-0")  // the fixture's one recorded call
        try fixture.workspace.session(as: fixture.workspace.localOwner())
            .perform(.placeLegalHold(onCall: call, reason: "Insurance claim"), at: ConsoleFixture.now)
        let driver = try retentionDriver()
        let header = try XCTUnwrap(driver.row(containing: "Held by"))
        for title in LegalHold.Held.columns.headers(for: .interactive) {
            XCTAssertTrue(driver.grid.lines[header].contains(title), driver.grid.lines[header])
        }
        XCTAssertTrue(driver.grid.lines[header + 1].contains("CALL-0") && driver.grid.lines[header + 1].contains("Insurance claim"),
                      driver.grid.lines[header + 1])
    }

    func testCustomPeriodOutOfRangeIsRefusedWithTheRange() throws {
        var driver = try retentionDriver()
        driver.press("next_field", in: "Retention")
        for _ in 0..<7 { driver.press("next_period", in: "Retention") } // past 365 to Custom
        driver.press("next_field", in: "Retention")
        driver.type("731")
        driver.press("save", in: "Retention: custom days")
        XCTAssertTrue(driver.text.contains("1 to 730"), driver.text)
        XCTAssertEqual(try retentionDays(), 30)
        for _ in 0..<3 { driver.press(.backspace) }
        driver.type("45")
        driver.press("save", in: "Retention: custom days")
        XCTAssertEqual(try retentionDays(), 45, "lengthening needs no confirmation")
    }

    /// Issue 16: choosing Custom moves to the days field; the range shows once; after saving the
    /// picker reads "45 days (custom)" and the focus is back on it, so digits switch tabs again.
    func testCustomPeriodFocusRangeAndAfterSaving() throws {
        var driver = try retentionDriver()
        driver.press("next_field", in: "Retention")
        for _ in 0..<4 { driver.press("next_period", in: "Retention") }
        XCTAssertTrue(driver.text.contains("365 days"), driver.text)
        XCTAssertFalse(driver.screen.currentTab.capturesText, "365 days is a preset")
        driver.press("next_period", in: "Retention")
        XCTAssertTrue(driver.screen.currentTab.capturesText, "Custom: the days field has the focus at once")
        XCTAssertEqual(driver.text.components(separatedBy: "730").count - 1, 1, "the range once: \(driver.text)")
        driver.type("45")
        XCTAssertEqual(driver.text.components(separatedBy: "730").count - 1, 1, "the range once: \(driver.text)")
        driver.press("save", in: "Retention: custom days")
        XCTAssertEqual(try retentionDays(), 45)
        XCTAssertFalse(driver.screen.currentTab.capturesText, "back on the picker")
        XCTAssertTrue(driver.text.contains("45 days (custom)"), driver.text)
        XCTAssertFalse(driver.text.contains("Custom…"), driver.text)
        driver.goTo(.calls)
        XCTAssertEqual(driver.screen.currentTab.title, "Calls", "digits switch tabs again")
    }

    func testDisablingRecordingAsksAboutExistingRecordings() throws {
        var driver = try retentionDriver()
        driver.press("apply", in: "Retention")
        XCTAssertTrue(driver.text.contains("Keep each until it expires") && driver.text.contains("Delete them at once"))
        // Issue 16: the exact number stored (the fixture's one recording), never "0+".
        XCTAssertTrue(driver.text.contains("What should happen to the 1") && driver.text.contains("recording already stored?"), driver.text)
        XCTAssertFalse(driver.text.contains("+ recordings"), driver.text)
        driver.press("cancel", in: "Question with several answers")
        XCTAssertTrue(try fixture.workspace.settings().recordingEnabled, "cancelling changes nothing")
        driver.press("apply", in: "Retention")
        driver.press("choose", in: "Question with several answers")
        XCTAssertFalse(try fixture.workspace.settings().recordingEnabled)
        XCTAssertTrue(driver.text.contains("[ ] off"))
        XCTAssertTrue(try auditActions().contains(AuditAction.recordingDisabled.rawValue))
    }

    func testViewerIsRefusedWithTheRoleNeeded() throws {
        var driver = try retentionDriver(actor: "viewer@example.test")
        XCTAssertTrue(driver.text.contains("read only"), driver.text)
        driver.press("next_field", in: "Retention")
        driver.press("previous_period", in: "Retention")
        driver.press("apply", in: "Retention")
        XCTAssertEqual(try retentionDays(), 30)
        let status = driver.grid.lines.last!
        XCTAssertTrue(status.contains("owner or admin") && status.contains("viewer"), status)
        XCTAssertEqual(driver.style(of: "Only owner")?.role, .error)
    }

    func testHelpListsExactlyTheKeysItDispatches() {
        for actor in [nil, "viewer@example.test"] {
            assertHelpListsExactlyTheKeysItDispatches(.retention, actor: actor, state: "Retention as \(actor ?? "owner")")
        }
    }

    /// The custom days field takes every key (digits type, the rest are kept from the console);
    /// its help lists the keys that do something other than type.
    func testCustomDaysFieldKeepsEveryKeyAndListsItsOwn() throws {
        var driver = try retentionDriver()
        driver.press("next_field", in: "Retention")
        for _ in 0..<7 { driver.press("next_period", in: "Retention") }
        driver.press("next_field", in: "Retention")
        XCTAssertTrue(driver.screen.currentTab.capturesText)
        XCTAssertEqual(keys(in: driver.screen.currentTab.helpEntries), [.enter, .escape, .up])
        XCTAssertNotEqual(driver.screen.handle(.key(.char("q"))), .quit, "q does not quit from the field")
        driver.press(.char("4"), .char("0"))
        driver.press(.escape)
        XCTAssertFalse(driver.screen.currentTab.capturesText, "Esc leaves the field")
    }

    /// k9s-style: a viewer is told before any question is asked, not after answering it.
    func testViewerIsRefusedBeforeTheQuestionOpens() throws {
        var driver = try retentionDriver(actor: "viewer@example.test")
        driver.press("apply", in: "Retention")
        XCTAssertFalse(driver.text.contains("Keep each until it expires"), "no dialog for a change the role may not make")
        XCTAssertTrue(driver.grid.lines.last!.contains("Only owner or admin may change recording retention"), driver.grid.lines.last!)
        driver.press("help", in: "Retention")
        let apply = try XCTUnwrap(driver.row(containing: "Turn recording on/off"))
        let rows = driver.grid.lines[apply] + driver.grid.lines[apply + 1]
        XCTAssertTrue(rows.contains("— owner") && rows.contains("or admin"), "a long row wraps, the roles included: \(rows)")
    }
}
