import Foundation
import GRDB
@testable import HandletDomain
import XCTest

/// Figures for BENCHMARKS.md `## Audit`, run by scripts/bench-audit.sh (which points HANDLET_BINARY
/// at the release build). Compiled only with HANDLET_BENCHMARKS=1 (Package.swift), so never a skipped test.
final class AuditBenchmarks: XCTestCase {
    func testVerifyAMillionEvents() throws {
        let count = Int(ProcessInfo.processInfo.environment["HANDLET_BENCH_AUDIT"] ?? "") ?? 1_000_000
        let base = ProcessInfo.processInfo.environment["HANDLET_BENCH_DIR"] ?? FileManager.default.temporaryDirectory.path
        let folder = URL(fileURLWithPath: base).appendingPathComponent("audit-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("workspace.sqlite")
        let now = Date()
        let workspace = try Workspace.create(
            at: database, workspace: WorkspaceRecord(name: "Audit bench", businessName: "Bench Ltd", createdAt: now),
            users: [User(name: "Olive Owner", email: "owner@example.test", role: .owner, createdAt: now)])

        // Events shaped like the real ones: an email or `system`, an action, a target, a few ids.
        var started = Date()
        let actions = AuditAction.allCases.map(\.rawValue)
        let base0 = Int64(now.timeIntervalSince1970) - Int64(count)
        try workspace.dbPool.write { db in
            try AuditLog.appendBulk(db, count: count) { index in
                AuditLog.BulkEvent(at: base0 + Int64(index), actor: index % 7 == 0 ? "system" : "user\(index % 40)@kestrelhomeservices.co.uk",
                                   action: actions[index % actions.count], target: "call:\(100_000 + index)",
                                   details: "{\"recording_id\":\(index),\"retention_days\":30,\"user_id\":\(index % 40)}")
            }
        }
        try workspace.dbPool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        print("BENCH audit fixture: \(count) events appended with their chain in \(seconds(since: started)) s")

        // The exact bytes the chain hashes, one message per event, for sha256sum to read.
        let bytesFile = folder.appendingPathComponent("chain-bytes")
        FileManager.default.createFile(atPath: bytesFile.path, contents: nil)
        let handle = try FileHandle(forWritingTo: bytesFile)
        try workspace.dbPool.read { db in
            let rows = try Row.fetchCursor(db, sql: """
                SELECT seq || char(31) || at || char(31) || actor || char(31) || action || char(31) || target
                    || char(31) || details || char(31) || previous_hash FROM audit_events ORDER BY seq
                """)
            var buffer = Data()
            while let row = try rows.next() {
                buffer.append(contentsOf: (row[0] as String).utf8)
                if buffer.count > 1 << 20 { handle.write(buffer); buffer.removeAll(keepingCapacity: true) }
            }
            handle.write(buffer)
        }
        try handle.close()
        let bytes = (try FileManager.default.attributesOfItem(atPath: bytesFile.path)[.size] as? Int) ?? 0

        var runs: [Double] = []
        for _ in 0..<3 {
            started = Date()
            let outcome = try HandletBinary.run(["audit", "verify", "--db", database.path, "--json"])
            runs.append(Date().timeIntervalSince(started))
            XCTAssertEqual(outcome.status, 0, outcome.stderr)
            XCTAssertTrue(outcome.stdout.contains("\"events_checked\" : \(count + 1)"), outcome.stdout)
        }
        let best = runs.min()!
        print("BENCH audit verify: \(count + 1) events in \(String(format: "%.3f", best)) s (best of 3: "
              + runs.map { String(format: "%.3f", $0) }.joined(separator: ", ")
              + ") = \(Int(Double(count + 1) / best)) events/s, whole process")

        var sums: [Double] = []
        for _ in 0..<3 {
            started = Date()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
            process.arguments = [bytesFile.path]
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            sums.append(Date().timeIntervalSince(started))
        }
        print("BENCH audit sha256sum: the same \(bytes) bytes (\(bytes / (count + 1)) per event) as one stream in "
              + String(format: "%.3f", sums.min()!) + " s (best of 3)")
        XCTAssertGreaterThan(Double(count + 1) / best, 500_000, "issue 12: at least 500,000 events/s")
    }

    private func seconds(since start: Date) -> String { String(format: "%.1f", Date().timeIntervalSince(start)) }
}
