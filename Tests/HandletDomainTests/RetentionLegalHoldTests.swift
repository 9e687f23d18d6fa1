import GRDB
import HandletDomain
import XCTest

final class RetentionLegalHoldTests: XCTestCase {
    func testHoldAndReleaseWithReasonsKeptInHistoryNotTheAuditLog() throws {
        let fixture = try RetentionFixture(retentionDays: 7)
        let stored = try fixture.addCall(recordedAt: RetentionFixture.start)
        let held = try LegalHold.place(onCall: "CA000001", reason: "  Claim by Mrs Jones  ", in: fixture.workspace,
                                       by: fixture.admin, now: RetentionFixture.at(days: 1))
        XCTAssertEqual(held.reason, "Claim by Mrs Jones")
        XCTAssertEqual(held.callId, stored.call.id)
        XCTAssertTrue(try fixture.recording(stored.recording?.id).legalHold)

        let released = try LegalHold.release(onCall: String(stored.call.id!), reason: "Claim settled", in: fixture.workspace,
                                             by: fixture.owner, now: RetentionFixture.at(days: 20))
        XCTAssertTrue(released.dueAtNextPurge, "past its expiry once released")
        let recording = try fixture.recording(stored.recording?.id)
        XCTAssertFalse(recording.legalHold)
        XCTAssertNil(recording.holdReason)

        let history = try fixture.workspace.dbPool.read { try LegalHold.history(ofCall: "CA000001", $0) }
        XCTAssertEqual(history.count, 1)
        XCTAssertEqual(history[0].reason, "Claim by Mrs Jones")
        XCTAssertEqual(history[0].placedByEmail, "admin@example.test")
        XCTAssertEqual(history[0].releaseReason, "Claim settled")
        XCTAssertEqual(history[0].releasedByEmail, "owner@example.test")
        XCTAssertEqual(history[0].releasedAt, RetentionFixture.at(days: 20))

        let placed = try XCTUnwrap(fixture.auditEvents(RetentionAudit.holdPlaced).first)
        let releasedEvent = try XCTUnwrap(fixture.auditEvents(RetentionAudit.holdReleased).first)
        XCTAssertEqual(placed.target, "call:\(stored.call.id!)")
        XCTAssertEqual(try fixture.auditDetails(placed), ["recording_id": .int(stored.recording!.id!)])
        XCTAssertEqual(try fixture.auditDetails(releasedEvent)["with_reason"], .bool(true))
        for event in [placed, releasedEvent] {
            XCTAssertFalse(event.details.contains("Jones") || event.details.contains("settled"), event.details)
        }

        let report = try Purge(workspace: fixture.workspace).run(now: RetentionFixture.at(days: 20))
        XCTAssertEqual(report.thisRun.purged, 1)
    }

    func testHoldRefusals() throws {
        let fixture = try RetentionFixture()
        let stored = try fixture.addCall(recordedAt: RetentionFixture.start)
        let noAudio = try fixture.addCall(recordedAt: RetentionFixture.start, bytes: nil)
        func refusal(_ work: () throws -> Void) -> String {
            do { try work(); return "no error" } catch { return String(describing: error) }
        }
        XCTAssertEqual(refusal { try LegalHold.place(onCall: "CA000001", reason: "   ", in: fixture.workspace, by: fixture.owner) },
                       "A legal hold needs a reason (--reason TEXT).")
        XCTAssertTrue(refusal { try LegalHold.place(onCall: "CA000001", reason: String(repeating: "x", count: 501),
                                                    in: fixture.workspace, by: fixture.owner) }.contains("at most 500"))
        XCTAssertEqual(refusal { try LegalHold.place(onCall: "nope", reason: "r", in: fixture.workspace, by: fixture.owner) },
                       "No call with id or external id \"nope\".")
        XCTAssertEqual(refusal { try LegalHold.place(onCall: noAudio.call.externalId, reason: "r", in: fixture.workspace,
                                                     by: fixture.owner) },
                       "Call CA000002 has no recording.")
        XCTAssertEqual(refusal { try LegalHold.release(onCall: "CA000001", in: fixture.workspace, by: fixture.owner) },
                       "The recording of call CA000001 is not on legal hold.")
        try LegalHold.place(onCall: "CA000001", reason: "r", in: fixture.workspace, by: fixture.owner)
        XCTAssertEqual(refusal { try LegalHold.place(onCall: "CA000001", reason: "r", in: fixture.workspace, by: fixture.owner) },
                       "The recording of call CA000001 is already on legal hold.")
        XCTAssertEqual(try fixture.auditEvents(RetentionAudit.holdPlaced).count, 1)
        XCTAssertEqual(try fixture.recording(stored.recording?.id).holdReason, "r")
    }

    func testPurgedRecordingCannotBeHeld() throws {
        let fixture = try RetentionFixture(retentionDays: 1)
        try fixture.addCall(recordedAt: RetentionFixture.start)
        try Purge(workspace: fixture.workspace).run(now: RetentionFixture.at(days: 2))
        XCTAssertThrowsError(try LegalHold.place(onCall: "CA000001", reason: "late", in: fixture.workspace, by: fixture.owner)) {
            XCTAssertEqual($0 as? RetentionError, .recordingAlreadyPurged("CA000001"))
        }
    }
}
