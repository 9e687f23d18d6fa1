import Foundation
import GRDB
import XCTest
import HandletTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Issue 28, a killed demo: `handlet demo` SIGKILLed at random moments leaves, at the workspace's
/// names, a whole workspace or nothing, never audio that no row references; the next run clears
/// the temporary files a killed one left.
final class DemoKillTests: XCTestCase {
    private var folder: URL!
    private var database: URL { folder.appendingPathComponent("w.sqlite") }
    private var audio: URL { folder.appendingPathComponent("w-recordings") }
    private let arguments = ["demo", "--calls", "80", "--messages", "40", "--seed", "3"]

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-demo-kill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    /// Every regular file under `folder`, relative to it.
    private func files(under folder: URL) -> Set<String> {
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        var found: Set<String> = []
        while let name = walker.nextObject() as? String {
            var isFolder: ObjCBool = false
            // The marker saying a folder is being moved in or out is not audio.
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path, isDirectory: &isFolder), !isFolder.boolValue,
               !name.hasSuffix(".handlet-creating") {
                found.insert(name)
            }
        }
        return found
    }

    /// Audio files at the workspace's recordings folder that no row references (all of them when
    /// there is no workspace), and rows whose file is missing.
    private func orphans() throws -> (unreferenced: Int, missing: Int) {
        let present = files(under: audio)
        guard FileManager.default.fileExists(atPath: database.path) else { return (present.count, 0) }
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: database.path, configuration: configuration)
        defer { try? queue.close() }
        let check = try queue.read { db in try String.fetchOne(db, sql: "PRAGMA quick_check") }
        XCTAssertEqual(check, "ok")
        let referenced = Set(try queue.read { db in try String.fetchAll(db, sql: "SELECT file_path FROM recordings WHERE file_path IS NOT NULL") })
        return (present.subtracting(referenced).count, referenced.subtracting(present).count)
    }

    func testADemoKilledAtThirtyRandomMomentsLeavesNoAudioThatNoRowReferences() throws {
        let started = Date()
        let whole = try HandletBinary.run(arguments + ["--db", database.path])
        XCTAssertEqual(whole.status, 0, whole.stderr)
        let duration = Date().timeIntervalSince(started)
        XCTAssertEqual(try orphans().unreferenced, 0)
        XCTAssertGreaterThan(files(under: audio).count, 10)

        var unreferenced = 0, missing = 0, whileBuilding = 0
        var random = SystemRandomNumberGenerator()
        for trial in 0..<30 {
            let delay = Double.random(in: 0...(duration * 1.05), using: &random)
            let process = try HandletBinary.start(arguments + ["--replace", "--db", database.path])
            usleep(useconds_t(delay * 1_000_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            // Killed between moving the recordings and the database into place: the folder is
            // marked as not yet a workspace's, and the next run removes it (checked below).
            if !FileManager.default.fileExists(atPath: database.path),
               FileManager.default.fileExists(atPath: audio.appendingPathComponent(".handlet-creating").path) {
                whileBuilding += 1
                continue
            }
            let found = try orphans()
            if found.unreferenced + found.missing > 0 { print("trial \(trial) killed after \(delay) s: \(found)") }
            unreferenced += found.unreferenced
            missing += found.missing
        }
        XCTAssertEqual(unreferenced, 0, "audio files no row references, over 30 kills")
        XCTAssertEqual(missing, 0, "rows whose audio is missing, over 30 kills")
        print("30 kills of a \(String(format: "%.1f", duration)) s demo: \(unreferenced) unreferenced files, \(whileBuilding) between the renames")

        // The next run clears what the killed ones left, whatever their moment.
        let next = try HandletBinary.run(arguments + ["--replace", "--db", database.path])
        XCTAssertEqual(next.status, 0, next.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(), ["w-recordings", "w.sqlite"])
        XCTAssertEqual(try orphans().unreferenced, 0)
        XCTAssertEqual(try orphans().missing, 0)
    }

    /// Temporary files of a process that is gone (a made-up pid) are removed by the next creation;
    /// those of a live process (this test's own) are left alone.
    func testTheNextRunClearsWhatADeadProcessLeft() throws {
        let dead: Int32 = 4_000_000 // above pid_max: never alive
        let live = getpid()
        for pid in [dead, live] {
            try Data("half".utf8).write(to: folder.appendingPathComponent(".w.sqlite.creating-\(pid)"))
            try Data().write(to: folder.appendingPathComponent(".w.sqlite.creating-\(pid)-wal"))
            // The search's scratch database, which a demo killed while building it leaves.
            try Data("scratch".utf8).write(to: folder.appendingPathComponent(".w.sqlite.creating-\(pid)-search"))
            try Data().write(to: folder.appendingPathComponent(".w.sqlite.creating-\(pid)-search-journal"))
            let recordings = folder.appendingPathComponent(".w-recordings.creating-\(pid)/2026/01")
            try FileManager.default.createDirectory(at: recordings, withIntermediateDirectories: true)
            try Data("RIFF".utf8).write(to: recordings.appendingPathComponent("a.wav"))
        }
        let outcome = try HandletBinary.run(arguments + ["--db", database.path])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(),
                       [".w-recordings.creating-\(live)", ".w.sqlite.creating-\(live)", ".w.sqlite.creating-\(live)-search",
                        ".w.sqlite.creating-\(live)-search-journal", ".w.sqlite.creating-\(live)-wal", "w-recordings", "w.sqlite"])
        // `demo --replace` sweeps them too.
        try Data("scratch".utf8).write(to: folder.appendingPathComponent(".w.sqlite.creating-\(dead)-search"))
        let replaced = try HandletBinary.run(arguments + ["--replace", "--db", database.path])
        XCTAssertEqual(replaced.status, 0, replaced.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent(".w.sqlite.creating-\(dead)-search").path))
    }
}
