import Foundation
import GRDB
@testable import HandletDomain
import XCTest
import HandletTestSupport

/// Signals and kills that reach a purge the CLI or the console is running: SIGINT/SIGTERM stop
/// `handlet purge` cleanly after the batch in progress (exit 1); SIGKILL (through the purge's
/// kill hook, at a chosen statement) during `retention disable --delete-now` leaves the workspace
/// consistent and the next purge finishes the job.
final class PurgeSignalTests: XCTestCase {
    private var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-purge-signal-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: root) }

    private func purged(_ database: String) throws -> Int {
        // Waits as handlet's own readers do (busy_timeout): the purge's checkpoints briefly hold the
        // -wal's index, and a reader that never waits is refused at that moment.
        let queue = try DatabaseQueue(path: database, configuration: {
            var c = Configuration(); c.readonly = true; c.busyMode = .timeout(5); return c
        }())
        defer { try? queue.close() }
        return try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM recordings WHERE purged_at IS NOT NULL")! }
    }

    func testSigintAndSigtermStopAfterTheBatchWithExitOne() throws {
        let layout = PurgeWorkspace.Layout(due: 1_505, live: 10)
        let template = root.appendingPathComponent("template")
        try PurgeWorkspace.build(in: template, layout: layout)
        let purgeable = layout.due - layout.held
        for signal in [SIGINT, SIGTERM] {
            let folder = root.appendingPathComponent("signal-\(signal)")
            try PurgeCrashTests.clone(template, to: folder)
            let database = folder.appendingPathComponent("workspace.sqlite").path
            // One recording per batch: a run of 1,500 transactions, long enough to signal mid-way.
            let arguments = ["purge", "--db", database, "--batch", "1"]
            let process = try HandletBinary.start(arguments)
            defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
            let deadline = Date().addingTimeInterval(30)
            while try purged(database) < 5 {
                XCTAssertTrue(process.isRunning, "the purge ended before it could be signalled")
                if !process.isRunning { return }
                if Date() >= deadline { return XCTFail("no batch committed within 30 s") }
                usleep(5_000)
            }
            kill(process.processIdentifier, signal)
            try HandletBinary.wait(for: process, arguments: arguments, timeout: 30)
            XCTAssertEqual(process.terminationReason, .exit, "signal \(signal) is handled, not fatal")
            XCTAssertEqual(process.terminationStatus, 1, "signal \(signal): a stopped purge exits 1")

            let stopped = try PurgeCrashTests.check(folder, finished: false, layout: layout)
            XCTAssertGreaterThan(stopped.purged, 0, "signal \(signal)")
            XCTAssertLessThan(stopped.purged, purgeable, "signal \(signal): stopped before the end")
            let queue = try DatabaseQueue(path: database)
            let (runs, cancelled) = try queue.read { db in
                (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM purge_run")!,
                 try String.fetchAll(db, sql: "SELECT details FROM audit_events WHERE action = ?", arguments: [AuditAction.purgeRun.rawValue]))
            }
            try queue.close()
            XCTAssertEqual(runs, 0, "a clean stop closes its run (nothing to resume)")
            XCTAssertEqual(cancelled.count, 1)
            XCTAssertTrue(cancelled.first?.contains("\"cancelled\":true") == true, cancelled.first ?? "")
            XCTAssertTrue(cancelled.first?.contains("\"purged\":\(stopped.purged)") == true, "the event counts what was done: \(cancelled)")

            let resumed = try HandletBinary.run(["purge", "--db", database])
            XCTAssertEqual(resumed.status, 0, resumed.stderr)
            XCTAssertEqual(try PurgeCrashTests.check(folder, finished: true, layout: layout).purged, purgeable, "signal \(signal), resumed")
        }
    }

    /// The same stop, seen as a person sees it: the one line the command prints.
    func testAStoppedPurgeSaysSoInOneLine() throws {
        let layout = PurgeWorkspace.Layout(due: 805, live: 0)
        let folder = root.appendingPathComponent("line")
        try PurgeWorkspace.build(in: folder, layout: layout)
        let database = folder.appendingPathComponent("workspace.sqlite").path
        let errors = folder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        let handle = try FileHandle(forWritingTo: errors)
        let process = try HandletBinary.start(["purge", "--db", database, "--batch", "1"], stderr: handle)
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        let deadline = Date().addingTimeInterval(30)
        while try purged(database) < 3 {
            if !process.isRunning || Date() >= deadline { return XCTFail("the purge ended or stalled before it could be signalled") }
            usleep(5_000)
        }
        kill(process.processIdentifier, SIGTERM)
        try HandletBinary.wait(for: process, arguments: ["purge"], timeout: 30)
        try handle.close()
        XCTAssertEqual(process.terminationStatus, 1)
        XCTAssertEqual(try String(contentsOf: errors, encoding: .utf8), "handlet: Stopped on request; run `handlet purge` again to finish.\n")
    }

    /// `retention disable --delete-now --yes` marks every stored recording for deletion and purges
    /// at once; killed at chosen statements of its purge's batches (the kill hook), the workspace
    /// stays consistent, recording stays off, and `handlet purge` then deletes the rest.
    func testSigkillDuringRetentionDisableDeleteNow() throws {
        let layout = PurgeWorkspace.Layout(due: 5, live: 45, held: 2, missingFiles: 0)
        let template = root.appendingPathComponent("template")
        try PurgeWorkspace.build(in: template, layout: layout)
        var kills = 0
        for point in ["0:0", "0:3", "0:6", "0:9", "1:0"] {
            let folder = root.appendingPathComponent("disable-\(point)")
            try PurgeCrashTests.clone(template, to: folder)
            let database = folder.appendingPathComponent("workspace.sqlite").path
            let run = try HandletBinary.run(["retention", "disable", "--delete-now", "--yes", "--db", database, "--user", "owner@example.test"],
                                            environment: ["HANDLET_TEST_PURGE_KILL": point])
            guard run.killed else {
                XCTAssertEqual(run.status, 0, "\(point): \(run.stderr)")
                continue
            }
            kills += 1
            let queue = try DatabaseQueue(path: database)
            let (enabled, stored, integrity) = try queue.read { db in
                (try Bool.fetchOne(db, sql: "SELECT recording_enabled FROM workspace WHERE id = 1")!,
                 try Set(String.fetchAll(db, sql: "SELECT file_path FROM recordings WHERE file_path IS NOT NULL")),
                 try String.fetchAll(db, sql: "PRAGMA integrity_check"))
            }
            try queue.close()
            XCTAssertEqual(integrity, ["ok"], point)
            XCTAssertFalse(enabled, "\(point): recording was turned off before the purge began")
            let onDisk = try PurgeCrashTests.filesUnder(folder.appendingPathComponent("workspace-recordings"))
            XCTAssertEqual(stored.subtracting(onDisk), [], "\(point): no row points at a missing file")
            let resumed = try HandletBinary.run(["purge", "--db", database])
            XCTAssertEqual(resumed.status, 0, "\(point): \(resumed.stderr)")
            let left = try PurgeCrashTests.filesUnder(folder.appendingPathComponent("workspace-recordings"))
            XCTAssertEqual(left.count, layout.held, "\(point): only the held recordings keep their audio")
        }
        XCTAssertGreaterThanOrEqual(kills, 4, "the hook fired inside the delete-now purge")
    }
}
