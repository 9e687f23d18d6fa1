import Foundation
import GRDB

/// Decides, from the workspace's settings, what a newly taken call keeps. The importer and the
/// demo generator both ask this, so a call taken while recording is off never gets audio.
public struct RecordingPolicy: Equatable, Sendable {
    public let recordingEnabled: Bool
    public let period: RetentionPeriod

    public enum Decision: Equatable, Sendable {
        /// Store the audio; the recording row's `expires_at` is this.
        case keep(expiresAt: Date)
        /// Store no audio; the call's `recording_state` is this (`recording_disabled` or `not_recorded`).
        case noAudio(RecordingState)

        public var recordingState: RecordingState {
            switch self {
            case .keep: .recorded
            case .noAudio(let state): state
            }
        }
    }

    public init(recordingEnabled: Bool, period: RetentionPeriod) {
        self.recordingEnabled = recordingEnabled
        self.period = period
    }

    /// The policy in force; an out-of-range stored period (impossible through the schema's CHECK)
    /// falls back to the standard 30 days rather than keeping audio for longer.
    public init(settings: WorkspaceRecord) {
        self.init(recordingEnabled: settings.recordingEnabled,
                  period: (try? RetentionPeriod(days: settings.retentionDays)) ?? .standard)
    }

    static func current(_ db: Database) throws -> RecordingPolicy {
        guard let settings = try WorkspaceRecord.stored(db) else {
            return RecordingPolicy(recordingEnabled: true, period: .standard)
        }
        return RecordingPolicy(settings: settings)
    }

    /// - Parameters:
    ///   - audioCaptured: whether the service captured audio for this call at all (a missed or
    ///     abandoned call has none).
    ///   - createdAt: when the recording was made; its expiry runs from here.
    public func decide(audioCaptured: Bool, createdAt: Date) -> Decision {
        guard recordingEnabled else { return .noAudio(.recordingDisabled) }
        guard audioCaptured else { return .noAudio(.notRecorded) }
        return .keep(expiresAt: RecordingExpiry.expiresAt(createdAt: createdAt, period: period))
    }
}
