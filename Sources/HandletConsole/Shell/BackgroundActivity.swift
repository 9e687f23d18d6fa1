import Foundation
import HandletDomain
/// Progress of work running off the UI thread (the start-up purge), posted to the console's
/// mailbox and shown in the status bar so the user knows something is happening and when it ends.
public struct BackgroundActivity: Sendable, Equatable {
    public var label: String
    public var done: Int
    public var total: Int
    /// Set on the last update: what happened, for the status bar's flash.
    public var finishedSummary: String?
    public var failed: Bool
    /// For work counted in steps rather than items (an erasure's phases): what it is doing now,
    /// shown instead of the counts.
    public var phase: String?
    /// When it started, for work whose length is known only roughly: the status bar shows the time
    /// it has run, so a long step is seen to be moving.
    public var startedAt: Date?

    public init(label: String, done: Int, total: Int, finishedSummary: String? = nil, failed: Bool = false,
                phase: String? = nil, startedAt: Date? = nil) {
        self.label = label
        self.done = done
        self.total = total
        self.finishedSummary = finishedSummary
        self.failed = failed
        self.phase = phase
        self.startedAt = startedAt
    }

    public var isFinished: Bool { finishedSummary != nil }

    /// "Purging recordings 1,200/5,000".
    public var progressText: String {
        "\(label) \(DisplayText.count(done))/\(DisplayText.count(total))"
    }

    /// The same at `now`: "Erasing Ann Baker · rewriting the search indexes · 35s" for work in phases.
    public func progressText(at now: Date) -> String {
        guard let phase else { return progressText }
        return [label, phase, startedAt.map { DisplayText.duration(max(0, Int(now.timeIntervalSince($0)))) }]
            .compactMap { $0 }.joined(separator: " · ")
    }
}
