import Foundation
import GRDB

/// Changes to a workspace's recording settings: the retention period, and recording on or off.
/// Each is a `WorkspaceCommand` (`.setRetentionPeriod`, `.disableRecording`, `.enableRecording`),
/// so a session checks the actor's role and writes the change with its audit event in one
/// transaction, leaving everything as it was when refused.
public enum RetentionSettings {
    /// What to do with recordings already stored when recording is turned off.
    public enum ExistingRecordings: String, Sendable, Codable {
        /// Each keeps its expiry and goes with the normal purge.
        case keepUntilExpiry = "keep_until_expiry"
        /// Every recording not on legal hold becomes due now; run the purge to delete the audio.
        case deleteNow = "delete_now"
    }

    public struct PeriodChange: Equatable, Sendable, Codable {
        public let from: RetentionPeriod
        public let to: RetentionPeriod
        /// Stored recordings whose expiry was recomputed as creation + the new period.
        public let recordingsRedated: Int
        /// What the shortening made due (zero recordings when lengthening).
        public let impact: ImpactPreview
        public let changed: Bool

        init(from: RetentionPeriod, to: RetentionPeriod, recordingsRedated: Int, impact: ImpactPreview) {
            self.from = from; self.to = to; self.recordingsRedated = recordingsRedated; self.impact = impact
            changed = from != to
        }
    }

    public struct RecordingSwitch: Equatable, Sendable, Codable {
        public let recordingEnabled: Bool
        /// False when the setting already had the requested value and nothing was written.
        public let changed: Bool
        public let existing: ExistingRecordings?
        /// Recordings made due now, to be deleted by the purge that should follow.
        public let markedForDeletion: Int
        /// Recordings that stay despite "delete now", because they are on legal hold.
        public let keptOnHold: Int
    }

    static func currentPeriod(_ db: Database) throws -> RetentionPeriod {
        let days = try Int.fetchOne(db, sql: "SELECT retention_days FROM workspace WHERE id = 1") ?? RetentionPeriod.standard.days
        return try RetentionPeriod(days: days)
    }
}

extension WorkspaceCommand where Result == RetentionSettings.PeriodChange {
    /// Sets the retention period and re-dates every stored recording to creation + `period`.
    ///
    /// Its plan previews what the new period makes due and, for any shortening, asks first
    /// (DESIGN §5: shortening shows the effect and asks), even when nothing stored becomes due
    /// today: a shorter period still deletes every future recording sooner. Shortening unconfirmed
    /// throws `shorteningNeedsConfirmation` (carrying the preview). The same period again changes
    /// nothing and is not audited.
    public static func setRetentionPeriod(_ period: RetentionPeriod) -> Self {
        WorkspaceCommand(.changeRetention, audit: .retentionPeriodChanged, outline: { db, environment in
            let impact = try ImpactPreview.compute(db, from: RetentionSettings.currentPeriod(db), to: period, now: environment.now)
            // Lengthening (or keeping) the period deletes nothing sooner: nothing to show or ask.
            guard impact.isShortening else { return ChangeOutline() }
            return ChangeOutline(preview: .retentionPeriod(impact), confirmation: RetentionSettings.shortening(impact))
        }) { db, environment in
            let current = try RetentionSettings.currentPeriod(db)
            let impact = try ImpactPreview.compute(db, from: current, to: period, now: environment.now)
            guard period != current else {
                return .unchanged(RetentionSettings.PeriodChange(from: current, to: period, recordingsRedated: 0, impact: impact))
            }
            if impact.isShortening && !environment.confirmed {
                throw RetentionError.shorteningNeedsConfirmation(impact)
            }
            try db.execute(sql: "UPDATE workspace SET retention_days = ? WHERE id = 1", arguments: [period.days])
            // A recording the user asked to delete now keeps that decision whatever the period.
            try db.execute(sql: """
                UPDATE recordings SET expires_at = created_at + ?
                WHERE purged_at IS NULL AND purge_note IS NOT ?
                """, arguments: [period.seconds, PurgeNote.deletionRequested])
            let redated = db.changesCount
            return .changed(RetentionSettings.PeriodChange(from: current, to: period, recordingsRedated: redated, impact: impact),
                            target: "workspace",
                            details: ["from_days": .int(Int64(current.days)), "to_days": .int(Int64(period.days)),
                                      "recordings_redated": .int(Int64(redated)),
                                      "recordings_newly_due": .int(Int64(impact.recordings))])
        }
    }
}

extension WorkspaceCommand where Result == RetentionSettings.PeriodChange {
    /// `setRetentionPeriod(_:)`, already confirmed (or not) by whoever asked the person.
    public static func setRetentionPeriod(_ period: RetentionPeriod, shorteningConfirmed: Bool) -> Self {
        setRetentionPeriod(period).confirming(shorteningConfirmed)
    }
}

extension RetentionSettings {
    /// The one question before a shorter period, for every front end.
    static func shortening(_ impact: ImpactPreview) -> Confirmation {
        Confirmation(title: "Shorten retention to \(impact.to)", question: "Shorten the retention period to \(impact.to)?",
                     confirmLabel: "Shorten", declined: "Not confirmed; the retention period stays \(impact.from).",
                     isDestructive: true)
    }
}

extension WorkspaceCommand where Result == RetentionSettings.RecordingSwitch {
    /// Turns recording off. Calls taken afterwards keep no audio (see `RecordingPolicy`). With
    /// `.deleteNow`, every stored recording not on legal hold becomes due at once; run the purge
    /// straight after to delete the audio.
    public static func disableRecording(existing: RetentionSettings.ExistingRecordings) -> Self {
        WorkspaceCommand(.changeRetention, audit: .recordingDisabled, outline: { db, _ in
            // Deleting now loses audio for good: shown and asked first. Keeping asks nothing.
            guard existing == .deleteNow else { return ChangeOutline() }
            let held = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM recordings WHERE legal_hold = 1 AND purged_at IS NULL") ?? 0
            return ChangeOutline(preview: .recordingsDeletedNow(try RetentionOverview.storedAmount(db), keptOnHold: held),
                                 confirmation: Confirmation(title: "Turn recording off and delete now",
                                                            question: "Turn recording off and delete these recordings now?",
                                                            confirmLabel: "Delete", declined: "Not confirmed; nothing changed.",
                                                            isDestructive: true))
        }) { db, environment in
            let wasEnabled = try Bool.fetchOne(db, sql: "SELECT recording_enabled FROM workspace WHERE id = 1") ?? true
            if !wasEnabled && existing == .keepUntilExpiry {
                return .unchanged(RetentionSettings.RecordingSwitch(recordingEnabled: false, changed: false, existing: existing,
                                                                    markedForDeletion: 0, keptOnHold: 0))
            }
            try db.execute(sql: "UPDATE workspace SET recording_enabled = 0 WHERE id = 1")
            var marked = 0
            var held = 0
            if existing == .deleteNow {
                let nowSeconds = RecordingExpiry.epochSeconds(environment.now)
                try db.execute(sql: """
                    UPDATE recordings SET expires_at = MIN(expires_at, ?), purge_note = ?
                    WHERE purged_at IS NULL AND legal_hold = 0
                    """, arguments: [nowSeconds, PurgeNote.deletionRequested])
                marked = db.changesCount
                held = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM recordings WHERE legal_hold = 1 AND purged_at IS NULL") ?? 0
            }
            return .changed(RetentionSettings.RecordingSwitch(recordingEnabled: false, changed: true, existing: existing,
                                                              markedForDeletion: marked, keptOnHold: held),
                            target: "workspace",
                            details: ["existing": .string(existing.rawValue),
                                      "marked_for_deletion": .int(Int64(marked)),
                                      "kept_on_hold": .int(Int64(held)),
                                      "was_enabled": .bool(wasEnabled)])
        }
    }

    /// Turns recording back on for calls taken from now on.
    public static var enableRecording: Self {
        WorkspaceCommand(.changeRetention, audit: .recordingEnabled) { db, _ in
            let wasEnabled = try Bool.fetchOne(db, sql: "SELECT recording_enabled FROM workspace WHERE id = 1") ?? true
            guard !wasEnabled else {
                return .unchanged(RetentionSettings.RecordingSwitch(recordingEnabled: true, changed: false, existing: nil,
                                                                    markedForDeletion: 0, keptOnHold: 0))
            }
            try db.execute(sql: "UPDATE workspace SET recording_enabled = 1 WHERE id = 1")
            return .changed(RetentionSettings.RecordingSwitch(recordingEnabled: true, changed: true, existing: nil,
                                                              markedForDeletion: 0, keptOnHold: 0),
                            target: "workspace")
        }
    }
}
