import Foundation
import GRDB
import HandletDomain
import XCTest
import HandletTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Issue 28, files that are not workspaces, as the real binary meets them: other members of each
/// class than the examples (a socket and a device rather than a FIFO, a foreign database
/// with data, a link to a missing folder, a loop, a read-only copy, a 1 GB notice file).
final class WorkspaceEdgeCLITests: XCTestCase {
    private var folder: URL!
    private var database: URL { folder.appendingPathComponent("workspace.sqlite") }

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-edges-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        _ = chmod(folder.path, 0o755)
        try? FileManager.default.removeItem(at: folder)
    }

    private func handlet(_ arguments: [String], db: String? = nil, environment: [String: String] = [:]) throws -> HandletBinary.Outcome {
        try HandletBinary.run(arguments + ["--db", db ?? database.path],
                              environment: ["HANDLET_USER": "owner@example.test"].merging(environment) { $1 }, timeout: 30)
    }

    private func assertOneLine(_ outcome: HandletBinary.Outcome, status: Int32, containing words: [String],
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(outcome.status, status, outcome.stderr, file: file, line: line)
        let lines = outcome.stderr.split(separator: "\n").filter { !$0.isEmpty }
        XCTAssertEqual(lines.count, 1, outcome.stderr, file: file, line: line)
        for word in words { XCTAssertTrue(outcome.stderr.contains(word), "\(word) not in \(outcome.stderr)", file: file, line: line) }
        XCTAssertFalse(outcome.stderr.contains("SQLite error"), outcome.stderr, file: file, line: line)
    }

    private func makeSocket(at path: String) throws -> Int32 {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(descriptor, 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        XCTAssertEqual(bound, 0, String(cString: strerror(errno)))
        return descriptor
    }

    /// A FIFO (the example), a socket and a character device as `--db`: every command, the
    /// console included, refuses at once with one line and 66 (a FIFO is never opened, so nothing
    /// blocks on it); nothing is created beside them.
    func testAFIFOASocketAndADeviceAreRefusedBeforeAnythingOpensThem() throws {
        let socketPath = folder.appendingPathComponent("w.sqlite").path
        let descriptor = try makeSocket(at: socketPath)
        defer { close(descriptor) }
        let fifoPath = folder.appendingPathComponent("f.sqlite").path
        XCTAssertEqual(mkfifo(fifoPath, 0o644), 0)
        for arguments in [["info"], ["calls", "list"], ["retention", "set", "7", "--yes"], ["console"], ["demo", "--replace", "--calls", "1", "--messages", "1"]] {
            for (path, kind) in [(socketPath, "is a socket"), (fifoPath, "is a FIFO")] {
                let started = Date()
                assertOneLine(try handlet(arguments, db: path), status: 66, containing: [kind, "not a workspace file"])
                XCTAssertLessThan(Date().timeIntervalSince(started), 15)
            }
        }
        for arguments in [["calls", "list"], ["users", "add", "x@example.test", "--name", "X", "--role", "viewer"]] {
            assertOneLine(try handlet(arguments, db: "/dev/zero"), status: 66, containing: ["is a character device"])
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(), ["f.sqlite", "w.sqlite"])
    }

    /// Another application's database, with rows: refused before anything is written, in the
    /// same words for reads and changes (no invitation to "run a changing command").
    func testAForeignDatabaseWithDataIsRefusedAndLeftByteForByte() throws {
        let queue = try DatabaseQueue(path: database.path)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE bookmarks (id INTEGER PRIMARY KEY, url TEXT, title TEXT)")
            try db.execute(sql: "CREATE TABLE tags (name TEXT)")
            for index in 0..<200 {
                try db.execute(sql: "INSERT INTO bookmarks (url, title) VALUES (?, ?)", arguments: ["https://example.test/\(index)", "page \(index)"])
            }
        }
        try queue.close()
        let before = try Data(contentsOf: database)
        for arguments in [["info"], ["calls", "list"], ["retention", "set", "7", "--yes"], ["console"], ["purge"]] {
            let outcome = try handlet(arguments)
            assertOneLine(outcome, status: 65, containing: ["another application's SQLite database", "2 tables", "leaves it unchanged"])
            XCTAssertFalse(outcome.stderr.contains("changing command"), outcome.stderr)
        }
        XCTAssertEqual(try Data(contentsOf: database), before)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["workspace.sqlite"])
    }

    /// A workspace path that is a link into a folder that is not there (a drive not mounted), or
    /// a loop: `demo`, `init` and the first-run console refuse and the links stay as they were.
    func testALinkToAMissingFolderOrALoopIsNeverReplaced() throws {
        let link = folder.appendingPathComponent("w.sqlite").path
        let target = folder.appendingPathComponent("unmounted/handlet/w.sqlite").path
        XCTAssertEqual(symlink(target, link), 0)
        for arguments in [["demo", "--calls", "1", "--messages", "1"], ["init", "--name", "Biz", "--owner", "o@example.test"],
                          ["calls", "list"]] {
            assertOneLine(try handlet(arguments, db: link), status: 66, containing: ["symbolic link", "does not exist"])
            XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link), target)
        }
        let loopA = folder.appendingPathComponent("a.sqlite").path, loopB = folder.appendingPathComponent("b.sqlite").path
        XCTAssertEqual(symlink(loopB, loopA), 0)
        XCTAssertEqual(symlink(loopA, loopB), 0)
        assertOneLine(try handlet(["demo", "--replace", "--calls", "1", "--messages", "1"], db: loopA), status: 66, containing: ["loop"])
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: loopA), loopB)

        // The first-run console: $XDG_DATA_HOME/handlet is a link to a missing folder.
        let data = folder.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        XCTAssertEqual(symlink("/nonexistent-drive/handlet", data.appendingPathComponent("handlet").path), 0)
        let console = try HandletBinary.run([], environment: ["XDG_DATA_HOME": data.path], timeout: 30)
        assertOneLine(console, status: 66, containing: ["symbolic link", "/nonexistent-drive/handlet"])
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: data.appendingPathComponent("handlet").path),
                       "/nonexistent-drive/handlet")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(),
                       ["a.sqlite", "b.sqlite", "data", "w.sqlite"])
    }

    /// An auditor's copy: file and folder read-only. Listings and `info` work; changes refuse with
    /// 73 and say why; nothing is written (no -shm, no -wal appears).
    func testAReadOnlyCopyCanBeReadAndRefusesChanges() throws {
        try PurgeWorkspace.build(in: folder, layout: .init(due: 3, live: 3, held: 0, missingFiles: 0))
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database.path + suffix) }
        XCTAssertEqual(chmod(database.path, 0o444), 0)
        XCTAssertEqual(chmod(folder.path, 0o555), 0)
        let before = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        let bytes = try Data(contentsOf: database)
        for arguments in [["info"], ["calls", "list"], ["retention", "show"], ["audit", "list"]] {
            let outcome = try handlet(arguments)
            XCTAssertEqual(outcome.status, 0, "\(arguments): \(outcome.stderr)")
            XCTAssertTrue(outcome.stderr.isEmpty, outcome.stderr)
        }
        for arguments in [["retention", "set", "7", "--yes"], ["purge"], ["users", "add", "n@example.test", "--name", "N", "--role", "viewer"]] {
            assertOneLine(try handlet(arguments), status: 73, containing: ["can only be read", "the file is read-only"])
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(), before)
        XCTAssertEqual(try Data(contentsOf: database), bytes)
    }

    /// A notice folder with a 1 GB sparse file, a link to a file outside it, a socket, a FIFO and
    /// one good notice: the good one is imported, the others are refused by name without being
    /// read (quickly, and without blocking on the FIFO).
    func testNoticeImportLooksBeforeItReadsAndStaysInTheFolder() throws {
        _ = try Workspace.create(at: database, NewWorkspace(businessName: "Edges Ltd", ownerEmail: "owner@example.test"))
        let notices = folder.appendingPathComponent("notices")
        try FileManager.default.createDirectory(at: notices, withIntermediateDirectories: true)
        let outside = folder.appendingPathComponent("secret.txt")
        try Data("---\nid: secret\n".utf8).write(to: outside)
        XCTAssertEqual(symlink(outside.path, notices.appendingPathComponent("b-link.md").path), 0)
        let big = notices.appendingPathComponent("a-big.md").path
        XCTAssertTrue(FileManager.default.createFile(atPath: big, contents: nil))
        XCTAssertEqual(truncate(big, 1 << 30), 0)
        XCTAssertEqual(mkfifo(notices.appendingPathComponent("c-fifo.md").path, 0o644), 0)
        let descriptor = try makeSocket(at: notices.appendingPathComponent("d-socket.md").path)
        defer { close(descriptor) }
        try Data("""
            ---
            id: good
            kind: policy_update
            title: Good
            version: 1
            effective: 2026-01-01
            needs-acknowledgement: no
            ---
            Text.
            """.utf8).write(to: notices.appendingPathComponent("e-good.md"))
        let started = Date()
        let outcome = try HandletBinary.run(["notices", "import", notices.path, "--db", database.path],
                                            environment: ["HANDLET_USER": "owner@example.test"], timeout: 30)
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
        XCTAssertEqual(outcome.status, 65, outcome.stderr)
        let all = outcome.stdout + outcome.stderr
        XCTAssertTrue(all.contains("Imported e-good.md"), all)
        XCTAssertTrue(all.contains("a-big.md:1: the file is larger than 512 KiB; not read"), all)
        XCTAssertTrue(all.contains("b-link.md:1: a symbolic link out of the folder; not read"), all)
        XCTAssertTrue(all.contains("c-fifo.md:1: not a regular file; not read"), all)
        XCTAssertTrue(all.contains("d-socket.md:1: not a regular file; not read"), all)
        XCTAssertFalse(all.contains("secret"), all)
    }
}
