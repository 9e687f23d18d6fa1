import Foundation
import GRDB
import HandletDomain
import XCTest
import HandletTestSupport

/// Issue 11, Faults, as a user of the real binary sees them: another process writing, a damaged
/// file, a purge that could not delete everything.
final class WorkspaceFaultCLITests: XCTestCase {
    private var folder: URL!
    private var database: URL { folder.appendingPathComponent("workspace.sqlite") }

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-faults-\(UUID().uuidString)")
        try PurgeWorkspace.build(in: folder, layout: .init(due: 20, live: 10, held: 2, missingFiles: 0))
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    private func handlet(_ arguments: String...) throws -> HandletBinary.Outcome {
        try HandletBinary.run(arguments + ["--db", database.path], environment: ["HANDLET_USER": "owner@example.test"])
    }

    /// One line on standard error, `handlet: …`.
    private func assertOneLine(_ outcome: HandletBinary.Outcome, status: Int32, containing words: [String],
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(outcome.status, status, outcome.stderr, file: file, line: line)
        let lines = outcome.stderr.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
        XCTAssertEqual(lines.count, 1, outcome.stderr, file: file, line: line)
        for word in words { XCTAssertTrue(outcome.stderr.contains(word), "\(word) not in \(outcome.stderr)", file: file, line: line) }
        XCTAssertFalse(outcome.stderr.contains("SQLite error"), outcome.stderr, file: file, line: line)
    }

    /// The sqlite3 CLI in a child process, holding `BEGIN IMMEDIATE` until its input closes.
    func testReadsSucceedWhileAnotherProcessHoldsTheWriteLockAndChangesExit75() throws {
        let lock = try WriteLockHolder(database: database.path)
        defer { lock.release() }

        let info = try handlet("info")
        XCTAssertEqual(info.status, 0, info.stderr)
        XCTAssertTrue(info.stdout.contains("Purge test"), info.stdout)
        let calls = try handlet("calls", "list")
        XCTAssertEqual(calls.status, 0, calls.stderr)
        XCTAssertTrue(calls.stdout.contains("Caller asked") || calls.stdout.contains("in"), calls.stdout)
        XCTAssertEqual(try handlet("retention", "show").status, 0)
        let set = try handlet("retention", "set", "7", "--yes")
        assertOneLine(set, status: 75, containing: ["locked"])
        let purge = try handlet("purge")
        assertOneLine(purge, status: 75, containing: ["locked"])
    }

    /// Random bytes over a page inside the file (the root of `recordings`), and a file cut in half.
    func testADamagedFileGivesOneLineExit65AndIsNotWritten() throws {
        let pristine = try Data(contentsOf: database)
        try overwriteRootPage(of: "recordings")
        let corrupted = try Data(contentsOf: database)
        let words = ["is damaged", "PRAGMA integrity_check", ".recover"]
        assertOneLine(try handlet("calls", "list"), status: 65, containing: words)
        assertOneLine(try handlet("retention", "set", "7", "--yes"), status: 65, containing: words)
        assertOneLine(try handlet("purge"), status: 65, containing: words)
        XCTAssertEqual(try Data(contentsOf: database), corrupted, "a refused write changed the file")

        try pristine.prefix(pristine.count / 2).write(to: database)
        for arguments in [["info"], ["calls", "list"], ["retention", "set", "7", "--yes"]] {
            let outcome = try HandletBinary.run(arguments + ["--db", database.path], environment: ["HANDLET_USER": "owner@example.test"])
            assertOneLine(outcome, status: 65, containing: words)
            XCTAssertFalse(outcome.stderr.contains("not an SQLite database"), outcome.stderr)
        }
        XCTAssertEqual(try Data(contentsOf: database), pristine.prefix(pristine.count / 2))
    }

    private func overwriteRootPage(of table: String) throws {
        let queue = try DatabaseQueue(path: database.path)
        let (root, pageSize) = try queue.read { db in
            (try Int.fetchOne(db, sql: "SELECT rootpage FROM sqlite_master WHERE name = ?", arguments: [table])!,
             try Int.fetchOne(db, sql: "PRAGMA page_size")!)
        }
        try queue.close()
        let handle = try FileHandle(forUpdating: database)
        try handle.seek(toOffset: UInt64((root - 1) * pageSize))
        try handle.write(contentsOf: Data((0..<pageSize).map { _ in UInt8.random(in: 0...255) }))
        try handle.close()
    }

    /// Unsafe paths and a folder where a file should be: the summary, the exit status, the audit
    /// event and `retention show` all say what was not deleted; the rows stay stored.
    func testAPurgeThatSkipsRecordingsSaysSoAndExits65() throws {
        let audio = Workspace.audioDirectory(for: database)
        let queue = try DatabaseQueue(path: database.path)
        let due: [(Int64, String)] = try queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, file_path FROM recordings WHERE legal_hold = 0 AND expires_at <= strftime('%s','now') ORDER BY id
                """).map { ($0[0], $0[1]) }
        }
        try queue.write { db in
            try db.execute(sql: "UPDATE recordings SET file_path = '../outside.wav' WHERE id = ?", arguments: [due[0].0])
            try db.execute(sql: "UPDATE recordings SET file_path = ? WHERE id = ?", arguments: ["/etc/hostname", due[1].0])
        }
        try queue.close()
        let blocked = audio.appendingPathComponent(due[2].1)
        try FileManager.default.removeItem(at: blocked)
        try FileManager.default.createDirectory(at: blocked, withIntermediateDirectories: true)

        let purge = try handlet("purge")
        XCTAssertTrue(purge.stdout.contains("Purged \(due.count - 3) recordings"), purge.stdout)
        XCTAssertTrue(purge.stdout.contains("3 could not be deleted (2 unsafe paths, 1 not a file)"), purge.stdout)
        assertOneLine(purge, status: 65, containing: ["3 due recordings could not be deleted"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: "/etc/hostname"))

        let show = try handlet("retention", "show", "--json")
        XCTAssertEqual(show.status, 0, show.stderr)
        let overview = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((overview["due_now"] as? [String: Any])?["recordings"] as? Int, 3, "still stored, still due")
        let skipped = try XCTUnwrap((overview["last_purge"] as? [String: Any])?["skipped"] as? [String: Any])
        XCTAssertEqual(skipped["unsafe_paths"] as? Int, 2)
        XCTAssertEqual(skipped["not_files"] as? Int, 1)
        let text = try handlet("retention", "show")
        XCTAssertTrue(text.stdout.contains("3 could not be deleted"), text.stdout)

        // The next run retries them, and says so again.
        assertOneLine(try handlet("purge"), status: 65, containing: ["3 due recordings"])
    }
}
