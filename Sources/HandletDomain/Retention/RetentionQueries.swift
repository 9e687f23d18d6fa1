import Foundation
import GRDB

extension WorkspaceQuery where Value == RetentionOverview {
    /// Everything the Retention tab and `handlet retention show` show, in one snapshot.
    public static func retentionOverview(now: Date? = nil) -> Self {
        .reading(.browse, at: now) { db, now in try RetentionOverview.load(db, now: now) }
    }
}

extension WorkspaceQuery where Value == ImpactPreview {
    /// What changing the period to `period` would delete. Asked only by someone about to change
    /// it, so it needs what the change needs: a viewer is refused before seeing a question.
    public static func impactPreview(changingTo period: RetentionPeriod, now: Date? = nil) -> Self {
        .reading(.changeRetention, at: now) { db, now in
            try ImpactPreview.compute(db, from: RetentionSettings.currentPeriod(db), to: period, now: now)
        }
    }
}

extension WorkspaceQuery where Value == RetentionOverview.Amount {
    /// Every stored recording not on legal hold: what "disable recording and delete now" removes.
    /// The preview of that change, so it needs what the change needs.
    public static var deletableRecordings: Self { .reading(.changeRetention) { try RetentionOverview.storedAmount($0) } }
}

extension WorkspaceQuery where Value == [LegalHold.Held] {
    /// Every recording on hold, longest-held first.
    public static var legalHolds: Self { .reading(.browse) { try LegalHold.list($0) } }
}

extension WorkspaceQuery where Value == [LegalHold.HistoryEntry] {
    /// Every hold ever placed on the call's recording, oldest first.
    public static func legalHoldHistory(ofCall id: Call.ID) -> Self { .reading(.browse) { try LegalHold.history(ofCall: id, $0) } }
}

extension WorkspaceQuery where Value == PurgePlan {
    /// What a purge at `now` would delete, oldest expiry first (`handlet purge --dry-run`).
    public static func purgePlan(now: Date? = nil, limit: Int? = nil) -> Self {
        .reading(.browse, at: now) { db, now in try Purge.plan(db, now: now, limit: limit) }
    }
}
