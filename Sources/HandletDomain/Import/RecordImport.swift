import Foundation
import GRDB

/// How an import runs (`handlet import`).
public struct ImportOptions: Sendable {
    public static let defaultBatchSize = 5_000

    /// Import nothing if any row is bad: the whole import is one transaction, rolled back on a rejection.
    public var strict: Bool
    /// Change nothing: the import runs in one transaction that is rolled back, and reports what it would have done.
    public var dryRun: Bool
    /// Records per transaction (each with its `records.imported` event).
    public var batchSize: Int
    /// Write the rows first and rebuild the search after (true), or keep the per-row triggers
    /// (false); nil decides from the input's size and the workspace's (`RecordImport.rebuildsSearch`).
    public var rebuildSearchAfter: Bool?

    /// What the command line tells a format's parser (`--me`, `--date-order`, `--columns`, ...).
    public var format: ImportFormatOptions
    /// `format.timeZone` was given (`--time-zone`); otherwise the business's time zone is used.
    public var formatSetsTimeZone: Bool

    public init(strict: Bool = false, dryRun: Bool = false, batchSize: Int = defaultBatchSize, rebuildSearchAfter: Bool? = nil,
                format: ImportFormatOptions = ImportFormatOptions(), formatSetsTimeZone: Bool = false) {
        self.format = format
        self.formatSetsTimeZone = formatSetsTimeZone
        self.strict = strict
        self.dryRun = dryRun
        self.batchSize = batchSize
        self.rebuildSearchAfter = rebuildSearchAfter
    }
}

/// What an import stored, skipped and refused.
public struct ImportCounts: Sendable, Equatable, Codable {
    /// Contact records stored as new contacts (not those created for a call or message).
    public var contacts = 0
    public var calls = 0
    public var messages = 0
    public var reviews = 0
    /// Data-subject requests.
    public var requests = 0
    /// Recording files copied into the workspace.
    public var recordings = 0
    /// Recording files calls named that were not kept because recording is off in this workspace
    /// (the calls are stored as `recording_disabled`, without audio).
    public var recordingsNotKept = 0
    /// Recordings under a legal hold kept although recording is off: a hold is there so the audio
    /// is not destroyed, and it is counted in `recordings` too.
    public var heldRecordingsKept = 0
    /// Records already in the workspace (the same key), skipped.
    public var duplicates = 0
    public var rejected = 0
    /// Contacts created: for contact records and for callers and senders not yet known.
    public var contactsCreated = 0
    /// Contacts an inbound STOP or START changed.
    public var optOutChanges = 0

    public init() {}

    /// Records newly stored: contacts, calls, messages, reviews and data-subject requests.
    public var imported: Int { contacts + calls + messages + reviews + requests }

    static func += (lhs: inout ImportCounts, rhs: ImportCounts) {
        lhs.contacts += rhs.contacts; lhs.calls += rhs.calls; lhs.messages += rhs.messages
        lhs.reviews += rhs.reviews; lhs.requests += rhs.requests
        lhs.recordings += rhs.recordings; lhs.duplicates += rhs.duplicates; lhs.rejected += rhs.rejected
        lhs.contactsCreated += rhs.contactsCreated; lhs.optOutChanges += rhs.optOutChanges
        lhs.recordingsNotKept += rhs.recordingsNotKept; lhs.heldRecordingsKept += rhs.heldRecordingsKept
    }
}

/// One input file's part of an import.
public struct ImportFileResult: Sendable {
    public let file: String
    public internal(set) var counts = ImportCounts()
    /// The reject report written beside the file (`FILE.rejects`); nil when nothing was rejected,
    /// in a dry run, or when it could not be written (`rejectReportError`).
    public internal(set) var rejectReport: String?
    public internal(set) var rejectReportError: String?
}

/// What an import did.
public struct ImportReport: Sendable {
    public let format: ImportFormat
    public internal(set) var files: [ImportFileResult]
    public internal(set) var total = ImportCounts()
    public let dryRun: Bool
    public let strict: Bool
    /// Whether the records were kept: false for a dry run, and for `--strict` with a rejected row.
    public internal(set) var stored = false
    /// Whether the rows went in first and the search was rebuilt after them.
    public internal(set) var rebuiltSearch = false
    /// Transactions committed (`records.imported` events written).
    public internal(set) var batches = 0
}

/// How far an import has got, for a progress bar.
public struct ImportProgress: Sendable {
    public enum Phase: Sendable, Equatable { case reading, callSearch, messageSearch }
    public var phase: Phase
    public var file: String
    /// Bytes read so far, over every file, out of `totalBytes` (0 when the sizes are unknown).
    public var bytesRead: Int64
    public var totalBytes: Int64
    public var counts: ImportCounts
}

public enum ImportError: SysexitsError, Equatable, CustomStringConvertible {
    case cannotRead(path: String)
    case cannotWrite(path: String)
    case alreadyRunning(lock: String)
    case badBatchSize
    /// The disk filled after `stored` records were stored in earlier batches, which stay whole.
    case diskFull(path: String, stored: Int)

    public var exitClass: ExitClass {
        switch self {
        case .cannotRead: .noInput
        case .cannotWrite: .cannotCreate
        case .alreadyRunning: .busy
        case .badBatchSize: .usage
        case .diskFull: .cannotCreate
        }
    }

    public var description: String {
        switch self {
        case .cannotRead(let path): "Cannot read \(path): no such file, or no permission to read it."
        case .cannotWrite(let path): "Cannot write \(path)."
        case .alreadyRunning(let lock): "Another import into this workspace is running (it holds \(lock)); try again when it has finished."
        case .badBatchSize: "The batch size must be at least 1."
        case .diskFull(let path, let stored):
            "The disk holding \(path) is full: the \(DisplayText.count(stored, "record")) the import stored before it filled stay, "
                + "in whole batches, and the batch that did not fit was undone. Free some space and run the same import again "
                + "(what is stored is skipped)."
        }
    }
}

extension WorkspaceSession {
    /// Imports `files` (paths as the user gave them) in `format` through the one import path:
    /// each record matched or created, skipped when its key is already stored, and written in
    /// batches of `options.batchSize`, each one transaction with its `records.imported` event.
    /// Rejected lines are reported to `rejected` as they are found and written beside their file
    /// (`FILE.rejects`, except in a dry run). Needs `.importExportRecords`.
    public func importRecords(files: [String], format: ImportFormat, options: ImportOptions = ImportOptions(),
                              progress: ((ImportProgress) -> Void)? = nil,
                              rejected: ((RejectedLine) -> Void)? = nil) throws -> ImportReport {
        try actor.require(.importExportRecords)
        guard options.batchSize >= 1 else { throw ImportError.badBatchSize }
        let run = try RecordImport(session: self, files: files, format: format, options: options,
                                   progress: progress, rejected: rejected)
        do {
            return try run.run()
        } catch WorkspaceError.diskFull(let path) where run.storedBeforeFailure > 0 {
            // "Nothing was half-written" holds, but earlier batches were written: say how many.
            throw ImportError.diskFull(path: path, stored: run.storedBeforeFailure)
        }
    }
}

/// One run of `importRecords`: reads each file through its format's parser, batches the
/// records and hands each batch to `ImportWriter`, inside one transaction per batch (or one for
/// everything under `--strict` and `--dry-run`).
final class RecordImport {
    private let session: WorkspaceSession
    private let workspace: Workspace
    private let files: [String]
    private let format: ImportFormat
    private let options: ImportOptions
    private let progress: ((ImportProgress) -> Void)?
    private let rejectedLine: ((RejectedLine) -> Void)?
    private let sizes: [Int64]
    private let now: Date

    private var report: ImportReport
    private var pending: [ImportItem] = []
    private var fileIndex = 0
    private var bytesBefore: Int64 = 0
    private var bytesInFile: Int64 = 0
    private var rejectWriter: RejectReportWriter?
    /// Set in one-transaction mode: the batches write on it directly.
    private var sharedDatabase: Database?
    /// Under `--strict`, once a row is bad nothing more is written (it would be rolled back).
    private var stopWriting = false
    /// In one-transaction mode: recordings staged by the batches so far, published after the commit.
    private var stagedFiles: [StagedRecording] = []
    private let cache = ImportCache()
    /// Batches handed to the database so far.
    private var flushed = 0
    #if HANDLET_TEST_HOOKS
    /// Test hook (`HANDLET_TEST_IMPORT_KILL=K:N`, as the purge's): SIGKILL after N statements of
    /// batch K's transaction, for the crash-safety tests. Compiled only into test builds.
    private let killHook = PurgeKillHook.fromEnvironment(variable: "HANDLET_TEST_IMPORT_KILL")
    #endif

    init(session: WorkspaceSession, files: [String], format: ImportFormat, options: ImportOptions,
         progress: ((ImportProgress) -> Void)?, rejected: ((RejectedLine) -> Void)?) throws {
        self.session = session
        workspace = session.workspace
        self.files = files
        self.format = format
        self.options = options
        self.progress = progress
        rejectedLine = rejected
        now = session.now
        var sizes: [Int64] = []
        for file in files {
            let path = (file as NSString).expandingTildeInPath
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                  FileManager.default.isReadableFile(atPath: path) else { throw ImportError.cannotRead(path: file) }
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)??.int64Value ?? 0
            sizes.append(size)
        }
        self.sizes = sizes
        report = ImportReport(format: format, files: files.map { ImportFileResult(file: $0) }, dryRun: options.dryRun,
                              strict: options.strict)
    }

    private var totalBytes: Int64 { sizes.reduce(0, +) }

    /// Records committed by the batches so far (none under `--strict` or `--dry-run`, whose one
    /// transaction is undone whole).
    var storedBeforeFailure: Int { options.strict || options.dryRun ? 0 : report.total.imported }

    /// Large loads into a (nearly) empty workspace rebuild the search after the rows: at ~250
    /// bytes a record, at least 20,000 records expected, and at most a quarter as many already
    /// stored (a rebuild re-reads everything; triggers cost only what is added, and a re-run of
    /// an import already done adds nothing).
    static func rebuildsSearch(inputBytes: Int64, storedRecords: Int) -> Bool {
        let expected = inputBytes / 250
        return expected >= 20_000 && Int64(storedRecords) * 4 <= expected
    }

    func run() throws -> ImportReport {
        let lock = try ImportLock.acquire(beside: workspace.databaseURL)
        defer { lock.release() }
        let database = workspace.dbPool
        let (timeZone, stored, abandoned) = try database.read { db in
            let zone = try String.fetchOne(db, sql: "SELECT time_zone FROM workspace WHERE id = 1") ?? "Europe/London"
            let counts = try RecordCounts.read(db)
            return (zone, (counts["calls"] ?? 0) + (counts["messages"] ?? 0), try ImportSearchSuspension.isPending(db))
        }
        let parserOptions = ImportParserOptions(timeZone: TimeZone(identifier: timeZone) ?? TimeZone(identifier: "Europe/London")!,
                                                 format: options.format, formatSetsTimeZone: options.formatSetsTimeZone)
        if abandoned && !options.dryRun {
            try database.write { db in try ImportSearchSuspension.restore(db) }
        }
        // Recordings a killed import left staged: into place if their rows were stored, else removed.
        if !options.dryRun { try RecordingStaging.sweep(audioFolder: workspace.audioDirectory, read: { try database.read($0) }) }
        // A larger page cache for the run (the default 2 MiB rereads index pages at every batch);
        // well within the import's memory budget, and put back afterwards.
        try database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA cache_size = -32768") }
        defer { try? database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA cache_size = -2000") } }
        let rebuild = options.rebuildSearchAfter ?? Self.rebuildsSearch(inputBytes: totalBytes, storedRecords: stored)
        report.rebuiltSearch = rebuild
        if options.strict || options.dryRun {
            try database.writeWithoutTransaction { db in
                sharedDatabase = db
                defer { sharedDatabase = nil }
                do {
                    try db.inTransaction(.immediate) {
                        if rebuild { try ImportSearchSuspension.suspend(db) }
                        try readAll(parserOptions)
                        let keep = !options.dryRun && report.total.rejected == 0
                        if keep && rebuild { try ImportSearchSuspension.restore(db, phase: announce) }
                        report.stored = keep
                        return keep ? .commit : .rollback
                    }
                } catch {
                    removeStagedFiles()
                    throw error
                }
            }
            if report.stored {
                try RecordingStaging.publish(stagedFiles)
                stagedFiles = []
            } else {
                removeStagedFiles()
                report.batches = 0
            }
        } else {
            if rebuild { try database.write { db in try ImportSearchSuspension.suspend(db) } }
            do {
                try readAll(parserOptions)
            } catch {
                // The batches stored so far stay; their search is rebuilt before the error is told.
                if rebuild { try? database.write { db in try ImportSearchSuspension.restore(db) } }
                throw error
            }
            if rebuild { try database.write { db in try ImportSearchSuspension.restore(db, phase: announce) } }
            report.stored = true
        }
        return report
    }

    private func announce(_ phase: ImportProgress.Phase) {
        progress?(ImportProgress(phase: phase, file: files.last ?? "", bytesRead: totalBytes, totalBytes: totalBytes,
                                 counts: report.total))
    }

    private func removeStagedFiles() {
        RecordingStaging.discard(stagedFiles)
        stagedFiles = []
    }

    private func readAll(_ parserOptions: ImportParserOptions) throws {
        for (index, file) in files.enumerated() {
            fileIndex = index
            bytesInFile = 0
            let path = (file as NSString).expandingTildeInPath
            let url = URL(fileURLWithPath: path)
            guard let stream = InputStream(url: url) else { throw ImportError.cannotRead(path: file) }
            stream.open()
            let parser: any RecordParser
            do {
                if stream.streamStatus == .error { throw ImportError.cannotRead(path: file) }
                parser = try format.makeParser(parserOptions)
            } catch {
                stream.close()
                throw error
            }
            rejectWriter = options.dryRun ? nil : RejectReportWriter(input: url)
            let directory = url.deletingLastPathComponent()
            // The parser reads and decodes on its own thread while this one writes; the thread
            // owns the stream from here (and closes it).
            let parsing = ParsingThread.start(parser, input: stream, file: file)
            reading: while true {
                switch parsing.next() {
                case .lines(let lines):
                    do {
                        for line in lines {
                            switch line {
                            case .record(let record, let position):
                                pending.append(ImportItem(record: record, position: position, directory: directory))
                                if pending.count >= options.batchSize { try flush() }
                            case .rejected(let rejected):
                                reject(rejected)
                            }
                        }
                    } catch {
                        parsing.cancel()
                        throw error
                    }
                    bytesInFile = Int64(parsing.bytesRead)
                    report(.reading)
                case .end(let error):
                    if let error { throw error }
                    break reading
                }
            }
            try flush()
            bytesInFile = sizes[index]
            bytesBefore += sizes[index]
            if let writer = rejectWriter {
                let (written, failure) = writer.finish()
                report.files[index].rejectReport = written
                report.files[index].rejectReportError = failure
            }
            rejectWriter = nil
            report(.reading)
        }
    }

    private func report(_ phase: ImportProgress.Phase) {
        guard let progress else { return }
        progress(ImportProgress(phase: phase, file: files[fileIndex], bytesRead: bytesBefore + bytesInFile,
                                totalBytes: totalBytes, counts: report.total))
    }

    private func reject(_ line: RejectedLine) {
        report.files[fileIndex].counts.rejected += 1
        report.total.rejected += 1
        rejectWriter?.append(line)
        rejectedLine?(line)
        if options.strict { stopWriting = true }
    }

    /// Writes the waiting records: one transaction with its audit event, or, in one-transaction
    /// mode, inside the import's transaction (still one event per batch).
    private func flush() throws {
        guard !pending.isEmpty else { return }
        let batch = pending
        pending.removeAll(keepingCapacity: true)
        guard !stopWriting else { return }
        let command = Self.batchCommand(batch, format: format, file: files[fileIndex], audioFolder: workspace.audioDirectory,
                                        copyRecordings: !options.dryRun, cache: cache)
        let outcome: ImportBatchOutcome
        defer { cache.uncommittedCopies.removeAll() }
        do {
            outcome = try write(command)
        } catch {
            RecordingStaging.discard(cache.uncommittedCopies)
            throw error
        }
        flushed += 1
        if sharedDatabase == nil {
            // Committed: the batch's recordings go to the paths their rows name.
            try RecordingStaging.publish(outcome.staged)
        } else {
            stagedFiles.append(contentsOf: outcome.staged)
        }
        if outcome.counts.imported > 0 || outcome.counts.optOutChanges > 0 { report.batches += 1 }
        var counts = outcome.counts
        counts.rejected = 0
        report.files[fileIndex].counts += counts
        report.total += counts
        for line in outcome.rejected { reject(line) }
        report(.reading)
    }

    private func write(_ command: WorkspaceCommand<ImportBatchOutcome>) throws -> ImportBatchOutcome {
        let outcome: ImportBatchOutcome
        if let db = sharedDatabase {
            outcome = try session.run(command, at: now, in: db)
        } else {
            #if HANDLET_TEST_HOOKS
            let hook = killHook
            let index = flushed
            var counter: PurgeKillHook.Counter?
            outcome = try workspace.dbPool.write { db in
                counter = hook?.arm(db, batch: index)
                return try session.run(command, at: now, in: db)
            }
            hook?.afterCommit(counter)
            #else
            outcome = try workspace.dbPool.write { db in try session.run(command, at: now, in: db) }
            #endif
        }
        return outcome
    }

    /// One batch as a command: `.importExportRecords`, audited as `records.imported` with its
    /// counts (never the records' text). A batch that stored nothing writes no event.
    static func batchCommand(_ batch: [ImportItem], format: ImportFormat, file: String, audioFolder: URL,
                             copyRecordings: Bool, cache: ImportCache) -> WorkspaceCommand<ImportBatchOutcome> {
        WorkspaceCommand(.importExportRecords, audit: .recordsImported) { db, environment in
            let writer = try ImportWriter(db: db, now: environment.now, actor: environment.actor, audioFolder: audioFolder,
                                          copyRecordings: copyRecordings, cache: cache)
            let outcome: ImportBatchOutcome
            do { outcome = try writer.write(batch) } catch { cache.forget(); throw error }
            let counts = outcome.counts
            guard counts.imported > 0 || counts.optOutChanges > 0 else { return .unchanged(outcome) }
            var details: [String: AuditValue] = [
                // A file's name can name a person ("WhatsApp Chat with Jane Smith.txt") and the log is
                // append-only: it keeps a hash of the name, which whoever has the file can match.
                "format": .string(format.rawValue),
                "file_name_sha256": .string(String(SHA256Hex.of(Data(URL(fileURLWithPath: file).lastPathComponent.utf8)).prefix(16))),
                "contacts": .int(Int64(counts.contacts)), "calls": .int(Int64(counts.calls)),
                "messages": .int(Int64(counts.messages)), "duplicates": .int(Int64(counts.duplicates)),
                "reviews": .int(Int64(counts.reviews)), "requests": .int(Int64(counts.requests)),
                "rejected": .int(Int64(counts.rejected)), "contacts_created": .int(Int64(counts.contactsCreated)),
                "recordings": .int(Int64(counts.recordings)),
            ]
            if counts.recordingsNotKept > 0 { details["recordings_not_kept"] = .int(Int64(counts.recordingsNotKept)) }
            if counts.heldRecordingsKept > 0 { details["held_recordings_kept"] = .int(Int64(counts.heldRecordingsKept)) }
            if let first = batch.first, let last = batch.last {
                details["first_line"] = .int(Int64(first.position.line))
                details["last_line"] = .int(Int64(last.position.line))
            }
            return .changed(outcome, target: "import:\(format.rawValue)", details: details)
        }
    }
}

/// The reject report beside an input file: each refused line's position and reason on a line of
/// its own starting with `#`, then the line(s) exactly as they were. Written under a temporary
/// name and renamed into place at the end, so a report is never half-written.
final class RejectReportWriter {
    let target: URL
    private let temporary: URL
    private var handle: FileHandle?
    private var failure: String?
    private var count = 0

    init(input: URL) {
        target = URL(fileURLWithPath: input.path + ".rejects")
        temporary = input.deletingLastPathComponent()
            .appendingPathComponent(".\(input.lastPathComponent).rejects-\(ProcessInfo.processInfo.processIdentifier)")
    }

    func append(_ line: RejectedLine) {
        guard failure == nil else { return }
        if handle == nil {
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil),
                  let opened = FileHandle(forWritingAtPath: temporary.path) else {
                failure = "could not write \(target.path)"
                return
            }
            handle = opened
        }
        count += 1
        var text = "# \(line.position): \(line.reason)\n" + line.text
        if !text.hasSuffix("\n") { text += "\n" }
        do { try handle?.write(contentsOf: Data(text.utf8)) } catch { failure = "could not write \(target.path)" }
    }

    /// Renames the report into place; returns its path, or why there is none.
    func finish() -> (String?, String?) {
        guard let handle else { return (nil, failure) }
        try? handle.synchronize()
        try? handle.close()
        if failure == nil {
            if rename(temporary.path, target.path) == 0 { return (target.path, nil) }
            failure = "could not write \(target.path)"
        }
        try? FileManager.default.removeItem(at: temporary)
        return (nil, failure)
    }
}
