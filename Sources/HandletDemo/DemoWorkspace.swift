import Foundation
import GRDB
import HandletDomain

/// How far generation has got, for a progress bar.
public struct DemoProgress: Sendable, Equatable {
    public enum Phase: String, Sendable {
        case contacts, calls, messages
        case searchIndex = "search index"
        case extras = "reviews, drafts and notices"
    }

    public var phase: Phase
    /// Work done and total, in rows (index building counts as a share of the rows it covers).
    public var done: Int
    public var total: Int

    public var fraction: Double { total == 0 ? 1 : min(1, Double(done) / Double(total)) }
}

/// The demo workspace of DESIGN §3: "Kestrel Home Services", a Leeds plumbing, heating,
/// electrical and cleaning firm, with months of calls, recordings, message threads, reviews,
/// drafts, notices and data-subject requests, all derived from the seed.
public enum DemoWorkspace {
    public static let maximumCalls = 10_000_000
    public static let maximumMessages = 30_000_000

    /// Builds the workspace atomically at `url` (see `Workspace.create`). `progress` runs on the
    /// calling thread between chunks; throwing from it (e.g. `DemoError.cancelled` on Ctrl-C)
    /// stops generation and removes everything written so far.
    public static func create(at url: URL, options: DemoOptions,
                              progress: (DemoProgress) throws -> Void = { _ in }) throws -> Workspace {
        guard (0...maximumCalls).contains(options.calls) else {
            throw DemoError.invalidSize("The number of calls must be between 0 and \(maximumCalls).")
        }
        guard (0...maximumMessages).contains(options.messages) else {
            throw DemoError.invalidSize("The number of messages must be between 0 and \(maximumMessages).")
        }
        let calendar = DemoCalendar(anchor: Int64(options.anchor.timeIntervalSince1970), historyDays: options.historyDays)
        let createdAt = Date(timeIntervalSince1970: TimeInterval(calendar.historyStart - 30 * DemoCalendar.secondsPerDay))
        var settings = DemoBusiness.record(seed: options.seed, createdAt: createdAt)
        settings.recordingEnabled = options.recordingEnabled
        settings.retentionDays = options.retentionDays
        return try Workspace.create(at: url, workspace: settings, users: DemoBusiness.userRecords(createdAt: createdAt),
                                    now: options.anchor) { queue, audio in
            try populate(queue, audioFolder: audio, options: options, progress: progress)
        }
    }

    private static func populate(_ queue: DatabaseQueue, audioFolder: URL, options: DemoOptions,
                                 progress: (DemoProgress) throws -> Void) throws {
        let generator = DemoGenerator(options: options, audioFolder: audioFolder)
        var timings = PhaseTimings()
        // Index building is roughly as costly as writing half the rows it covers.
        let indexUnits = (options.calls + options.messages) / 2
        var report = DemoProgress(phase: .contacts, done: 0, total: options.contacts + options.calls + options.messages + indexUnits)
        try progress(report)
        // The writer is the bottleneck (SQLite is single-threaded): leave it a core of its own.
        let workers = max(1, min(4, ProcessInfo.processInfo.activeProcessorCount - 1))
        let chunks = OrderedChunks(count: generator.chunkCount, workers: workers, lookahead: workers * 3) { index in
            try generator.make(index)
        }
        defer { chunks.finish() }

        try queue.writeWithoutTransaction { db in
            // The file is still under its temporary name and is deleted if anything fails, so
            // the load needs neither a journal nor fsyncs; secure_delete has nothing to protect yet.
            // The page cache may grow to 3 GiB (a million calls make a ~3 GB file): CREATE INDEX
            // and the FTS rebuilds then read the tables from memory. Small demos use what they need.
            try db.execute(sql: """
                PRAGMA journal_mode = OFF;
                PRAGMA synchronous = OFF;
                PRAGMA secure_delete = OFF;
                PRAGMA cache_size = -3145728;
                PRAGMA temp_store = MEMORY;
                """)
            let schema = try BulkLoadSchema.suspend(db)
            var candidates: [MessageComposer.DraftCandidate] = []
            try db.inTransaction {
                var loader = try DemoLoader(db)
                var chunkIndex = 0
                while let chunk = try chunks.next() {
                    report.phase = chunkIndex < generator.contactChunks ? .contacts
                        : chunkIndex < generator.contactChunks + generator.callChunks ? .calls : .messages
                    report.done += try loader.write(chunk)
                    chunkIndex += 1
                    try progress(report)
                }
                candidates = loader.draftCandidates
                timings.mark("rows, of which waiting for generation \(String(format: "%.2f", chunks.consumerWaited)) s")
                return .commit
            }
            timings.mark("commit rows")
            report.phase = .searchIndex
            try progress(report)
            try db.inTransaction {
                try schema.restoreIndexes(db)
                timings.mark("indexes")
                try schema.rebuildCallSearch(db)
                timings.mark("call_fts rebuild")
                report.done += options.calls / 2
                try progress(report)
                try schema.rebuildMessageSearch(db)
                timings.mark("message_fts rebuild")
                report.done += options.messages / 2
                try progress(report)
                try schema.restoreTriggers(db)
                report.phase = .extras
                try progress(report)
                try DemoExtras(options: options, calendar: generator.calendar, people: generator.people)
                    .insert(db, draftCandidates: candidates)
                return .commit
            }
            timings.mark("extras and commit")
            try db.execute(sql: "PRAGMA journal_mode = WAL")
        }
        report.done = report.total
        try progress(report)
    }
}

/// `HANDLET_DEMO_TIMINGS=1` prints how long each phase of generation took, for the benchmark.
struct PhaseTimings {
    private let enabled = ProcessInfo.processInfo.environment["HANDLET_DEMO_TIMINGS"] == "1"
    private var last = Date()

    mutating func mark(_ phase: String) {
        guard enabled else { return }
        let now = Date()
        FileHandle.standardError.write(Data("timing: \(phase) \(String(format: "%.2f", now.timeIntervalSince(last))) s\n".utf8))
        last = now
    }
}
