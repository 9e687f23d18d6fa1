import Foundation
import GRDB
@testable import HandletDomain
import XCTest
import HandletTestSupport

/// Another writer, a damaged file (issue 11, Faults): reads go on, changes say why they cannot.
final class WorkspaceFaultTests: XCTestCase {
    /// A workspace with due recordings, closed with its -wal emptied (what GRDB's WAL set-up used
    /// to write to at every open).
    private func closedWorkspace() throws -> (RetentionFixture, URL) {
        let fixture = try RetentionFixture(retentionDays: 30)
        for index in 0..<30 { try fixture.addCall(recordedAt: RetentionFixture.at(days: Double(index))) }
        try fixture.workspace.dbPool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        try fixture.workspace.dbPool.close()
        return (fixture, fixture.workspace.databaseURL)
    }

    /// Holds a write transaction on another connection until the returned closure is called.
    private func holdWriteLock(_ url: URL) throws -> () -> Void {
        var config = Configuration()
        config.busyMode = .immediateError
        let holder = try DatabaseQueue(path: url.path, configuration: config)
        let locked = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            try? holder.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    try db.execute(sql: "UPDATE workspace SET name = 'held'")
                    locked.signal()
                    release.wait()
                    return .rollback
                }
            }
            done.signal()
        }
        locked.wait()
        return { release.signal(); done.wait(); try? holder.close() }
    }

    func testReadsGoOnWhileAnotherConnectionWritesAndOnlyChangesReportLocked() throws {
        let (fixture, url) = try closedWorkspace()
        let release = try holdWriteLock(url)
        defer { release() }
        for access in [Workspace.Access.readOnly, .readWrite] {
            let workspace = try Workspace.open(at: url, access: access)
            let session = try workspace.session(actingAs: nil, otherwise: .localOwner)
            XCTAssertEqual(try session.read(.workspaceInfo).counts.calls, 30)
            XCTAssertEqual(try session.read(.retentionOverview(now: RetentionFixture.at(days: 40))).dueNow.recordings, 11)
        }
        let workspace = try Workspace.open(at: url)
        XCTAssertThrowsError(try workspace.session(as: fixture.owner).perform(.setRetentionPeriod(try RetentionPeriod(days: 7), shorteningConfirmed: true))) {
            XCTAssertEqual($0 as? WorkspaceError, .locked(url.path))
        }
        XCTAssertThrowsError(try Workspace.open(at: url, access: .readOnly).session(as: fixture.owner)
            .perform(.setRetentionPeriod(try RetentionPeriod(days: 7), shorteningConfirmed: true))) {
            XCTAssertEqual($0 as? WorkspaceError, .openedForReading(url.path))
        }
    }

    func testAnOlderSchemaIsReportedNotMigratedByAReadOnlyOpen() throws {
        let (fixture, url) = try closedWorkspace()
        defer { withExtendedLifetime(fixture) {} }
        let queue = try DatabaseQueue(path: url.path)
        try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA user_version = \(Schema.currentVersion - 1)") }
        try queue.close()
        XCTAssertThrowsError(try Workspace.open(at: url, access: .readOnly)) {
            XCTAssertEqual($0 as? WorkspaceError, .needsUpgrade(path: url.path, found: Schema.currentVersion - 1,
                                                                supported: Schema.currentVersion))
        }
    }

    /// Random bytes over the root page of `recordings`: a statement that meets it reports the file
    /// damaged, and from then on this process attempts no write on it.
    func testCorruptionIsDamagedOnAnyStatementAndStopsEveryChange() throws {
        let (fixture, url) = try closedWorkspace()
        try Self.overwriteRootPage(of: "recordings", in: url)
        let before = try Data(contentsOf: url)
        let workspace = try Workspace.open(at: url)
        let session = workspace.session(as: fixture.owner)
        XCTAssertThrowsError(try workspace.dbPool.read { try Row.fetchAll($0, sql: "SELECT * FROM recordings") }) {
            XCTAssertEqual($0 as? WorkspaceError, .damaged(url.path))
            let text = String(describing: $0)
            XCTAssertFalse(text.contains("\n"), text)
            XCTAssertTrue(text.contains("PRAGMA integrity_check") && text.contains(".recover") && text.contains("backup"), text)
        }
        XCTAssertTrue(workspace.dbPool.reportedDamage)
        // A change that touches no damaged page is refused too, before any transaction begins.
        XCTAssertThrowsError(try session.perform(.placeLegalHold(onCall: Call.ID(1), reason: "x"))) {
            XCTAssertEqual($0 as? WorkspaceError, .damaged(url.path))
        }
        XCTAssertThrowsError(try workspace.session(as: .system).purge(now: RetentionFixture.at(days: 40))) {
            XCTAssertEqual($0 as? WorkspaceError, .damaged(url.path))
        }
        try workspace.dbPool.close()
        XCTAssertEqual(try Data(contentsOf: url), before, "nothing was written to the damaged file")
    }

    func testAFileTruncatedToHalfIsDamagedNotForeign() throws {
        let (fixture, url) = try closedWorkspace()
        defer { withExtendedLifetime(fixture) {} }
        let bytes = try Data(contentsOf: url)
        try bytes.prefix(bytes.count / 2).write(to: url)
        XCTAssertThrowsError(try Workspace.open(at: url, access: .readOnly)) {
            XCTAssertEqual($0 as? WorkspaceError, .damaged(url.path))
        }
        XCTAssertThrowsError(try Workspace.open(at: url)) { XCTAssertEqual($0 as? WorkspaceError, .damaged(url.path)) }
        XCTAssertEqual(try Data(contentsOf: url), bytes.prefix(bytes.count / 2))
    }

    static func overwriteRootPage(of table: String, in url: URL) throws {
        let queue = try DatabaseQueue(path: url.path)
        let (root, pageSize) = try queue.read { db in
            (try Int.fetchOne(db, sql: "SELECT rootpage FROM sqlite_master WHERE name = ?", arguments: [table])!,
             try Int.fetchOne(db, sql: "PRAGMA page_size")!)
        }
        try queue.close()
        let handle = try FileHandle(forUpdating: url)
        try handle.seek(toOffset: UInt64((root - 1) * pageSize))
        var generator = SystemRandomNumberGenerator()
        try handle.write(contentsOf: Data((0..<pageSize).map { _ in UInt8.random(in: 0...255, using: &generator) }))
        try handle.close()
    }
}
