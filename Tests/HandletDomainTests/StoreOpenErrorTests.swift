import Foundation
import GRDB
@testable import HandletDomain
import XCTest

/// Each bad workspace gets its own clear error, and opening it writes nothing.
final class StoreOpenErrorTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws { folder = try StoreTestFolder.make() }
    override func tearDownWithError() throws {
        try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
        try? FileManager.default.removeItem(at: folder)
    }

    private func makeWorkspace(_ name: String = "w.sqlite") throws -> URL {
        let url = folder.appendingPathComponent(name)
        let workspace = try Workspace.create(
            at: url, workspace: WorkspaceRecord(name: "T", businessName: "T Ltd", createdAt: StoreTestFolder.anchor), users: [])
        try workspace.dbPool.close()
        return url
    }

    private func listing() throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            let url = folder.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
            files[name] = isDirectory.boolValue ? Data() : try Data(contentsOf: url)
        }
        return files
    }

    func testMissingFolder() throws {
        let url = folder.appendingPathComponent("nope/w.sqlite")
        XCTAssertThrowsError(try Workspace.open(at: url)) { error in
            XCTAssertEqual(error as? WorkspaceError, .missingFolder(folder.appendingPathComponent("nope").path))
            XCTAssertTrue(String(describing: error).contains("does not exist"))
        }
        XCTAssertThrowsError(try Workspace.create(at: url, workspace: WorkspaceRecord(name: "T", businessName: "T", createdAt: Date()), users: []))
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("nope").path))
    }

    func testNoWorkspaceYet() {
        let url = folder.appendingPathComponent("w.sqlite")
        XCTAssertThrowsError(try Workspace.open(at: url)) { error in
            XCTAssertEqual(error as? WorkspaceError, .noWorkspace(url.path))
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [])
    }

    func testNotSQLite() throws {
        let url = folder.appendingPathComponent("w.sqlite")
        try Data("name,phone\nAlice,+447700900001\n".utf8).write(to: url)
        let before = try listing()
        XCTAssertThrowsError(try Workspace.open(at: url)) { error in
            XCTAssertEqual(error as? WorkspaceError, .notADatabase(url.path))
        }
        XCTAssertEqual(try listing(), before)
    }

    func testEmptyFileIsNotAdoptedAsAWorkspace() throws {
        let url = folder.appendingPathComponent("w.sqlite")
        XCTAssertTrue(FileManager.default.createFile(atPath: url.path, contents: Data()))
        XCTAssertThrowsError(try Workspace.open(at: url)) { error in
            XCTAssertEqual(error as? WorkspaceError, .notADatabase(url.path))
        }
        XCTAssertEqual(try listing(), ["w.sqlite": Data()])
    }

    func testSQLiteFileThatIsNotAWorkspace() throws {
        let url = folder.appendingPathComponent("other.sqlite")
        let queue = try DatabaseQueue(path: url.path)
        try queue.write { db in try db.execute(sql: "CREATE TABLE notes (text)") }
        try queue.close()
        let before = try Data(contentsOf: url)
        XCTAssertThrowsError(try Workspace.open(at: url)) { error in
            XCTAssertEqual(error as? WorkspaceError, .foreignDatabase(path: url.path, tables: 1))
        }
        XCTAssertEqual(try Data(contentsOf: url), before, "another application's file is not migrated")
    }

    func testReadOnlyFileEvenForRoot() throws {
        let url = try makeWorkspace()
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: url.path)
        let before = try listing()
        XCTAssertThrowsError(try Workspace.open(at: url)) { error in
            XCTAssertEqual(error as? WorkspaceError, .readOnlyWorkspace(path: url.path, reason: "the file is read-only"))
            XCTAssertTrue(String(describing: error).contains("read-only"))
        }
        // Reading it works: opened immutable.
        XCTAssertNoThrow(try Workspace.open(at: url, access: .readOnly))
        XCTAssertEqual(try listing(), before)
    }

    func testReadOnlyFolder() throws {
        let url = try makeWorkspace()
        let before = try listing()
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder.path)
        XCTAssertThrowsError(try Workspace.open(at: url)) { error in
            XCTAssertEqual(error as? WorkspaceError, .readOnlyWorkspace(path: url.path, reason: "its folder is read-only"))
        }
        XCTAssertNoThrow(try Workspace.open(at: url, access: .readOnly))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
        XCTAssertEqual(try listing(), before)
    }

    /// Another process holding the database exclusively (here: a connection in exclusive locking
    /// mode in the middle of a write) makes opening fail with "locked" after the busy timeout.
    func testLockedDatabase() throws {
        let url = try makeWorkspace()
        let holder = try DatabaseQueue(path: url.path)
        let locked = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            try? holder.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA locking_mode = EXCLUSIVE")
                try db.inTransaction(.exclusive) {
                    try db.execute(sql: "UPDATE workspace SET name = 'held'")
                    locked.signal()
                    release.wait()
                    return .rollback
                }
            }
            done.signal()
        }
        locked.wait()
        let mainFile = try Data(contentsOf: url)
        XCTAssertThrowsError(try Workspace.open(at: url)) { error in
            XCTAssertEqual(error as? WorkspaceError, .locked(url.path))
            XCTAssertTrue(String(describing: error).contains("locked by another process"))
        }
        XCTAssertEqual(try Data(contentsOf: url), mainFile)
        release.signal()
        done.wait()
        try holder.close()
        XCTAssertEqual(try Workspace.open(at: url).settings().name, "T")
    }

    func testCreateRefusesAnExistingWorkspace() throws {
        let url = try makeWorkspace()
        let before = try listing()
        XCTAssertThrowsError(try Workspace.create(at: url, workspace: WorkspaceRecord(name: "X", businessName: "X", createdAt: Date()), users: [])) { error in
            XCTAssertEqual(error as? WorkspaceError, .alreadyExists(url.path))
        }
        XCTAssertEqual(try listing(), before)
    }
}
