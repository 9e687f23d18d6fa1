import Foundation
import HandletDomain

/// The purge the console runs in the background when it opens (DESIGN §5), reporting to the
/// status bar. It acts as `system`: retention is the workspace's rule, whoever opened the console.
final class StartupPurge: Sendable {
    private let runner: PurgeRunner
    private let relay: Task<Void, Never>

    init?(workspace: Workspace, post: @escaping @Sendable (any Sendable) -> Void) {
        guard let purge = try? Purge(workspace: workspace),
              let plan = try? purge.plan(limit: 1), plan.recordings > 0 || plan.unfinishedFromInterruptedRun > 0 else { return nil }
        let runner = PurgeRunner(purge: purge)
        self.runner = runner
        relay = Task.detached(priority: .utility) {
            for await event in runner.events {
                post(Self.activity(for: event))
            }
        }
    }

    static func activity(for event: PurgeRunner.Event) -> BackgroundActivity {
        let label = "Purging expired recordings"
        switch event {
        case .progress(let progress):
            return BackgroundActivity(label: label, done: progress.purged, total: progress.total)
        case .finished(let report):
            let done = report.thisRun
            let summary = done.purged == 0
                ? "Purge: nothing had expired"
                : "Purged \(done.purged.formatted(.number)) expired recordings (\(Formatting.bytes(done.bytes)))"
                    + (done.missingFiles > 0 ? ", \(done.missingFiles) files were already missing" : "")
            return BackgroundActivity(label: label, done: done.purged, total: done.total, finishedSummary: summary)
        case .failed(let reason):
            return BackgroundActivity(label: label, done: 0, total: 0, finishedSummary: "Purge stopped: \(reason)", failed: true)
        }
    }

    /// Stops at the next batch boundary and waits, so quitting never leaves a batch half done.
    func stop() async {
        runner.cancel()
        _ = await runner.result
        await relay.value
    }
}
