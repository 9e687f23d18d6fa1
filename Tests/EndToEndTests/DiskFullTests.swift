import Foundation
import GRDB
import XCTest
import HandletTestSupport

/// Issue 28, a full disk, on a small tmpfs (root only; skipped elsewhere): a change that fails for
/// space says so in one line with 73 and writes nothing; the purge, which frees space, still runs
/// on a disk filled to the last byte; a demo and an import that fill the disk leave nothing; a
/// record import that fills it part-way keeps whole batches and no file that no row names.
final class DiskFullTests: XCTestCase {
    private var folder: URL!
    private var disk: URL { folder.appendingPathComponent("disk") }
    private var mounted = false
    private let owner = "owner@kestrelhomeservices.co.uk"

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-full-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: disk, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if mounted { _ = try? run("/bin/umount", [disk.path]) }
        try? FileManager.default.removeItem(at: folder)
    }

    @discardableResult
    private func run(_ tool: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    private func mountDisk(kilobytes: Int) throws {
        guard getuid() == 0, FileManager.default.fileExists(atPath: "/bin/mount"),
              try run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(kilobytes)k", "tmpfs", disk.path]) == 0 else {
            throw XCTSkip("mounting a tmpfs needs root")
        }
        mounted = true
    }

    /// Fills the disk to its last byte.
    private func fill() throws {
        let filler = disk.appendingPathComponent("filler")
        XCTAssertTrue(FileManager.default.createFile(atPath: filler.path, contents: nil))
        let handle = try FileHandle(forWritingTo: filler)
        let block = Data(count: 4096)
        while (try? handle.write(contentsOf: block)) != nil {}
        try? handle.close()
        var volume = statvfs()
        XCTAssertEqual(statvfs(disk.path, &volume), 0)
        XCTAssertEqual(volume.f_bavail, 0, "the disk is full")
    }

    private func handlet(_ arguments: [String], db: URL) throws -> HandletBinary.Outcome {
        try HandletBinary.run(arguments + ["--db", db.path], environment: ["HANDLET_USER": owner], timeout: 120)
    }

    private func assertDiskFull(_ outcome: HandletBinary.Outcome, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(outcome.status, 73, outcome.stderr, file: file, line: line)
        XCTAssertEqual(outcome.stderr.split(separator: "\n").count, 1, outcome.stderr, file: file, line: line)
        XCTAssertTrue(outcome.stderr.contains("is full"), outcome.stderr, file: file, line: line)
        XCTAssertFalse(outcome.stderr.contains("SQLite error"), outcome.stderr, file: file, line: line)
    }

    func testThePurgeRunsOnAFullDiskAndOtherChangesSayItIsFull() throws {
        let source = folder.appendingPathComponent("source/w.sqlite")
        try FileManager.default.createDirectory(at: source.deletingLastPathComponent(), withIntermediateDirectories: true)
        XCTAssertEqual(try handlet(["demo", "--calls", "300", "--messages", "60"], db: source).status, 0)
        // A purge on the roomy disk leaves the space reserve; then many recordings become due.
        XCTAssertEqual(try handlet(["purge"], db: source).status, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: source.path + "-reserve"))
        XCTAssertEqual(try handlet(["retention", "set", "3", "--yes"], db: source).status, 0)

        // Room for the copy: the demo's recordings are as long as their calls (issue 27), ~10 MB here.
        try mountDisk(kilobytes: 16_384)
        try run("/bin/cp", ["-a", source.deletingLastPathComponent().path + "/.", disk.path])
        let database = disk.appendingPathComponent("w.sqlite")
        try fill()
        let before = try Data(contentsOf: database)

        assertDiskFull(try handlet(["retention", "set", "10", "--yes"], db: database))
        assertDiskFull(try handlet(["users", "add", "new@example.test", "--name", "New", "--role", "viewer"], db: database))
        XCTAssertEqual(try Data(contentsOf: database), before, "a change refused for space wrote nothing")

        let purge = try handlet(["purge"], db: database)
        XCTAssertEqual(purge.status, 0, purge.stderr)
        let show = try handlet(["retention", "show", "--json"], db: database)
        let overview = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((overview["due_now"] as? [String: Any])?["recordings"] as? Int, 0, show.stdout)
        let verify = try handlet(["audit", "verify"], db: database)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        let queue = try DatabaseQueue(path: database.path)
        XCTAssertEqual(try queue.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }, "ok")
        try queue.close()
    }

    func testADemoAndAnImportThatFillTheDiskLeaveNothingHalfWritten() throws {
        // Room for an empty workspace's migrations (their -wal peaks over 2 MiB) and not for the demo.
        try mountDisk(kilobytes: 3072)
        let database = disk.appendingPathComponent("w.sqlite")
        assertDiskFull(try handlet(["demo", "--calls", "2000", "--messages", "500"], db: database))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: disk.path), [], "nothing left of the demo")

        XCTAssertEqual(try handlet(["init", "--name", "Small Ltd", "--owner", "owner@kestrelhomeservices.co.uk"], db: database).status, 0)
        let notices = folder.appendingPathComponent("notices")
        try FileManager.default.createDirectory(at: notices, withIntermediateDirectories: true)
        let body = String(repeating: "A long clause of the agreement. ", count: 12_000)
        try Data("---\nid: big\nkind: policy_update\ntitle: Big\nversion: 1\neffective: 2026-01-01\nneeds-acknowledgement: no\n---\n\(body)\n".utf8)
            .write(to: notices.appendingPathComponent("big.md"))
        try fill()
        assertDiskFull(try handlet(["notices", "import", notices.path], db: database))
        let list = try handlet(["notices", "list", "--json"], db: database)
        XCTAssertEqual(list.status, 0, list.stderr)
        XCTAssertFalse(list.stdout.contains("\"big\""), list.stdout)
    }

    /// `handlet import` copying a demo's recordings onto a disk that fills part-way through: one
    /// line and 73 in our words; the batches stored before stay whole (integrity, the audit chain),
    /// and no recording file is left that no row names, nor a row whose file is missing.
    func testARecordImportThatFillsTheDiskPartWayKeepsWholeBatches() throws {
        let source = folder.appendingPathComponent("source")
        try FileManager.default.createDirectory(at: source, withIntermediateDirectories: true)
        let demo = source.appendingPathComponent("demo.sqlite")
        XCTAssertEqual(try handlet(["demo", "--calls", "300", "--messages", "60"], db: demo).status, 0)
        let export = source.appendingPathComponent("all.jsonl")
        let exported = try handlet(["export", "jsonl", export.path], db: demo)
        XCTAssertEqual(exported.status, 0, exported.stderr)

        // The demo's audio is ~10 MB: a 4 MB disk fills while the import copies it.
        try mountDisk(kilobytes: 4096)
        let database = disk.appendingPathComponent("w.sqlite")
        XCTAssertEqual(try handlet(["init", "--name", "Small Ltd", "--owner", owner], db: database).status, 0)
        let imported = try handlet(["import", "jsonl", export.path, "--batch", "20"], db: database)
        assertDiskFull(imported)

        let queue = try DatabaseQueue(path: database.path)
        let (check, stored, calls) = try queue.read { db in
            (try String.fetchOne(db, sql: "PRAGMA integrity_check"),
             Set(try String.fetchAll(db, sql: "SELECT file_path FROM recordings WHERE file_path IS NOT NULL")),
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM calls") ?? 0)
        }
        try queue.close()
        XCTAssertEqual(check, "ok")
        XCTAssertGreaterThan(calls, 0, "the batches before the disk filled were kept")
        let audio = disk.appendingPathComponent("w-recordings")
        var files: Set<String> = []
        if let walker = FileManager.default.enumerator(atPath: audio.path) {
            while let name = walker.nextObject() as? String {
                var isFolder: ObjCBool = false
                if FileManager.default.fileExists(atPath: audio.appendingPathComponent(name).path, isDirectory: &isFolder),
                   !isFolder.boolValue { files.insert(name) }
            }
        }
        XCTAssertEqual(files.subtracting(stored), [], "files no row names (a half-copied one included)")
        XCTAssertEqual(stored.subtracting(files), [], "rows whose file is missing")
        let verify = try handlet(["audit", "verify"], db: database)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
    }
}
