import Foundation

/// What a list row says about a call's audio.
public enum RecordingStatus: Hashable, Sendable {
    /// Audio is held; it expires in `daysLeft` whole days (rounded up; 0 means due for the next purge).
    case held(daysLeft: Int, expiresAt: Date)
    /// Audio is held under legal hold and will not expire until released.
    case legalHold
    case purged(at: Date?)
    case notRecorded
    case recordingDisabled

    /// Days until `expiresAt` from `now`, rounded up, never negative.
    static func daysLeft(until expiresAt: Int64, now: Int64) -> Int {
        let remaining = expiresAt - now
        guard remaining > 0 else { return 0 }
        return Int((remaining + 86_399) / 86_400)
    }

    static func make(state: RecordingState, expiresAt: Int64?, legalHold: Bool, purgedAt: Int64?, now: Int64) -> RecordingStatus {
        switch state {
        case .recorded:
            if legalHold { return .legalHold }
            guard let expiresAt else { return .held(daysLeft: 0, expiresAt: Date(timeIntervalSince1970: TimeInterval(now))) }
            return .held(daysLeft: daysLeft(until: expiresAt, now: now), expiresAt: Date(timeIntervalSince1970: TimeInterval(expiresAt)))
        case .purged: return .purged(at: purgedAt.map { Date(timeIntervalSince1970: TimeInterval($0)) })
        case .notRecorded: return .notRecorded
        case .recordingDisabled: return .recordingDisabled
        }
    }

    /// A short label for a list column: "12d left", "held", "purged", "none", "disabled".
    public var shortLabel: String {
        switch self {
        case .held(let days, _): days == 0 ? "due" : "\(days)d left"
        case .legalHold: "on hold"
        case .purged: "purged"
        case .notRecorded: "none"
        case .recordingDisabled: "disabled"
        }
    }

    /// Stable machine name for JSON.
    public var code: String {
        switch self {
        case .held: "recorded"
        case .legalHold: "legal_hold"
        case .purged: "purged"
        case .notRecorded: "not_recorded"
        case .recordingDisabled: "recording_disabled"
        }
    }

    public var daysLeft: Int? {
        if case .held(let days, _) = self { return days }
        return nil
    }
}
