import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Deletes the audio of expired recordings and marks them purged; calls keep their metadata,
/// summary and transcript. Then, when the workspace sets its own text periods, removes the call
/// summaries, transcripts and message bodies past them (`TextPurge`), keeping every row's metadata.
///
/// Crash safety comes from the order of steps in each batch:
/// 1. one transaction nulls the recordings' paths and hashes, marks them and their calls purged,
///    and lists the files in `purge_journal`;
/// 2. the files are unlinked, outside any transaction (on a second thread, while the next batch
///    commits: see `PurgeFileDeleter`);
/// 3. a later transaction (a later batch's, or the run's last), begun after the unlinks finished,
///    deletes those journal rows.
/// A kill at any instant leaves either the untouched rows and their files, or nulled rows whose
/// files are listed in the journal; the next run unlinks journalled files before anything else.
/// So no row points at a missing file and no file is left that nothing refers to.
///
/// Runs through a session (`session.purge(batchSize:now:cancellation:progress:)`, which needs
/// `.purgeExpiredRecordings`); many transactions by design, one audit event per run.
public struct Purge: Sendable {
    public static let defaultBatchSize = 2_000
    public static let batchSizes: ClosedRange<Int> = 1...100_000

    let workspace: Workspace
    let batchSize: Int

    init(workspace: Workspace, batchSize: Int = Purge.defaultBatchSize) throws {
        try Self.checkBatchSize(batchSize)
        self.workspace = workspace
        self.batchSize = batchSize
    }

    /// Refuses a batch size outside `batchSizes` (before a dry run, too).
    public static func checkBatchSize(_ batchSize: Int) throws {
        guard batchSizes.contains(batchSize) else { throw PurgeError.invalidBatchSize(batchSize) }
    }

    // MARK: Dry run

    /// What a run at `now` would delete, oldest expiry first, without changing anything.
    func plan(now: Date = Date(), limit: Int? = nil) throws -> PurgePlan {
        try workspace.dbPool.read { db in try Self.plan(db, now: now, limit: limit) }
    }

    static func plan(_ db: Database, now: Date, limit: Int?) throws -> PurgePlan {
        do {
            let nowSeconds = RecordingExpiry.epochSeconds(now)
            let summary = try Row.fetchOne(db, sql: """
                SELECT COUNT(*), TOTAL(bytes) FROM recordings
                WHERE purged_at IS NULL AND legal_hold = 0 AND expires_at <= ?
                """, arguments: [nowSeconds])!
            let pending = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM purge_journal") ?? 0
            let candidates = try Row.fetchAll(db, sql: """
                SELECT r.id, r.call_id, c.external_id, r.created_at, r.expires_at, r.bytes
                FROM recordings r JOIN calls c ON c.id = r.call_id
                WHERE r.purged_at IS NULL AND r.legal_hold = 0 AND r.expires_at <= ?
                ORDER BY r.expires_at, r.id LIMIT ?
                """, arguments: [nowSeconds, limit ?? -1]).map { row in
                PurgeCandidate(recordingId: row[0], callId: row[1], callExternalId: row[2],
                               createdAt: Date(timeIntervalSince1970: TimeInterval(row[3] as Int64)),
                               expiresAt: Date(timeIntervalSince1970: TimeInterval(row[4] as Int64)), bytes: row[5])
            }
            let text = try TextRetentionSettings.load(db)
            func textDue(_ kind: TextKind) throws -> Int {
                guard let period = text[kind] else { return 0 }
                return try Int.fetchOne(db, sql: TextPurge.windowSQL(kind), arguments: [Int64.min, nowSeconds - period.seconds]) ?? 0
            }
            return PurgePlan(recordings: summary[0], bytes: Int64(summary[1] as Double),
                             unfinishedFromInterruptedRun: pending, candidates: candidates,
                             callTexts: try textDue(.transcripts), messageTexts: try textDue(.messages))
        }
    }

    // MARK: Run

    /// How long a run may spend reading the rows it will change before its first write.
    static let checkBudget: TimeInterval = 3

    /// Runs the purge to completion, or until `cancellation` is set (checked between batches).
    /// `progress` is called after each batch, on the calling thread.
    @discardableResult
    func run(by actor: Actor = .system, now: Date = Date(), cancellation: PurgeCancellation? = nil,
             payingSearchDebt: Bool = true, progress: ((PurgeProgress) -> Void)? = nil) throws -> PurgeReport {
        let audio = workspace.audioDirectory
        try AudioFolder.checkWritable(audio)
        let folder = try OpenAudioFolder(audio)
        let lock = try JobLock.purge(beside: workspace.databaseURL)
        defer { lock.release() }

        let nowSeconds = RecordingExpiry.epochSeconds(now)
        // Read before the run's first write, so a damaged table stops the run with nothing written.
        // Batches go in storage order, not expiry order: expiry can be unrelated to where rows
        // live (an imported history, a shortened period), and a batch of rows scattered over the
        // whole table rewrites most of its pages at every commit. In order, each page is written
        // about once per run. `now` is fixed, so this is exactly the set the run must purge.
        // Files a killed run had committed to deleting go first (no other purge can add any: the lock).
        let (leftover, due, resumed, textDue) = try workspace.dbPool.read { db in
            let resumed = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM purge_run") == 1
            let leftover = try Row.fetchAll(db, sql: "SELECT id, file_path FROM purge_journal ORDER BY id").map {
                (id: $0[0] as Int64, path: $0[1] as String)
            }
            let due = try Int64.fetchAll(db, sql: """
                SELECT id FROM recordings WHERE purged_at IS NULL AND legal_hold = 0 AND expires_at <= ?
                """, arguments: [nowSeconds])
            // Text past its own period (DESIGN §5), taken after the audio, each kind in its own batches.
            let text = try TextRetentionSettings.load(db)
            let textDue = try TextKind.allCases.compactMap { kind -> (kind: TextKind, period: TextRetentionPeriod, ids: [Int64])? in
                guard let period = text[kind] else { return nil }
                return (kind, period, try TextPurge.due(db, kind: kind, period: period, nowSeconds: nowSeconds))
            }
            // The pages the run is about to change, read before its first write (issue 28), in
            // the order its batches take them: a damaged one stops the run with nothing written.
            let ordered = due.sorted()
            var targets = [BoundedCheck.rows(of: "recordings", ids: ordered),
                           BoundedCheck.Target(sql: """
                               SELECT * FROM calls WHERE id IN
                               (SELECT call_id FROM recordings WHERE id IN (SELECT value FROM json_each(?)))
                               """, ids: ordered)]
            for text in textDue { targets.append(BoundedCheck.rows(of: text.kind == .transcripts ? "calls" : "messages", ids: text.ids)) }
            try BoundedCheck.run(db, targets, budget: Self.checkBudget)
            return (leftover, ordered, resumed, textDue)
        }
        // The run is recorded (or a resumed one counted) in its first write transaction, the first
        // batch's or the last one's, so a batch that meets a damaged page rolls back with nothing
        // of the run committed. A kill before that commit leaves nothing of this run to resume.
        var runMarked = false
        func markRun(_ db: Database) throws {
            guard !runMarked else { return }
            if resumed {
                try db.execute(sql: "UPDATE purge_run SET interruptions = interruptions + 1 WHERE id = 1")
            } else {
                try db.execute(sql: "INSERT INTO purge_run(id, started_at, actor) VALUES (1, ?, ?)",
                               arguments: [nowSeconds, actor.auditName])
            }
        }

        try folder.delete(leftover.map(\.path))
        let deleter = PurgeFileDeleter(folder: folder, deletedThrough: leftover.last?.id ?? 0)
        // Runs before the lock's release: a run that fails still finishes the unlinks it queued,
        // so no second purge starts while this one's files are still going.
        defer { _ = try? deleter.finish() }

        var state = PurgeProgress(total: due.count, purged: 0, bytes: 0, missingFiles: 0, batches: 0,
                                  textTotal: textDue.reduce(0) { $0 + $1.ids.count })
        progress?(state)

        var cancelled = false
        // Test hook (crash-safety tests only): nil unless HANDLET_TEST_PURGE_KILL is set.
        let killHook = PurgeKillHook.fromEnvironment()
        var batchIndex = 0
        // On a full disk (SQLite cannot append to the -wal) a batch is rolled back whole and
        // retried with room made: the unlinks already queued finish, the -wal is truncated, the
        // batch shrinks to a quarter down to one recording, and then the space reserve goes.
        let reserve = SpaceReserve(beside: workspace.databaseURL)
        func makeRoom(_ size: inout Int) -> Bool {
            _ = try? deleter.finish()
            _ = try? workspace.dbPool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
            if size > 1 { size = max(1, size / 4); return true }
            return reserve.release()
        }
        var size = batchSize
        var start = 0
        while start < due.count {
            if cancellation?.isCancelled == true { cancelled = true; break }
            let doneThrough = deleter.deletedThrough
            let ids = due[start..<min(start + size, due.count)]
            nonisolated(unsafe) var killCounter: PurgeKillHook.Counter?
            let index = batchIndex
            let batch: CommittedBatch
            do {
                batch = try workspace.dbPool.write { db in
                    killCounter = killHook?.arm(db, batch: index)
                    try markRun(db)
                    try db.execute(sql: "DELETE FROM purge_journal WHERE id <= ?", arguments: [doneThrough])
                    return try commitBatch(db, ids: ids, nowSeconds: nowSeconds, folder: folder)
                }
            } catch WorkspaceError.diskFull(let path) {
                guard makeRoom(&size) else { throw WorkspaceError.diskFull(path) }
                continue
            }
            start += ids.count
            killHook?.afterCommit(killCounter)
            batchIndex += 1
            runMarked = true
            state.skipped += batch.skipped
            guard batch.recordings > 0 else {
                if batch.skipped.total > 0 { progress?(state) }
                continue
            }
            try deleter.delete(batch.files, journalThrough: batch.lastJournalId)
            state.purged += batch.recordings
            state.bytes += batch.bytes
            state.missingFiles += batch.missingFiles
            state.batches += 1
            progress?(state)
        }

        // Then the text past its period: the same batches, transactions and kill points as the audio,
        // with nothing to unlink. Each batch checks again what is due, so a resumed run takes what is left.
        for (kind, period, ids) in textDue where !cancelled {
            let cutoff = nowSeconds - period.seconds
            let counter = kind == .transcripts ? "call_texts" : "message_texts"
            for start in stride(from: 0, to: ids.count, by: batchSize) {
                if cancellation?.isCancelled == true { cancelled = true; break }
                let doneThrough = deleter.deletedThrough
                let slice = ids[start..<min(start + batchSize, ids.count)]
                nonisolated(unsafe) var killCounter: PurgeKillHook.Counter?
                let index = batchIndex
                let removed = try workspace.dbPool.write { db in
                    killCounter = killHook?.arm(db, batch: index)
                    try markRun(db)
                    try db.execute(sql: "DELETE FROM purge_journal WHERE id <= ?", arguments: [doneThrough])
                    let removed = try TextPurge.removeBatch(db, kind: kind, ids: slice, cutoff: cutoff, nowSeconds: nowSeconds)
                    try db.execute(sql: "UPDATE purge_run SET \(counter) = \(counter) + ? WHERE id = 1", arguments: [removed])
                    return removed
                }
                killHook?.afterCommit(killCounter)
                batchIndex += 1
                runMarked = true
                if kind == .transcripts { state.callTexts += removed } else { state.messageTexts += removed }
                state.textSkipped += slice.count - removed
                progress?(state)
            }
        }

        let finalDoneThrough = try deleter.finish()
        // The run's last transaction counts as the batch after the last one for the kill hook.
        nonisolated(unsafe) var finalKillCounter: PurgeKillHook.Counter?
        let finalIndex = batchIndex
        var finalSize = 1
        func finalTransaction() throws -> PurgeReport {
          try workspace.dbPool.write { db in
            finalKillCounter = killHook?.arm(db, batch: finalIndex)
            try markRun(db)
            try db.execute(sql: "DELETE FROM purge_journal WHERE id <= ?", arguments: [finalDoneThrough])
            let run = try Row.fetchOne(db, sql: """
                SELECT purged, bytes, missing_files, batches, interruptions, call_texts, message_texts FROM purge_run WHERE id = 1
                """)
            let totals = PurgeReport.Totals(purged: run?[0] ?? state.purged, bytes: run?[1] ?? state.bytes,
                                            missingFiles: run?[2] ?? state.missingFiles, batches: run?[3] ?? state.batches,
                                            interruptions: run?[4] ?? 0, skipped: state.skipped,
                                            callTexts: run?[5] ?? state.callTexts, messageTexts: run?[6] ?? state.messageTexts)
            // Removed text leaves the full-text index's stored segments only when the index is
            // rewritten. Recorded here as a debt, in the run's last transaction (a kill rolls it
            // back with the run still recorded, so the resumed run records it again), and paid
            // after it by a purge that pays debts (`payingSearchDebt`), with any debt deleting
            // one item's text left.
            if totals.callTexts > 0 { try SearchCompaction.owe(db, .calls, nowSeconds: nowSeconds) }
            if totals.messageTexts > 0 { try SearchCompaction.owe(db, .messages, nowSeconds: nowSeconds) }
            try db.execute(sql: "DELETE FROM purge_run")
            // One event per run; a run resumed after a crash reports the crashed run's work too.
            try AuditLog.append(db, actor: actor, action: .purgeRun, target: "recordings",
                                details: ["purged": .int(Int64(totals.purged)), "bytes": .int(totals.bytes),
                                          "missing_files": .int(Int64(totals.missingFiles)),
                                          "batches": .int(Int64(totals.batches)),
                                          "interruptions": .int(Int64(totals.interruptions)),
                                          "call_texts": .int(Int64(totals.callTexts)),
                                          "message_texts": .int(Int64(totals.messageTexts)),
                                          "cancelled": .bool(cancelled)].merging(totals.skipped.auditDetails) { $1 },
                                at: now)
            return PurgeReport(thisRun: state, run: totals, resumedInterruptedRun: resumed,
                               leftoverFilesDeleted: leftover.count, cancelled: cancelled, walTruncated: false)
          }
        }
        let report: PurgeReport
        do {
            report = try finalTransaction()
        } catch WorkspaceError.diskFull(let path) {
            guard makeRoom(&finalSize) else { throw WorkspaceError.diskFull(path) }
            report = try finalTransaction()
        }
        killHook?.afterCommit(finalKillCounter)
        // Old page images holding the purged paths and hashes leave the -wal file only here.
        // A long-lived reader can block it; the purge is still complete, so report rather than fail.
        var truncated = (try? workspace.dbPool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }) != nil
        // The search's debt: each owed index rewritten on a thread of its own, the write lock held
        // only to put it in place (`SearchRewrite`), which empties the -wal again. Only the
        // scheduled or command-line purge pays it: at 1M calls a rewrite takes tens of seconds,
        // which a console opening must not wait for (its purge leaves the debt recorded).
        if payingSearchDebt {
            let owed = try workspace.dbPool.read { db in try SearchCompaction.owed(db) }
            // An erasure (or another rewrite) running holds the search: the debt stays for the next run.
            if !owed.isEmpty, let lock = try? SearchRewriteLock.acquire(beside: workspace.databaseURL) {
                defer { lock.release() }
                var rewrite = SearchRewrite(workspace: workspace)
                truncated = try rewrite.run(owed, under: lock, killHook: killHook, killBatch: finalIndex + 1) { _ in }.walTruncated
            }
        }
        // The room for the next full disk, when this one has it.
        reserve.ensure()
        return report.with(walTruncated: truncated)
    }

    private struct CommittedBatch {
        var recordings = 0
        var bytes: Int64 = 0
        var missingFiles = 0
        var files: [String] = []
        var lastJournalId: Int64?
        var skipped = PurgeSkips()
    }

    /// One transaction, a handful of set-based statements whatever the batch size: per-row
    /// statements cost three round trips through GRDB per recording and made the writer's page
    /// cache thrash (1.7 million `pwrite`s for 100,000 recordings).
    private func commitBatch(_ db: Database, ids candidates: ArraySlice<Int64>, nowSeconds: Int64,
                             folder: OpenAudioFolder) throws -> CommittedBatch {
        // Checked again inside the transaction: a hold placed since the run began wins.
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT id, call_id, file_path, bytes FROM recordings
            WHERE id IN (SELECT value FROM json_each(?)) AND purged_at IS NULL AND legal_hold = 0 AND expires_at <= ?
            """), arguments: [Self.jsonArray(candidates), nowSeconds])
        var batch = CommittedBatch()
        guard !rows.isEmpty else { return batch }
        var recordingIds: [Int64] = [], callIds: [Int64] = [], journalled: [Int64] = []
        var missing: [Int64] = []
        recordingIds.reserveCapacity(rows.count)
        callIds.reserveCapacity(rows.count)
        journalled.reserveCapacity(rows.count)
        // A recording whose file cannot be deleted is skipped, counted by why, and left as it is
        // (stored, due): not marked purged, since its audio is still there. The next run retries.
        for row in rows {
            let recordingId: Int64 = row[0]
            if let path = row[2] as String? {
                guard AudioFolder.isInside(path) else {
                    batch.skipped.unsafePaths += 1
                    continue
                }
                switch try folder.entry(path) {
                case .file:
                    guard folder.mayDelete(path) else {
                        batch.skipped.notDeletable += 1
                        continue
                    }
                    journalled.append(recordingId)
                    batch.files.append(path)
                case .missing:
                    missing.append(recordingId)
                case .notAFile:
                    // A folder (or device...) where a recording should be: never unlinked, and never
                    // journalled, since an unlink that fails on every run would stop every purge.
                    batch.skipped.notFiles += 1
                    continue
                }
            } else {
                missing.append(recordingId)
            }
            recordingIds.append(recordingId)
            callIds.append(row[1])
            batch.bytes += row[3] as Int64
        }
        batch.recordings = recordingIds.count
        batch.missingFiles = missing.count
        guard !recordingIds.isEmpty else { return batch }

        let ids = Self.jsonArray(recordingIds)
        if !journalled.isEmpty {
            try db.execute(sql: """
                INSERT INTO purge_journal(recording_id, file_path)
                SELECT id, file_path FROM recordings WHERE id IN (SELECT value FROM json_each(?))
                """, arguments: [Self.jsonArray(journalled)])
            batch.lastJournalId = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM purge_journal")
        }
        // A missing file outranks a requested deletion in the note: it says what happened.
        try db.execute(sql: """
            UPDATE recordings SET file_path = NULL, sha256 = NULL, purged_at = ?,
                purge_note = CASE
                    WHEN id IN (SELECT value FROM json_each(?)) THEN ?
                    WHEN purge_note = ? THEN ?
                    ELSE NULL END
            WHERE id IN (SELECT value FROM json_each(?))
            """, arguments: [nowSeconds, Self.jsonArray(missing), PurgeNote.fileMissing,
                             PurgeNote.deletionRequested, PurgeNote.deletedOnRequest, ids])
        try db.execute(sql: """
            UPDATE calls SET recording_state = 'purged', recording_purged_at = ?
            WHERE id IN (SELECT value FROM json_each(?))
            """, arguments: [nowSeconds, Self.jsonArray(callIds)])
        try db.execute(sql: """
            UPDATE purge_run SET purged = purged + ?, bytes = bytes + ?, missing_files = missing_files + ?,
            batches = batches + 1 WHERE id = 1
            """, arguments: [batch.recordings, batch.bytes, batch.missingFiles])
        return batch
    }

    /// Ids as a JSON array for `json_each`: a batch can hold more ids than SQLite allows parameters.
    private static func jsonArray<Ids: Collection<Int64>>(_ ids: Ids) -> String {
        "[" + ids.map(String.init).joined(separator: ",") + "]"
    }
}

/// What a dry run reports.
public struct PurgePlan: Equatable, Sendable, Codable {
    public let recordings: Int
    public let bytes: Int64
    /// Files a killed run committed to deleting; a real run deletes them first.
    public let unfinishedFromInterruptedRun: Int
    public let candidates: [PurgeCandidate]
    /// Calls whose summary and transcript are past their own period (0 when it is off).
    public var callTexts = 0
    /// Messages whose body is past its own period (0 when it is off).
    public var messageTexts = 0
}

public struct PurgeCandidate: Equatable, Sendable, Codable {
    public let recordingId: Recording.ID
    public let callId: Call.ID
    public let callExternalId: String
    public let createdAt: Date
    public let expiresAt: Date
    public let bytes: Int64
}

/// Progress of the run in this process, reported after each batch.
public struct PurgeProgress: Equatable, Sendable, Codable {
    /// Recordings due when this run started.
    public var total: Int
    public var purged: Int
    public var bytes: Int64
    public var missingFiles: Int
    public var batches: Int
    /// Due recordings left stored because their file could not be deleted (not purged).
    public var skipped = PurgeSkips()
    /// Calls and messages whose text was due when this run started (text retention, DESIGN §5).
    public var textTotal = 0
    /// Calls whose summary and transcript this run removed.
    public var callTexts = 0
    /// Messages whose body this run removed.
    public var messageTexts = 0
    /// Due text a batch found no longer due (a hold placed meanwhile, another run took it).
    public var textSkipped = 0

    public var fraction: Double {
        let all = total + textTotal
        return all == 0 ? 1 : min(1, Double(purged + skipped.total + callTexts + messageTexts + textSkipped) / Double(all))
    }
}

/// Due recordings a run could not delete, by why. They stay stored and due, so the next run
/// retries them and the Retention tab counts them as due; a person has to look at each.
public struct PurgeSkips: Equatable, Sendable, Codable {
    /// The stored path leaves the recordings folder (`..`, absolute, NUL byte, empty).
    public var unsafePaths = 0
    /// A folder (or other non-file) where the recording's file should be.
    public var notFiles = 0
    /// The file's folder refuses deletion (no write permission), so unlinking it would fail.
    public var notDeletable = 0

    public init(unsafePaths: Int = 0, notFiles: Int = 0, notDeletable: Int = 0) {
        self.unsafePaths = unsafePaths
        self.notFiles = notFiles
        self.notDeletable = notDeletable
    }

    public var total: Int { unsafePaths + notFiles + notDeletable }

    static func += (lhs: inout PurgeSkips, rhs: PurgeSkips) {
        lhs.unsafePaths += rhs.unsafePaths
        lhs.notFiles += rhs.notFiles
        lhs.notDeletable += rhs.notDeletable
    }

    /// The `recording.purge_run` audit event's fields for them.
    var auditDetails: [String: AuditValue] {
        ["skipped": .int(Int64(total)), "skipped_unsafe_path": .int(Int64(unsafePaths)),
         "skipped_not_a_file": .int(Int64(notFiles)), "skipped_not_deletable": .int(Int64(notDeletable))]
    }

    init(auditDetails details: [String: AuditValue]) {
        func int(_ key: String) -> Int { if case .int(let value) = details[key] { Int(value) } else { 0 } }
        self.init(unsafePaths: int("skipped_unsafe_path"), notFiles: int("skipped_not_a_file"),
                  notDeletable: int("skipped_not_deletable"))
    }
}

public struct PurgeReport: Equatable, Sendable, Codable {
    /// Totals of the run as audited: this process's work plus that of any run it resumed.
    public struct Totals: Equatable, Sendable, Codable {
        public let purged: Int
        public let bytes: Int64
        public let missingFiles: Int
        public let batches: Int
        public let interruptions: Int
        /// This process's count: skipped recordings stay due, so every run (a resumed one too) meets them all.
        public let skipped: PurgeSkips
        /// Calls whose summary and transcript went, and messages whose body went (text retention).
        public var callTexts = 0
        public var messageTexts = 0
    }

    public let thisRun: PurgeProgress
    public let run: Totals
    public let resumedInterruptedRun: Bool
    public let leftoverFilesDeleted: Int
    public let cancelled: Bool
    /// False when a reader kept the checkpoint from emptying the -wal file; the next run retries.
    public let walTruncated: Bool

    func with(walTruncated: Bool) -> PurgeReport {
        PurgeReport(thisRun: thisRun, run: run, resumedInterruptedRun: resumedInterruptedRun,
                    leftoverFilesDeleted: leftoverFilesDeleted, cancelled: cancelled, walTruncated: walTruncated)
    }
}

/// A purge stops at its next batch boundary when asked, like any batch job.
public typealias PurgeCancellation = JobCancellation

public enum PurgeError: SysexitsError, Equatable, CustomStringConvertible {
    case invalidBatchSize(Int)
    case audioFolderMissing(String)
    case audioFolderNotAFolder(String)
    case audioFolderReadOnly(String)
    case alreadyRunning(String)
    case lockUnavailable(path: String, reason: String)
    case cannotDelete(path: String, reason: String)
    case cannotCheck(path: String, reason: String)

    public var exitClass: ExitClass {
        switch self {
        // A whole number out of its range (a malformed one never parses): bad data.
        case .invalidBatchSize: .dataError
        case .alreadyRunning: .busy
        // Left stored and due for the next run (README, "Retention and purge").
        case .cannotDelete: .dataError
        case .audioFolderMissing, .audioFolderNotAFolder, .audioFolderReadOnly, .lockUnavailable, .cannotCheck: .failure
        }
    }

    public var description: String {
        switch self {
        case .invalidBatchSize(let size):
            "Batch size \(size) is invalid: give a whole number from \(Purge.batchSizes.lowerBound) to \(Purge.batchSizes.upperBound)."
        case .audioFolderMissing(let path):
            "The recordings folder \(path) is missing; nothing was purged. Restore it (or recreate it empty) and run the purge again."
        case .audioFolderNotAFolder(let path):
            "\(path) should be the recordings folder but is not a folder; nothing was purged."
        case .audioFolderReadOnly(let path):
            "The recordings folder \(path) is read-only; nothing was purged. Give handlet write access and run the purge again."
        case .alreadyRunning(let path):
            "Another purge is running on this workspace (lock \(path)); try again when it finishes."
        case .lockUnavailable(let path, let reason):
            "Could not create the purge lock \(path): \(reason); nothing was purged."
        case .cannotCheck(let path, let reason):
            "Could not check recording file \(path): \(reason). Nothing in its batch was purged; fix access and run the purge again."
        case .cannotDelete(let path, let reason):
            "Could not delete recording file \(path): \(reason). It stays listed for the next purge."
        }
    }
}
