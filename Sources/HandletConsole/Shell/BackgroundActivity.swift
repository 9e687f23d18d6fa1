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

    public init(label: String, done: Int, total: Int, finishedSummary: String? = nil, failed: Bool = false) {
        self.label = label
        self.done = done
        self.total = total
        self.finishedSummary = finishedSummary
        self.failed = failed
    }

    public var isFinished: Bool { finishedSummary != nil }

    /// "Purging recordings 1,200/5,000".
    public var progressText: String {
        "\(label) \(DisplayText.count(done))/\(DisplayText.count(total))"
    }
}
