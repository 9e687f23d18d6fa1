import Foundation
import GRDB
@testable import HandletDomain
import XCTest
import HandletTestSupport

/// Issue 23, session 11: the erasure rewrites only the search indexes that held the person, each
/// built on a thread of its own and put in place under the write lock; a change made meanwhile is
/// not lost; the plan says how long it takes; and a console's purge never pays the search's debt.
final class SearchRewriteTests: XCTestCase {
    private static let planted = "Ysolde Marrowgate-Quennell"

    private func workspace(messages: Int = 4) throws -> (RolesWorkspace, PlantedPerson, PlantedPerson) {
        let fixture = try RolesWorkspace()
        let person = try fixture.workspace.plantPerson(name: Self.planted, phones: ["+447700900321"], email: "ysolde@example.test",
                                                       messages: messages, at: RolesWorkspace.at(days: 1), seed: 1)
        let other = try fixture.workspace.plantPerson(name: "Ysolde Marsh", phones: ["+447700900322"], email: "ym@example.test",
                                                      at: RolesWorkspace.at(days: 2), seed: 2)
        return (fixture, person, other)
    }

    private func structure(_ fixture: RolesWorkspace, _ table: String) throws -> Data? {
        try fixture.workspace.dbPool.read { db in try Data.fetchOne(db, sql: "SELECT block FROM \(table)_data WHERE id = 10") }
    }

    private func matches(_ fixture: RolesWorkspace, _ table: String, _ word: String) throws -> Int {
        try fixture.workspace.dbPool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table) WHERE \(table) MATCH ?", arguments: [word])! }
    }

    /// FTS5's own check of each index against its content (rank 1: every row's terms compared).
    private func assertIndexesMatchTheirContent(_ fixture: RolesWorkspace, file: StaticString = #filePath, line: UInt = #line) throws {
        try fixture.workspace.dbPool.write { db in
            for table in ["call_fts", "message_fts", "contact_fts"] {
                XCTAssertNoThrow(try db.execute(sql: "INSERT INTO \(table)(\(table), rank) VALUES('integrity-check', 1)"),
                                 table, file: file, line: line)
            }
        }
    }

    private func owed(_ fixture: RolesWorkspace) throws -> [String] {
        try fixture.workspace.dbPool.read { db in try String.fetchAll(db, sql: "SELECT index_name FROM fts_compaction_owed ORDER BY 1") }
    }

    private func rates(_ fixture: RolesWorkspace) throws -> [String] {
        try fixture.workspace.dbPool.read { db in try String.fetchAll(db, sql: "SELECT index_name FROM search_rewrite_rates ORDER BY 1") }
    }

    func testAnErasureRewritesOnlyTheIndexesThatHeldThePersonAndSaysHowLongFirst() throws {
        let (fixture, person, other) = try workspace(messages: 0)
        let owner = fixture.workspace.session(as: fixture.owner)
        let messagesBefore = try structure(fixture, "message_fts")
        let callsBefore = try structure(fixture, "call_fts")
        let otherMessages = try matches(fixture, "message_fts", "Marsh"), otherCalls = try matches(fixture, "call_fts", "Marsh")
        XCTAssertGreaterThan(otherMessages, 0)
        XCTAssertEqual(otherCalls, other.callIDs.count)

        // The plan says how long, and that no rate was measured here yet.
        let plan = try owner.plan(.erasePerson(person.contactIDs))
        guard case .erasure(let preview)? = plan.preview else { return XCTFail("no erasure preview") }
        XCTAssertFalse(preview.estimateMeasured)
        XCTAssertEqual(preview.rewritten, "the search of \(try counts(fixture, "calls")) and \(try counts(fixture, "contacts"))")
        let last = try XCTUnwrap(preview.lines.last)
        XCTAssertTrue(last.hasPrefix("  takes about ") && last.contains("reference rate"), last)
        // The console's dialog shows the title: the time is there too.
        let title = try XCTUnwrap(plan.confirmation?.title)
        XCTAssertTrue(title.hasPrefix("Erase \(Self.planted) (takes about ") && title.hasSuffix(")"), title)

        let report = try owner.erase(person.contactIDs, typed: Self.planted)
        XCTAssertTrue(report.walTruncated)
        // The person had no messages: their index is untouched; the calls' and contacts' were rewritten.
        XCTAssertEqual(try structure(fixture, "message_fts"), messagesBefore, "message_fts not rewritten")
        XCTAssertNotEqual(try structure(fixture, "call_fts"), callsBefore, "call_fts rewritten")
        XCTAssertEqual(try owed(fixture), [])
        try assertIndexesMatchTheirContent(fixture)
        XCTAssertEqual(try matches(fixture, "call_fts", "Marrowgate"), 0)
        XCTAssertEqual(try matches(fixture, "contact_fts", "Marrowgate"), 0)
        XCTAssertEqual(try matches(fixture, "call_fts", "Marsh"), otherCalls, "the other person still found")
        XCTAssertEqual(try matches(fixture, "message_fts", "Marsh"), otherMessages)
        let finished = try fixture.workspace.auditDetails(.erasureFinished)
        XCTAssertTrue(finished.last?.contains("\"indexes_rewritten\":\"call_fts,contact_fts\"") == true, finished.last ?? "")
        // The rates measured are kept, so the next plan says so.
        XCTAssertEqual(try rates(fixture), ["call_fts", "commit", "contact_fts"])
        guard case .erasure(let next)? = try owner.plan(.erasePerson(other.contactIDs)).preview else { return XCTFail("no preview") }
        XCTAssertTrue(next.lines.last?.contains("measured here") == true, next.lines.last ?? "")
        XCTAssertEqual(next.rewritten, "the search of \(try counts(fixture, "calls")), \(try counts(fixture, "messages")) and \(try counts(fixture, "contacts"))")
    }

    private func counts(_ fixture: RolesWorkspace, _ table: String) throws -> String {
        let count = try fixture.workspace.dbPool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)")! }
        return DisplayText.count(count, String(table.dropLast()))
    }

    func testAChangeMadeWhileTheIndexesAreBuiltIsKeptAndOtherWritersAreNotHeldUp() throws {
        let (fixture, person, other) = try workspace()
        let owner = fixture.workspace.session(as: fixture.owner)
        var wrote = false
        SearchRewrite.afterBuilds = {
            // Another writer, while the builds ran from their snapshot: the write lock is free.
            try fixture.workspace.dbPool.write { db in
                try db.execute(sql: "UPDATE messages SET body = 'a xylophonic reply' WHERE id = ?", arguments: [other.messageIDs[0]])
            }
            wrote = true
        }
        defer { SearchRewrite.afterBuilds = nil }
        try owner.erase(person.contactIDs, typed: Self.planted)
        XCTAssertTrue(wrote)
        // The messages' index changed after its snapshot, so it was rebuilt in place: the new words
        // are found, the person's are gone, and every index agrees with its content.
        XCTAssertEqual(try matches(fixture, "message_fts", "xylophonic"), 1)
        XCTAssertEqual(try matches(fixture, "message_fts", "Marrowgate"), 0)
        try assertIndexesMatchTheirContent(fixture)
        XCTAssertEqual(try rates(fixture), ["call_fts", "commit", "contact_fts"], "no rate kept for the index rebuilt in place")
        XCTAssertEqual(try owed(fixture), [])
    }

    func testTheBuildsTakeNoWriteLockSoOtherWritersAndEachOtherGoOn() throws {
        let (fixture, person, other) = try workspace()
        let lock = NSLock()
        var written: [String] = []
        SearchRewrite.duringBuild = { index in
            // Inside a build's read snapshot: a write to the workspace goes through at once (a
            // build holding the write lock would make it wait 2 s and fail as locked), and the
            // builds do not lock each other out either. During the messages' build, another
            // person's message gets new words: the index must not lose them.
            try fixture.workspace.dbPool.write(waitingAtMost: 0) { db in
                if index == .messages {
                    try db.execute(sql: "UPDATE messages SET body = 'a quixotical gazebo' WHERE id = ?", arguments: [other.messageIDs[0]])
                } else {
                    try db.execute(sql: "UPDATE users SET name = name WHERE id = (SELECT MIN(id) FROM users)")
                }
            }
            lock.withLock { written.append(index.rawValue) }
        }
        defer { SearchRewrite.duringBuild = nil }
        try fixture.workspace.session(as: fixture.owner).erase(person.contactIDs, typed: Self.planted)
        XCTAssertEqual(written.sorted(), ["call_fts", "contact_fts", "message_fts"])
        // The messages' build read its snapshot before the change: that index was rebuilt in place.
        XCTAssertEqual(try rates(fixture), ["call_fts", "commit", "contact_fts"], "calls and contacts built, messages rebuilt in place")
        XCTAssertEqual(try matches(fixture, "message_fts", "quixotical"), 1, "the change made during the build is found")
        XCTAssertEqual(try matches(fixture, "message_fts", "Marrowgate"), 0)
        try assertIndexesMatchTheirContent(fixture)
    }

    /// An index rebuilt from scratch holds the same structure and totals records whenever its
    /// content has the same shape: the count of rebuilds tells the swap it was replaced.
    func testAnIndexRebuiltBetweenTheSnapshotAndTheSwapIsNotOverwritten() throws {
        // The person has no messages: the erasure's step 1 leaves the messages' index as it is,
        // and rewrites it only because it is owed.
        let (fixture, person, other) = try workspace(messages: 0)
        func records(_ db: Database) throws -> Data {
            try Data.fetchAll(db, sql: "SELECT block FROM message_fts_data WHERE id IN (1, 10) ORDER BY id").reduce(Data(), +)
        }
        // Freshly rebuilt, so the builds' snapshot sees one segment and no delete marker.
        // (FTS5 writes its records as the transaction commits: read after.)
        try fixture.workspace.dbPool.write { db in
            try db.execute(sql: "UPDATE messages SET body = 'amber bristle cobalt' WHERE id = ?", arguments: [other.messageIDs[0]])
            try SearchCompaction.compact(db, .messages)
            try SearchCompaction.owe(db, .messages, nowSeconds: 1)
        }
        let snapshot = try fixture.workspace.dbPool.read(records)
        var seen: Data?, replaced: Data?
        SearchRewrite.afterBuilds = {
            // After the builds' snapshot: the same number of words, then the index rebuilt from scratch.
            seen = try fixture.workspace.dbPool.read(records)
            try fixture.workspace.dbPool.write { db in
                try db.execute(sql: "UPDATE messages SET body = 'quixotic gazebos dulcimer' WHERE id = ?", arguments: [other.messageIDs[0]])
                try SearchCompaction.compact(db, .messages)
            }
            replaced = try fixture.workspace.dbPool.read(records)
        }
        defer { SearchRewrite.afterBuilds = nil }
        try fixture.workspace.session(as: fixture.owner).erase(person.contactIDs, typed: Self.planted)
        XCTAssertEqual(seen, snapshot, "step 1 left the messages' index as the snapshot saw it")
        XCTAssertEqual(replaced, snapshot, "without the count of rebuilds, the replaced index looks the same")
        XCTAssertEqual(try rates(fixture), ["call_fts", "commit", "contact_fts"], "the replaced index is rebuilt in place, not swapped")
        XCTAssertEqual(try matches(fixture, "message_fts", "quixotic"), 1)
        XCTAssertEqual(try matches(fixture, "message_fts", "amber"), 0)
        XCTAssertEqual(try owed(fixture), [])
        try assertIndexesMatchTheirContent(fixture)
    }

    func testTheScratchFilesAreRemovedAndLeftoversOfAKilledRunToo() throws {
        let (fixture, person, _) = try workspace()
        let database = fixture.workspace.databaseURL
        let folder = database.deletingLastPathComponent()
        // A killed run's (a pid no process has), an earlier version's, and a live process's (pid 1).
        let dead = database.path + "-rewrite-2147483646-message_fts"
        let unnumbered = database.path + "-rewrite-call_fts-journal"
        let live = database.path + "-rewrite-1-contact_fts"
        for path in [dead, unnumbered, live] { try Data("left".utf8).write(to: URL(fileURLWithPath: path)) }
        XCTAssertEqual(SearchRewrite.scratch(for: database, .messages).lastPathComponent,
                       database.lastPathComponent + "-rewrite-\(getpid())-message_fts")
        try fixture.workspace.session(as: fixture.owner).erase(person.contactIDs, typed: Self.planted)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains("-rewrite-") }
        XCTAssertEqual(names, [(live as NSString).lastPathComponent], "only the live process's is left")
        // Deleting the workspace still finds and removes every scratch name.
        XCTAssertTrue(WorkspaceFiles.databaseSuffixes(of: database).contains("-rewrite-1-contact_fts"))
        try WorkspaceFiles.remove(at: database)
        XCTAssertFalse(FileManager.default.fileExists(atPath: live))
    }

    /// Issue 23, session 12: while an erasure holds the search's lock its pending row is running,
    /// not stopped: nothing tells the user to finish it, and `--finish` is refused as busy.
    func testAPendingErasureIsRunningWhileItsLockIsHeldAndStoppedOnceNot() throws {
        let (fixture, _, _) = try workspace()
        let url = fixture.workspace.databaseURL
        try fixture.workspace.dbPool.write { db in try db.execute(sql: "INSERT INTO erasure_pending(erased_at) VALUES (1)") }
        let read = { try fixture.workspace.dbPool.read { db in try SearchDebt.read(db) } }
        let lock = try SearchRewriteLock.acquire(beside: url)
        let running = try read()
        XCTAssertEqual(running.runningErasures, 1)
        XCTAssertEqual(running.interruptedErasures, 0)
        XCTAssertTrue(running.isEmpty, "a running erasure owes nothing")
        let clock = BrowseClock(now: RolesWorkspace.at(days: 3), timeZone: TimeZone(identifier: "UTC")!)
        XCTAssertEqual(running.line(clock: clock), "An erasure is running (audio, search and -wal being scrubbed): it finishes by itself")
        // `dsr erase --finish` and a second erasure: one line, busy (75), nothing done.
        let owner = fixture.workspace.session(as: fixture.owner)
        XCTAssertThrowsError(try owner.finishInterruptedErasures()) { error in
            guard case SearchRewriteError.busy? = error as? SearchRewriteError else { return XCTFail("\(error)") }
            XCTAssertEqual((error as? SysexitsError)?.exitClass, .busy)
            XCTAssertFalse(String(describing: error).contains("\n"))
        }
        XCTAssertEqual(try fixture.workspace.dbPool.read { db in try Erasure.pendingCount(db) }, 1)
        lock.release()

        let stopped = try read()
        XCTAssertEqual(stopped.interruptedErasures, 1)
        XCTAssertEqual(stopped.runningErasures, 0)
        XCTAssertEqual(stopped.command, "handlet dsr erase --finish")
        XCTAssertNotNil(try owner.finishInterruptedErasures())
        XCTAssertTrue(try read().isEmpty)
    }

    /// One rewrite of the search at a time: a purge finding the lock held leaves the debt for its
    /// next run; an erasure running is not disturbed by a purge or a `--finish` meanwhile.
    func testASecondRewriteWaitsForTheFirstAndTouchesNoneOfItsFiles() throws {
        let (fixture, person, other) = try workspace()
        let url = fixture.workspace.databaseURL
        let admin = fixture.workspace.session(as: fixture.admin)
        try admin.perform(admin.plan(.deleteMessageText(other.messageIDs[0])), confirmed: true)
        XCTAssertEqual(try owed(fixture), ["message_fts"])

        // The lock held (here by the test): the command-line purge succeeds and leaves the debt.
        let lock = try SearchRewriteLock.acquire(beside: url)
        try fixture.workspace.session(as: .system).purge(now: RolesWorkspace.at(days: 3))
        XCTAssertEqual(try owed(fixture), ["message_fts"], "skipped this time")
        XCTAssertThrowsError(try fixture.workspace.session(as: fixture.owner).startErasure(person.contactIDs, typed: Self.planted)) { error in
            XCTAssertEqual(error as? SearchRewriteError, .busy(url.path + "-search-rewrite.lock"))
        }
        lock.release()

        // During an erasure's rewrite (its lock held, its scratch files built), a purge and a
        // `--finish` leave its files alone; the erasure then swaps what it built.
        var during: (purged: Bool, refused: Bool, files: [Bool])?
        SearchRewrite.afterBuilds = {
            let purged = (try? fixture.workspace.session(as: .system).purge(now: RolesWorkspace.at(days: 3))) != nil
            let refused = (try? fixture.workspace.session(as: fixture.owner).finishInterruptedErasures()) == nil
            let files = SearchCompaction.Index.allCases.map { FileManager.default.fileExists(atPath: SearchRewrite.scratch(for: url, $0).path) }
            during = (purged, refused, files)
        }
        defer { SearchRewrite.afterBuilds = nil }
        try fixture.workspace.session(as: fixture.owner).erase(person.contactIDs, typed: Self.planted)
        XCTAssertEqual(during?.purged, true)
        XCTAssertEqual(during?.refused, true)
        XCTAssertEqual(during?.files, [true, true, true], "every index the erasure built is still there to swap in")
        XCTAssertEqual(try owed(fixture), [])
        XCTAssertEqual(try matches(fixture, "message_fts", "Marrowgate"), 0)
        try assertIndexesMatchTheirContent(fixture)
    }

    /// The console's purge (at start, and every few minutes) leaves the search's debt to the
    /// scheduled or command-line purge: a rewrite takes tens of seconds at 1M calls.
    func testTheConsolesPurgeLeavesTheSearchDebtAndTheCommandLinePurgePaysIt() async throws {
        let (fixture, person, _) = try workspace()
        let admin = fixture.workspace.session(as: fixture.admin)
        try admin.perform(admin.plan(.deleteMessageText(person.messageIDs[0])), confirmed: true)
        XCTAssertEqual(try owed(fixture), ["message_fts"])
        let before = try structure(fixture, "message_fts")

        let runner = try fixture.workspace.session(as: .system).startPurge(now: RolesWorkspace.at(days: 3))
        _ = try await runner.result.get()
        XCTAssertEqual(try owed(fixture), ["message_fts"], "the console's purge leaves the debt")
        XCTAssertEqual(try structure(fixture, "message_fts"), before, "and does not rewrite the index")
        // Said where the user looks: what is owed, since when, and the command that pays it.
        let debt = try await admin.read(.searchDebt)
        XCTAssertEqual(debt.indexes, ["messages"])
        XCTAssertNotNil(debt.since)
        XCTAssertEqual(debt.command, "handlet purge")
        let retention = try await admin.read(.retentionOverview())
        XCTAssertEqual(retention.searchDebt, debt)
        let clock = BrowseClock(now: RolesWorkspace.at(days: 3), timeZone: TimeZone(identifier: "UTC")!)
        let line = try XCTUnwrap(debt.line(clock: clock))
        XCTAssertTrue(line.hasPrefix("Removed text in the stored search of messages since ") && line.hasSuffix("run `handlet purge` to rewrite it"), line)
        let json = String(decoding: try JSONEncoder().encode(debt), as: UTF8.self)
        XCTAssertTrue(json.contains("\"command\":\"handlet purge\""), json)

        try fixture.workspace.session(as: .system).purge(now: RolesWorkspace.at(days: 3))
        let paid = try await admin.read(.searchDebt)
        XCTAssertTrue(paid.isEmpty, "paid: nothing said any more")
        XCTAssertNil(paid.line(clock: clock))
        XCTAssertFalse(String(decoding: try JSONEncoder().encode(paid), as: UTF8.self).contains("command"))
        XCTAssertEqual(try owed(fixture), [])
        XCTAssertNotEqual(try structure(fixture, "message_fts"), before)
        try assertIndexesMatchTheirContent(fixture)
    }

    func testTheEstimateUsesTheMeasuredRatesAndTheCores() throws {
        let (fixture, _, _) = try workspace()
        try fixture.workspace.dbPool.write { db in
            try db.execute(sql: "UPDATE record_counts SET count = 1000000 WHERE table_name = 'calls'")
            try db.execute(sql: "UPDATE record_counts SET count = 3000000 WHERE table_name = 'messages'")
            try db.execute(sql: "UPDATE record_counts SET count = 500000 WHERE table_name = 'contacts'")
            // Per index: rows, build wall and CPU seconds, install seconds.
            try db.execute(sql: """
                INSERT INTO search_rewrite_rates VALUES ('call_fts', 1000, 0.020, 0.018, 0.004, 0),
                    ('message_fts', 1000, 0.006, 0.005, 0.002, 0), ('contact_fts', 1000, 0.010, 0.008, 0.003, 0),
                    ('commit', 3000, 0, 0, 0.0033, 0)
                """)
        }
        let estimate = try fixture.workspace.dbPool.read { db in
            (try SearchRewriteRates.estimate(db, [.calls, .messages, .contacts], cores: 2),
             try SearchRewriteRates.estimate(db, [.calls, .messages, .contacts], cores: 8),
             try SearchRewriteRates.estimate(db, [.contacts], cores: 2))
        }
        // Two cores: CPU 18 + 15 + 4 = 37 s over 2 = 18.5 s against the longest build, 20 s;
        // installs 4 + 6 + 1.5 s; commit 4.5M rows × 1.1 µs: 36.45 s, said as 37.
        XCTAssertEqual(estimate.0.seconds, 37)
        XCTAssertTrue(estimate.0.measured)
        XCTAssertEqual(estimate.0.duration, "about 37 s")
        XCTAssertEqual(estimate.1.seconds, 37, "the longest build bounds it")
        XCTAssertEqual(estimate.2.seconds, 8, "5 s build, 1.5 s install, 0.55 s commit")
        XCTAssertEqual(estimate.2.what, "the search of 500,000 contacts")
        var long = estimate.0
        long.seconds = 134
        XCTAssertEqual(long.duration, "about 2 min 10 s")
    }
}
