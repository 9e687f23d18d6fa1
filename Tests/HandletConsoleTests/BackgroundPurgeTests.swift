import Foundation
import GRDB
@testable import HandletConsole
@testable import HandletDomain
import XCTest

/// The console's own purge: at open, then again when a recording expires while it stays open.
final class BackgroundPurgeTests: XCTestCase {
    private final class Posted: @unchecked Sendable {
        private let lock = NSLock()
        private var activities: [BackgroundActivity] = []
        func append(_ message: any Sendable) {
            guard let activity = message as? BackgroundActivity else { return }
            lock.withLock { activities.append(activity) }
        }
        var summaries: [String] { lock.withLock { activities.compactMap(\.finishedSummary) } }
    }

    /// Counts the purge's checks: it reads the clock once at the start of each, so when the
    /// count reaches n + 1, n checks have completed.
    private final class CheckCounter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func now() -> Date { lock.withLock { count += 1 }; return Date() }
        var checks: Int { lock.withLock { count } }

        /// Waits until `n` checks have completed; fails loudly after 15 s.
        func waitForCompletedChecks(_ n: Int, file: StaticString = #filePath, line: UInt = #line) async throws {
            let deadline = Date().addingTimeInterval(15)
            while checks < n + 1 {
                if Date() >= deadline {
                    XCTFail("only \(max(0, checks - 1)) purge checks completed in 15 s, waited for \(n)", file: file, line: line)
                    throw CancellationError()
                }
                try await Task.sleep(for: .milliseconds(5))
            }
        }
    }

    func testPurgesAtOpenAndAgainWhenARecordingExpiresWhileOpen() async throws {
        let fixture = try ConsoleFixture()
        defer { fixture.remove() }
        let workspace = fixture.workspace
        let audio = workspace.audioDirectory
        // The fixture's one recording, made due now; a second one that expires a second later.
        let start = Date()
        let (first, second) = try await workspace.dbPool.write { db -> (String, String) in
            try db.execute(sql: "UPDATE recordings SET expires_at = ?", arguments: [Int64(start.timeIntervalSince1970) - 60])
            let callId = try Int64.fetchOne(db, sql: "SELECT id FROM calls WHERE recording_state = 'not_recorded' LIMIT 1")!
            try Data("RIFF-later".utf8).write(to: audio.appendingPathComponent("later.wav"))
            try db.execute(sql: """
                INSERT INTO recordings(call_id, file_path, bytes, duration_ms, sha256, created_at, expires_at)
                VALUES (?, 'later.wav', 10, 1000, 'abc', ?, ?)
                """, arguments: [callId, Int64(start.timeIntervalSince1970) - 86_400, Int64(start.timeIntervalSince1970) + 1])
            return (try String.fetchOne(db, sql: "SELECT file_path FROM recordings WHERE file_path <> 'later.wav'")!, "later.wav")
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: audio.appendingPathComponent(first).path))

        let posted = Posted()
        let purge = BackgroundPurge(session: workspace.session(as: .system), checkEvery: .milliseconds(200), post: { posted.append($0) })
        let deadline = Date().addingTimeInterval(10)
        while posted.summaries.count < 2 && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        await purge.stop()

        XCTAssertEqual(posted.summaries.count, 2, "\(posted.summaries)")
        XCTAssertTrue(posted.summaries.allSatisfy { $0.hasPrefix("Purged 1 expired recording (") }, "\(posted.summaries)")
        for path in [first, second] {
            XCTAssertFalse(FileManager.default.fileExists(atPath: audio.appendingPathComponent(path).path), path)
        }
        let runs = try await workspace.dbPool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_events WHERE action = ?", arguments: [AuditAction.purgeRun.rawValue])!
        }
        XCTAssertEqual(runs, 2, "checks that find nothing due leave no audit event")
    }

    func testAFailureThatPersistsIsShownOnce() async throws {
        let fixture = try ConsoleFixture()
        defer { fixture.remove() }
        let workspace = fixture.workspace
        try await workspace.dbPool.write { db in
            try db.execute(sql: "UPDATE recordings SET expires_at = ?", arguments: [Int64(Date().timeIntervalSince1970) - 60])
        }
        try FileManager.default.removeItem(at: workspace.audioDirectory)
        let posted = Posted()
        let counter = CheckCounter()
        let purge = BackgroundPurge(session: workspace.session(as: .system), checkEvery: .milliseconds(10),
                                    now: { counter.now() }, post: { posted.append($0) })
        // Five checks all met the same failure; it is shown once.
        try await counter.waitForCompletedChecks(5)
        await purge.stop()
        XCTAssertEqual(posted.summaries.count, 1, "\(posted.summaries)")
        XCTAssertTrue(posted.summaries.first?.contains("recordings folder") == true, "\(posted.summaries)")
    }

    /// Quitting the console calls `stop()` (ConsoleLauncher): a purge in progress stops at its
    /// next batch boundary, so what it purged is whole batches, its run is closed and audited as
    /// cancelled, and no row or file is left half done.
    func testQuittingStopsARunningPurgeAtABatchBoundary() async throws {
        let fixture = try ConsoleFixture(calls: 10)
        defer { fixture.remove() }
        let workspace = fixture.workspace
        let audio = workspace.audioDirectory
        let count = 9_000, batch = Purge.defaultBatchSize
        let past = Int64(ConsoleFixture.now.timeIntervalSince1970) - 400 * 86_400
        for index in 0..<count { try Data("RIFF-\(index)".utf8).write(to: audio.appendingPathComponent("bulk-\(index).wav")) }
        try await workspace.dbPool.write { db in
            try db.execute(sql: """
                WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ? - 1)
                INSERT INTO calls(external_id, direction, from_number, to_number, started_at, duration_seconds, handled_by,
                                  outcome, recording_state)
                SELECT 'BULK-' || i, 'inbound', '+447700900123', '+441632960000', ? + i, 30, 'ai_agent', 'booked_job', 'recorded' FROM n
                """, arguments: [count, past])
            try db.execute(sql: """
                INSERT INTO recordings(call_id, file_path, bytes, duration_ms, sha256, created_at, expires_at)
                SELECT id, 'bulk-' || substr(external_id, 6) || '.wav', 10, 1000, 'abc', started_at, started_at + 86400
                FROM calls WHERE external_id LIKE 'BULK-%'
                """)
        }
        let posted = Posted()
        let progress = ProgressSeen()
        // The fixture's clock: its own recording (made an hour before) is not due, the bulk ones are.
        let purge = BackgroundPurge(session: workspace.session(as: .system), checkEvery: .seconds(3600),
                                    now: { ConsoleFixture.now }, post: { posted.append($0); progress.note($0) })
        // Quit as soon as the first batch is in: the run is under way, with batches left.
        let deadline = Date().addingTimeInterval(30)
        while progress.maximum == 0 {
            if Date() >= deadline { return XCTFail("no batch of the background purge finished within 30 s") }
            try await Task.sleep(for: .milliseconds(2))
        }
        await purge.stop()

        let (purged, runs, journal, details) = try await workspace.dbPool.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM recordings WHERE purged_at IS NOT NULL")!,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM purge_run")!,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM purge_journal")!,
             try String.fetchAll(db, sql: "SELECT details FROM audit_events WHERE action = ?", arguments: [AuditAction.purgeRun.rawValue]))
        }
        let total = count
        XCTAssertGreaterThan(purged, 0)
        XCTAssertLessThan(purged, total, "stopped before the end: \(purged) of \(total)")
        XCTAssertEqual(purged % batch, 0, "\(purged) purged: whole batches of \(batch) only")
        XCTAssertEqual(runs, 0, "the stopped run is closed, not left to resume")
        XCTAssertEqual(journal, 0, "its files were all unlinked before it ended")
        XCTAssertEqual(details.count, 1)
        XCTAssertTrue(details.first?.contains("\"cancelled\":true") == true, "\(details)")
        let files = try FileManager.default.contentsOfDirectory(atPath: audio.path).filter { $0.hasPrefix("bulk-") }.count
        XCTAssertEqual(files, count - purged, "the files left are exactly those not purged")
    }

    /// The highest `done` a progress update has posted.
    private final class ProgressSeen: @unchecked Sendable {
        private let lock = NSLock()
        private var highest = 0
        func note(_ message: any Sendable) {
            guard let activity = message as? BackgroundActivity, activity.finishedSummary == nil else { return }
            lock.withLock { highest = max(highest, activity.done) }
        }
        var maximum: Int { lock.withLock { highest } }
    }

    func testStopReturnsPromptlyBetweenChecks() async throws {
        let fixture = try ConsoleFixture()
        defer { fixture.remove() }
        let counter = CheckCounter()
        let purge = BackgroundPurge(session: fixture.workspace.session(as: .system), checkEvery: .seconds(3600),
                                    now: { counter.now() }, post: { _ in })
        // The first check has begun (nothing is due): then the loop sleeps for an hour.
        try await counter.waitForCompletedChecks(0)
        let started = Date()
        await purge.stop()
        XCTAssertLessThan(Date().timeIntervalSince(started), 1, "a sleeping check must not hold the console's exit")
    }
}
