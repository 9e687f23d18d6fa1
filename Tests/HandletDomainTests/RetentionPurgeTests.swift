import Foundation
import GRDB
@testable import HandletDomain
import XCTest
import HandletTestSupport

final class RetentionPurgeTests: XCTestCase {
    /// 50 recordings due at day 40 (made days 0-9), 10 still live (days 30-39), one held due one.
    private func purgeFixture() throws -> (RetentionFixture, due: [RecordingImport.Stored], live: [RecordingImport.Stored]) {
        let fixture = try RetentionFixture(retentionDays: 30)
        var due: [RecordingImport.Stored] = []
        for index in 0..<50 { due.append(try fixture.addCall(recordedAt: RetentionFixture.at(days: Double(index) / 5))) }
        var live: [RecordingImport.Stored] = []
        for index in 0..<10 { live.append(try fixture.addCall(recordedAt: RetentionFixture.at(days: 30 + Double(index)))) }
        let held = try fixture.addCall(recordedAt: RetentionFixture.at(days: 1))
        try fixture.workspace.session(as: fixture.owner).perform(.placeLegalHold(onCall: fixture.workspace.callID(held.call.externalId), reason: "Claim"))
        live.append(held)
        return (fixture, due, live)
    }

    private static let now = RetentionFixture.at(days: 40)

    func testPurgeDeletesFilesMarksRowsAndKeepsCallText() throws {
        let (fixture, due, live) = try purgeFixture()
        var progress: [PurgeProgress] = []
        let report = try fixture.workspace.session(as: fixture.admin).purge(batchSize: 7, now: Self.now) {
            progress.append($0)
        }
        XCTAssertEqual(report.thisRun.purged, 50)
        XCTAssertEqual(report.thisRun.batches, 8, "50 in batches of 7")
        XCTAssertEqual(report.thisRun.bytes, due.reduce(0) { $0 + $1.recording!.bytes })
        XCTAssertEqual(progress.map(\.purged), [0, 7, 14, 21, 28, 35, 42, 49, 50])
        XCTAssertEqual(progress.last?.total, 50)
        XCTAssertTrue(report.walTruncated)
        for stored in due {
            XCTAssertFalse(fixture.fileExists(stored.recording?.filePath))
            let recording = try fixture.recording(stored.recording?.id)
            XCTAssertNil(recording.filePath)
            XCTAssertNil(recording.sha256)
            XCTAssertEqual(recording.purgedAt, Self.now)
            XCTAssertEqual(recording.bytes, stored.recording?.bytes, "size stays as metadata")
            let call = try fixture.call(stored.call.id)
            XCTAssertEqual(call.recordingState, .purged)
            XCTAssertEqual(call.recordingPurgedAt, Self.now)
            XCTAssertEqual(call.summary, stored.call.summary)
            XCTAssertEqual(call.transcript, stored.call.transcript)
        }
        for stored in live {
            XCTAssertTrue(fixture.fileExists(stored.recording?.filePath))
            XCTAssertEqual(try fixture.recording(stored.recording?.id).filePath, stored.recording?.filePath)
        }
        let found = try fixture.workspace.dbPool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM call_fts WHERE call_fts MATCH 'boiler'")!
        }
        XCTAssertEqual(found, 61, "transcripts of purged calls stay searchable")

        let events = try fixture.auditEvents(AuditAction.purgeRun.rawValue)
        XCTAssertEqual(events.count, 1, "one event per run, not per batch")
        XCTAssertEqual(events[0].actor, "admin@example.test")
        XCTAssertEqual(try fixture.auditDetails(events[0]),
                       ["purged": .int(50), "bytes": .int(report.thisRun.bytes), "missing_files": .int(0),
                        "batches": .int(8), "interruptions": .int(0), "cancelled": .bool(false), "skipped": .int(0),
                        "skipped_unsafe_path": .int(0), "skipped_not_a_file": .int(0), "skipped_not_deletable": .int(0),
                        "call_texts": .int(0), "message_texts": .int(0)])
        let again = try fixture.workspace.session(as: .system).purge(now: Self.now)
        XCTAssertEqual(again.thisRun.purged, 0)
        XCTAssertEqual(try fixture.auditEvents(AuditAction.purgeRun.rawValue).count, 2, "an empty run is audited too")
        XCTAssertNil(try fixture.workspace.dbPool.read { try AuditLog.verify($0) })
    }

    func testDryRunListsWhatWouldGoAndChangesNothing() throws {
        let (fixture, due, _) = try purgeFixture()
        let before = try fixture.workspace.dbPool.read { try Recording.fetchAll($0) }
        let plan = try fixture.workspace.session(as: .system).read(.purgePlan(now: Self.now))
        XCTAssertEqual(plan.recordings, 50)
        XCTAssertEqual(Set(plan.candidates.map(\.callExternalId)), Set(due.map(\.call.externalId)))
        XCTAssertEqual(plan.bytes, due.reduce(0) { $0 + $1.recording!.bytes })
        XCTAssertEqual(plan.candidates.map(\.expiresAt), plan.candidates.map(\.expiresAt).sorted())
        XCTAssertEqual(try fixture.workspace.dbPool.read { try Recording.fetchAll($0) }, before)
        XCTAssertTrue(try fixture.auditEvents(AuditAction.purgeRun.rawValue).isEmpty)
        XCTAssertTrue(due.allSatisfy { fixture.fileExists($0.recording?.filePath) })
    }

    func testMissingOrReadOnlyAudioFolderIsRefusedWithRowsUntouched() throws {
        let (fixture, _, _) = try purgeFixture()
        let audio = fixture.workspace.audioDirectory
        let before = try fixture.workspace.dbPool.read { try Recording.fetchAll($0) }

        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: audio.path)
        XCTAssertThrowsError(try fixture.workspace.session(as: .system).purge(now: Self.now)) { error in
            XCTAssertEqual(error as? PurgeError, .audioFolderReadOnly(audio.path))
            XCTAssertTrue(String(describing: error).contains("read-only; nothing was purged"))
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: audio.path)

        let moved = fixture.folder.appendingPathComponent("moved-away")
        try FileManager.default.moveItem(at: audio, to: moved)
        XCTAssertThrowsError(try fixture.workspace.session(as: .system).purge(now: Self.now)) { error in
            XCTAssertEqual(error as? PurgeError, .audioFolderMissing(audio.path))
            XCTAssertTrue(String(describing: error).contains("is missing; nothing was purged"))
        }
        XCTAssertEqual(try fixture.workspace.dbPool.read { try Recording.fetchAll($0) }, before)
        XCTAssertTrue(try fixture.auditEvents(AuditAction.purgeRun.rawValue).isEmpty)
        XCTAssertEqual(try fixture.workspace.dbPool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM purge_run") }, 0)

        try FileManager.default.moveItem(at: moved, to: audio)
        XCTAssertEqual(try fixture.workspace.session(as: .system).purge(now: Self.now).thisRun.purged, 50)
    }

    func testAnAlreadyMissingFileIsRecordedNotACrash() throws {
        let (fixture, due, _) = try purgeFixture()
        let gone = due[3].recording!
        try FileManager.default.removeItem(at: fixture.workspace.audioDirectory.appendingPathComponent(gone.filePath!))
        let report = try fixture.workspace.session(as: .system).purge(now: Self.now)
        XCTAssertEqual(report.thisRun.purged, 50)
        XCTAssertEqual(report.thisRun.missingFiles, 1)
        XCTAssertEqual(try fixture.recording(gone.id).purgeNote, "file_missing")
        XCTAssertNil(try fixture.recording(due[4].recording?.id).purgeNote)
        let event = try XCTUnwrap(fixture.auditEvents(AuditAction.purgeRun.rawValue).first)
        XCTAssertEqual(try fixture.auditDetails(event)["missing_files"], .int(1))
    }

    func testPurgedPathsAndHashesAreGoneFromTheDatabaseFileBytes() throws {
        let (fixture, due, live) = try purgeFixture()
        let secrets = due.flatMap { [$0.recording!.filePath!, $0.recording!.sha256!] }
        let kept = live.flatMap { [$0.recording!.filePath!, $0.recording!.sha256!] }
        XCTAssertTrue(secrets.allSatisfy { databaseBytes(fixture).range(of: Data($0.utf8)) != nil },
                      "before the purge every path and hash is in the files, or the test proves nothing")
        try fixture.workspace.session(as: .system).purge(now: Self.now)
        let bytes = databaseBytes(fixture)
        for secret in secrets {
            XCTAssertNil(bytes.range(of: Data(secret.utf8)), "\(secret) survives in the database files")
        }
        XCTAssertTrue(kept.allSatisfy { bytes.range(of: Data($0.utf8)) != nil }, "live recordings keep theirs")
        let walSize = (try? FileManager.default.attributesOfItem(atPath: fixture.workspace.databaseURL.path + "-wal")[.size]
                       as? Int) ?? 0
        XCTAssertEqual(walSize, 0, "the write-ahead log was truncated")
    }

    /// The database file and its -wal, as a reader of the disk would see them.
    private func databaseBytes(_ fixture: RetentionFixture) -> Data {
        let path = fixture.workspace.databaseURL.path
        return ["", "-wal"].reduce(into: Data()) { bytes, suffix in
            bytes.append((try? Data(contentsOf: URL(fileURLWithPath: path + suffix))) ?? Data())
        }
    }

    func testAKilledRunIsFinishedAndReportedByTheNext() throws {
        let (fixture, due, _) = try purgeFixture()
        // What a run killed right after committing its first batch of three leaves behind.
        let crashed = Array(due.prefix(3))
        try fixture.workspace.dbPool.write { db in
            try db.execute(sql: "INSERT INTO purge_run(id, started_at, actor, purged, bytes, batches) VALUES (1, 0, 'system', 3, 300, 1)")
            for stored in crashed {
                let recording = stored.recording!
                try db.execute(sql: "INSERT INTO purge_journal(recording_id, file_path) VALUES (?, ?)",
                               arguments: [recording.id, recording.filePath])
                try db.execute(sql: "UPDATE recordings SET file_path = NULL, sha256 = NULL, purged_at = 1 WHERE id = ?",
                               arguments: [recording.id])
            }
        }
        let plan = try fixture.workspace.session(as: .system).read(.purgePlan(now: Self.now))
        XCTAssertEqual(plan.unfinishedFromInterruptedRun, 3)
        XCTAssertEqual(plan.recordings, 47)
        let report = try fixture.workspace.session(as: .system).purge(now: Self.now)
        XCTAssertTrue(report.resumedInterruptedRun)
        XCTAssertEqual(report.leftoverFilesDeleted, 3)
        XCTAssertEqual(report.thisRun.purged, 47)
        XCTAssertEqual(report.run.purged, 50, "the audit event counts the crashed run's batch too")
        XCTAssertEqual(report.run.interruptions, 1)
        XCTAssertTrue(crashed.allSatisfy { !fixture.fileExists($0.recording?.filePath) })
        let leftovers = try fixture.workspace.dbPool.read { db in
            try Int.fetchOne(db, sql: "SELECT (SELECT COUNT(*) FROM purge_journal) + (SELECT COUNT(*) FROM purge_run)")
        }
        XCTAssertEqual(leftovers, 0)
        let events = try fixture.auditEvents(AuditAction.purgeRun.rawValue)
        XCTAssertEqual(events.count, 1)
        XCTAssertEqual(try fixture.auditDetails(events[0])["interruptions"], .int(1))
    }

    func testInvalidBatchSizeIsRefused() throws {
        let fixture = try RetentionFixture()
        for size in [0, -5, 100_001] {
            XCTAssertThrowsError(try fixture.workspace.session(as: .system).purge(batchSize: size, now: Self.now)) {
                XCTAssertTrue(String(describing: $0).contains("from 1 to 100000"))
            }
        }
    }

    func testBackgroundRunnerReportsProgressAndFinishes() async throws {
        let (fixture, _, _) = try purgeFixture()
        let runner = try fixture.workspace.session(as: .system).startPurge(batchSize: 10, now: Self.now)
        var events: [PurgeRunner.Event] = []
        for await event in runner.events { events.append(event) }
        let progress = events.compactMap { if case .progress(let value) = $0 { value } else { nil } }
        XCTAssertEqual(progress.map(\.purged), [0, 10, 20, 30, 40, 50])
        guard case .finished(let report)? = events.last else { return XCTFail("no finish: \(events)") }
        XCTAssertEqual(report.thisRun.purged, 50)
        XCTAssertEqual(progress.last?.bytes, report.thisRun.bytes)
        XCTAssertGreaterThan(report.thisRun.bytes, 0)
        let result = await runner.result
        XCTAssertEqual(try result.get(), report)
    }

    func testBackgroundRunnerCancelsAtABatchBoundary() async throws {
        let (fixture, due, _) = try purgeFixture()
        let runner = try fixture.workspace.session(as: .system).startPurge(batchSize: 5, now: Self.now)
        var finished: PurgeReport?
        for await event in runner.events {
            switch event {
            case .progress(let progress) where progress.purged >= 5: runner.cancel()
            case .finished(let report): finished = report
            case .failed(let reason): XCTFail(reason)
            default: break
            }
        }
        let report = try XCTUnwrap(finished)
        XCTAssertTrue(report.cancelled)
        XCTAssertLessThan(report.thisRun.purged, 50)
        XCTAssertEqual(report.thisRun.purged % 5, 0, "stopped between batches")
        let purged = try await fixture.workspace.dbPool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM recordings WHERE purged_at IS NOT NULL")!
        }
        XCTAssertEqual(purged, report.thisRun.purged)
        XCTAssertEqual(due.filter { fixture.fileExists($0.recording?.filePath) }.count, 50 - purged)
        let event = try XCTUnwrap(fixture.auditEvents(AuditAction.purgeRun.rawValue).last)
        XCTAssertEqual(try fixture.auditDetails(event)["cancelled"], .bool(true))
        XCTAssertEqual(try fixture.workspace.session(as: .system).purge(now: Self.now).thisRun.purged, 50 - purged)
    }

    func testBackgroundRunnerReportsAFailure() async throws {
        let (fixture, _, _) = try purgeFixture()
        try FileManager.default.removeItem(at: fixture.workspace.audioDirectory)
        let runner = try fixture.workspace.session(as: .system).startPurge(now: Self.now)
        var events: [PurgeRunner.Event] = []
        for await event in runner.events { events.append(event) }
        guard case .failed(let reason)? = events.last else { return XCTFail("\(events)") }
        XCTAssertTrue(reason.contains("recordings folder"), reason)
        let result = await runner.result
        guard case .failure(let error) = result else { return XCTFail("succeeded") }
        XCTAssertEqual(error as? PurgeError, .audioFolderMissing(fixture.workspace.audioDirectory.path))
    }

    func testAHoldPlacedAfterTheRunBeganWins() throws {
        let (fixture, due, _) = try purgeFixture()
        let late = due[37]
        var placed = false
        let report = try fixture.workspace.session(as: .system).purge(batchSize: 10, now: Self.now) { progress in
            // The first report comes after the run listed what is due and before any batch.
            guard !placed else { return }
            placed = true
            XCTAssertEqual(progress.total, 50)
            do {
                try fixture.workspace.session(as: fixture.owner).perform(.placeLegalHold(onCall: fixture.workspace.callID(late.call.externalId), reason: "Late claim"))
            } catch {
                XCTFail("\(error)")
            }
        }
        XCTAssertEqual(report.thisRun.purged, 49)
        XCTAssertTrue(fixture.fileExists(late.recording?.filePath))
        let recording = try fixture.recording(late.recording?.id)
        XCTAssertNil(recording.purgedAt)
        XCTAssertEqual(recording.filePath, late.recording?.filePath)
        XCTAssertEqual(try fixture.call(late.call.id).recordingState, .recorded)
    }

    func testStoredPathsThatLeaveTheAudioFolderAreNeverUnlinked() throws {
        let (fixture, due, _) = try purgeFixture()
        let audio = fixture.workspace.audioDirectory
        let outside = fixture.folder.appendingPathComponent("keep-me.wav")
        try Data("not a recording".utf8).write(to: outside)
        let hostile = ["../keep-me.wav", "2026-01/../../keep-me.wav", outside.path, "..\u{0}/keep-me.wav", ""]
        try fixture.workspace.dbPool.write { db in
            for (stored, path) in zip(due, hostile) {
                try db.execute(sql: "UPDATE recordings SET file_path = ? WHERE id = ?", arguments: [path, stored.recording!.id])
            }
        }
        let report = try fixture.workspace.session(as: .system).purge(now: Self.now)
        XCTAssertEqual(report.thisRun.purged, 45, "the five unsafe rows are skipped, not counted as purged")
        XCTAssertEqual(report.thisRun.skipped, PurgeSkips(unsafePaths: 5))
        XCTAssertEqual(report.run.skipped, PurgeSkips(unsafePaths: 5))
        XCTAssertEqual(report.thisRun.bytes, due.dropFirst(hostile.count).reduce(0) { $0 + $1.recording!.bytes })
        XCTAssertTrue(FileManager.default.fileExists(atPath: outside.path), "a file outside the folder was deleted")
        for (stored, path) in zip(due, hostile) {
            let recording = try fixture.recording(stored.recording?.id)
            XCTAssertNil(recording.purgedAt, "a recording that could not be deleted is not marked purged")
            XCTAssertNil(recording.purgeNote)
            // (SQLite hands back a NUL-bearing path cut at the NUL; it is left as stored all the same.)
            XCTAssertEqual(recording.filePath, path.contains("\u{0}") ? ".." : path, "the row is left as it was, for a person to fix")
            XCTAssertEqual(try fixture.call(stored.call.id).recordingState, .recorded)
        }
        let event = try XCTUnwrap(fixture.auditEvents(AuditAction.purgeRun.rawValue).last)
        let details = try fixture.auditDetails(event)
        XCTAssertEqual(details["skipped"], .int(5))
        XCTAssertEqual(details["skipped_unsafe_path"], .int(5))
        XCTAssertEqual(details["purged"], .int(45))
        // Still due: the next run retries them (and says so again).
        let again = try fixture.workspace.session(as: .system).purge(now: Self.now)
        XCTAssertEqual(again.thisRun.purged, 0)
        XCTAssertEqual(again.thisRun.skipped.unsafePaths, 5)
        XCTAssertEqual(try fixture.workspace.session(as: .system).read(.retentionOverview(now: Self.now)).dueNow.recordings, 5)
        // Their own files were never named by a row any more, so they stay for a person to look at.
        XCTAssertTrue(due.prefix(hostile.count).allSatisfy { fixture.fileExists($0.recording?.filePath) })
        XCTAssertFalse(due.dropFirst(hostile.count).contains { fixture.fileExists($0.recording?.filePath) })
        XCTAssertTrue(FileManager.default.fileExists(atPath: audio.path))
    }

    /// A folder where a recording's file should be is never unlinked and never journalled: an
    /// unlink that failed on every run would stop every purge after it.
    func testAFolderWhereARecordingShouldBeNeverBlocksThePurge() throws {
        let (fixture, due, _) = try purgeFixture()
        let blocked = due[12].recording!
        let blockedURL = fixture.workspace.audioDirectory.appendingPathComponent(blocked.filePath!)
        try FileManager.default.removeItem(at: blockedURL)
        try FileManager.default.createDirectory(at: blockedURL.appendingPathComponent("inside"), withIntermediateDirectories: true)

        let report = try fixture.workspace.session(as: .system).purge(batchSize: 5, now: Self.now)
        XCTAssertEqual(report.thisRun.purged, 49)
        XCTAssertEqual(report.thisRun.skipped, PurgeSkips(notFiles: 1))
        let row = try fixture.recording(blocked.id)
        XCTAssertNil(row.purgedAt, "not deleted, so not marked purged")
        XCTAssertEqual(row.filePath, blocked.filePath)
        XCTAssertEqual(try fixture.auditDetails(XCTUnwrap(fixture.auditEvents(AuditAction.purgeRun.rawValue).last))["skipped_not_a_file"], .int(1))
        XCTAssertTrue(FileManager.default.fileExists(atPath: blockedURL.appendingPathComponent("inside").path))
        XCTAssertFalse(due.filter { $0.recording?.id != blocked.id }.contains { fixture.fileExists($0.recording?.filePath) })
        XCTAssertEqual(try fixture.workspace.dbPool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM purge_journal") }, 0)
    }

    /// A file that cannot be checked (here a symlink loop on its path) is not called missing:
    /// that would null its row and leave the file named by nothing. Its batch is not purged.
    func testAFileThatCannotBeCheckedStopsTheRunBeforeItsBatchCommits() throws {
        let (fixture, due, _) = try purgeFixture()
        let audio = fixture.workspace.audioDirectory
        try FileManager.default.createSymbolicLink(atPath: audio.appendingPathComponent("loop").path, withDestinationPath: "loop")
        let looped = due[7].recording!
        try fixture.workspace.dbPool.write { db in
            try db.execute(sql: "UPDATE recordings SET file_path = 'loop/call.wav' WHERE id = ?", arguments: [looped.id])
        }
        XCTAssertThrowsError(try fixture.workspace.session(as: .system).purge(batchSize: 5, now: Self.now)) { error in
            guard case .cannotCheck(let path, _)? = error as? PurgeError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, "loop/call.wav")
        }
        let batchmate = due[8].recording!
        XCTAssertNil(try fixture.recording(looped.id).purgedAt, "the batch rolled back")
        XCTAssertNil(try fixture.recording(batchmate.id).purgedAt)
        XCTAssertTrue(fixture.fileExists(batchmate.filePath))
        XCTAssertNotNil(try fixture.recording(due[0].recording?.id).purgedAt, "earlier batches stay purged")
        XCTAssertFalse(fixture.fileExists(due[0].recording?.filePath))
    }

    /// The purge forgets journal rows up to an id while later batches are still being unlinked,
    /// so ids must never be handed out twice, even after the journal empties.
    func testJournalIdsNeverRepeat() throws {
        let fixture = try RetentionFixture()
        let ids: [Int64] = try fixture.workspace.dbPool.write { db in
            var ids: [Int64] = []
            for _ in 0..<3 {
                try db.execute(sql: "INSERT INTO purge_journal(recording_id, file_path) VALUES (1, 'x.wav')")
                ids.append(try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM purge_journal")!)
                try db.execute(sql: "DELETE FROM purge_journal")
            }
            return ids
        }
        XCTAssertEqual(ids, [1, 2, 3])
    }

    /// A file whose folder refuses deletion (read-only, which counts even for root) is checked
    /// before its batch commits: skipped and left stored, never nulled and then failing to unlink.
    func testAFileInAReadOnlyFolderIsSkippedAndLeftStored() throws {
        let (fixture, due, _) = try purgeFixture()
        let audio = fixture.workspace.audioDirectory
        let locked = due[20].recording!
        let lockedFolder = audio.appendingPathComponent("locked")
        try FileManager.default.createDirectory(at: lockedFolder, withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: audio.appendingPathComponent(locked.filePath!),
                                         to: lockedFolder.appendingPathComponent("call.wav"))
        try fixture.workspace.dbPool.write { db in
            try db.execute(sql: "UPDATE recordings SET file_path = 'locked/call.wav' WHERE id = ?", arguments: [locked.id])
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: lockedFolder.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: lockedFolder.path) }

        let report = try fixture.workspace.session(as: .system).purge(batchSize: 5, now: Self.now)
        XCTAssertEqual(report.thisRun.purged, 49)
        XCTAssertEqual(report.thisRun.skipped, PurgeSkips(notDeletable: 1))
        XCTAssertTrue(FileManager.default.fileExists(atPath: lockedFolder.appendingPathComponent("call.wav").path))
        XCTAssertNil(try fixture.recording(locked.id).purgedAt)
        XCTAssertEqual(try fixture.recording(locked.id).filePath, "locked/call.wav")
        XCTAssertEqual(try fixture.workspace.dbPool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM purge_journal") }, 0)

        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: lockedFolder.path)
        let retry = try fixture.workspace.session(as: .system).purge(now: Self.now)
        XCTAssertEqual(retry.thisRun.purged, 1, "the next run retries it")
        XCTAssertEqual(retry.thisRun.skipped.total, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: lockedFolder.appendingPathComponent("call.wav").path))
    }

    /// Every kind at once, as the Retention tab and `retention show` word it (`RetentionText`).
    func testEveryKindOfSkipReachesTheAuditEventAndTheLastPurgeLine() throws {
        let (fixture, due, _) = try purgeFixture()
        let audio = fixture.workspace.audioDirectory
        try fixture.workspace.dbPool.write { db in
            try db.execute(sql: "UPDATE recordings SET file_path = '../elsewhere.wav' WHERE id = ?", arguments: [due[0].recording!.id])
        }
        let folderInstead = audio.appendingPathComponent(due[1].recording!.filePath!)
        try FileManager.default.removeItem(at: folderInstead)
        try FileManager.default.createDirectory(at: folderInstead, withIntermediateDirectories: true)
        try FileManager.default.removeItem(at: audio.appendingPathComponent(due[2].recording!.filePath!))
        let lockedFolder = audio.appendingPathComponent("locked")
        try FileManager.default.createDirectory(at: lockedFolder, withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: audio.appendingPathComponent(due[3].recording!.filePath!),
                                         to: lockedFolder.appendingPathComponent("a.wav"))
        try fixture.workspace.dbPool.write { db in
            try db.execute(sql: "UPDATE recordings SET file_path = 'locked/a.wav' WHERE id = ?", arguments: [due[3].recording!.id])
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: lockedFolder.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: lockedFolder.path) }

        let report = try fixture.workspace.session(as: .system).purge(now: Self.now)
        XCTAssertEqual(report.thisRun.purged, 47, "the missing file's row is purged: nothing of it is left")
        XCTAssertEqual(report.thisRun.missingFiles, 1)
        XCTAssertEqual(report.thisRun.skipped, PurgeSkips(unsafePaths: 1, notFiles: 1, notDeletable: 1))
        XCTAssertEqual(try fixture.recording(due[2].recording?.id).purgeNote, "file_missing")

        let overview = try fixture.workspace.session(as: fixture.viewer).read(.retentionOverview(now: Self.now))
        XCTAssertEqual(overview.lastPurge?.skipped, PurgeSkips(unsafePaths: 1, notFiles: 1, notDeletable: 1))
        XCTAssertEqual(overview.lastPurge?.missingFiles, 1)
        XCTAssertEqual(overview.dueNow.recordings, 3, "what could not be deleted is still due")
        let line = RetentionText.lastPurge(overview.lastPurge)
        XCTAssertTrue(line.contains("47 recordings"), line)
        XCTAssertTrue(line.contains("1 file already missing"), line)
        XCTAssertTrue(line.contains("3 could not be deleted (1 unsafe path, 1 not a file, 1 folder refuses deletion)"), line)
    }
}
