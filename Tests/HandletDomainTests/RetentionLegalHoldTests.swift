import GRDB
@testable import HandletDomain
import XCTest
import HandletTestSupport

final class RetentionLegalHoldTests: XCTestCase {
    func testHoldAndReleaseWithReasonsKeptInHistoryNotTheAuditLog() throws {
        let fixture = try RetentionFixture(retentionDays: 7)
        let stored = try fixture.addCall(recordedAt: RetentionFixture.start)
        let held = try fixture.workspace.session(as: fixture.admin).perform(.placeLegalHold(onCall: fixture.workspace.callID("CA000001"), reason: "  Claim by Mrs Jones  "), at: RetentionFixture.at(days: 1))
        XCTAssertEqual(held.reason, "Claim by Mrs Jones")
        XCTAssertEqual(held.callId, stored.call.id)
        XCTAssertTrue(try fixture.recording(stored.recording?.id).legalHold)

        let released = try fixture.workspace.session(as: fixture.owner).perform(.releaseLegalHold(onCall: fixture.workspace.callID(stored.call.id!.description), reason: "Claim settled"), at: RetentionFixture.at(days: 20))
        XCTAssertTrue(released.dueAtNextPurge, "past its expiry once released")
        let recording = try fixture.recording(stored.recording?.id)
        XCTAssertFalse(recording.legalHold)
        XCTAssertNil(recording.holdReason)

        let history = try fixture.workspace.session(as: fixture.viewer).read(.legalHoldHistory(ofCall: fixture.workspace.callID("CA000001")))
        XCTAssertEqual(history.count, 1)
        XCTAssertEqual(history[0].reason, "Claim by Mrs Jones")
        XCTAssertEqual(history[0].placedByEmail, "admin@example.test")
        XCTAssertEqual(history[0].releaseReason, "Claim settled")
        XCTAssertEqual(history[0].releasedByEmail, "owner@example.test")
        XCTAssertEqual(history[0].releasedAt, RetentionFixture.at(days: 20))

        let placed = try XCTUnwrap(fixture.auditEvents(AuditAction.legalHoldPlaced.rawValue).first)
        let releasedEvent = try XCTUnwrap(fixture.auditEvents(AuditAction.legalHoldReleased.rawValue).first)
        XCTAssertEqual(placed.target, "call:\(stored.call.id!)")
        XCTAssertEqual(try fixture.auditDetails(placed), ["recording_id": .int(stored.recording!.id!.rawValue)])
        XCTAssertEqual(try fixture.auditDetails(releasedEvent)["with_reason"], .bool(true))
        for event in [placed, releasedEvent] {
            XCTAssertFalse(event.details.contains("Jones") || event.details.contains("settled"), event.details)
        }

        let report = try fixture.workspace.session(as: .system).purge(now: RetentionFixture.at(days: 20))
        XCTAssertEqual(report.thisRun.purged, 1)
    }

    func testHoldRefusals() throws {
        let fixture = try RetentionFixture()
        let stored = try fixture.addCall(recordedAt: RetentionFixture.start)
        let noAudio = try fixture.addCall(recordedAt: RetentionFixture.start, bytes: nil)
        func refusal(_ work: () throws -> Void) -> String {
            do { try work(); return "no error" } catch { return String(describing: error) }
        }
        XCTAssertEqual(refusal { try fixture.workspace.session(as: fixture.owner).perform(.placeLegalHold(onCall: fixture.workspace.callID("CA000001"), reason: "   ")) },
                       "A legal hold needs a reason (--reason TEXT).")
        XCTAssertTrue(refusal {
            try fixture.workspace.session(as: fixture.owner).perform(.placeLegalHold(onCall: fixture.workspace.callID("CA000001"),
                                                                                     reason: String(repeating: "x", count: 501)))
        }.contains("at most 500"))
        XCTAssertEqual(refusal { try fixture.workspace.session(as: fixture.owner).perform(.placeLegalHold(onCall: fixture.workspace.callID("nope"), reason: "r")) },
                       "No call with id or external id \"nope\".")
        XCTAssertEqual(refusal { try fixture.workspace.session(as: fixture.owner).perform(.placeLegalHold(onCall: fixture.workspace.callID(noAudio.call.externalId), reason: "r")) },
                       "Call CA000002 has no recording.")
        XCTAssertEqual(refusal { try fixture.workspace.session(as: fixture.owner).perform(.releaseLegalHold(onCall: fixture.workspace.callID("CA000001"), reason: "Settled")) },
                       "The recording of call CA000001 is not on legal hold.")
        try fixture.workspace.session(as: fixture.owner).perform(.placeLegalHold(onCall: fixture.workspace.callID("CA000001"), reason: "r"))
        XCTAssertEqual(refusal { try fixture.workspace.session(as: fixture.owner).perform(.placeLegalHold(onCall: fixture.workspace.callID("CA000001"), reason: "r")) },
                       "The recording of call CA000001 is already on legal hold.")
        XCTAssertEqual(try fixture.auditEvents(AuditAction.legalHoldPlaced.rawValue).count, 1)
        XCTAssertEqual(try fixture.recording(stored.recording?.id).holdReason, "r")
    }

    func testPurgedRecordingCannotBeHeld() throws {
        let fixture = try RetentionFixture(retentionDays: 1)
        try fixture.addCall(recordedAt: RetentionFixture.start)
        try fixture.workspace.session(as: .system).purge(now: RetentionFixture.at(days: 2))
        XCTAssertThrowsError(try fixture.workspace.session(as: fixture.owner).perform(.placeLegalHold(onCall: fixture.workspace.callID("CA000001"), reason: "late"))) {
            XCTAssertEqual($0 as? RetentionError, .recordingAlreadyPurged("CA000001"))
        }
    }
}
