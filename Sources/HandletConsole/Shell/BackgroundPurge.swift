import Foundation
import HandletDomain

/// The purge the console runs in the background (DESIGN §5): once when it opens, then whenever a
/// check finds a recording past its expiry, so a console left open all day deletes audio on time
/// even without a cron job. Progress and results go to the status bar. It acts as `system`:
/// retention is the workspace's rule, whoever opened the console.
final class BackgroundPurge: @unchecked Sendable {
    /// How often an open console looks for newly expired recordings: one indexed count.
    static let checkInterval: Duration = .seconds(300)

    private let lock = NSLock()
    private var running: PurgeRunner?
    private var stopped = false
    private var loop: Task<Void, Never>?
    /// The last failure shown, so a cause that persists (a read-only folder) is said once, not
    /// every five minutes.
    private var lastFailure: String?

    /// - Parameter session: acting as `system` (the launcher opens it beside the user's).
    init(session: WorkspaceSession, checkEvery interval: Duration = BackgroundPurge.checkInterval,
         now: @escaping @Sendable () -> Date = { Date() }, post: @escaping @Sendable (any Sendable) -> Void) {
        loop = Task.detached(priority: .utility) { [self] in
            while !Task.isCancelled {
                await purgeIfDue(session, now: now(), post: post)
                try? await Task.sleep(for: interval)
            }
        }
    }

    private func purgeIfDue(_ session: WorkspaceSession, now: Date, post: @Sendable (any Sendable) -> Void) async {
        guard let plan = try? await session.read(.purgePlan(now: now, limit: 1)),
              plan.recordings > 0 || plan.unfinishedFromInterruptedRun > 0 else { return }
        let runner: PurgeRunner? = lock.withLock {
            guard !stopped else { return nil }
            running = try? session.startPurge(now: now)
            return running
        }
        guard let runner else { return }
        for await event in runner.events {
            if case .failed = event, case .failure(let error) = await runner.result {
                // Another purge (cron, a timer, a second console) is already doing the work.
                if case .alreadyRunning? = error as? PurgeError { continue }
                let reason = String(describing: error)
                let saidAlready = lock.withLock {
                    defer { lastFailure = reason }
                    return lastFailure == reason
                }
                if saidAlready { continue }
            } else if case .finished = event {
                lock.withLock { lastFailure = nil }
            }
            post(Self.activity(for: event))
        }
        lock.withLock { running = nil }
    }

    static func activity(for event: PurgeRunner.Event) -> BackgroundActivity {
        let label = "Purging expired recordings"
        switch event {
        case .progress(let progress):
            return BackgroundActivity(label: label, done: progress.purged, total: progress.total)
        case .finished(let report):
            let done = report.thisRun
            var summary = done.purged == 0 && done.skipped.total == 0
                ? "Purge: nothing had expired"
                : "Purged \(DisplayText.count(done.purged, "expired recording")) (\(DisplayText.size(done.bytes)))"
                    + (done.missingFiles > 0 ? ", \(DisplayText.count(done.missingFiles, "file")) already missing" : "")
            if let skipped = RetentionText.skipped(done.skipped) { summary += "; " + skipped + ": see Retention" }
            return BackgroundActivity(label: label, done: done.purged, total: done.total, finishedSummary: summary,
                                      failed: done.skipped.total > 0)
        case .failed(let reason):
            return BackgroundActivity(label: label, done: 0, total: 0, finishedSummary: "Purge stopped: \(reason)", failed: true)
        }
    }

    /// Stops a run at its next batch boundary and waits, so quitting never leaves a batch half done.
    func stop() async {
        let runner = lock.withLock {
            stopped = true
            return running
        }
        loop?.cancel()
        runner?.cancel()
        await loop?.value
        // Cancelling the loop ends its `for await` over the run's events at once, but the run goes
        // on to its batch boundary on its own task: wait for that too, or quitting would return
        // (and the process exit) with a batch committed, its files not unlinked and the run open.
        _ = await runner?.result
    }
}
