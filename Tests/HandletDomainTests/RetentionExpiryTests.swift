import GRDB
@testable import HandletDomain
import XCTest
import HandletTestSupport

final class RetentionExpiryTests: XCTestCase {
    func testExpiryIsCreationPlusPeriod() throws {
        let fixture = try RetentionFixture(retentionDays: 30)
        let recordedAt = RetentionFixture.start.addingTimeInterval(3_661.7)
        let stored = try fixture.addCall(recordedAt: recordedAt)
        let recording = try XCTUnwrap(stored.recording)
        XCTAssertEqual(recording.createdAt.timeIntervalSince1970, RetentionFixture.start.timeIntervalSince1970 + 3_661)
        XCTAssertEqual(recording.expiresAt, recording.createdAt.addingTimeInterval(30 * RetentionFixture.day))
        XCTAssertEqual(RecordingExpiry.expiresAt(createdAt: recordedAt, period: try RetentionPeriod(days: 7)),
                       recording.createdAt.addingTimeInterval(7 * RetentionFixture.day))
        let storedTypes = try fixture.workspace.dbPool.read { db in
            try Row.fetchOne(db, sql: "SELECT typeof(created_at), typeof(expires_at) FROM recordings")!
        }
        XCTAssertEqual(storedTypes[0] as String, "integer", "the SQL that re-dates and selects compares whole seconds")
        XCTAssertEqual(storedTypes[1] as String, "integer")
        XCTAssertFalse(RecordingExpiry.isExpired(recording, at: recording.expiresAt.addingTimeInterval(-1)))
        XCTAssertTrue(RecordingExpiry.isExpired(recording, at: recording.expiresAt))
    }

    func testChangingThePeriodRedatesEveryStoredRecording() throws {
        let fixture = try RetentionFixture(retentionDays: 30)
        let created = (0..<5).map { RetentionFixture.at(days: Double($0) * 10) }
        let ids = try created.map { try XCTUnwrap(fixture.addCall(recordedAt: $0).recording?.id) }
        try fixture.workspace.session(as: fixture.owner).perform(.placeLegalHold(onCall: fixture.workspace.callID("CA000002"), reason: "Dispute over invoice 118"), at: RetentionFixture.at(days: 11))
        for days in [90, 14, 365] {
            let period = try RetentionPeriod(days: days)
            let change = try fixture.workspace.session(as: fixture.admin).perform(.setRetentionPeriod(period, shorteningConfirmed: true), at: RetentionFixture.at(days: 41))
            XCTAssertEqual(change.recordingsRedated, 5, "held recordings keep a would-be expiry too")
            for (id, createdAt) in zip(ids, created) {
                XCTAssertEqual(try fixture.recording(id).expiresAt,
                               createdAt.addingTimeInterval(Double(days) * RetentionFixture.day))
            }
        }
    }

    func testPurgedRecordingsAreNotRedated() throws {
        let fixture = try RetentionFixture(retentionDays: 30)
        let old = try XCTUnwrap(fixture.addCall(recordedAt: RetentionFixture.at(days: 0)).recording)
        try fixture.workspace.session(as: .system).purge(now: RetentionFixture.at(days: 31))
        let purged = try fixture.recording(old.id)
        try fixture.workspace.session(as: fixture.owner).perform(.setRetentionPeriod(try RetentionPeriod(days: 365), shorteningConfirmed: false), at: RetentionFixture.at(days: 32))
        XCTAssertEqual(try fixture.recording(old.id), purged)
    }

    func testLegalHoldNeverExpires() throws {
        let fixture = try RetentionFixture(retentionDays: 7)
        let stored = try fixture.addCall(recordedAt: RetentionFixture.start)
        try fixture.workspace.session(as: fixture.admin).perform(.placeLegalHold(onCall: fixture.workspace.callID(stored.call.externalId), reason: "Insurance claim"), at: RetentionFixture.at(days: 1))
        let held = try fixture.recording(stored.recording?.id)
        XCTAssertFalse(RecordingExpiry.isExpired(held, at: RetentionFixture.at(days: 10_000)))
        let report = try fixture.workspace.session(as: .system).purge(now: RetentionFixture.at(days: 10_000))
        XCTAssertEqual(report.thisRun.purged, 0)
        XCTAssertTrue(fixture.fileExists(held.filePath))
        XCTAssertNil(try fixture.recording(held.id).purgedAt)
    }

    func testRecordingPolicyKeepsNoAudioWhileRecordingIsOff() throws {
        let fixture = try RetentionFixture(retentionDays: 14)
        let policy = RecordingPolicy(recordingEnabled: true, period: try RetentionPeriod(days: 14))
        XCTAssertEqual(policy.decide(audioCaptured: true, createdAt: RetentionFixture.start),
                       .keep(expiresAt: RetentionFixture.at(days: 14)))
        XCTAssertEqual(policy.decide(audioCaptured: false, createdAt: RetentionFixture.start), .noAudio(.notRecorded))

        try fixture.workspace.session(as: fixture.owner).perform(.disableRecording(existing: .keepUntilExpiry))
        let files = try FileManager.default.contentsOfDirectory(atPath: fixture.workspace.audioDirectory.path)
        let stored = try fixture.addCall(recordedAt: RetentionFixture.at(days: 1))
        XCTAssertNil(stored.recording)
        XCTAssertEqual(try fixture.call(stored.call.id).recordingState, .recordingDisabled)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: fixture.workspace.audioDirectory.path), files,
                       "no audio file written while recording is off")
        XCTAssertEqual(try fixture.workspace.dbPool.read { try Recording.fetchCount($0) }, 0)

        try fixture.workspace.session(as: fixture.owner).perform(.enableRecording)
        let missed = try fixture.addCall(recordedAt: RetentionFixture.at(days: 2), bytes: nil)
        XCTAssertEqual(try fixture.call(missed.call.id).recordingState, .notRecorded)
        let recorded = try fixture.addCall(recordedAt: RetentionFixture.at(days: 3))
        XCTAssertEqual(try fixture.call(recorded.call.id).recordingState, .recorded)
        XCTAssertTrue(fixture.fileExists(recorded.recording?.filePath))
        XCTAssertEqual(recorded.recording?.sha256,
                       try SHA256Hex.ofFile(at: fixture.workspace.audioDirectory.appendingPathComponent(recorded.recording!.filePath!)))
    }
}
