import Foundation
import GRDB
@testable import HandletDomain
import XCTest
import HandletTestSupport

/// Kills the real `handlet purge` with SIGKILL at random moments and checks that the workspace is
/// always consistent and that the next purge finishes the job. More trials:
/// `HANDLET_CRASH_TRIALS=500 scripts/crash-purge.sh`.
final class PurgeCrashTests: XCTestCase {
    static let layout = PurgeWorkspace.Layout(due: 3_000, live: 300)
    /// Recordings the purge must take: the due ones minus those on hold (the first `held` are due).
    static var expectedPurged: Int { layout.due - layout.held }

    func testSigkillAtRandomMomentsNeverLeavesOrphansOrDanglingRows() throws {
        let environment = ProcessInfo.processInfo.environment
        let trials = Int(environment["HANDLET_CRASH_TRIALS"] ?? "") ?? 20
        let seed = UInt64(environment["HANDLET_CRASH_SEED"] ?? "") ?? UInt64(Date().timeIntervalSince1970)
        print("PurgeCrashTests: \(trials) trials, seed \(seed) (HANDLET_CRASH_SEED to repeat)")
        var random = SplitMix(seed: seed)

        let root = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-crash-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let template = root.appendingPathComponent("template")
        try PurgeWorkspace.build(in: template, layout: Self.layout)

        // One uninterrupted run tells how long a purge takes, so kills land across its whole length.
        let timing = root.appendingPathComponent("timing")
        try Self.clone(template, to: timing)
        let started = Date()
        let full = try HandletBinary.run(["purge", "--db", timing.appendingPathComponent("workspace.sqlite").path, "--batch", "20"])
        let duration = Date().timeIntervalSince(started)
        XCTAssertEqual(full.status, 0, full.stderr)
        XCTAssertEqual(try Self.check(timing, finished: true).purged, Self.expectedPurged)
        print("PurgeCrashTests: an uninterrupted purge of \(Self.expectedPurged) took \(Int(duration * 1000)) ms")

        // Where each kill lands depends on the machine's load, so this test asserts only the
        // invariants; testSigkillAtEveryStatementOfChosenBatches hits every boundary by design.
        var interruptedMidRun = 0
        for trial in 0..<trials {
            let folder = root.appendingPathComponent("trial-\(trial)")
            try Self.clone(template, to: folder)
            let database = folder.appendingPathComponent("workspace.sqlite").path
            let process = try HandletBinary.start(["purge", "--db", database, "--batch", "20"])
            let delay = random.fraction() * duration * 1.1
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()

            let afterKill = try Self.check(folder, finished: false)
            if afterKill.purged > 0 && afterKill.purged < Self.expectedPurged { interruptedMidRun += 1 }
            let resumed = try HandletBinary.run(["purge", "--db", database])
            XCTAssertEqual(resumed.status, 0, "trial \(trial): \(resumed.stderr)")
            XCTAssertEqual(try Self.check(folder, finished: true).purged, Self.expectedPurged, "trial \(trial)")
            try FileManager.default.removeItem(at: folder)
        }
        print("PurgeCrashTests: \(interruptedMidRun) of \(trials) kills (seed \(seed)) landed after some batches of a running purge")
    }

    /// The purge's kill hook (HANDLET_TEST_PURGE_KILL=K:N) stops it with SIGKILL after N statements
    /// of batch K, for every N, in the first batch (which records the run), a middle one, the last
    /// (which meets the missing files) and the run's closing transaction. Each kill must leave the
    /// workspace consistent with batch K either wholly committed (N = all its statements) or not
    /// at all (any smaller N), and the next purge must finish the job.
    func testSigkillAtEveryStatementOfChosenBatches() throws {
        let layout = PurgeWorkspace.Layout(due: 105, live: 10)   // 100 purgeable: 5 batches of 20
        let batchSize = 20
        let purgeable = layout.due - layout.held
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-crash-hook-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let template = root.appendingPathComponent("template")
        try PurgeWorkspace.build(in: template, layout: layout)
        let batches = (purgeable + batchSize - 1) / batchSize

        var boundaries = 0
        for batch in [0, 2, batches - 1, batches] {
            var statements = 0
            var committedAt: [Int] = []
            while true {
                let folder = root.appendingPathComponent("b\(batch)-n\(statements)")
                try Self.clone(template, to: folder)
                let database = folder.appendingPathComponent("workspace.sqlite").path
                let run = try HandletBinary.run(["purge", "--db", database, "--batch", String(batchSize)],
                                                environment: ["HANDLET_TEST_PURGE_KILL": "\(batch):\(statements)"], timeout: 60)
                let label = "kill after \(statements) statements of batch \(batch)"
                if run.reason == .exit {
                    // Past the batch's last statement: the hook never fired and the run finished.
                    XCTAssertEqual(run.status, 0, "\(label): \(run.stderr)")
                    XCTAssertEqual(try layoutCheck(folder, finished: true, layout: layout).purged, purgeable, label)
                    try FileManager.default.removeItem(at: folder)
                    break
                }
                XCTAssertTrue(run.killed, "\(label): ended by \(run.reason) \(run.status), not SIGKILL")
                boundaries += 1
                let afterKill = try layoutCheck(folder, finished: false, layout: layout)
                let before = min(purgeable, batch * batchSize), after = min(purgeable, (batch + 1) * batchSize)
                if afterKill.purged == after && after != before { committedAt.append(statements) }
                XCTAssertTrue(afterKill.purged == before || afterKill.purged == after,
                              "\(label): \(afterKill.purged) purged, a batch is all or nothing (\(before) or \(after))")
                if batch == batches {
                    // The closing transaction: every batch is in; only the audit event and journal remain.
                    XCTAssertEqual(afterKill.purged, purgeable, label)
                }
                let resumed = try HandletBinary.run(["purge", "--db", database], timeout: 60)
                XCTAssertEqual(resumed.status, 0, "\(label), resumed: \(resumed.stderr)")
                XCTAssertEqual(try layoutCheck(folder, finished: true, layout: layout).purged, purgeable, "\(label), resumed")
                try FileManager.default.removeItem(at: folder)
                statements += 1
                if statements > 50 { return XCTFail("batch \(batch): the hook still fired after 50 statements") }
            }
            XCTAssertGreaterThanOrEqual(statements, 4, "batch \(batch) ran \(statements) statements: the hook counted too few")
            if batch < batches {
                // Only the kill after the last statement (COMMIT) finds the batch committed.
                XCTAssertEqual(committedAt, [statements - 1], "batch \(batch): kills that found it committed")
            }
        }
        print("PurgeCrashTests: \(boundaries) chosen kill points, every one consistent and resumed")
    }

    private func layoutCheck(_ folder: URL, finished: Bool, layout: PurgeWorkspace.Layout) throws -> (purged: Int, journal: Int) {
        try Self.check(folder, finished: finished, layout: layout)
    }

    /// A copy of the workspace whose audio files are hard links: creating thousands of files per
    /// trial costs seconds on this filesystem, and the purge unlinks only the copy's names.
    static func clone(_ template: URL, to folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let database = "workspace.sqlite"
        try FileManager.default.copyItem(at: template.appendingPathComponent(database),
                                         to: folder.appendingPathComponent(database))
        let link = try ChildProcess.run(URL(fileURLWithPath: "/bin/cp"), [
            "-al", template.appendingPathComponent("workspace-recordings").path,
            folder.appendingPathComponent("workspace-recordings").path])
        guard link.status == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    /// The invariants: integrity ok; no row points at a missing file; every file on disk is
    /// referenced by a recording or listed in the purge journal (a file a killed run committed to
    /// deleting, which the next run deletes first). Finished: no journal, no run in progress,
    /// nothing due, files exactly those of live rows, and the audit chain counts every purge.
    @discardableResult
    static func check(_ folder: URL, finished: Bool, layout: PurgeWorkspace.Layout = PurgeCrashTests.layout) throws -> (purged: Int, journal: Int) {
        let database = folder.appendingPathComponent("workspace.sqlite")
        let audio = Workspace.audioDirectory(for: database)
        let queue = try DatabaseQueue(path: database.path)
        defer { try? queue.close() }
        return try queue.read { db in
            XCTAssertEqual(try String.fetchAll(db, sql: "PRAGMA integrity_check"), ["ok"])
            let live = Set(try String.fetchAll(db, sql: "SELECT file_path FROM recordings WHERE file_path IS NOT NULL"))
            let journal = Set(try String.fetchAll(db, sql: "SELECT file_path FROM purge_journal"))
            let onDisk = try filesUnder(audio)
            let dangling = live.subtracting(onDisk)
            // The fixture's deliberately removed files are the only rows allowed to dangle, and
            // only until the purge takes them.
            let missingByDesign = try Set(String.fetchAll(db, sql: """
                SELECT file_path FROM recordings WHERE file_path IS NOT NULL AND legal_hold = 0
                AND expires_at <= strftime('%s', 'now')
                """)).subtracting(onDisk)
            XCTAssertEqual(dangling, missingByDesign, "rows pointing at missing files")
            XCTAssertLessThanOrEqual(missingByDesign.count, layout.missingFiles)
            XCTAssertEqual(onDisk.subtracting(live).subtracting(journal), [], "orphan files")
            let purged = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM recordings WHERE purged_at IS NOT NULL")!
            let callsMarked = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM calls WHERE recording_state = 'purged'")!
            XCTAssertEqual(callsMarked, purged, "each purged recording's call says so, in the same transaction")
            if finished {
                XCTAssertEqual(journal, [])
                XCTAssertEqual(onDisk, live)
                XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM purge_run"), 0)
                let audited = try String.fetchAll(db, sql: "SELECT details FROM audit_events WHERE action = ?",
                                                  arguments: [AuditAction.purgeRun.rawValue]).reduce(0) { sum, details in
                    let values = try JSONDecoder().decode([String: AuditValue].self, from: Data(details.utf8))
                    guard case .int(let count)? = values["purged"] else { return sum }
                    return sum + Int(count)
                }
                XCTAssertEqual(audited, purged, "audit events account for every purged recording")
                XCTAssertNil(try AuditLog.verify(db))
                XCTAssertEqual(live.count, layout.live + layout.held)
            }
            return (purged, journal.count)
        }
    }

    static func filesUnder(_ folder: URL) throws -> Set<String> {
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        var files: Set<String> = []
        while let relative = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder.path + "/" + relative, isDirectory: &isDirectory),
               !isDirectory.boolValue {
                files.insert(relative)
            }
        }
        return files
    }
}

/// A small seeded generator, so a failing trial can be repeated with its seed.
struct SplitMix {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func fraction() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
