import Foundation
import HandletDomain

/// The purge the console runs in the background (DESIGN §5): once when it opens, then whenever a
/// check finds a recording past its expiry, so a console left open all day deletes audio on time
/// even without a cron job. Progress and results go to the status bar. It acts as `system`:
/// retention is the workspace's rule, whoever opened the console.
final class BackgroundPurge: @unchecked Sendable {
    /// How often an open console looks for newly expired recordings: one indexed count.
    static let checkInterval: Duration = .seconds(300)

    private var job: BackgroundJobLoop<PurgeRunner>!
    private let failures = RepeatedFailureFilter { error in
        // Another purge is already doing the work.
        if case .alreadyRunning? = error as? PurgeError { true } else { false }
    }

    /// - Parameter session: acting as `system` (the launcher opens it beside the user's).
    init(session: WorkspaceSession, checkEvery interval: Duration = BackgroundPurge.checkInterval,
         now: @escaping @Sendable () -> Date = { Date() }, post: @escaping @Sendable (any Sendable) -> Void) {
        job = BackgroundJobLoop(
            every: interval, now: now,
            isDue: { now in
                guard let plan = try? await session.read(.purgePlan(now: now, limit: 1)) else { return false }
                return plan.recordings > 0 || plan.unfinishedFromInterruptedRun > 0
            },
            start: { now in try? session.startPurge(now: now) },
            activity: { [weak self] event, runner in await self?.activity(for: event, of: runner) },
            post: post)
    }

    private func activity(for event: PurgeRunner.Event, of run: PurgeRunner) async -> BackgroundActivity? {
        await failures.shows(event, of: run) ? Self.activity(for: event) : nil
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
    func stop() async { await job.stop() }
}
