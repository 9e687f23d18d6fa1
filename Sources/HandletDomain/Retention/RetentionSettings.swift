import Foundation
import GRDB

/// Changes to a workspace's recording settings: the retention period, and recording on or off.
/// Every change checks the actor's role, happens in one transaction with its audit event, and
/// leaves everything as it was when refused.
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

    /// Sets the retention period and re-dates every stored recording to creation + `period`.
    /// Shortening throws `shorteningNeedsConfirmation` (carrying the preview) unless
    /// `shorteningConfirmed` says the person saw the effect and agreed.
    @discardableResult
    public static func setPeriod(_ period: RetentionPeriod, in workspace: Workspace, by actor: Actor,
                                 shorteningConfirmed: Bool, now: Date = Date()) throws -> PeriodChange {
        try actor.require(.changeRetention)
        return try workspace.dbPool.write { db in
            let current = try currentPeriod(db)
            let impact = try ImpactPreview.compute(db, from: current, to: period, now: now)
            guard period != current else {
                return PeriodChange(from: current, to: period, recordingsRedated: 0, impact: impact)
            }
            if impact.isShortening && !shorteningConfirmed {
                throw RetentionError.shorteningNeedsConfirmation(impact)
            }
            try db.execute(sql: "UPDATE workspace SET retention_days = ? WHERE id = 1", arguments: [period.days])
            // A recording the user asked to delete now keeps that decision whatever the period.
            try db.execute(sql: """
                UPDATE recordings SET expires_at = created_at + ?
                WHERE purged_at IS NULL AND purge_note IS NOT ?
                """, arguments: [period.seconds, PurgeNote.deletionRequested])
            let redated = db.changesCount
            try AuditLog.append(db, actor: actor, action: RetentionAudit.periodChanged, target: "workspace",
                                details: ["from_days": .int(Int64(current.days)), "to_days": .int(Int64(period.days)),
                                          "recordings_redated": .int(Int64(redated)),
                                          "recordings_newly_due": .int(Int64(impact.recordings))],
                                at: now)
            return PeriodChange(from: current, to: period, recordingsRedated: redated, impact: impact)
        }
    }

    /// Turns recording off. Calls taken afterwards keep no audio (see `RecordingPolicy`).
    @discardableResult
    public static func disableRecording(existing: ExistingRecordings, in workspace: Workspace, by actor: Actor,
                                        now: Date = Date()) throws -> RecordingSwitch {
        try actor.require(.changeRetention)
        return try workspace.dbPool.write { db in
            let wasEnabled = try Bool.fetchOne(db, sql: "SELECT recording_enabled FROM workspace WHERE id = 1") ?? true
            if !wasEnabled && existing == .keepUntilExpiry {
                return RecordingSwitch(recordingEnabled: false, changed: false, existing: existing,
                                       markedForDeletion: 0, keptOnHold: 0)
            }
            try db.execute(sql: "UPDATE workspace SET recording_enabled = 0 WHERE id = 1")
            var marked = 0
            var held = 0
            if existing == .deleteNow {
                let nowSeconds = RecordingExpiry.epochSeconds(now)
                try db.execute(sql: """
                    UPDATE recordings SET expires_at = MIN(expires_at, ?), purge_note = ?
                    WHERE purged_at IS NULL AND legal_hold = 0
                    """, arguments: [nowSeconds, PurgeNote.deletionRequested])
                marked = db.changesCount
                held = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM recordings WHERE legal_hold = 1 AND purged_at IS NULL") ?? 0
            }
            try AuditLog.append(db, actor: actor, action: RetentionAudit.recordingDisabled, target: "workspace",
                                details: ["existing": .string(existing.rawValue),
                                          "marked_for_deletion": .int(Int64(marked)),
                                          "kept_on_hold": .int(Int64(held)),
                                          "was_enabled": .bool(wasEnabled)],
                                at: now)
            return RecordingSwitch(recordingEnabled: false, changed: true, existing: existing,
                                   markedForDeletion: marked, keptOnHold: held)
        }
    }

    /// Turns recording back on for calls taken from now on.
    @discardableResult
    public static func enableRecording(in workspace: Workspace, by actor: Actor, now: Date = Date()) throws -> RecordingSwitch {
        try actor.require(.changeRetention)
        return try workspace.dbPool.write { db in
            let wasEnabled = try Bool.fetchOne(db, sql: "SELECT recording_enabled FROM workspace WHERE id = 1") ?? true
            guard !wasEnabled else {
                return RecordingSwitch(recordingEnabled: true, changed: false, existing: nil, markedForDeletion: 0, keptOnHold: 0)
            }
            try db.execute(sql: "UPDATE workspace SET recording_enabled = 1 WHERE id = 1")
            try AuditLog.append(db, actor: actor, action: RetentionAudit.recordingEnabled, target: "workspace", at: now)
            return RecordingSwitch(recordingEnabled: true, changed: true, existing: nil, markedForDeletion: 0, keptOnHold: 0)
        }
    }
}

/// Audit action names written by retention, legal hold and purge.
public enum RetentionAudit {
    public static let periodChanged = "retention.period_changed"
    public static let recordingDisabled = "retention.recording_disabled"
    public static let recordingEnabled = "retention.recording_enabled"
    public static let holdPlaced = "recording.hold_placed"
    public static let holdReleased = "recording.hold_released"
    public static let purgeRun = "recording.purge_run"
}
