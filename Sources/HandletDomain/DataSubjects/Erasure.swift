import Foundation
import GRDB

/// What erasing a person (Art. 17) will remove, shown before the owner types their name.
public struct ErasurePreview: Sendable, Equatable, Codable {
    public let contacts: Int
    public let name: String
    public let callsAnonymised: Int
    public let recordingsDeleted: Int
    public let recordingBytes: Int64
    public let messagesDeleted: Int
    public let threadsDeleted: Int
    public let draftsDeleted: Int
    public let reviewsDeleted: Int
    public let requestsKept: Int
    /// How long the erasure will take here, mostly rewriting the search indexes that held the
    /// person (`SearchRewriteRates`): whole seconds, and what is rewritten.
    public var estimatedSeconds = 0
    /// True when the rate behind `estimatedSeconds` was measured in this workspace (a reference rate otherwise).
    public var estimateMeasured = false
    /// "the search of 1,000,000 calls, 3,000,000 messages and 500,000 contacts".
    public var rewritten = ""
    var estimateText = ""
    /// "about 1 min 20 s", for the confirmation's title (the console's dialog shows one line).
    var estimateDuration = ""

    private enum CodingKeys: String, CodingKey {
        case contacts, name, callsAnonymised, recordingsDeleted, recordingBytes, messagesDeleted, threadsDeleted,
             draftsDeleted, reviewsDeleted, requestsKept, estimatedSeconds, estimateMeasured, rewritten
    }

    public var lines: [String] {
        ["Erasing \(name) (\(DisplayText.count(contacts, "contact"))):",
         "  deleted: the contact record and its consent history, \(DisplayText.count(messagesDeleted, "message")) in "
            + "\(DisplayText.count(threadsDeleted, "thread")), \(DisplayText.count(draftsDeleted, "draft")), "
            + "\(DisplayText.count(reviewsDeleted, "review")), \(DisplayText.count(recordingsDeleted, "recording")) "
            + "(\(DisplayText.size(recordingBytes)))",
         "  kept as anonymised metadata only (time, duration, direction, outcome): \(DisplayText.count(callsAnonymised, "call"))",
         "  kept in the register without the person's details: \(DisplayText.count(requestsKept, "request"))"]
            + (estimateText.isEmpty ? [] : ["  takes \(estimateText)"])
    }
}

/// Where a running erasure is (the console's person view and status bar show it), with the
/// plan's estimate of the whole.
public struct ErasureProgress: Sendable, Equatable {
    public enum Phase: String, Sendable, Equatable, CaseIterable {
        case finishingInterrupted = "finishing an interrupted erasure"
        case erasing = "erasing the records"
        case deletingAudio = "deleting the audio"
        case rewritingSearch = "rewriting the search indexes"
        case installing = "putting the rewritten search in place"
        case checkpoint = "emptying the -wal"
    }

    public var phase: Phase
    /// Who is being erased (the plan's name).
    public var name: String
    /// The plan's estimate for the whole erasure, in whole seconds, and as said ("about 1 min 20 s").
    public var estimatedSeconds: Int
    public var estimate: String
}

/// An erasure running off the caller's thread (the console's): the same runner as every batch job.
public typealias ErasureRunner = BackgroundJobRun<ErasureProgress, ErasureReport>

/// What an erasure did.
public struct ErasureReport: Sendable, Equatable, Codable {
    public let preview: ErasurePreview
    /// Audio files deleted (this erasure's and any an interrupted erasure had left).
    public var filesDeleted: Int
    /// Erasures interrupted earlier (a kill) that this run finished.
    public var finishedInterrupted: Int
    /// False when a reader kept the checkpoint from emptying the -wal file; the next erasure retries.
    public var walTruncated: Bool
}

/// Erasing a person, crash-safe like the purge:
/// 1. one transaction (with SQLite's `secure_delete` on, so freed space is zeroed) deletes the
///    contacts, messages, threads, drafts, reviews and consents, replaces the calls by anonymised
///    metadata, marks the recordings erased and lists their files in `erasure_files`, under a row
///    of `erasure_pending`, with the audit event;
/// 2. the files are unlinked;
/// 3. each full-text index that held the person's words is rebuilt on a thread of its own
///    (`SearchRewrite`: SQLite 3.40 has no FTS5 secure-delete, and a deleted row's words stay in
///    old segments until they are rewritten); then one transaction puts them in place, forgets
///    the files and deletes the pending row;
/// 4. `wal_checkpoint(TRUNCATE)` empties the -wal file, which held the old pages.
/// A kill before step 1 commits leaves the person whole; after, the person's rows are gone and the
/// next erasure (or `dsr erase --finish`) does steps 2-4 again for every pending row.
enum Erasure {
    static let note = "erased"

    static func preview(_ held: PersonHoldings, _ db: Database) throws -> ErasurePreview {
        var preview = ErasurePreview(contacts: held.contacts.count, name: held.names.first ?? "", callsAnonymised: held.calls.count,
                                     recordingsDeleted: held.storedRecordings.count,
                                     recordingBytes: held.storedRecordings.reduce(0) { $0 + $1.bytes },
                                     messagesDeleted: held.messages.count, threadsDeleted: held.threads.count,
                                     draftsDeleted: held.drafts.count, reviewsDeleted: held.reviews.count, requestsKept: held.requests.count)
        let estimate = try SearchRewriteRates.estimate(db, try indexes(held).union(SearchCompaction.owed(db)))
        preview.estimatedSeconds = estimate.seconds
        preview.estimateMeasured = estimate.measured
        preview.rewritten = estimate.what
        preview.estimateDuration = estimate.duration
        preview.estimateText = "\(estimate.duration) at this workspace's size, mostly rewriting \(estimate.what) "
            + (estimate.measured ? "(at the rate measured here last time)" : "(at a reference rate: none measured here yet)")
        return preview
    }

    /// The full-text indexes that hold words of the person's records, so the erasure rewrites
    /// them (and only them, with any other index owed a compaction): the contacts' always (their
    /// names and emails), the calls' when a call of theirs has a summary or transcript, the
    /// messages' when they have messages.
    static func indexes(_ held: PersonHoldings) -> Set<SearchCompaction.Index> {
        var indexes: Set<SearchCompaction.Index> = [.contacts]
        if held.calls.contains(where: { !$0.call.summary.isEmpty || !$0.call.transcript.isEmpty }) { indexes.insert(.calls) }
        if !held.messages.isEmpty { indexes.insert(.messages) }
        return indexes
    }

    static func rules(_ held: PersonHoldings) throws {
        if let held = held.calls.first(where: { $0.recording?.legalHold == true && $0.recording?.purgedAt == nil }) {
            throw DataSubjectError.onLegalHold(callExternalId: held.call.externalId)
        }
    }

    /// What the owner types to confirm: any of the person's names or numbers.
    static func answers(_ held: PersonHoldings) -> [String] { held.names + held.phones }

    /// Step 1, inside the session's write transaction.
    static func commit(_ held: PersonHoldings, _ db: Database, now: Date, actor: Actor) throws -> ErasurePreview {
        let preview = try preview(held, db)
        let at = RecordingExpiry.epochSeconds(now)
        // The indexes this erasure must rewrite, recorded with it: the finish rewrites what is owed.
        for index in indexes(held) { try SearchCompaction.owe(db, index, nowSeconds: at) }
        let contacts = PersonHoldings.jsonIDs(held.contactIDs.map(\.rawValue))
        let calls = PersonHoldings.jsonIDs(held.calls.compactMap { $0.call.id?.rawValue })
        try db.execute(sql: "INSERT INTO erasure_pending(erased_at) VALUES (?)", arguments: [at])
        let erasure = db.lastInsertedRowID
        try db.execute(sql: """
            INSERT INTO erasure_files(erasure_id, file_path)
            SELECT ?, file_path FROM recordings WHERE call_id IN (SELECT value FROM json_each(?)) AND file_path IS NOT NULL
            """, arguments: [erasure, calls])
        try db.execute(sql: """
            UPDATE recordings SET file_path = NULL, sha256 = NULL, purged_at = COALESCE(purged_at, ?), purge_note = ?,
                hold_reason = NULL
            WHERE call_id IN (SELECT value FROM json_each(?))
            """, arguments: [at, note, calls])
        try db.execute(sql: """
            UPDATE legal_hold_history SET reason = '', release_reason = NULL
            WHERE recording_id IN (SELECT id FROM recordings WHERE call_id IN (SELECT value FROM json_each(?)))
            """, arguments: [calls])
        // The ids an export made before the erasure gives the person's records (a call's own id; a
        // contact's or message's `<prefix>-message-12` when it was not imported) are kept as import
        // keys pointing at nothing, so importing that export again skips them: without this, the
        // calls and messages that arrived live would come back from it.
        let messageIDs = PersonHoldings.jsonIDs(held.messages.compactMap { $0.id?.rawValue })
        let prefix = try JSONLExport.ownPrefix(db)
        try db.execute(sql: """
            INSERT OR IGNORE INTO import_keys (kind, key, record_id, imported_at)
            SELECT 'call', external_id, 0, ? FROM calls WHERE id IN (SELECT value FROM json_each(?)) AND external_id NOT LIKE 'erased-%'
            """, arguments: [at, calls])
        for (kind, table, ids) in [("message", "messages", messageIDs), ("contact", "contacts", contacts)] {
            try db.execute(sql: """
                INSERT OR IGNORE INTO import_keys (kind, key, record_id, imported_at)
                SELECT ?, ? || '-' || ? || '-' || id, 0, ? FROM \(table) WHERE id IN (SELECT value FROM json_each(?))
                AND NOT EXISTS (SELECT 1 FROM import_keys k WHERE k.kind = ? AND k.record_id = \(table).id)
                """, arguments: [kind, prefix, kind, at, ids, kind])
        }
        try db.execute(sql: """
            UPDATE calls SET external_id = 'erased-' || id, from_number = '', to_number = '', contact_id = NULL,
                summary = '', transcript = '', transcript_timing = '', job_details = NULL,
                recording_state = CASE recording_state WHEN 'recorded' THEN 'purged' ELSE recording_state END,
                recording_purged_at = CASE recording_state WHEN 'recorded' THEN ? ELSE recording_purged_at END
            WHERE id IN (SELECT value FROM json_each(?))
            """, arguments: [at, calls])
        try db.execute(sql: "DELETE FROM drafts WHERE id IN (SELECT value FROM json_each(?))",
                       arguments: [PersonHoldings.jsonIDs(held.drafts.compactMap(\.id))])
        try db.execute(sql: "DELETE FROM messages WHERE id IN (SELECT value FROM json_each(?))",
                       arguments: [PersonHoldings.jsonIDs(held.messages.compactMap { $0.id?.rawValue })])
        try db.execute(sql: "DELETE FROM threads WHERE id IN (SELECT value FROM json_each(?))",
                       arguments: [PersonHoldings.jsonIDs(held.threads.compactMap { $0.id?.rawValue })])
        try db.execute(sql: "DELETE FROM reviews WHERE id IN (SELECT value FROM json_each(?))",
                       arguments: [PersonHoldings.jsonIDs(held.reviews.compactMap(\.id))])
        // The register keeps each request (accountability) without anything that could name them;
        // an open erasure request is answered by this erasure.
        try db.execute(sql: """
            UPDATE data_subject_requests SET notes = NULL, extension_reason = CASE WHEN extension_reason IS NULL THEN NULL ELSE '' END,
                status = CASE WHEN type = 'erasure' AND status IN ('open', 'in_progress') THEN 'completed' ELSE status END,
                completed_by = CASE WHEN type = 'erasure' AND status IN ('open', 'in_progress') THEN ? ELSE completed_by END,
                completed_at = CASE WHEN type = 'erasure' AND status IN ('open', 'in_progress') THEN ? ELSE completed_at END
            WHERE contact_id IN (SELECT value FROM json_each(?))
            """, arguments: [actor.userId, at, contacts])
        // Import keys: a conversation's key (a chat file's path) and a participant's (their name)
        // can name the person, and would point at rows that are gone: deleted. A record's own key
        // stays, pointing at nothing (0), so importing the same file again does not bring them back.
        let threads = PersonHoldings.jsonIDs(held.threads.compactMap { $0.id?.rawValue })
        let messages = messageIDs
        try db.execute(sql: "DELETE FROM import_keys WHERE kind = 'thread' AND record_id IN (SELECT value FROM json_each(?))",
                       arguments: [threads])
        try db.execute(sql: "DELETE FROM import_keys WHERE kind = 'participant' AND record_id IN (SELECT value FROM json_each(?))",
                       arguments: [contacts])
        for (kind, ids) in [("contact", contacts), ("call", calls), ("message", messages)] {
            try db.execute(sql: "UPDATE import_keys SET record_id = 0 WHERE kind = ? AND record_id IN (SELECT value FROM json_each(?))",
                           arguments: [kind, ids])
        }
        try db.execute(sql: "DELETE FROM marketing_consents WHERE contact_id IN (SELECT value FROM json_each(?))", arguments: [contacts])
        try db.execute(sql: "DELETE FROM contacts WHERE id IN (SELECT value FROM json_each(?))", arguments: [contacts])
        return preview
    }

    /// Steps 2-4 for every erasure that committed and has not finished (this one, and any a kill
    /// interrupted), under the search's lock (`SearchRewriteLock`, held by the caller).
    /// `killHook` is the crash tests' (step 3 counts as its batch 1).
    static func finish(_ workspace: Workspace, under lock: JobLock, actor: Actor, now: Date, killHook: PurgeKillHook?,
                       phase: ((ErasureProgress.Phase) -> Void)? = nil) throws
        -> (files: Int, erasures: Int, walTruncated: Bool) {
        let (pending, files) = try workspace.dbPool.read { db in
            (try Int64.fetchAll(db, sql: "SELECT id FROM erasure_pending ORDER BY id"),
             try String.fetchAll(db, sql: "SELECT file_path FROM erasure_files ORDER BY id"))
        }
        guard !pending.isEmpty else { return (0, 0, true) }
        if !files.isEmpty {
            phase?(.deletingAudio)
            let folder = try OpenAudioFolder(workspace.audioDirectory)
            try folder.delete(files)
        }
        // Rewriting each index from its content leaves none of the deleted rows' words; the old
        // segments' pages are freed, and zeroed because secure_delete is on. Only the indexes
        // owed a rewrite (the erasures' own, recorded as they committed, and any other debt),
        // each built on its own thread with the write lock held only to put them in place
        // (`SearchRewrite`), which also empties the -wal.
        let owed = try workspace.dbPool.read { db in try SearchCompaction.owed(db) }
        var rewrite = SearchRewrite(workspace: workspace)
        let rewritePhase: ((SearchRewrite.Phase) -> Void)? = phase.map { tell in
            { (step: SearchRewrite.Phase) in
                switch step {
                case .building: tell(.rewritingSearch)
                case .installing: tell(.installing)
                case .checkpoint: tell(.checkpoint)
                }
            }
        }
        let outcome = try rewrite.run(owed, under: lock, killHook: killHook, killBatch: 1, phase: rewritePhase) { db in
            try db.execute(sql: "DELETE FROM erasure_files WHERE erasure_id IN (SELECT value FROM json_each(?))",
                           arguments: [PersonHoldings.jsonIDs(pending)])
            try db.execute(sql: "DELETE FROM erasure_pending WHERE id IN (SELECT value FROM json_each(?))",
                           arguments: [PersonHoldings.jsonIDs(pending)])
            // In the same transaction: the event is there exactly when the erasure is finished.
            try AuditLog.append(db, actor: actor, action: .erasureFinished, target: "erasures",
                                details: ["erasures": .int(Int64(pending.count)), "files_deleted": .int(Int64(files.count)),
                                          "indexes_rewritten": .string(owed.map(\.rawValue).sorted().joined(separator: ","))],
                                at: now)
        }
        return (files.count, pending.count, outcome.walTruncated)
    }

    /// Runs `body` with the writer's `secure_delete` on, so what it deletes is overwritten with zeros.
    /// Every workspace connection already has it on (`Workspace.configuration`); set again here so
    /// the erasure never depends on that, and left on.
    static func withSecureDelete<T>(_ workspace: Workspace, _ body: () throws -> T) throws -> T {
        try workspace.dbPool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA secure_delete = ON") }
        return try body()
    }

    static func pendingCount(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM erasure_pending") ?? 0
    }
}

extension WorkspaceCommand where Result == ErasurePreview {
    /// Erases the person whose contacts are `ids` (owner only). The plan previews what goes and asks
    /// the owner to type the person's name or one of their numbers; carry it out with
    /// `session.erase(_:typed:)`, which also deletes the audio and scrubs the indexes and the -wal.
    public static func erasePerson(_ ids: [Contact.ID]) -> Self {
        erasePerson(ids, killHook: nil, counter: nil)
    }

    static func erasePerson(_ ids: [Contact.ID], killHook: PurgeKillHook?, counter: KillCounterBox?) -> Self {
        WorkspaceCommand(.dataSubjectErasure, audit: .contactErased, rules: { db, environment in
            try Erasure.rules(PersonHoldings.read(ids, in: db, now: environment.now))
        }, outline: { db, environment in
            let held = try PersonHoldings.read(ids, in: db, now: environment.now)
            let preview = try Erasure.preview(held, db)
            return ChangeOutline(preview: .erasure(preview), confirmation: Confirmation(
                title: "Erase \(preview.name) (takes \(preview.estimateDuration))",
                question: "Erase everything held about \(preview.name)? It takes \(preview.estimateDuration) here. "
                    + "This cannot be undone. Type their name or number to confirm:",
                confirmLabel: "Erase", declined: "Not confirmed; nothing was erased.", isDestructive: true,
                answers: Erasure.answers(held)))
        }) { db, environment in
            counter?.counter = killHook?.arm(db, batch: 0)
            let held = try PersonHoldings.read(ids, in: db, now: environment.now)
            let preview = try Erasure.commit(held, db, now: environment.now, actor: environment.actor)
            let first = held.contactIDs.first!.rawValue
            return .changed(preview, target: "contact:\(first)",
                            details: ["contacts": .string(held.contactIDs.map { String($0.rawValue) }.joined(separator: ",")),
                                      "calls_anonymised": .int(Int64(preview.callsAnonymised)),
                                      "recordings": .int(Int64(preview.recordingsDeleted)),
                                      "messages": .int(Int64(preview.messagesDeleted)),
                                      "drafts": .int(Int64(preview.draftsDeleted)),
                                      "reviews": .int(Int64(preview.reviewsDeleted))])
        }
    }
}

/// Carries the kill hook's counter out of the erasure's transaction (crash tests only).
final class KillCounterBox: @unchecked Sendable {
    var counter: PurgeKillHook.Counter?
}

extension WorkspaceSession {
    /// Erases the person whose contacts are `ids`, once the owner typed `typed` in answer to the
    /// plan's question (`plan(.erasePerson(ids))`: their name or one of their numbers, as
    /// `Confirmation.accepts` decides). Finishes any erasure a kill interrupted first, then commits
    /// this one, deletes the audio, merges the full-text indexes and truncates the -wal (`Erasure`).
    @discardableResult
    public func erase(_ ids: [Contact.ID], typed: String) throws -> ErasureReport {
        try erase(ids, typed: typed, progress: nil)
    }

    /// The same erasure on a background task, reporting each phase as an event (the console's, so
    /// it stays usable for the minute a rewrite of the search takes at a million calls). What was
    /// typed is checked before it starts: a refusal or a wrong answer is thrown here, nothing done.
    /// Not cancellable: stopped by the process ending, it is finished by the next erasure or
    /// `handlet dsr erase --finish` (`interruptedErasures`), like any erasure a kill interrupted.
    public func startErasure(_ ids: [Contact.ID], typed: String) throws -> ErasureRunner {
        let question = try plan(.erasePerson(ids))
        if let refusal = question.refusalError { throw refusal }
        guard question.confirmation?.accepts(typed) == true else { throw DataSubjectError.wrongConfirmation }
        // Another erasure or rewrite running: refused here, before anything starts.
        try SearchRewriteLock.acquire(beside: workspace.databaseURL).release()
        return ErasureRunner { _, progress in try self.erase(ids, typed: typed, progress: progress) }
    }

    private func erase(_ ids: [Contact.ID], typed: String, progress: ((ErasureProgress) -> Void)?) throws -> ErasureReport {
        let plan = try plan(.erasePerson(ids))
        if let refusal = plan.refusalError { throw refusal }
        guard plan.confirmation?.accepts(typed) == true else { throw DataSubjectError.wrongConfirmation }
        // Held from before step 1 to the end: meanwhile the pending row reads as running, and no
        // other erasure, `--finish` or purge rewrites the search.
        let lock = try SearchRewriteLock.acquire(beside: workspace.databaseURL)
        defer { lock.release() }
        var current: ErasureProgress?
        if case .erasure(let preview)? = plan.preview {
            current = ErasureProgress(phase: .erasing, name: preview.name, estimatedSeconds: preview.estimatedSeconds,
                                      estimate: preview.estimateDuration)
        }
        let tell: (ErasureProgress.Phase) -> Void = { phase in
            guard var update = current else { return }
            update.phase = phase
            current = update
            progress?(update)
        }
        let killHook = PurgeKillHook.fromEnvironment(variable: "HANDLET_TEST_ERASE_KILL")
        let earlier = try Erasure.finish(workspace, under: lock, actor: actor, now: now, killHook: nil) { _ in tell(.finishingInterrupted) }
        tell(.erasing)
        let box = KillCounterBox()
        let command = WorkspaceCommand<ErasurePreview>.erasePerson(ids, killHook: killHook, counter: box).confirming(true)
        let preview = try Erasure.withSecureDelete(workspace) { try perform(command) }
        killHook?.afterCommit(box.counter)
        let finished = try Erasure.finish(workspace, under: lock, actor: actor, now: now, killHook: killHook, phase: tell)
        return ErasureReport(preview: preview, filesDeleted: earlier.files + finished.files,
                             finishedInterrupted: earlier.erasures, walTruncated: finished.walTruncated)
    }

    /// Finishes erasures a kill interrupted (their audio, the index merge, the checkpoint). Owner only.
    @discardableResult
    public func finishInterruptedErasures() throws -> ErasureReport? {
        try actor.require(.dataSubjectErasure)
        let lock = try SearchRewriteLock.acquire(beside: workspace.databaseURL)
        defer { lock.release() }
        let done = try Erasure.finish(workspace, under: lock, actor: actor, now: now, killHook: nil)
        guard done.erasures > 0 else {
            // A kill after the last step but before the checkpoint leaves old pages in the -wal.
            _ = try? workspace.dbPool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
            return nil
        }
        return ErasureReport(preview: ErasurePreview(contacts: 0, name: "", callsAnonymised: 0, recordingsDeleted: 0,
                                                     recordingBytes: 0, messagesDeleted: 0, threadsDeleted: 0,
                                                     draftsDeleted: 0, reviewsDeleted: 0, requestsKept: 0),
                             filesDeleted: done.files, finishedInterrupted: done.erasures, walTruncated: done.walTruncated)
    }
}

extension WorkspaceSession {
    /// Rewrites the whole database file (`VACUUM`, then the -wal emptied). The erasure zeroes what
    /// it deletes, but a page may still hold an older copy of a row in its unused space, left there
    /// before the erasure by writes made without `secure_delete` (a page split during an import
    /// leaves the cells it moved behind); only rebuilding the file removes those. It takes time and
    /// free disk in proportion to the workspace, so it is asked for (`dsr erase --vacuum`). Owner only.
    public func compactAfterErasure() throws {
        try actor.require(.dataSubjectErasure)
        try workspace.dbPool.writeWithoutTransaction { db in
            try db.execute(sql: "VACUUM")
            _ = try db.checkpoint(.truncate)
        }
    }
}

extension WorkspaceQuery where Value == Date? {
    /// When contact `id` was erased, from the audit log (which names erased contacts by id only);
    /// nil when no erasure named it.
    public static func erasure(ofContact id: Int64) -> Self {
        .reading(.browse) { db in
            try Int64.fetchOne(db, sql: """
                SELECT at FROM audit_events WHERE action = ?
                AND instr(',' || json_extract(details, '$.contacts') || ',', ',' || ? || ',') > 0
                ORDER BY seq DESC LIMIT 1
                """, arguments: [AuditAction.contactErased.rawValue, String(id)]).map { Date(timeIntervalSince1970: TimeInterval($0)) }
        }
    }
}

extension WorkspaceQuery where Value == Int {
    /// Erasures committed but not finished (a kill between their steps); the next erasure finishes them.
    public static var interruptedErasures: Self { .reading(.browse) { db in try Erasure.pendingCount(db) } }
}
