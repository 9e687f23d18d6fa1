import Foundation
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
        let calendar = DemoCalendar(anchor: Int64(options.anchor.timeIntervalSince1970), historyDays: options.historyDays,
                                    seed: options.seed)
        let createdAt = Date(timeIntervalSince1970: TimeInterval(calendar.historyStart - 30 * DemoCalendar.secondsPerDay))
        var settings = DemoBusiness.record(seed: options.seed, createdAt: createdAt)
        // Recording starts on; the replayed history switches it off when the options say so.
        settings.recordingEnabled = true
        settings.retentionDays = options.retentionDays
        // Checked before any audio is generated; the audio goes beside the temporary database and
        // moves into place with it (`Workspace.create`), and is removed if creation fails.
        try Workspace.prepareCreation(at: url)
        let generator = DemoGenerator(options: options, audioFolder: Workspace.buildingAudioDirectory(for: url))
        // Index building is roughly as costly as writing half the rows it covers.
        let indexUnits = (options.calls + options.messages) / 2
        var report = DemoProgress(phase: .contacts, done: 0,
                                  total: options.contacts + options.calls + options.messages + indexUnits)
        // The writer is the bottleneck (SQLite is single-threaded): leave it a core of its own.
        let workers = max(1, min(4, ProcessInfo.processInfo.activeProcessorCount - 1))
        let chunks = OrderedChunks(count: generator.chunkCount, workers: workers, lookahead: workers * 3) { index in
            try generator.make(index)
        }
        defer { chunks.finish() }
        do {
            return try create(at: url, settings: settings, createdAt: createdAt, options: options, generator: generator,
                              chunks: chunks, report: &report, indexUnits: indexUnits, progress: progress)
        } catch {
            // The workers stop before what they wrote is removed.
            chunks.finish()
            Workspace.discardCreation(at: url)
            if case WorkspaceError.diskFull = error { throw WorkspaceError.diskFull(url.path) }
            throw error
        }
    }

    private static func create(at url: URL, settings: WorkspaceRecord, createdAt: Date, options: DemoOptions,
                               generator: DemoGenerator, chunks: OrderedChunks<DemoChunk>,
                               report: inout DemoProgress, indexUnits: Int,
                               progress: (DemoProgress) throws -> Void) throws -> Workspace {
        var candidates: [MessageComposer.DraftCandidate] = []
        var holds: [DemoHold] = []
        var chunkIndex = 0
        // The chunk last handed to the writer, which is done with it when it asks for the next.
        var written: DemoChunk?
        return try Workspace.create(at: url, workspace: settings, users: DemoBusiness.userRecords(createdAt: createdAt),
                                    createdAt: createdAt, batches: {
            if let done = written { chunks.dispose(done) }
            written = nil
            guard let chunk = try chunks.next() else { return nil }
            written = chunk
            report.phase = chunkIndex < generator.contactChunks ? .contacts
                : chunkIndex < generator.contactChunks + generator.callChunks ? .calls : .messages
            chunkIndex += 1
            candidates.append(contentsOf: chunk.candidates)
            holds.append(contentsOf: chunk.holds)
            return chunk.batch
        }, progress: { load in
            switch load.phase {
            case .rows: report.done = load.rows
            case .indexes: report.phase = .searchIndex
            case .callSearch: report.phase = .searchIndex
            case .messageSearch: report.done = options.contacts + options.calls + options.messages + options.calls / 2
            }
            try progress(report)
        }, history: { workspace in
            report.phase = .extras
            report.done = report.total - indexUnits / 10
            try progress(report)
            var timings = LoadTimings()
            chunks.finish()
            timings.note("generator workers used \(String(format: "%.1f", chunks.workerCPU)) s CPU; the writer waited "
                + "\(String(format: "%.1f", chunks.consumerWaited)) s for their chunks")
            try generator.extras.record(into: workspace, draftCandidates: candidates, holds: holds)
            timings.mark("history through sessions")
            report.done = report.total
            try progress(report)
        })
    }
}

