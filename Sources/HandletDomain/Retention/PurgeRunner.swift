import Foundation

/// Runs a purge off the caller's thread, for the console's start-up purge: progress arrives as
/// events (the status bar shows them) and `cancel()` stops the run at the next batch boundary,
/// leaving a consistent workspace and one audit event marked cancelled.
public final class PurgeRunner: Sendable {
    public enum Event: Sendable, Equatable {
        /// After each committed batch (and once before the first): done/total and bytes so far.
        case progress(PurgeProgress)
        case finished(PurgeReport)
        /// Why the run stopped early (the audio folder missing, another purge running...).
        case failed(String)
    }

    /// Every event of the run, ending after `finished` or `failed`. One consumer.
    public let events: AsyncStream<Event>
    private let cancellation: PurgeCancellation
    private let task: Task<Result<PurgeReport, Error>, Never>

    /// Starts at once on a background task (see `WorkspaceSession.startPurge`).
    init(purge: Purge, actor: Actor = .system, now: Date = Date()) {
        let (events, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .unbounded)
        let cancellation = PurgeCancellation()
        self.events = events
        self.cancellation = cancellation
        task = Task.detached(priority: .utility) {
            defer { continuation.finish() }
            do {
                let report = try purge.run(by: actor, now: now, cancellation: cancellation) { progress in
                    continuation.yield(.progress(progress))
                }
                continuation.yield(.finished(report))
                return .success(report)
            } catch {
                continuation.yield(.failed(String(describing: error)))
                return .failure(error)
            }
        }
    }

    /// Asks the run to stop after the batch in progress; already-committed batches stay purged.
    public func cancel() { cancellation.cancel() }

    /// The run's outcome, once it has ended.
    public var result: Result<PurgeReport, Error> {
        get async { await task.value }
    }
}
