import Foundation

/// A purge running off the caller's thread, for the console's start-up purge: progress arrives as
/// events (the status bar shows them) and `cancel()` stops the run at the next batch boundary,
/// leaving a consistent workspace and one audit event marked cancelled. The same runner as every
/// batch job (`BackgroundJobRun`).
public typealias PurgeRunner = BackgroundJobRun<PurgeProgress, PurgeReport>

extension BackgroundJobRun where Progress == PurgeProgress, Report == PurgeReport {
    /// Starts at once on a background task (see `WorkspaceSession.startPurge`).
    convenience init(purge: Purge, actor: Actor = .system, now: Date = Date(), payingSearchDebt: Bool = true) {
        self.init { cancellation, progress in
            try purge.run(by: actor, now: now, cancellation: cancellation, payingSearchDebt: payingSearchDebt, progress: progress)
        }
    }
}
