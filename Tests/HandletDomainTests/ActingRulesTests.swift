import Foundation
import GRDB
@testable import HandletDomain
import XCTest
import HandletTestSupport

/// Issue 25, "Acting": what the domain decides for releasing a hold, disabling a user, the users'
/// last activity, the audit log's actor filter and targets, and saving or playing a recording.
final class ActingRulesTests: XCTestCase {
    private let now = RetentionFixture.at(days: 2)

    /// A release asks first (what happens to the recording next) and needs a reason, said before
    /// the question; the reason is kept in the history and the audit says one was given.
    func testReleasingAHoldNeedsAReasonAndAsksFirst() throws {
        let fixture = try RetentionFixture(retentionDays: 30)
        try fixture.addCall(recordedAt: RetentionFixture.start)
        let call = try fixture.workspace.callID("CA000001")
        let owner = fixture.workspace.session(as: fixture.owner)
        try owner.perform(.placeLegalHold(onCall: call, reason: "Claim 42"), at: now)

        XCTAssertThrowsError(try owner.plan(.releaseLegalHold(onCall: call, reason: "   "), at: now)) { error in
            XCTAssertEqual(error as? RetentionError, .releaseReasonRequired)
            XCTAssertEqual((error as? any SysexitsError)?.exitClass, .usage)
        }
        let plan = try owner.plan(.releaseLegalHold(onCall: call, reason: "Claim settled"), at: now)
        let question = try XCTUnwrap(plan.confirmation, "a release asks first")
        XCTAssertTrue(question.question.contains("CA000001") && question.question.contains("expires again"), question.question)
        XCTAssertFalse(question.isDestructive, "not yet expired: nothing is deleted at once")
        XCTAssertThrowsError(try owner.perform(plan, confirmed: false, at: now)) { XCTAssertTrue($0 is ChangeNotConfirmed) }
        XCTAssertTrue(try fixture.recording(fixture.workspace.session(as: .system).read(.legalHolds)[0].recordingId).legalHold)

        try owner.perform(plan, confirmed: true, at: now)
        let history = try owner.read(.legalHoldHistory(ofCall: call))
        XCTAssertEqual(history.map(\.releaseReason), ["Claim settled"])
        let event = try XCTUnwrap(fixture.auditEvents(AuditAction.legalHoldReleased.rawValue).last)
        XCTAssertEqual(try fixture.auditDetails(event)["with_reason"], .bool(true))

        // Past its expiry, the question says the next purge deletes it, and is destructive.
        try owner.perform(.placeLegalHold(onCall: call, reason: "Again"), at: now)
        let late = try owner.plan(.releaseLegalHold(onCall: call, reason: "Done"), at: RetentionFixture.at(days: 40))
        XCTAssertEqual(late.confirmation?.isDestructive, true)
        XCTAssertTrue(late.confirmation?.question.contains("next purge deletes it") == true, late.confirmation?.question ?? "")
    }

    /// The call detail carries the hold history: who placed each hold, when, and its release.
    func testCallDetailCarriesTheHoldHistory() throws {
        let fixture = try RetentionFixture(retentionDays: 30)
        try fixture.addCall(recordedAt: RetentionFixture.start)
        let call = try fixture.workspace.callID("CA000001")
        try fixture.workspace.session(as: fixture.admin).perform(.placeLegalHold(onCall: call, reason: "First"), at: now)
        try fixture.workspace.session(as: fixture.owner).perform(plan: .releaseLegalHold(onCall: call, reason: "Settled"), at: now)
        try fixture.workspace.session(as: fixture.owner).perform(.placeLegalHold(onCall: call, reason: "Second"), at: now)
        let clock = BrowseClock(now: now, timeZone: TimeZone(identifier: "Europe/London")!)
        let detail = try XCTUnwrap(try fixture.workspace.session(as: fixture.viewer).read(.call(call, clock: clock, highlighting: nil))?.0)
        XCTAssertEqual(detail.holdHistory.map(\.reason), ["First", "Second"])
        XCTAssertEqual(detail.holdHistory.map(\.placedByEmail), ["admin@example.test", "owner@example.test"])
        XCTAssertEqual(detail.holdHistory.map(\.releaseReason), ["Settled", nil])
    }

    /// Disabling someone asks first; enabling does not.
    func testDisablingAUserAsksFirst() throws {
        let fixture = try RetentionFixture()
        let owner = fixture.workspace.session(as: fixture.owner)
        guard case .user(let agent) = fixture.agent else { return XCTFail() }
        let plan = try owner.plan(.disableUser(agent.id!), at: now)
        XCTAssertEqual(plan.confirmation?.title, "Disable agent@example.test")
        XCTAssertEqual(plan.confirmation?.isDestructive, true)
        XCTAssertThrowsError(try owner.perform(plan, confirmed: false, at: now))
        try owner.perform(plan, confirmed: true, at: now)
        XCTAssertNil(try owner.plan(.enableUser(agent.id!), at: now).confirmation)
    }

    /// The users list's "last active" is the compliance centre's measure: the newest console
    /// session start, else when the user was added.
    func testLastActiveIsTheNewestConsoleSessionElseWhenAdded() throws {
        let fixture = try RetentionFixture()
        let admin = fixture.workspace.session(as: fixture.admin)
        let opened = RetentionFixture.at(days: 5)
        try admin.perform(.consoleSessionStarted(session: "s1", clientAddress: nil), at: opened)
        let listed = try admin.read(.usersWithActivity)
        XCTAssertEqual(listed.map(\.user.email), try admin.read(.users).map(\.email), "the same order as the users list")
        XCTAssertEqual(listed.first { $0.user.email == "admin@example.test" }?.lastActive, opened)
        XCTAssertEqual(listed.first { $0.user.email == "agent@example.test" }?.lastActive, RetentionFixture.start)
        XCTAssertEqual(UserDirectory.Listed.columns.headers(for: .plainText), ["Role", "Email", "Name", "Last active"])
    }

    /// The actor filter matches part of an email or a name, ignoring case; `system` by part too.
    func testActorFilterMatchesPartOfANameOrEmail() throws {
        let fixture = try RetentionFixture()
        try fixture.addCall(recordedAt: RetentionFixture.start)
        let call = try fixture.workspace.callID("CA000001")
        try fixture.workspace.session(as: fixture.admin).perform(.placeLegalHold(onCall: call, reason: "A"), at: now)
        try fixture.workspace.session(as: fixture.owner).perform(plan: .releaseLegalHold(onCall: call, reason: "B"), at: now)
        func actors(_ text: String) throws -> Set<String> {
            Set(try fixture.workspace.dbPool.read { db in try AuditLogPage(actor: text).first(limit: 100, in: db) }.map(\.actor))
        }
        XCTAssertEqual(try actors("ADAM"), ["admin@example.test"], "part of the name, any case")
        XCTAssertEqual(try actors("owner@"), ["owner@example.test"], "part of the email")
        XCTAssertEqual(try actors("example.test"), ["admin@example.test", "owner@example.test"])
        XCTAssertEqual(try actors("owner@example.test"), ["owner@example.test"], "the whole email still works")
        XCTAssertTrue(try actors("syst").contains("system"))
        XCTAssertEqual(try actors("nobody"), [])
        XCTAssertEqual(try fixture.workspace.dbPool.read { db in try AuditLogPage(actor: "adam").count(in: db) }, 1)
    }

    /// An event's target names the record to open.
    func testAuditTargetsNameTheirRecord() {
        func target(_ text: String) -> AuditTarget? {
            AuditEvent(seq: 1, at: now, actor: "system", action: "x", target: text, details: "{}", previousHash: "", hash: "").targetRecord
        }
        XCTAssertEqual(target("call:12"), .call(Call.ID(12)))
        XCTAssertEqual(target("user:3"), .user(User.ID(3)))
        XCTAssertEqual(target("notice:5"), .notice(5))
        XCTAssertEqual(target("contact:9"), .contact(Contact.ID(9)))
        XCTAssertNil(target("workspace"))
        XCTAssertNil(target("call:abc"))
    }

    /// Saving a recording: whole or not at all, never over an existing file without `overwrite`,
    /// refused to a viewer before the call is looked up, audited with ids only.
    func testSavingARecordingIsAuditedAndNeverOverwritesUnasked() throws {
        let fixture = try RetentionFixture()
        let stored = try fixture.addCall(recordedAt: RetentionFixture.start)
        let noAudio = try fixture.addCall(recordedAt: RetentionFixture.start, bytes: nil)
        let out = fixture.folder.appendingPathComponent("out.wav")
        let agent = fixture.workspace.session(as: fixture.agent)

        XCTAssertThrowsError(try fixture.workspace.session(as: fixture.viewer).exportRecording(ofCallNamed: "nope", to: out, overwrite: false)) {
            XCTAssertTrue($0 is PermissionDenied, "\($0)")
        }
        let saved = try agent.exportRecording(ofCallNamed: "CA000001", to: out, overwrite: false)
        let original = try Data(contentsOf: fixture.workspace.audioDirectory.appendingPathComponent(stored.recording!.filePath!))
        XCTAssertEqual(try Data(contentsOf: out), original)
        XCTAssertEqual(saved.bytes, Int64(original.count))
        XCTAssertThrowsError(try agent.exportRecording(ofCallNamed: "CA000001", to: out, overwrite: false)) {
            XCTAssertEqual(($0 as? any SysexitsError)?.exitClass, .cannotCreate)
        }
        try Data("old".utf8).write(to: out)
        try agent.exportRecording(ofCallNamed: "CA000001", to: out, overwrite: true)
        XCTAssertEqual(try Data(contentsOf: out), original)
        XCTAssertThrowsError(try agent.exportRecording(ofCallNamed: noAudio.call.externalId, to: fixture.folder.appendingPathComponent("none.wav"),
                                                       overwrite: false))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: fixture.folder.path).filter { $0.contains(".handlet-") }
        XCTAssertEqual(leftovers, [], "no temporary file is left behind")
        let events = try fixture.auditEvents(AuditAction.recordingExported.rawValue)
        XCTAssertEqual(events.count, 2)
        XCTAssertEqual(events[0].actor, "agent@example.test")
        XCTAssertFalse(events[0].details.contains("out.wav"), "no path in the audit log")
    }

    /// Playing: refused to a viewer and for a call without audio (so the key is dimmed); the
    /// player is `$HANDLET_PLAYER`, else the first candidate on PATH, and never over SSH.
    func testPlayingIsAuditedAndThePlayerIsChosenFromTheEnvironment() throws {
        let fixture = try RetentionFixture()
        try fixture.addCall(recordedAt: RetentionFixture.start)
        let call = try fixture.workspace.callID("CA000001")
        let viewer = fixture.workspace.session(as: fixture.viewer)
        XCTAssertNotNil(try viewer.plan(viewer.playing(call: call), at: now).refusal)
        let agent = fixture.workspace.session(as: fixture.agent)
        let opened = try agent.openRecordingForPlaying(ofCall: call)
        XCTAssertTrue(FileManager.default.fileExists(atPath: opened.file.path))
        XCTAssertEqual(try fixture.auditEvents(AuditAction.recordingPlayed.rawValue).count, 1)

        let bin = fixture.folder.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        for name in ["paplay", "ffplay"] {
            let path = bin.appendingPathComponent(name).path
            FileManager.default.createFile(atPath: path, contents: Data("#!/bin/sh\n".utf8), attributes: [.posixPermissions: 0o755])
        }
        let path = bin.path
        XCTAssertEqual(try RecordingPlayer.choose(environment: ["PATH": path]).get().path, bin.appendingPathComponent("paplay").path,
                       "aplay is missing: the next candidate")
        let configured = try RecordingPlayer.choose(environment: ["PATH": path, "HANDLET_PLAYER": "ffplay -nodisp"]).get()
        XCTAssertEqual(configured.path, bin.appendingPathComponent("ffplay").path)
        XCTAssertEqual(configured.arguments, ["-nodisp"])
        guard case .failure(let overSSH) = RecordingPlayer.choose(environment: ["PATH": path, "SSH_CONNECTION": "10.0.0.1 5 10.0.0.2 22"]) else {
            return XCTFail("offered over SSH")
        }
        XCTAssertTrue(overSSH.description.contains("SSH"), overSSH.description)
        guard case .failure(let none) = RecordingPlayer.choose(environment: ["PATH": fixture.folder.path]) else { return XCTFail() }
        XCTAssertTrue(none.description.contains("HANDLET_PLAYER"), none.description)
    }
}

private extension WorkspaceSession {
    /// Plans and performs a change that asks, answering yes.
    func perform<Result>(plan command: WorkspaceCommand<Result>, at instant: Date) throws {
        _ = try perform(plan(command, at: instant), confirmed: true, at: instant)
    }
}
