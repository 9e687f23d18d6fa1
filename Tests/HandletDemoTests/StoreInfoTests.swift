import Foundation
import GRDB
import HandletDemo
@testable import HandletDomain
import XCTest

final class StoreInfoTests: XCTestCase {
    func testInfoCountsEveryRecordTypeAndDiskUse() throws {
        let test = try TestWorkspace.make(calls: 120, messages: 360)
        let info = try test.workspace.session(as: .system).read(.workspaceInfo)
        XCTAssertEqual(info.name, "Kestrel Home Services (demo)")
        XCTAssertTrue(info.isDemo)
        XCTAssertEqual(info.path, test.databaseURL.path)
        XCTAssertEqual(info.schemaVersion, Schema.currentVersion)
        XCTAssertEqual(info.counts.calls, 120)
        XCTAssertEqual(try test.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM messages WHERE correlation_id IS NULL") }, 360)
        XCTAssertEqual(info.counts.messages, try test.read { db in try Message.fetchCount(db) }, "and the replies the queue sent")
        XCTAssertEqual(info.counts.users, 4)
        try test.read { db in
            XCTAssertEqual(info.counts.contacts, try Contact.fetchCount(db))
            XCTAssertEqual(info.counts.threads, try MessageThread.fetchCount(db))
            XCTAssertEqual(info.counts.recordings + info.counts.recordingsPurged, try Recording.fetchCount(db))
            XCTAssertEqual(info.counts.notices, try Notice.fetchCount(db))
            XCTAssertEqual(info.counts.drafts, try Draft.fetchCount(db))
            XCTAssertEqual(info.counts.reviews, try Review.fetchCount(db))
            XCTAssertEqual(info.counts.dataSubjectRequests, try DataSubjectRequest.fetchCount(db))
        }
        XCTAssertGreaterThan(info.counts.recordings, 0)
        let onDisk = try FileManager.default.subpathsOfDirectory(atPath: test.audioFolder.path)
            .filter { $0.hasSuffix(".wav") }
            .map { try FileManager.default.attributesOfItem(atPath: test.audioFolder.path + "/" + $0)[.size] as! Int64 }
            .reduce(0, +)
        XCTAssertEqual(info.disk.audioBytes, onDisk)
        let databaseSize = try FileManager.default.attributesOfItem(atPath: test.databaseURL.path)[.size] as! Int64
        XCTAssertEqual(info.disk.databaseBytes, databaseSize)
        XCTAssertEqual(info.disk.totalBytes, info.disk.databaseBytes + info.disk.walBytes + info.disk.audioBytes)
    }

    /// The counts `info` reads from `record_counts` follow inserts and deletes (kept by triggers).
    func testCountsFollowInsertsAndDeletes() throws {
        let test = try TestWorkspace.make(calls: 60, messages: 120)
        try test.write { db in
            var call = Call(externalId: "CA-COUNT", direction: .inbound, fromNumber: "+447700900001",
                            toNumber: "+441134960321", contactId: nil, startedAt: TestWorkspace.anchor, durationSeconds: 5,
                            handledBy: .aiAgent, outcome: .spam, summary: "", transcript: Transcript(turns: []),
                            recordingState: .notRecorded)
            try call.insert(db)
            try db.execute(sql: "DELETE FROM calls WHERE id IN (1, 2, 3)")
            // Erasing a contact's thread cascades to its messages; the count follows the cascade.
            try db.execute(sql: "DELETE FROM threads WHERE id = (SELECT MIN(id) FROM threads)")
            try db.execute(sql: "DELETE FROM contacts WHERE id = 5")
        }
        let info = try test.workspace.session(as: .system).read(.workspaceInfo)
        try test.read { db in
            for (table, counted) in [("calls", info.counts.calls), ("messages", info.counts.messages),
                                     ("threads", info.counts.threads), ("contacts", info.counts.contacts),
                                     ("audit_events", info.counts.auditEvents)] {
                XCTAssertEqual(counted, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)"), table)
            }
            XCTAssertEqual(info.counts.calls, 58)
            XCTAssertEqual(info.counts.recordings,
                           try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM recordings WHERE purged_at IS NULL"))
            XCTAssertEqual(info.counts.recordingsPurged,
                           try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM recordings WHERE purged_at IS NOT NULL"))
        }
    }

    func testFirstRunCreatesTheDemoOnceThenOpensIt() throws {
        let folder = try TestWorkspace.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("share/handlet/workspace.sqlite")
        let options = DemoOptions(calls: 40, messages: 90, anchor: TestWorkspace.anchor)
        let first = try FirstRun.ensureWorkspace(at: url, options: options)
        XCTAssertTrue(first.created)
        XCTAssertTrue(try first.workspace.settings().isDemo)
        try first.workspace.dbPool.close()
        let second = try FirstRun.ensureWorkspace(at: url, options: options)
        XCTAssertFalse(second.created)
        XCTAssertEqual(try second.workspace.session(as: .system).read(.workspaceInfo).counts.calls, 40)
    }

    func testDefaultLocationFollowsXDG() {
        XCTAssertEqual(Workspace.defaultDatabaseURL(environment: ["XDG_DATA_HOME": "/data", "HOME": "/home/a"]).path,
                       "/data/handlet/workspace.sqlite")
        XCTAssertEqual(Workspace.defaultDatabaseURL(environment: ["HOME": "/home/a"]).path,
                       "/home/a/.local/share/handlet/workspace.sqlite")
        XCTAssertEqual(Workspace.defaultDatabaseURL(environment: ["XDG_DATA_HOME": "", "HOME": "/home/a"]).path,
                       "/home/a/.local/share/handlet/workspace.sqlite")
    }

    func testReplacingRemovesOnlyAWorkspace() throws {
        let test = try TestWorkspace.make(calls: 10, messages: 10)
        let url = test.databaseURL
        try test.workspace.dbPool.close()
        // Scratch search builds a kill left behind (an erasure's rewrite, the demo's search) hold
        // everyone's words: they go with the workspace.
        let scratches = [url.path + "-rewrite-message_fts", url.path + "-rewrite-call_fts-wal", url.path + "-search"]
        for scratch in scratches { XCTAssertTrue(FileManager.default.createFile(atPath: scratch, contents: Data("words".utf8))) }
        try WorkspaceFiles.remove(at: url)
        XCTAssertFalse(FileManager.default.fileExists(atPath: url.path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: test.audioFolder.path))
        for scratch in scratches { XCTAssertFalse(FileManager.default.fileExists(atPath: scratch), scratch) }

        let stray = test.folder.appendingPathComponent("notes.sqlite")
        try Data("my notes".utf8).write(to: stray)
        XCTAssertThrowsError(try WorkspaceFiles.remove(at: stray))
        XCTAssertTrue(FileManager.default.fileExists(atPath: stray.path))
    }
}
