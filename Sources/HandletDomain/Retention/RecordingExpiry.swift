import Foundation

/// Expiry arithmetic in one place, so the Swift side and the SQL that re-dates or selects
/// recordings cannot drift apart.
///
/// A day is 86,400 seconds. Times are stored as whole UTC seconds, so a period spanning a
/// clock change in Europe/London still keeps the recording for exactly `days` × 24 hours.
public enum RecordingExpiry {
    public static let secondsPerDay: Int64 = 86_400

    /// A recording expires at its creation time plus the period in force.
    public static func expiresAt(createdAt: Date, period: RetentionPeriod) -> Date {
        Date(timeIntervalSince1970: wholeSeconds(createdAt) + TimeInterval(period.seconds))
    }

    /// Whether the purge may take this recording at `now`: it is stored, not on legal hold, and
    /// its expiry has come. A held recording never expires, whatever its stored expiry says.
    public static func isExpired(_ recording: Recording, at now: Date) -> Bool {
        recording.purgedAt == nil && !recording.legalHold && recording.expiresAt <= now
    }

    /// The recording as it would be re-dated under `period` (purged ones keep their history).
    public static func redated(_ recording: Recording, period: RetentionPeriod) -> Recording {
        guard recording.purgedAt == nil, recording.purgeNote != PurgeNote.deletionRequested else { return recording }
        var copy = recording
        copy.expiresAt = expiresAt(createdAt: recording.createdAt, period: period)
        return copy
    }

    static func wholeSeconds(_ date: Date) -> TimeInterval { date.timeIntervalSince1970.rounded(.down) }
    static func epochSeconds(_ date: Date) -> Int64 { Int64(wholeSeconds(date)) }
}

/// Values of `recordings.purge_note`.
public enum PurgeNote {
    /// Set when a user disabled recording and chose to delete existing recordings now: the row's
    /// expiry was moved to that moment and a later period change must not move it back.
    public static let deletionRequested = "deletion_requested"
    /// The purge found the audio file already gone; the row is purged all the same.
    public static let fileMissing = "file_missing"
    /// The stored path tried to leave the audio folder, or named something other than a file
    /// (a folder); nothing was unlinked for it.
    public static let unsafePath = "unsafe_path"
    /// Deleted at the user's request when recording was disabled.
    public static let deletedOnRequest = "deleted_on_request"
}
