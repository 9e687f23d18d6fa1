import Foundation

/// Asks a batch job (a purge, a delivery pass) to stop at its next safe point: between two
/// batches or two messages, never inside a step.
public final class JobCancellation: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false
    public init() {}
    public func cancel() { lock.withLock { cancelled = true } }
    public var isCancelled: Bool { lock.withLock { cancelled } }
}

/// A domain batch job running off the caller's thread, for the console: progress arrives as
/// events (its status bar shows them) and `cancel()` stops it at its next safe point; any job that
/// reports `Progress` and ends with a `Report` (`PurgeRunner`, a delivery pass).
public final class BackgroundJobRun<Progress: Sendable, Report: Sendable>: Sendable {
    public enum Event: Sendable {
        case progress(Progress)
        case finished(Report)
        /// Why the job stopped early (another pass running, the workspace busy...).
        case failed(String)
    }

    /// Every event of the run, ending after `finished` or `failed`. One consumer.
    public let events: AsyncStream<Event>
    private let cancellation = JobCancellation()
    private let task: Task<Result<Report, Error>, Never>

    init(_ work: @escaping @Sendable (JobCancellation, @escaping @Sendable (Progress) -> Void) async throws -> Report) {
        let (events, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .unbounded)
        self.events = events
        let cancellation = self.cancellation
        task = Task.detached(priority: .utility) {
            defer { continuation.finish() }
            do {
                let report = try await work(cancellation) { continuation.yield(.progress($0)) }
                continuation.yield(.finished(report))
                return .success(report)
            } catch {
                continuation.yield(.failed(String(describing: error)))
                return .failure(error)
            }
        }
    }

    public func cancel() { cancellation.cancel() }

    /// The run's outcome, once it has ended.
    public var result: Result<Report, Error> {
        get async { await task.value }
    }
}

extension BackgroundJobRun.Event: Equatable where Progress: Equatable, Report: Equatable {}
