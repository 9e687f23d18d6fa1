import Foundation
import HandletDomain

/// Auto-Send delivery passes the console runs in the background (DESIGN §6), on the same loop as
/// the purge: whenever a check finds a message due (or one a dead pass left mid-send) and a
/// gateway is configured, so an open console sends on time even without a cron job. Progress
/// and results go to the status bar; a gateway's own words never do (they stay on the outbox row,
/// sanitised, for the queue). It acts as `system`: it sends only what Auto-Send already decided.
final class BackgroundDelivery: @unchecked Sendable {
    /// How often an open console looks for due messages: one indexed count. A minute, since a
    /// message due now should not wait five.
    static let checkInterval: Duration = .seconds(60)

    private var job: BackgroundJobLoop<BackgroundJobRun<DeliveryProgress, DeliveryReport>>!
    private let failures = RepeatedFailureFilter { error in
        // Another pass is already delivering.
        if case .alreadyRunning? = error as? DeliveryError { true } else { false }
    }

    /// - Parameter session: acting as `system` (the launcher opens it beside the user's).
    init(session: WorkspaceSession, checkEvery interval: Duration = BackgroundDelivery.checkInterval,
         policy: DeliveryPolicy = .standard, now: @escaping @Sendable () -> Date = { Date() },
         post: @escaping @Sendable (any Sendable) -> Void) {
        job = BackgroundJobLoop(
            every: interval, now: now,
            isDue: { now in
                guard let backlog = try? await session.read(.deliveryBacklog(now: now)) else { return false }
                return backlog.gatewayConfigured && backlog.dueNow > 0
            },
            start: { now in try? session.startDelivery(policy: policy, now: now) },
            activity: { [weak self] event, run in await self?.activity(for: event, of: run) },
            post: post)
    }

    private func activity(for event: BackgroundJobRun<DeliveryProgress, DeliveryReport>.Event,
                          of run: BackgroundJobRun<DeliveryProgress, DeliveryReport>) async -> BackgroundActivity? {
        await failures.shows(event, of: run) ? Self.activity(for: event) : nil
    }

    static func activity(for event: BackgroundJobRun<DeliveryProgress, DeliveryReport>.Event) -> BackgroundActivity {
        let label = "Delivering Auto-Send messages"
        switch event {
        case .progress(let progress):
            return BackgroundActivity(label: label, done: progress.done, total: progress.total)
        case .finished(let report):
            let done = report.progress
            var summary = "Delivered \(DisplayText.count(done.delivered, "Auto-Send message"))"
            if done.retrying > 0 { summary += ", \(done.retrying) to try again" }
            if done.failed > 0 { summary += ", \(done.failed) failed: see the queue" }
            return BackgroundActivity(label: label, done: done.done, total: done.total, finishedSummary: summary,
                                      failed: done.retrying + done.failed > 0)
        case .failed(let reason):
            return BackgroundActivity(label: label, done: 0, total: 0, finishedSummary: "Delivery stopped: \(reason)", failed: true)
        }
    }

    /// Stops a pass between two messages and waits, so quitting never leaves one half recorded.
    func stop() async { await job.stop() }
}
