import Foundation
@testable import HandletConsole
@testable import HandletDomain
import HandletTestSupport
import TerminalUI
import XCTest

/// The Auto-Send tab: every setting and check, the preview recomputed as the form changes, saving
/// through the domain's plan, the bulk actions' previews, read only for a viewer, settings refused
/// to an agent who may still act on drafts; and the action queue with its decisions.
final class AutoSendScreenTests: ConsoleScreenTestCase {
    static let settingsMode = "Auto-Send settings"
    static let queueMode = "Auto-Send queue"

    override func setUpWithError() throws {
        try super.setUpWithError()
        let owner = try fixture.workspace.session(as: fixture.workspace.actor(email: "owner@example.test"))
        _ = try owner.perform(.addUser(name: "Ada Admin", email: "admin@example.test", role: .admin), at: ConsoleFixture.now)
        _ = try owner.perform(.addUser(name: "Aggie Agent", email: "agent@example.test", role: .agent), at: ConsoleFixture.now)
    }

    /// `count` waiting SMS drafts to Alice (contact 1), an hour apart going back from now.
    @discardableResult
    func addDrafts(_ count: Int, intent: DraftIntent = .followUp, confidence: Double = 0.95, body: String = "We can come on Tuesday at 10am.",
                   tag: String = "d") throws -> [Int64] {
        try fixture.workspace.insertDrafts((0..<count).map { index in
            Draft(targetKind: "message", targetId: 1, contactId: 1, channel: "sms", intent: intent, confidence: confidence, body: body,
                  correlationId: "\(tag)-\(intent.rawValue)-\(index)", createdAt: ConsoleFixture.now.addingTimeInterval(-3600 * Double(index + 1)))
        })
    }

    func settings() throws -> AutoSendSettings {
        try fixture.workspace.session(as: .system).read(.autoSendOverview).settings
    }

    func training(_ intent: AutoSendIntent) throws -> Int {
        try fixture.workspace.session(as: .system).read(.autoSendOverview).training.count(intent)
    }

    func draftState(_ id: Int64) throws -> DraftState {
        try fixture.workspace.session(as: .system).read(.draftDetail(id)).entry.state
    }

    func autoSendDriver(actor email: String = "owner@example.test", size: Size = Size(width: 200, height: 50)) -> ScreenDriver<ConsoleScreen> {
        var driver = makeDriver(size: size, actor: email)
        driver.goTo(.autosend)
        return driver
    }

    /// Moves the form's focus to `row` from the top.
    func focus(_ driver: inout ScreenDriver<ConsoleScreen>, on row: AutoSendTab.SettingRow) {
        for _ in 0..<AutoSendTab.rows.count { driver.press("previous_setting", in: Self.settingsMode) }
        for _ in 0..<AutoSendTab.rows.firstIndex(of: row)! { driver.press("next_setting", in: Self.settingsMode) }
    }

    // MARK: Settings

    func testEverySettingAndCheckIsShownBesideThePreviewAndARealDraft() throws {
        try addDrafts(3)
        for size in [Size(width: 200, height: 50), Size(width: 80, height: 24)] {
            var driver = autoSendDriver(size: size)
            XCTAssertEqual(driver.screen.currentTab.title, "Auto-Send")
            if size.width == 200 {
                for label in ["Auto-Send (master)", "Follow-ups", "Quote requests", "Booking requests", "New leads", "General enquiries",
                              "Review replies", "Complaints (low severity)", "Confidence threshold", "Transparency ack.", "Complaints ack.",
                              "Channel SMS", "Channel WhatsApp", "Quiet hours", "Time zone", "Per-contact cap", "SMS disclosure", "SMS opt-out"] {
                    XCTAssertTrue(driver.text.contains(label), "\(label) missing:\n\(driver.text)")
                }
                XCTAssertTrue(driver.text.contains("0/30") && driver.text.contains("0/50"), driver.text)
                XCTAssertTrue(driver.text.contains("locked, 30 more"), driver.text)
                XCTAssertTrue(driver.text.contains("85%") && driver.text.contains("21:00-08:00") && driver.text.contains("Europe/London"), driver.text)
                XCTAssertTrue(driver.text.contains("3 in 24 hours") && driver.text.contains("not given"), driver.text)
                XCTAssertTrue(driver.text.contains("✓ every check passes"), driver.text)
                XCTAssertTrue(driver.text.contains("would send 0"), driver.text)
                XCTAssertTrue(driver.text.contains("3  Auto-Send is off"), driver.text)
                // The newest stored SMS draft, with the wording under it, as it would go out.
                XCTAssertTrue(driver.text.contains("We can come on Tuesday at 10am."), driver.text)
                XCTAssertTrue(driver.text.contains("Automated reply from Fixture Plumbing. Reply STOP to opt out."), driver.text)
                XCTAssertTrue(driver.text.contains("SMS: 1 segment, GSM-7"), driver.text)
            } else {
                XCTAssertTrue(driver.text.contains("Auto-Send (master)") && driver.text.contains("Checks"), driver.text)
                // The rows past the screen scroll into view with the focus.
                focus(&driver, on: .previewDays)
                XCTAssertTrue(driver.text.contains("Preview over"), driver.text)
            }
        }
    }

    func testThePreviewIsRecomputedAsAToggleChangesBeforeAnythingIsSaved() throws {
        try addDrafts(4)
        var driver = autoSendDriver()
        XCTAssertTrue(driver.text.contains("4  Auto-Send is off"), driver.text)
        focus(&driver, on: .master)
        driver.press("change", in: Self.settingsMode)
        XCTAssertFalse(driver.text.contains("Auto-Send is off"), "the master switch no longer holds them: \(driver.text)")
        XCTAssertTrue(driver.text.contains("4  the intent is off"), driver.text)
        XCTAssertTrue(driver.text.contains("with the unsaved edits") && driver.text.contains("unsaved: master"), driver.text)
        // The check the edit would fail is beside it at once.
        XCTAssertTrue(driver.text.contains("nobody has given the transparency acknowledgement"), driver.text)
        XCTAssertFalse(try settings().masterEnabled, "nothing is saved by editing")
        driver.press("revert", in: Self.settingsMode)
        XCTAssertTrue(driver.text.contains("4  Auto-Send is off"), driver.text)
        // A channel switched off shows in the preview too.
        focus(&driver, on: .channel(.sms))
        driver.press("change", in: Self.settingsMode)
        XCTAssertTrue(driver.text.contains("Channel SMS") && driver.text.contains("unsaved: channels"), driver.text)
    }

    func testSavingAsksThePlanRefusesFailingChecksAndSavesOnceAcknowledged() throws {
        var driver = autoSendDriver()
        focus(&driver, on: .master)
        driver.press("change", in: Self.settingsMode)
        driver.press("save", in: Self.settingsMode)
        XCTAssertTrue(driver.text.contains("Not saved:") && driver.text.contains("transparency"), "the plan's refusal: \(driver.text)")
        XCTAssertFalse(try settings().masterEnabled)
        focus(&driver, on: .acknowledgement(.transparency))
        driver.press("change", in: Self.settingsMode)
        XCTAssertTrue(driver.text.contains("Transparency acknowledgement"), driver.text)
        driver.press("confirm", in: "Confirmation")
        XCTAssertTrue(driver.text.contains("Acknowledged: transparency"), driver.text)
        XCTAssertTrue(driver.text.contains("given 23 Nov 12:00 by owner@example.test"), driver.text)
        XCTAssertTrue(driver.text.contains("unsaved: master"), "the edit stays through the acknowledgement: \(driver.text)")
        driver.press("save", in: Self.settingsMode)
        XCTAssertTrue(driver.text.contains("master: off -> on"), "the plan's preview before saving: \(driver.text)")
        XCTAssertFalse(try settings().masterEnabled)
        driver.press("confirm", in: "Confirmation")
        XCTAssertTrue(driver.text.contains("Saved: master: off -> on"), driver.text)
        XCTAssertTrue(try settings().masterEnabled)
        XCTAssertEqual(try fixture.workspace.auditActions().last, "autosend.settings_changed")
    }

    func testTypedValuesAreParsedByTheDomainAndBadOnesRefusedWithTheirReason() throws {
        var driver = autoSendDriver()
        focus(&driver, on: .threshold)
        driver.press("decrease", in: Self.settingsMode)
        XCTAssertTrue(driver.text.contains("under the platform floor"), driver.text)
        driver.press("increase", in: Self.settingsMode)
        XCTAssertTrue(driver.text.contains("86%"), driver.text)
        driver.press("change", in: Self.settingsMode)
        for _ in 0..<5 { driver.press(.backspace) }
        driver.type("high")
        driver.press("save", in: "Text prompt")
        XCTAssertTrue(driver.text.contains("is not a confidence threshold"), driver.text)
        for _ in 0..<5 { driver.press(.backspace) }
        driver.type("92.5")
        driver.press("save", in: "Text prompt")
        XCTAssertTrue(driver.text.contains("92.5%"), driver.text)

        focus(&driver, on: .quietHours)
        driver.press("change", in: Self.settingsMode)
        for _ in 0..<12 { driver.press(.backspace) }
        driver.type("22:00-22:00")
        driver.press("save", in: "Text prompt")
        XCTAssertTrue(driver.text.contains("start and end at the same time"), driver.text)
        driver.press("cancel", in: "Text prompt")

        focus(&driver, on: .optOut(.sms))
        driver.press("change", in: Self.settingsMode)
        for _ in 0..<40 { driver.press(.backspace) }
        driver.type("Thanks for getting in touch")
        driver.press("save", in: "Text prompt")
        XCTAssertTrue(driver.text.contains("must tell people how to opt out"), driver.text)
        driver.press("cancel", in: "Text prompt")

        focus(&driver, on: .cap)
        for _ in 0..<3 { driver.press("decrease", in: Self.settingsMode) }
        XCTAssertTrue(driver.text.contains("A per-contact cap of 0 is out of range"), driver.text)
        XCTAssertTrue(driver.text.contains("1 in 24 hours"), driver.text)
        XCTAssertEqual(try settings(), .standard, "nothing saved")
    }

    func testTheWordingPreviewCountsSegmentsInUCS2WhenTheTextNeedsIt() throws {
        try addDrafts(1, body: "Thanks — we'll be there at 10 🙂")
        let driver = autoSendDriver()
        XCTAssertTrue(driver.text.contains("UCS-2"), driver.text)
    }

    func testABulkActionShowsWhatItWillChangeBeforeItIsSaved() throws {
        let owner = try fixture.workspace.session(as: fixture.workspace.actor(email: "owner@example.test"))
        let ids = try addDrafts(30, tag: "train")
        for id in ids { try owner.perform(.decideDraft(id, .rate(.correct)), at: ConsoleFixture.now) }
        var driver = autoSendDriver()
        XCTAssertTrue(driver.text.contains("30/30") && driver.text.contains("unlocked"), driver.text)
        driver.press("bulk", in: Self.settingsMode)
        driver.press("choose", in: "Question with several answers") // enable eligible
        XCTAssertTrue(driver.text.contains("intents on: none -> follow_up"), driver.text)
        XCTAssertTrue(try settings().enabledIntents.isEmpty, "nothing before the answer")
        driver.press("confirm", in: "Confirmation")
        XCTAssertEqual(try settings().enabledIntents, [.followUp])
        XCTAssertEqual(try fixture.workspace.auditActions().last, "autosend.bulk_applied")
    }

    func testALockedIntentSaysWhyBeforeItMoves() throws {
        var driver = autoSendDriver()
        focus(&driver, on: .intent(.complaint))
        driver.press("change", in: Self.settingsMode)
        XCTAssertTrue(driver.text.contains("is locked: 0 of 50 validated drafts; 50 more to unlock"), driver.text)
    }

    func testAViewerSeesItReadOnly() throws {
        try addDrafts(2)
        var driver = autoSendDriver(actor: "viewer@example.test")
        XCTAssertTrue(driver.text.contains("read only: changing Auto-Send needs the owner or admin role"), driver.text)
        driver.press("change", in: Self.settingsMode)
        XCTAssertTrue(driver.text.contains("Only owner or admin may"), driver.text)
        focus(&driver, on: .threshold)
        driver.press("increase", in: Self.settingsMode)
        XCTAssertFalse(driver.text.contains("86%"), driver.text)
        driver.press("queue", in: Self.settingsMode)
        XCTAssertTrue(driver.text.contains("2 waiting"), driver.text)
        driver.press("approve", in: Self.queueMode)
        XCTAssertTrue(driver.text.contains("Only owner, admin or agent may"), driver.text)
        XCTAssertEqual(try settings(), .standard)
    }

    func testAnAgentActsOnDraftsButMayNotChangeSettings() throws {
        let ids = try addDrafts(2)
        var driver = autoSendDriver(actor: "agent@example.test")
        XCTAssertTrue(driver.text.contains("read only"), driver.text)
        driver.press("save", in: Self.settingsMode)
        XCTAssertTrue(driver.text.contains("Only owner or admin may"), driver.text)
        driver.press("bulk", in: Self.settingsMode)
        XCTAssertFalse(driver.text.contains("Bulk action"), driver.text)
        driver.press("queue", in: Self.settingsMode)
        driver.press("approve", in: Self.queueMode)
        XCTAssertTrue(driver.text.contains("Draft \(ids[0]) approved"), driver.text)
        XCTAssertEqual(try draftState(ids[0]), .approved)
    }

    func testHelpListsExactlyTheKeysItDispatches() throws {
        try addDrafts(2)
        for actor in [nil, "viewer@example.test", "agent@example.test"] {
            assertHelpListsExactlyTheKeysItDispatches(.autosend, actor: actor, state: "settings as \(actor ?? "owner")")
            assertHelpListsExactlyTheKeysItDispatches(.autosend, actor: actor, state: "queue as \(actor ?? "owner")") { tab in
                _ = tab.handle(self.key("queue", in: Self.settingsMode))
            }
        }
    }

    // MARK: The queue

    func testTheQueueShowsWaitingBlockedAndHeldDraftsWithWhatTheyAnswer() throws {
        let ids = try addDrafts(3)
        try fixture.workspace.blockDraftForTest(ids[1], by: .contactSuppressed, at: ConsoleFixture.now)
        let due = ConsoleFixture.now.addingTimeInterval(8 * 3600)
        try fixture.workspace.holdDraftForTest(ids[2], until: due, at: ConsoleFixture.now)
        var driver = autoSendDriver()
        driver.press("queue", in: Self.settingsMode)
        XCTAssertTrue(driver.text.contains("1 waiting · 1 blocked · 1 held · 0 failed"), driver.text)
        XCTAssertTrue(driver.text.contains("blocked: contact_suppressed"), driver.text)
        XCTAssertTrue(driver.text.contains("due 23 Nov 20:00"), driver.text)
        XCTAssertTrue(driver.text.contains("answers message 1 from Alice Archer"), driver.text)
        XCTAssertTrue(driver.text.contains("Can someone look at my cistern tomorrow?"), driver.text)
        // A blocked draft can be discarded, never approved.
        driver.press("down", in: Self.queueMode)
        driver.press("approve", in: Self.queueMode)
        XCTAssertTrue(driver.text.contains("only a waiting draft can be approved"), driver.text)
        XCTAssertEqual(try draftState(ids[1]), .blocked)
        driver.press("discard", in: Self.queueMode)
        XCTAssertEqual(try draftState(ids[1]), .discarded)
    }

    func testApprovingTwiceOrADraftAnotherUserDiscardedIsRefusedAndNothingIsSentTwice() throws {
        let ids = try addDrafts(2)
        var driver = autoSendDriver()
        driver.press("queue", in: Self.settingsMode)
        // Another person discards the selected draft a moment ago; this screen still shows it.
        let admin = try fixture.workspace.session(as: fixture.workspace.actor(email: "admin@example.test"))
        try admin.perform(.decideDraft(ids[0], .discard), at: ConsoleFixture.now)
        driver.press("approve", in: Self.queueMode)
        XCTAssertTrue(driver.text.contains("Draft \(ids[0]) is discarded, not waiting"), driver.text)
        XCTAssertEqual(try draftState(ids[0]), .discarded)
        driver.press("approve", in: Self.queueMode)
        XCTAssertTrue(driver.text.contains("Draft \(ids[1]) approved"), driver.text)
        let approvals = try fixture.workspace.auditActions().filter { $0 == "draft.approved" }.count
        // The second approval of the same draft, from the CLI or a stale screen, is refused.
        XCTAssertThrowsError(try admin.perform(.decideDraft(ids[1], .approve), at: ConsoleFixture.now))
        XCTAssertEqual(try fixture.workspace.auditActions().filter { $0 == "draft.approved" }.count, approvals)
    }

    func testEditingInTheTextAreaThenApproving() throws {
        let ids = try addDrafts(1, body: "We can come Tuesday.")
        var driver = autoSendDriver(actor: "agent@example.test")
        driver.press("queue", in: Self.settingsMode)
        driver.press("edit", in: Self.queueMode)
        XCTAssertTrue(driver.text.contains("Edit draft \(ids[0]), then approve"), driver.text)
        driver.press("newline", in: "Draft editor")
        driver.type("Bring the key, please.")
        driver.press("approve", in: "Draft editor")
        XCTAssertTrue(driver.text.contains("Draft \(ids[0]) edited"), driver.text)
        let detail = try fixture.workspace.session(as: .system).read(.draftDetail(ids[0]))
        XCTAssertEqual(detail.entry.body, "We can come Tuesday.\nBring the key, please.")
        XCTAssertEqual(detail.entry.state, .edited)
    }

    func testAnEmptyEditStaysInTheEditorWithTheDomainsReason() throws {
        let ids = try addDrafts(1, body: "Hi")
        var driver = autoSendDriver()
        driver.press("queue", in: Self.settingsMode)
        driver.press("edit", in: Self.queueMode)
        driver.press("backspace", in: "Draft editor")
        driver.press("backspace", in: "Draft editor")
        driver.press("approve", in: "Draft editor")
        XCTAssertTrue(driver.text.contains("An edited reply cannot be empty"), driver.text)
        driver.press("cancel", in: "Draft editor")
        XCTAssertEqual(try draftState(ids[0]), .waiting)
    }

    func testSpaceSelectsSeveralForOneApproval() throws {
        let ids = try addDrafts(4)
        var driver = autoSendDriver()
        driver.press("queue", in: Self.settingsMode)
        driver.press("select", in: Self.queueMode)
        driver.press("select", in: Self.queueMode)
        driver.press("down", in: Self.queueMode)
        driver.press("select", in: Self.queueMode)
        XCTAssertTrue(driver.text.contains("3 selected"), driver.text)
        driver.press("approve", in: Self.queueMode)
        XCTAssertTrue(driver.text.contains("Approve 3 drafts"), driver.text)
        driver.press("confirm", in: "Confirmation")
        XCTAssertTrue(driver.text.contains("3 drafts approved"), driver.text)
        XCTAssertEqual(try [ids[0], ids[1], ids[3]].map(draftState), [.approved, .approved, .approved])
        XCTAssertEqual(try draftState(ids[2]), .waiting)
    }

    func testRatingAndTheTrainingUnlockAtExactlyThirtyThroughTheQueue() throws {
        try addDrafts(40)
        var driver = autoSendDriver(size: Size(width: 110, height: 32))
        driver.press("queue", in: Self.settingsMode)
        // Not now does not count; yes and no do, as approving and editing do.
        driver.press("not_now", in: Self.queueMode)
        XCTAssertEqual(try training(.followUp), 0)
        driver.press("correct", in: Self.queueMode)
        driver.press("down", in: Self.queueMode)
        driver.press("incorrect", in: Self.queueMode)
        XCTAssertEqual(try training(.followUp), 2)
        // The two rated drafts still wait; approving them does not count them twice.
        driver.press("top", in: Self.queueMode)
        // An approved draft stays in the list as a held send (due, waiting for delivery), so the next is one down.
        for _ in 0..<29 {
            driver.press("approve", in: Self.queueMode)
            driver.press("down", in: Self.queueMode)
        }
        XCTAssertEqual(try training(.followUp), 29)
        driver.press("settings", in: Self.queueMode)
        XCTAssertTrue(driver.text.contains("locked, 1 more"), driver.text)
        driver.press("queue", in: Self.settingsMode)
        driver.press("bottom", in: Self.queueMode)
        driver.press("approve", in: Self.queueMode)
        XCTAssertEqual(try training(.followUp), 30)
        driver.press("settings", in: Self.queueMode)
        XCTAssertTrue(driver.text.contains("30/30 unlocked"), driver.text)
        focus(&driver, on: .intent(.followUp))
        driver.press("change", in: Self.settingsMode)
        XCTAssertTrue(driver.text.contains("unsaved: intents"), "an unlocked intent switches on: \(driver.text)")
    }

    func testADraftWithControlCharactersIsSanitisedOnScreenAndSentAsStored() throws {
        let body = "Hello\u{1b}[31m red \u{202e}reversed"
        let ids = try addDrafts(1, body: body)
        var driver = autoSendDriver()
        driver.press("queue", in: Self.settingsMode)
        XCTAssertFalse(driver.text.contains("\u{1b}"), "no raw escape reaches the grid")
        XCTAssertTrue(driver.text.contains("␛"), driver.text)
        driver.press("approve", in: Self.queueMode)
        XCTAssertEqual(try fixture.workspace.session(as: .system).read(.draftDetail(ids[0])).entry.body, body, "stored and sent as it was")
    }

    func testTheOverviewsDraftsWaitingOpensTheTab() throws {
        try addDrafts(2)
        var driver = makeDriver(size: Size(width: 110, height: 32))
        XCTAssertTrue(driver.text.contains("Auto-Send drafts waiting for a person"), driver.text)
        let items = ScreenRegistry.standard.attention(try fixture.workspace.session(as: .system).read(.overview(clock: BrowseClock.console(fixture.context))))
        let index = try XCTUnwrap(items.firstIndex { $0.label.hasPrefix("Auto-Send drafts") })
        XCTAssertEqual(items[index].destination, .screen(.autosend))
        for _ in 0..<index { driver.press("next", in: "Overview") }
        driver.press("open", in: "Overview")
        XCTAssertEqual(driver.screen.currentTab.title, "Auto-Send")
    }

    func testTheComplianceCentresAutoSendDutyIsFixedHere() throws {
        let fix = try XCTUnwrap(ScreenRegistry.standard.fix(for: .autoSend))
        XCTAssertEqual(fix.screenTitle, "Auto-Send")
        XCTAssertEqual(fix.fix.destination, .screen(.autosend))
    }
}
