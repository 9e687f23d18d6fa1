import Foundation
import GRDB
@testable import HandletDomain
import XCTest
import HandletTestSupport

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

    /// `audit list` filtered by actor, by dates, and both, first page and deep (`--after`), at a
    /// million events: with the v8 indexes, and again on the same file without them (the scan).
    func testFilteredListsAtAMillionEvents() throws {
        let count = Int(ProcessInfo.processInfo.environment["HANDLET_BENCH_AUDIT"] ?? "") ?? 1_000_000
        let base = ProcessInfo.processInfo.environment["HANDLET_BENCH_DIR"] ?? FileManager.default.temporaryDirectory.path
        let folder = URL(fileURLWithPath: base).appendingPathComponent("audit-list-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("workspace.sqlite")
        let now = Date()
        let workspace = try Workspace.create(
            at: database, workspace: WorkspaceRecord(name: "Audit bench", businessName: "Bench Ltd", timeZone: "UTC", createdAt: now),
            users: [User(name: "Olive Owner", email: "owner@example.test", role: .owner, createdAt: now)])
        // One event a minute, oldest first, ending now: a million span almost two years.
        let actions = AuditAction.allCases.map(\.rawValue)
        let first = Int64(now.timeIntervalSince1970) - Int64(count) * 60
        var started = Date()
        try workspace.dbPool.write { db in
            try AuditLog.appendBulk(db, count: count) { index in
                AuditLog.BulkEvent(at: first + Int64(index) * 60,
                                   actor: index % 7 == 0 ? "system" : "user\(index % 40)@kestrelhomeservices.co.uk",
                                   action: actions[index % actions.count], target: "call:\(100_000 + index)",
                                   details: "{\"recording_id\":\(index),\"user_id\":\(index % 40)}")
            }
        }
        try workspace.dbPool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        print("BENCH audit list fixture: \(count) events in \(seconds(since: started)) s")
        let day = { (offset: Int64) -> String in
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "yyyy-MM-dd"
            return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(first + offset * 60)))
        }
        // An old day (the walk from the newest event would pass ~950k events), a range, an actor.
        let cases: [(String, [String])] = [
            ("--actor (1 in 40)", ["--actor", "USER7@kestrelhomeservices.co.uk"]),
            ("--actor, --after deep", ["--actor", "user7@kestrelhomeservices.co.uk", "--after", "\(count / 10)"]),
            ("--until an old day", ["--until", day(Int64(count / 20))]),
            ("--since/--until one old day", ["--since", day(Int64(count / 20)), "--until", day(Int64(count / 20))]),
            ("--since an old day, --after deep", ["--since", day(Int64(count / 20)), "--after", "\(count / 5)"]),
            ("--actor --since --until", ["--actor", "system", "--since", day(Int64(count / 10)), "--until", day(Int64(count / 2))]),
        ]
        func time(_ label: String) throws {
            for (name, arguments) in cases {
                var runs: [Double] = []
                var rows = 0
                for _ in 0..<3 {
                    started = Date()
                    let outcome = try HandletBinary.run(["audit", "list", "--json", "--limit", "50", "--db", database.path] + arguments,
                                                        environment: ["HANDLET_USER": "owner@example.test"])
                    runs.append(Date().timeIntervalSince(started))
                    XCTAssertEqual(outcome.status, 0, outcome.stderr)
                    rows = (try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [Any])?.count ?? -1
                }
                print("BENCH audit list \(label) \(name): \(rows) rows, best \(String(format: "%.0f", runs.min()! * 1000)) ms (runs "
                      + runs.map { String(format: "%.0f", $0 * 1000) }.joined(separator: ", ") + " ms, whole process)")
                XCTAssertEqual(rows, 50, name)
            }
        }
        try time("with the v8 indexes")
        try workspace.dbPool.writeWithoutTransaction { db in
            try db.execute(sql: "DROP INDEX audit_by_actor; DROP INDEX audit_by_time; DROP INDEX audit_by_actor_time; DROP INDEX audit_by_action_time")
        }
        try time("without them (v7)")
    }

    private func seconds(since start: Date) -> String { String(format: "%.1f", Date().timeIntervalSince(start)) }
}
