import Foundation

/// Why a retention, recording or legal-hold request was refused. Each refusal changes nothing.
public enum RetentionError: SysexitsError, Equatable, CustomStringConvertible {
    /// Shortening deletes audio sooner; the caller must show this preview and get a yes first.
    case shorteningNeedsConfirmation(ImpactPreview)
    case noSuchCall(String)
    case callHasNoRecording(String)
    case recordingAlreadyPurged(String)
    case alreadyOnHold(String)
    case notOnHold(String)
    case holdReasonRequired
    case releaseReasonRequired
    case holdReasonTooLong(limit: Int)

    public var exitClass: ExitClass {
        switch self {
        case .shorteningNeedsConfirmation, .holdReasonRequired, .releaseReasonRequired: .usage
        case .noSuchCall, .holdReasonTooLong: .dataError
        // Rules of the workspace about the call's recording as it is now.
        case .callHasNoRecording, .recordingAlreadyPurged, .alreadyOnHold, .notOnHold: .refused
        }
    }

    public var description: String {
        switch self {
        case .shorteningNeedsConfirmation(let preview):
            "Shortening the retention period from \(preview.from) to \(preview.to) deletes "
                + "\(DisplayText.count(preview.recordings, "recording")) at the next purge; confirm first."
        case .noSuchCall(let reference):
            "No call with id or external id \"\(reference)\"."
        case .callHasNoRecording(let reference):
            "Call \(reference) has no recording."
        case .recordingAlreadyPurged(let reference):
            "The recording of call \(reference) has already been purged."
        case .alreadyOnHold(let reference):
            "The recording of call \(reference) is already on legal hold."
        case .notOnHold(let reference):
            "The recording of call \(reference) is not on legal hold."
        case .holdReasonRequired:
            "A legal hold needs a reason (--reason TEXT)."
        case .releaseReasonRequired:
            "Releasing a legal hold needs a reason (--reason TEXT)."
        case .holdReasonTooLong(let limit):
            "A legal hold reason may be at most \(limit) characters."
        }
    }
}
