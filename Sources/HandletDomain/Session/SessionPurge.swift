import Foundation

extension WorkspaceSession {
    /// Deletes the audio of every recording due at `now` and marks them purged, in batches of
    /// `batchSize` (each its own transaction, so it can be interrupted at any point and resumed),
    /// with one audit event for the run, by this session's actor. Needs `.purgeExpiredRecordings`.
    /// `cancellation` stops it between batches; `progress` is called after each, on this thread.
    @discardableResult
    public func purge(batchSize: Int = Purge.defaultBatchSize, now: Date? = nil, cancellation: PurgeCancellation? = nil,
                      progress: ((PurgeProgress) -> Void)? = nil) throws -> PurgeReport {
        try actor.require(.purgeExpiredRecordings)
        let purge = try Purge(workspace: workspace, batchSize: batchSize)
        return try purge.run(by: actor, now: now ?? self.now, cancellation: cancellation, progress: progress)
    }

    /// The same on a background task, reporting as events (the console's start-up purge). It
    /// leaves the search's compaction debt (`SearchCompaction`) to the scheduled or command-line
    /// purge: rewriting an index at 1M calls takes tens of seconds, which a console opening must
    /// not wait for, nor hold other writers up for.
    public func startPurge(batchSize: Int = Purge.defaultBatchSize, now: Date? = nil) throws -> PurgeRunner {
        try actor.require(.purgeExpiredRecordings)
        return PurgeRunner(purge: try Purge(workspace: workspace, batchSize: batchSize), actor: actor, now: now ?? self.now,
                           payingSearchDebt: false)
    }
}
