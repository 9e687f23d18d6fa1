import Foundation
import HandletDomain

/// What to generate. The same options (seed and anchor included) give identical rows and files.
public struct DemoOptions: Sendable, Equatable {
    public var calls: Int
    public var messages: Int
    public var seed: UInt64
    /// The end of the generated history: every call and message happens before it.
    public var anchor: Date
    /// The workspace's recording setting now. When off, recording was switched off ten days
    /// before the anchor and calls since then keep no audio.
    public var recordingEnabled: Bool
    public var retentionDays: Int

    public init(calls: Int, messages: Int, seed: UInt64 = 1, anchor: Date = Date(),
                recordingEnabled: Bool = true, retentionDays: Int = 30) {
        self.calls = calls
        self.messages = messages
        self.seed = seed
        self.anchor = Date(timeIntervalSince1970: anchor.timeIntervalSince1970.rounded(.down))
        self.recordingEnabled = recordingEnabled
        self.retentionDays = retentionDays
    }

    /// What `handlet` creates on first run: months of a busy small firm, built in seconds.
    public static func firstRun(anchor: Date = Date()) -> DemoOptions {
        DemoOptions(calls: 5_000, messages: 15_000, anchor: anchor)
    }

    /// About thirty calls a day, but never less than three months nor more than two years.
    var historyDays: Int { min(730, max(90, calls / 30)) }

    /// Customers come back: roughly one contact per four conversations.
    var contacts: Int { max(20, (calls + messages / 3) / 4) }
}

/// Settings the demo business had over its history, so calls honour the recording policy in
/// force when they were taken.
struct DemoHistory: Sendable {
    let anchor: Int64
    /// The policy while recording was on: the workspace's period, recording enabled.
    let whileOn: RecordingPolicy
    /// Spans (unix seconds, end exclusive) during which recording was switched off.
    let recordingOff: [Range<Int64>]
    /// The nightly purge last ran this long before the anchor, so recordings that expired since
    /// then are still on disk: the retention screens have real work to show.
    static let daysSinceLastPurge: Int64 = 7

    init(options: DemoOptions, calendar: DemoCalendar) {
        anchor = calendar.anchor
        let period = (try? RetentionPeriod(days: options.retentionDays)) ?? .standard
        whileOn = RecordingPolicy(recordingEnabled: true, period: period)
        let day = DemoCalendar.secondsPerDay
        var off: [Range<Int64>] = []
        // A week, eleven weeks ago, when the owner had recording switched off.
        if calendar.historyDays >= 120 { off.append((anchor - 80 * day)..<(anchor - 73 * day)) }
        if !options.recordingEnabled { off.append((anchor - 10 * day)..<(anchor + 1)) }
        recordingOff = off
    }

    var lastPurge: Int64 { anchor - DemoHistory.daysSinceLastPurge * DemoCalendar.secondsPerDay }

    func policy(at time: Int64) -> RecordingPolicy {
        recordingOff.contains { $0.contains(time) }
            ? RecordingPolicy(recordingEnabled: false, period: whileOn.period) : whileOn
    }
}
