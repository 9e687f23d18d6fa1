import Foundation
import HandletDomain

/// A domain batch job as the console runs it in the background: its events, a way to ask it to
/// stop at its next safe point, and a way to wait until it has.
protocol BackgroundJobHandle: Sendable {
    associatedtype Event: Sendable
    var events: AsyncStream<Event> { get }
    func cancel()
    /// Returns once the job has ended (after its last transaction).
    func finished() async
}

extension BackgroundJobRun: BackgroundJobHandle {
    func finished() async { _ = await result }
}

/// The one loop behind the console's background jobs (the purge, Auto-Send delivery): every
/// `interval` it asks whether the job has work, starts it, turns its events into status-bar
/// `BackgroundActivity` updates, and on `stop()` asks it to stop and waits for it, so quitting
/// never leaves a step half done. What "due", "start" and each event's words are is the job's.
final class BackgroundJobLoop<Handle: BackgroundJobHandle>: @unchecked Sendable {
    private let lock = NSLock()
    private var running: Handle?
    private var stopped = false
    private var loop: Task<Void, Never>?

    /// - Parameters:
    ///   - isDue: one cheap read: is there work at this instant?
    ///   - start: the job, started at this instant; nil when it cannot start (it says why in its events otherwise).
    ///   - activity: the status-bar update for an event, or nil to show nothing for it.
    init(every interval: Duration, now: @escaping @Sendable () -> Date,
         isDue: @escaping @Sendable (Date) async -> Bool,
         start: @escaping @Sendable (Date) -> Handle?,
         activity: @escaping @Sendable (Handle.Event, Handle) async -> BackgroundActivity?,
         post: @escaping @Sendable (any Sendable) -> Void) {
        loop = Task.detached(priority: .utility) { [self] in
            while !Task.isCancelled {
                let instant = now()
                if await isDue(instant) { await runOnce(start: { start(instant) }, activity: activity, post: post) }
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// One run the user started (the console's erasure): the same events, status-bar updates and
    /// bookkeeping as a periodic job's run, once.
    init(once handle: Handle, activity: @escaping @Sendable (Handle.Event, Handle) async -> BackgroundActivity?,
         post: @escaping @Sendable (any Sendable) -> Void) {
        running = handle
        loop = Task.detached(priority: .utility) { [self] in
            await runOnce(start: { handle }, activity: activity, post: post)
        }
    }

    /// True until the run has sent its last event.
    var isRunning: Bool { lock.withLock { running != nil } }

    private func runOnce(start: () -> Handle?, activity: @Sendable (Handle.Event, Handle) async -> BackgroundActivity?,
                         post: @Sendable (any Sendable) -> Void) async {
        let handle: Handle? = lock.withLock {
            guard !stopped else { return nil }
            running = start()
            return running
        }
        guard let handle else { return }
        for await event in handle.events {
            if let update = await activity(event, handle) { post(update) }
        }
        lock.withLock { running = nil }
    }

    /// Stops a run at its next safe point and waits, so quitting never leaves a step half done.
    func stop() async {
        let handle = lock.withLock {
            stopped = true
            return running
        }
        loop?.cancel()
        handle?.cancel()
        await loop?.value
        // Cancelling the loop ends its `for await` over the run's events at once, but the run goes
        // on to its safe point on its own task: wait for that too, or quitting would return (and
        // the process exit) in the middle of it.
        await handle?.finished()
    }
}

/// Which of a background job's events reach the status bar: a failure is said once until its
/// cause changes or a run finishes (a read-only folder is not repeated at every check), and
/// another run of the same job elsewhere (cron, a timer, a second console) is no failure at all.
final class RepeatedFailureFilter: @unchecked Sendable {
    private let lock = NSLock()
    private var lastFailure: String?
    private let isOtherRun: @Sendable (any Error) -> Bool

    init(isOtherRun: @escaping @Sendable (any Error) -> Bool) { self.isOtherRun = isOtherRun }

    func shows<Progress, Report>(_ event: BackgroundJobRun<Progress, Report>.Event,
                                 of run: BackgroundJobRun<Progress, Report>) async -> Bool {
        if case .failed = event, case .failure(let error) = await run.result {
            if isOtherRun(error) { return false }
            let reason = String(describing: error)
            return lock.withLock {
                defer { lastFailure = reason }
                return lastFailure != reason
            }
        }
        if case .finished = event { lock.withLock { lastFailure = nil } }
        return true
    }
}
