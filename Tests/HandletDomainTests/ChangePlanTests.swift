import Foundation
import GRDB
@testable import HandletDomain
import XCTest
import HandletTestSupport

/// Issue 21: the domain plans every change for the session's actor (the permission, the refusal
/// with its reason, the preview, the question) and both front ends render that plan. A refused
/// plan changes nothing; the transaction checks the rules again; shortening retention asks
/// whatever it makes due.
final class ChangePlanTests: XCTestCase {
    private var fixture: RetentionFixture!
    private func session(_ actor: Actor) -> WorkspaceSession { fixture.workspace.session(as: actor) }
    private var now: Date { RetentionFixture.at(days: 40) }

    override func setUpWithError() throws { fixture = try RetentionFixture() }
    override func tearDown() { fixture = nil }

    /// Everything a change could touch, and the audit head: what a refusal must leave as it was.
    private func state() throws -> [Row] {
        try fixture.workspace.dbPool.read { db in
            try ["users", "workspace", "recordings", "notice_responses", "autosend_settings", "lawful_bases", "drafts"].flatMap { table in
                try db.tableExists(table) ? Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1") : []
            } + Row.fetchAll(db, sql: "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1")
        }
    }

    private func userID(_ email: String) throws -> User.ID {
        try XCTUnwrap(try fixture.workspace.dbPool.read { try User.filter(sql: "email = ?", arguments: [email]).fetchOne($0)?.id })
    }

    /// Plans `command` as `actor`, expects `reason`, and proves that performing the plan anyway,
    /// confirmed or not, throws that refusal and changes nothing.
    private func assertRefused<T>(_ command: WorkspaceCommand<T>, as actor: Actor, _ reason: String,
                                  file: StaticString = #filePath, line: UInt = #line) throws {
        let before = try state()
        let plan = try session(actor).plan(command, at: now)
        XCTAssertEqual(plan.refusal, reason, file: file, line: line)
        XCTAssertNil(plan.confirmation, "a refused actor is asked nothing", file: file, line: line)
        XCTAssertNil(plan.preview, "nor shown what they may not do", file: file, line: line)
        for confirmed in [false, true] {
            XCTAssertThrowsError(try session(actor).perform(plan, confirmed: confirmed, at: now), file: file, line: line) {
                XCTAssertEqual(String(describing: $0), reason, file: file, line: line)
            }
        }
        XCTAssertEqual(try state(), before, "refused, so nothing changed", file: file, line: line)
    }

    // MARK: The role

    func testEveryChangingCommandRefusesARoleWithoutItsPermissionNamingTheRolesThatMay() throws {
        try fixture.addCall(recordedAt: RetentionFixture.at(days: 35))
        let call = try fixture.workspace.callID("CA000001")
        let agent = try userID("agent@example.test")
        struct Case { let permission: Permission; let refusal: (WorkspaceSession) throws -> String? }
        func planned<T>(_ command: WorkspaceCommand<T>) -> Case {
            Case(permission: command.permission) { try $0.plan(command, at: RetentionFixture.at(days: 40)).refusal }
        }
        let cases: [Case] = [
            planned(.setRetentionPeriod(try RetentionPeriod(days: 7))),
            planned(.disableRecording(existing: .keepUntilExpiry)), planned(.disableRecording(existing: .deleteNow)),
            planned(.enableRecording),
            planned(.placeLegalHold(onCall: call, reason: "Claim")), planned(.releaseLegalHold(onCall: call, reason: "Settled")),
            planned(.addUser(name: "New", email: "new@example.test", role: .viewer)),
            planned(.addUser(name: "Boss", email: "boss@example.test", role: .owner)),
            planned(.changeRole(of: agent, to: .viewer)), planned(.disableUser(agent)), planned(.enableUser(agent)),
            planned(.acknowledgeNotice(1)), planned(.objectToNotice(1, reason: "No")),
            planned(.setLawfulBasis(.contract, for: .callHandling)), planned(.setCallerNotice("Calls are recorded.")),
            planned(.changeAutoSend(AutoSendChange())), planned(.acknowledgeAutoSend(.transparency)),
            planned(.applyAutoSendBulk(.disableAll)),
            planned(.decideDraft(1, .discard)),
        ]
        let before = try state()
        for (actor, role) in [(fixture.owner, Role.owner), (fixture.admin, .admin), (fixture.agent, .agent), (fixture.viewer, .viewer)] {
            for (index, planned) in cases.enumerated() where !role.allows(planned.permission) {
                XCTAssertEqual(try planned.refusal(session(actor)),
                               PermissionDenied(permission: planned.permission, role: role).description, "case \(index) as \(role)")
            }
        }
        XCTAssertEqual(try state(), before, "planning writes nothing")
    }

    func testARefusedPlanChangesNothingEvenWhenPerformedAnyway() throws {
        try assertRefused(.setRetentionPeriod(try RetentionPeriod(days: 7)), as: fixture.viewer,
                          "Only owner or admin may change recording retention; you are viewer.")
        try assertRefused(.disableRecording(existing: .deleteNow), as: fixture.agent,
                          "Only owner or admin may change recording retention; you are agent.")
        try assertRefused(.disableUser(try userID("viewer@example.test")), as: fixture.agent,
                          "Only owner or admin may manage users; you are agent.")
        try assertRefused(.setCallerNotice("Hello"), as: fixture.viewer,
                          "Only owner or admin may change compliance settings; you are viewer.")
    }

    // MARK: Context rules

    func testOnlyAnOwnerTouchesAnOwnerAndTheLastEnabledOwnerStays() throws {
        let owner = try userID("owner@example.test")
        let ownerOnly = "Only owner may add, promote, change or disable an owner; you are admin."
        try assertRefused(.changeRole(of: owner, to: .owner), as: fixture.admin, ownerOnly)
        try assertRefused(.disableUser(owner), as: fixture.admin, ownerOnly)
        try assertRefused(.enableUser(owner), as: fixture.admin, ownerOnly)
        try assertRefused(.addUser(name: "Boss", email: "boss@example.test", role: .owner), as: fixture.admin, ownerOnly)
        let lastOwner = UserRuleError.lastEnabledOwner.description
        try assertRefused(.disableUser(owner), as: fixture.owner, lastOwner)
        try assertRefused(.changeRole(of: owner, to: .admin), as: fixture.owner, lastOwner)
        // The same role again is no demotion: nothing to refuse, nothing to change.
        XCTAssertNil(try session(fixture.owner).plan(.changeRole(of: owner, to: .owner), at: now).refusal)
        // An admin manages an agent.
        XCTAssertNil(try session(fixture.admin).plan(.disableUser(try userID("agent@example.test")), at: now).refusal)
    }

    func testANoticeThatCannotBeAnsweredIsRefusedByThePlan() throws {
        let files = [("s.md", NoticeTests.file()), ("d.md", NoticeTests.file(id: "dpa", kind: "dpa", ack: "yes"))]
        _ = try session(fixture.owner).importNotices(files.map { (name: $0.0, data: $0.1) }, now: RetentionFixture.start)
        let change = try session(fixture.owner).read(.noticeID(named: "sub-change"))
        let dpa = try session(fixture.owner).read(.noticeID(named: "dpa"))
        try assertRefused(.objectToNotice(dpa, reason: "No"), as: fixture.owner, NoticeError.notObjectable(kind: .dpa).description)
        // Published 2026-01-01: the objection window closed on 2026-01-31, before `now`.
        try assertRefused(.objectToNotice(change, reason: "Too late"), as: fixture.owner,
                          "The objection window closed on 31 Jan 2026; the change is deemed accepted.")
        try assertRefused(.objectToNotice(change, reason: "x"), as: fixture.admin,
                          "Only owner may object to a subprocessor change; you are admin.")
        // Acknowledging binds the business to this exact text: the plan asks, naming version, hash and who.
        let acknowledging = try session(fixture.admin).plan(.acknowledgeNotice(dpa), at: now)
        let question = try XCTUnwrap(acknowledging.confirmation?.question)
        XCTAssertTrue(question.hasPrefix("Acknowledge dpa version 1 (SHA-256 ") && question.hasSuffix(" as admin@example.test?"), question)
        XCTAssertThrowsError(try session(fixture.admin).perform(acknowledging, confirmed: false, at: now)) {
            XCTAssertEqual(String(describing: $0), "Not acknowledged.")
        }
        try session(fixture.admin).perform(acknowledging, confirmed: true, at: now)
        let answered = try session(fixture.owner).plan(.acknowledgeNotice(dpa), at: now)
        XCTAssertTrue(answered.refusal?.contains("already") == true, answered.refusal ?? "no refusal")
        XCTAssertThrowsError(try session(fixture.owner).plan(.acknowledgeNotice(99), at: now)) {
            XCTAssertEqual($0 as? NoticeError, .noSuchNotice("99"), "bad input throws, as the change would; it is no refusal")
        }
    }

    func testTheTransactionChecksTheRulesAgainAfterThePlan() throws {
        let agent = try userID("agent@example.test")
        let plan = try session(fixture.admin).plan(.disableUser(agent), at: now)
        XCTAssertNil(plan.refusal)
        // Between the question and the answer, the agent becomes an owner.
        try session(fixture.owner).perform(.changeRole(of: agent, to: .owner), at: now)
        let before = try state()
        // Disabling asks first (issue 25): answered yes, and still refused by the transaction.
        XCTAssertThrowsError(try session(fixture.admin).perform(plan, confirmed: true, at: now)) {
            XCTAssertEqual($0 as? PermissionDenied, PermissionDenied(permission: .manageOwners, role: .admin))
        }
        XCTAssertEqual(try state(), before)
    }

    // MARK: Previews and questions

    /// DESIGN §5: shortening shows the effect and asks, whether or not anything becomes due today
    /// (the console and the CLI both render this plan, so they ask alike); lengthening asks nothing.
    func testShorteningRetentionAsksWhateverItMakesDueAndLengtheningDoesNot() throws {
        let owner = session(fixture.owner)
        // Nothing stored: shortening 30 → 14 makes nothing due, and still asks.
        let nothingDue = try owner.plan(.setRetentionPeriod(try RetentionPeriod(days: 14)), at: now)
        XCTAssertEqual(nothingDue.confirmation?.question, "Shorten the retention period to 14 days?")
        XCTAssertEqual(nothingDue.confirmation?.title, "Shorten retention to 14 days")
        guard case .retentionPeriod(let empty)? = nothingDue.preview else { return XCTFail("a shortening shows its effect") }
        XCTAssertEqual(empty.recordings, 0)
        XCTAssertTrue(nothingDue.preview!.summary.hasPrefix("No stored recording becomes due."), nothingDue.preview!.summary)
        XCTAssertThrowsError(try owner.perform(nothingDue, confirmed: false, at: now)) {
            XCTAssertEqual(String(describing: $0), "Not confirmed; the retention period stays 30 days.")
        }
        XCTAssertEqual(try fixture.retentionDays(), 30)

        // Two recordings 20 and 25 days old become due under 14 days.
        try fixture.addCall(recordedAt: now.addingTimeInterval(-20 * RetentionFixture.day), bytes: 100)
        try fixture.addCall(recordedAt: now.addingTimeInterval(-25 * RetentionFixture.day), bytes: 200)
        let due = try owner.plan(.setRetentionPeriod(try RetentionPeriod(days: 14)), at: now)
        guard case .retentionPeriod(let impact)? = due.preview else { return XCTFail("a shortening shows its effect") }
        XCTAssertEqual(impact.recordings, 2)
        XCTAssertEqual(due.preview?.lines.first, "Shortening the retention period from 30 days to 14 days:")
        XCTAssertEqual(due.confirmation, nothingDue.confirmation, "one question, whatever becomes due")
        XCTAssertEqual(try owner.perform(due, confirmed: true, at: now).to.days, 14)
        XCTAssertEqual(try fixture.retentionDays(), 14)

        let longer = try owner.plan(.setRetentionPeriod(try RetentionPeriod(days: 60)), at: now)
        XCTAssertNil(longer.confirmation, "lengthening deletes nothing sooner")
        XCTAssertNil(longer.preview)
        XCTAssertEqual(try owner.perform(longer, confirmed: false, at: now).to.days, 60)
    }

    func testDeletingRecordingsNowPreviewsWhatGoesAndAsks() throws {
        try fixture.addCall(recordedAt: now.addingTimeInterval(-2 * RetentionFixture.day), bytes: 100)
        try fixture.addCall(recordedAt: now.addingTimeInterval(-3 * RetentionFixture.day), bytes: 100)
        try session(fixture.owner).perform(.placeLegalHold(onCall: try fixture.workspace.callID("CA000002"), reason: "Claim"), at: now)
        let plan = try session(fixture.admin).plan(.disableRecording(existing: .deleteNow), at: now)
        guard case .recordingsDeletedNow(let stored, let held)? = plan.preview else { return XCTFail("deleting now shows what goes") }
        XCTAssertEqual(stored.recordings, 1)
        XCTAssertEqual(held, 1)
        XCTAssertEqual(plan.confirmation?.question, "Turn recording off and delete these recordings now?")
        let before = try state()
        XCTAssertThrowsError(try session(fixture.admin).perform(plan, confirmed: false, at: now)) { XCTAssertTrue($0 is ChangeNotConfirmed) }
        XCTAssertEqual(try state(), before)
        XCTAssertEqual(try session(fixture.admin).perform(plan, confirmed: true, at: now).markedForDeletion, 1)
        // Keeping the recordings deletes nothing and asks nothing.
        XCTAssertNil(try session(fixture.admin).plan(.disableRecording(existing: .keepUntilExpiry), at: now).confirmation)
    }

    /// Auto-Send's checks are the change's rule: the plan refuses with them, and still shows an
    /// allowed actor what would change (the CLI's `--dry-run` renders exactly this).
    func testAutoSendSettingsThatFailTheirChecksAreRefusedByThePlanWithThePreview() throws {
        var change = AutoSendChange()
        change.master = true
        let before = try state()
        let plan = try session(fixture.admin).plan(.changeAutoSend(change), at: now)
        guard case .checksFailed(let problems)? = plan.refusalError as? AutoSendSettingError else {
            return XCTFail("the checks refuse a master switch with no transparency acknowledgement: \(String(describing: plan.refusal))")
        }
        XCTAssertFalse(problems.isEmpty)
        XCTAssertTrue(plan.refusal?.hasPrefix("Not saved: ") == true, plan.refusal ?? "")
        XCTAssertEqual(plan.preview?.lines, ["master: off -> on"])
        XCTAssertNil(plan.confirmation)
        XCTAssertThrowsError(try session(fixture.admin).perform(plan, confirmed: true, at: now))
        XCTAssertEqual(try state(), before)
        // A role refused sees nothing of the settings.
        XCTAssertNil(try session(fixture.agent).plan(.changeAutoSend(change), at: now).preview)
    }

    func testAHoldOnAHeldRecordingAndAReleaseOfAFreeOneAreRefusedByThePlan() throws {
        try fixture.addCall(recordedAt: now.addingTimeInterval(-2 * RetentionFixture.day))
        let call = try fixture.workspace.callID("CA000001")
        try assertRefused(.releaseLegalHold(onCall: call, reason: "Settled"), as: fixture.admin,
                          RetentionError.notOnHold("CA000001").description)
        try session(fixture.admin).perform(session(fixture.admin).plan(.placeLegalHold(onCall: call, reason: "Claim"), at: now),
                                           confirmed: false, at: now)
        try assertRefused(.placeLegalHold(onCall: call, reason: "Again"), as: fixture.owner,
                          RetentionError.alreadyOnHold("CA000001").description)
        try assertRefused(.placeLegalHold(onCall: call, reason: "Again"), as: fixture.agent,
                          "Only owner or admin may place or release a legal hold; you are agent.")
    }

    func testADraftNoLongerWaitingIsRefusedByThePlan() throws {
        let ids: [Int64] = try fixture.workspace.dbPool.write { db in
            try [DraftState.waiting, .blocked, .discarded].enumerated().map { index, state in
                var draft = Draft(targetKind: "message", targetId: Int64(index + 1), contactId: nil, channel: "sms", intent: .bookingRequest,
                                  confidence: 0.9, body: "We can come on Tuesday.", state: state, correlationId: "plan-\(index)",
                                  createdAt: RetentionFixture.start)
                try draft.insert(db)
                return draft.id!
            }
        }
        XCTAssertNil(try session(fixture.agent).plan(.decideDraft(ids[0], .approve), at: now).refusal)
        try assertRefused(.decideDraft(ids[1], .approve), as: fixture.agent, DraftDecisionError.blocked(ids[1]).description)
        try assertRefused(.decideDraft(ids[2], .discard), as: fixture.agent, DraftDecisionError.notWaiting(ids[2], .discarded).description)
        XCTAssertNil(try session(fixture.agent).plan(.decideDraft(ids[1], .discard), at: now).refusal, "a blocked draft may be discarded")
        try assertRefused(.decideDraft(ids[0], .approve), as: fixture.viewer,
                          "Only owner, admin or agent may approve, edit, discard or rate drafts; you are viewer.")
    }
}
