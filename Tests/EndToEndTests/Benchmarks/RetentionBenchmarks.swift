import Foundation
import GRDB
@testable import HandletDomain
import XCTest
import HandletTestSupport

/// Figures for BENCHMARKS.md, run by scripts/bench-purge.sh (which points HANDLET_BINARY at the
/// release build). Compiled only with HANDLET_BENCHMARKS=1 (Package.swift), so never a skipped test.
final class RetentionBenchmarks: XCTestCase {
    private var benchRoot: URL {
        let base = ProcessInfo.processInfo.environment["HANDLET_BENCH_DIR"] ?? FileManager.default.temporaryDirectory.path
        return URL(fileURLWithPath: base).appendingPathComponent("retention-\(ProcessInfo.processInfo.processIdentifier)")
    }

    func testPurgeThroughputWithFiles() throws {
        let count = Int(ProcessInfo.processInfo.environment["HANDLET_BENCH_PURGE"] ?? "") ?? 100_000
        // HANDLET_BENCH_FIXTURE keeps the fixture (minutes to build) for the next run to reuse.
        let kept = ProcessInfo.processInfo.environment["HANDLET_BENCH_FIXTURE"].map { URL(fileURLWithPath: $0) }
        let folder = kept ?? benchRoot.appendingPathComponent("purge")
        defer { if kept == nil { try? FileManager.default.removeItem(at: folder) } }
        var started = Date()
        let database = folder.appendingPathComponent("workspace.sqlite")
        if FileManager.default.fileExists(atPath: database.path) {
            print("BENCH purge fixture: reusing \(folder.path)")
        } else {
            try PurgeWorkspace.build(in: folder, layout: .init(due: count, live: 0, held: 0, missingFiles: 0))
            print("BENCH purge fixture: \(count) expired recordings with files built in \(seconds(since: started)) s")
        }
        for batch in ["2000", "10000"] {
            let copy = benchRoot.appendingPathComponent("purge-\(batch)")
            defer { try? FileManager.default.removeItem(at: copy) }
            try PurgeCrashTests.clone(folder, to: copy)
            started = Date()
            let outcome = try HandletBinary.run(["purge", "--db", copy.appendingPathComponent(database.lastPathComponent).path,
                                                 "--batch", batch, "--json"])
            let elapsed = Date().timeIntervalSince(started)
            XCTAssertEqual(outcome.status, 0, outcome.stderr)
            XCTAssertTrue(outcome.stdout.contains("\"purged\" : \(count)"), outcome.stdout)
            XCTAssertEqual(try PurgeCrashTests.filesUnder(copy.appendingPathComponent("workspace-recordings")), [])
            print("BENCH purge --batch \(batch): \(count) recordings and files in \(String(format: "%.2f", elapsed)) s "
                  + "= \(Int(Double(count) / elapsed)) recordings/s (whole process, including start and WAL truncation)")
        }
    }

    func testImpactPreviewAtAMillionRecordings() throws {
        let count = Int(ProcessInfo.processInfo.environment["HANDLET_BENCH_PREVIEW"] ?? "") ?? 1_000_000
        let folder = benchRoot.appendingPathComponent("preview")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let now = Date()
        let workspace = try Workspace.create(
            at: folder.appendingPathComponent("workspace.sqlite"),
            workspace: WorkspaceRecord(name: "Preview bench", businessName: "Bench Ltd", retentionDays: 365, createdAt: now),
            users: [User(name: "Olive Owner", email: "owner@example.test", role: .owner, createdAt: now)])
        var started = Date()
        // Rows only (the preview never reads audio), spread evenly over the last 365 days.
        let nowSeconds = Int64(now.timeIntervalSince1970)
        try workspace.dbPool.write { db in
            try db.execute(sql: """
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
                INSERT INTO calls(id, external_id, direction, from_number, to_number, started_at, duration_seconds,
                                  handled_by, outcome, recording_state)
                SELECT i, 'CA' || i, 'inbound', '+447700900123', '+441632960000', ? - i * ? / ?, 60, 'ai_agent',
                       'booked_job', 'recorded' FROM n
                """, arguments: [count, nowSeconds, Int64(365 * 86_400), count])
            try db.execute(sql: """
                INSERT INTO recordings(call_id, file_path, bytes, duration_ms, sha256, created_at, expires_at, legal_hold)
                SELECT id, '2026-01/call-' || id || '.wav', 48000 + id % 1000, 60000, printf('%064d', id), started_at,
                       started_at + 365 * 86400, id % 5000 = 0 FROM calls
                """)
        }
        print("BENCH preview fixture: \(count) recordings inserted in \(seconds(since: started)) s")
        try workspace.dbPool.writeWithoutTransaction { db in try db.execute(sql: "ANALYZE") }

        for days in [7, 30, 180] {
            let period = try RetentionPeriod(days: days)
            var timings: [Double] = []
            var preview: ImpactPreview?
            for _ in 0..<21 {
                started = Date()
                preview = try workspace.session(as: try workspace.localOwner()).read(.impactPreview(changingTo: period, now: now))
                timings.append(Date().timeIntervalSince(started) * 1000)
            }
            timings.sort()
            let result = try XCTUnwrap(preview)
            print("BENCH preview 365 -> \(days) days over \(count) recordings: \(result.recordings) become due "
                  + "(\(DisplayText.size(result.bytes))); median \(String(format: "%.2f", timings[10])) ms, "
                  + "max \(String(format: "%.2f", timings.last!)) ms")
            let scanned = try workspace.dbPool.read { db in
                try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM recordings WHERE purged_at IS NULL AND legal_hold = 0
                    AND created_at > ? AND created_at <= ?
                    """, arguments: [nowSeconds - 365 * 86_400, nowSeconds - Int64(days) * 86_400])!
            }
            XCTAssertEqual(result.recordings, scanned, "the day totals agree with a full count")
            XCTAssertLessThan(timings[10], 100)
        }
        started = Date()
        _ = try workspace.dbPool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*), TOTAL(bytes) FROM recordings WHERE purged_at IS NULL AND legal_hold = 0 AND created_at > ?",
                             arguments: [nowSeconds - 365 * 86_400])
        }
        print("BENCH for comparison, a plain indexed COUNT/SUM over the same range: \(String(format: "%.1f", Date().timeIntervalSince(started) * 1000)) ms")
        for line in try ImpactPreview.queryPlans(workspace) { print("BENCH plan: \(line)") }
    }

    private func seconds(since start: Date) -> String { String(format: "%.1f", Date().timeIntervalSince(start)) }
}
