import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// How far a bulk load has got, for a progress bar.
public struct BulkLoadProgress: Sendable, Equatable {
    public enum Phase: Sendable, Equatable {
        /// Writing rows; `rows` counts the contacts, calls and messages written so far.
        case rows
        /// Rebuilding the indexes and the call search, then the message search.
        case indexes, callSearch, messageSearch
    }

    public var phase: Phase
    public var rows: Int
}

/// The bulk-write path into a new workspace (DESIGN §9): rows first, in one transaction, with the
/// secondary indexes and the search, count and id-span triggers taken off; then the indexes
/// rebuilt. The call and message search are built while the rows are written, on a thread of
/// their own (`ParallelSearchIndex`), and copied in after them. The file is new and still under its
/// temporary name (deleted if anything fails), so the load needs neither a journal nor fsyncs.
enum BulkLoad {
    /// The scratch database the search is built in, beside the one being loaded (removed after).
    static let searchSuffix = "-search"

    static func intoNewWorkspace(_ queue: DatabaseQueue, batches: () throws -> BulkBatch?,
                                 progress: (BulkLoadProgress) throws -> Void) throws {
        var timings = LoadTimings()
        try queue.writeWithoutTransaction { db in
            // secure_delete FAST zeroes what a page split or a rebuild frees wherever that costs no
            // extra I/O: otherwise old copies of a row stay in unused page space, and an erasure of
            // that person (which zeroes only what it deletes) could not reach them without VACUUM.
            // The page cache may grow to 3 GiB (a million calls make a ~3 GB file): CREATE INDEX
            // and the FTS rebuilds then read the tables from memory. Small loads use what they need.
            try db.execute(sql: """
                PRAGMA journal_mode = OFF;
                PRAGMA synchronous = OFF;
                PRAGMA secure_delete = FAST;
                PRAGMA cache_size = -3145728;
                PRAGMA temp_store = MEMORY;
                """)
            let schema = try BulkLoadSchema.suspend(db)
            // The call and message search are built beside the rows, on a thread of their own.
            let search = try ParallelSearchIndex(for: db, scratch: URL(fileURLWithPath: queue.path + Self.searchSuffix))
            defer { search.discard() }
            var report = BulkLoadProgress(phase: .rows, rows: 0)
            try progress(report)
            try db.inTransaction {
                let writer = try BulkWriter(db)
                while let batch = try batches() {
                    report.rows += try writer.write(batch)
                    try search.add(batch)
                    try progress(report)
                }
                // The search thread finishes its last batches and commits while the rows are
                // committed and the indexes built: nothing it does waits for those.
                search.close()
                timings.mark("rows (waited \(String(format: "%.1f", search.writerWaited)) s for the search thread)")
                return .commit
            }
            timings.mark("commit rows")
            try db.inTransaction {
                report.phase = .indexes
                try progress(report)
                try schema.restoreIndexes(db)
                timings.mark("indexes")
                return .commit
            }
            report.phase = .callSearch
            try progress(report)
            try search.finish()
            timings.mark("waiting for the search thread (which used \(String(format: "%.1f", search.threadCPU)) s CPU)")
            report.phase = .messageSearch
            try progress(report)
            // Between transactions: the index is copied in through the search's own connection.
            try search.install(into: queue.path)
            timings.mark("search index copied in")
            try db.inTransaction {
                try schema.restoreTriggers(db)
                return .commit
            }
            timings.mark("triggers and commit")
            try db.execute(sql: """
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = NORMAL;
                PRAGMA secure_delete = ON;
                """)
        }
    }
}

/// `HANDLET_DEMO_TIMINGS=1` prints how long each phase of a load took, for the benchmark.
package struct LoadTimings {
    private let enabled = ProcessInfo.processInfo.environment["HANDLET_DEMO_TIMINGS"] == "1"
    private var last = Date()

    package init() {}

    /// CPU seconds the calling thread has used.
    package static func threadCPU() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// A line of its own (no phase ends).
    package func note(_ text: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data(("timing: " + text + "\n").utf8))
    }

    package mutating func mark(_ phase: String) {
        guard enabled else { return }
        let now = Date()
        // CPU beside wall time: on a shared machine the wall clock says more about the neighbours.
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let process = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        FileHandle.standardError.write(Data(("timing: \(phase) \(String(format: "%.2f", now.timeIntervalSince(last))) s"
            + " (process CPU so far \(String(format: "%.1f", process)) s, this thread \(String(format: "%.1f", Self.threadCPU())) s)\n").utf8))
        last = now
    }
}

extension WorkspaceCommand where Result == Bool {
    /// The demo generator's closing event: what was generated, from which seed. Records arriving
    /// from outside, so the arrival step's permission (the system has it).
    package static func recordDemoGenerated(seed: UInt64, calls: Int, messages: Int) -> Self {
        WorkspaceCommand(.recordInboundMessages, audit: .demoGenerated) { _, _ in
            .changed(true, target: "workspace", details: ["seed": .string(String(seed)), "calls": .int(Int64(calls)),
                                                          "messages": .int(Int64(messages))])
        }
    }
}
