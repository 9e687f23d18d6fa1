import Foundation
import GRDB
@testable import HandletDomain
import XCTest

/// Each stored recording is its own real WAV file whose SHA-256 and size the row records, and
/// the rows follow the workspace's recording policy.
final class DemoRecordingTests: XCTestCase {
    private static let day: Int64 = 86_400

    func testEveryStoredRecordingHasAMatchingValidWAVFile() throws {
        let test = try TestWorkspace.make(calls: 600, messages: 100)
        let recordings = try test.read { db in try Recording.fetchAll(db, sql: "SELECT * FROM recordings WHERE file_path IS NOT NULL") }
        XCTAssertGreaterThan(recordings.count, 100)
        var hashes = Set<String>()
        for recording in recordings {
            let url = test.audioFolder.appendingPathComponent(recording.filePath!)
            let data = try Data(contentsOf: url)
            XCTAssertEqual(SHA256Hex.of(data), recording.sha256, recording.filePath!)
            XCTAssertEqual(Int64(data.count), recording.bytes)
            try assertValidWAV(data, durationMs: recording.durationMs)
            hashes.insert(recording.sha256!)
        }
        XCTAssertEqual(hashes.count, recordings.count, "every recording's audio differs")
        // No stray files: the folder holds exactly the recordings' files.
        let onDisk = Set(try FileManager.default.subpathsOfDirectory(atPath: test.audioFolder.path).filter { $0.hasSuffix(".wav") })
        XCTAssertEqual(onDisk, Set(recordings.map { $0.filePath! }))
    }

    private func assertValidWAV(_ data: Data, durationMs: Int64, file: StaticString = #filePath, line: UInt = #line) throws {
        let bytes = [UInt8](data)
        func u32(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24 }
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func text(_ at: Int) -> String { String(decoding: bytes[at..<at + 4], as: UTF8.self) }
        XCTAssertEqual(text(0), "RIFF", file: file, line: line)
        XCTAssertEqual(u32(4), bytes.count - 8, file: file, line: line)
        XCTAssertEqual(text(8), "WAVE", file: file, line: line)
        XCTAssertEqual(text(12), "fmt ", file: file, line: line)
        XCTAssertEqual(u32(16), 16, file: file, line: line)
        XCTAssertEqual(u16(20), 1, "PCM", file: file, line: line)
        XCTAssertEqual(u16(22), 1, "mono", file: file, line: line)
        XCTAssertEqual(u32(24), 600, "600 Hz: a synthetic stand-in small enough for a million calls", file: file, line: line)
        XCTAssertEqual(u32(28), 600 * u16(32), "byte rate", file: file, line: line)
        XCTAssertEqual(u16(34), 8, "bits per sample", file: file, line: line)
        XCTAssertEqual(text(36), "data", file: file, line: line)
        XCTAssertEqual(u32(40), bytes.count - 44, file: file, line: line)
        XCTAssertEqual(Int64(u32(40)) * 1000 / 600, durationMs, file: file, line: line)
        // Not silence: the samples swing well away from the 8-bit midpoint.
        XCTAssertGreaterThan(bytes[44...].max()! - bytes[44...].min()!, 60, file: file, line: line)
    }

    func testExpiryPurgesAndPastDefaultRecordings() throws {
        let test = try TestWorkspace.make(calls: 3_000, messages: 100)
        let anchor = Int64(TestWorkspace.anchor.timeIntervalSince1970)
        try test.read { db in
            let recordings = try Recording.fetchAll(db)
            for recording in recordings {
                XCTAssertEqual(recording.expiresAt.timeIntervalSince(recording.createdAt), 30 * 86_400)
                let call = try Call.fetchOne(db, key: recording.callId)!
                if recording.purgedAt != nil {
                    XCTAssertNil(recording.filePath)
                    XCTAssertNil(recording.sha256)
                    XCTAssertEqual(call.recordingState, .purged)
                    XCTAssertEqual(call.recordingPurgedAt, recording.purgedAt)
                    XCTAssertGreaterThan(recording.purgedAt!, recording.expiresAt)
                } else {
                    XCTAssertNotNil(recording.filePath)
                    XCTAssertEqual(call.recordingState, .recorded)
                }
            }
            // Some recordings are already past the 30-day default but still on disk (the purge is due).
            let due = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM recordings WHERE purged_at IS NULL AND legal_hold = 0 AND expires_at < ?",
                                       arguments: [anchor])!
            XCTAssertGreaterThan(due, 0)
            XCTAssertGreaterThan(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM recordings WHERE purged_at IS NOT NULL")!, 0)
            // Held recordings keep their audio past expiry, with a reason in the hold history.
            let held = try Recording.fetchAll(db, sql: "SELECT * FROM recordings WHERE legal_hold = 1")
            for recording in held {
                XCTAssertNotNil(recording.filePath)
                XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM legal_hold_history WHERE recording_id = ?",
                                                arguments: [recording.id]), 1)
            }
            // Calls without audio have no recording row at all.
            XCTAssertEqual(try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM calls JOIN recordings ON recordings.call_id = calls.id
                WHERE calls.recording_state IN ('not_recorded', 'recording_disabled')
                """), 0)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM calls WHERE outcome = 'missed' AND recording_state != 'not_recorded'"), 0)
        }
    }

    func testCallsTakenWhileRecordingWasOffKeepNoAudio() throws {
        let test = try TestWorkspace.make(calls: 400, messages: 20, recordingEnabled: false)
        let anchor = Int64(TestWorkspace.anchor.timeIntervalSince1970)
        XCTAssertFalse(try test.workspace.settings().recordingEnabled)
        try test.read { db in
            let recent = try Row.fetchAll(db, sql: "SELECT recording_state FROM calls WHERE started_at >= ?",
                                          arguments: [anchor - 10 * Self.day])
            XCTAssertFalse(recent.isEmpty)
            XCTAssertTrue(recent.allSatisfy { $0["recording_state"] == "recording_disabled" })
            XCTAssertEqual(try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM recordings JOIN calls ON calls.id = recordings.call_id WHERE calls.started_at >= ?
                """, arguments: [anchor - 10 * Self.day]), 0)
            // Before that, recording was on.
            XCTAssertGreaterThan(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM calls WHERE recording_state = 'recorded'")!, 0)
        }
    }

    func testAWeekWithRecordingOffInALongerHistory() throws {
        let test = try TestWorkspace.make(calls: 4_000, messages: 20)
        let anchor = Int64(TestWorkspace.anchor.timeIntervalSince1970)
        try test.read { db in
            let states = try String.fetchAll(db, sql: "SELECT DISTINCT recording_state FROM calls WHERE started_at >= ? AND started_at < ?",
                                             arguments: [anchor - 80 * Self.day, anchor - 73 * Self.day])
            XCTAssertEqual(states, ["recording_disabled"])
            XCTAssertEqual(Set(try String.fetchAll(db, sql: "SELECT DISTINCT recording_state FROM calls")),
                           ["recorded", "not_recorded", "recording_disabled", "purged"])
        }
    }

    func testRetentionPeriodOfTheWorkspaceDatesExpiry() throws {
        let test = try TestWorkspace.make(calls: 200, messages: 20, retentionDays: 90)
        try test.read { db in
            XCTAssertGreaterThan(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM recordings")!, 1)
            XCTAssertEqual(try Int.fetchAll(db, sql: "SELECT DISTINCT expires_at - created_at FROM recordings"), [90 * 86_400],
                           "every recording, not just the first, expires 90 days after it was made")
        }
    }
}
