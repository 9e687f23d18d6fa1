import GRDB
@testable import HandletDomain
import XCTest
import HandletTestSupport

final class RetentionSettingsTests: XCTestCase {
    /// Recordings made daily at noon over 60 days, then "now" is day 60 00:00 under 30 days' retention.
    private func dailyFixture() throws -> (RetentionFixture, [Recording]) {
        let fixture = try RetentionFixture(retentionDays: 30)
        var recordings: [Recording] = []
        for day in 0..<60 {
            let stored = try fixture.addCall(recordedAt: RetentionFixture.at(days: Double(day) + 0.5), bytes: 100 + day)
            recordings.append(try XCTUnwrap(stored.recording))
        }
        return (fixture, recordings)
    }

    func testImpactPreviewOfShortening() throws {
        let (fixture, recordings) = try dailyFixture()
        let now = RetentionFixture.at(days: 60)
        // Created after day 30 (safe under 30 days) and on or before day 53 (due under 7): days 30...52.
        let expected = recordings.filter {
            $0.createdAt > now.addingTimeInterval(-30 * RetentionFixture.day)
                && $0.createdAt <= now.addingTimeInterval(-7 * RetentionFixture.day)
        }
        XCTAssertEqual(expected.count, 23)
        let preview = try fixture.workspace.session(as: try fixture.workspace.localOwner()).read(.impactPreview(changingTo: try RetentionPeriod(days: 7), now: now))
        XCTAssertTrue(preview.isShortening)
        XCTAssertEqual(preview.recordings, expected.count)
        XCTAssertEqual(preview.oldestCreatedAt, expected.first?.createdAt)
        XCTAssertEqual(preview.newestCreatedAt, expected.last?.createdAt)
        XCTAssertEqual(preview.bytes, expected.reduce(0) { $0 + $1.bytes })

        // A recording on hold is not counted: it will not go.
        try fixture.workspace.session(as: fixture.owner).perform(.placeLegalHold(onCall: fixture.workspace.callID("CA000041"), reason: "Complaint"), at: now)
        let withHold = try fixture.workspace.session(as: try fixture.workspace.localOwner()).read(.impactPreview(changingTo: try RetentionPeriod(days: 7), now: now))
        XCTAssertEqual(withHold.recordings, expected.count - 1)
        XCTAssertEqual(withHold.bytes, preview.bytes - recordings[40].bytes)
    }

    func testImpactPreviewAgreesWithAPurgeAtEveryPeriod() throws {
        let (fixture, _) = try dailyFixture()
        let now = RetentionFixture.at(days: 60.3)
        for days in [1, 2, 13, 29] {
            let preview = try fixture.workspace.session(as: try fixture.workspace.localOwner()).read(.impactPreview(changingTo: try RetentionPeriod(days: days), now: now))
            let plannedBefore = try fixture.workspace.session(as: .system).read(.purgePlan(now: now)).recordings
            let shorter = try RetentionPeriod(days: days)
            let dueAfter = try fixture.workspace.dbPool.read { db in
                try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM recordings WHERE purged_at IS NULL AND legal_hold = 0 AND created_at + ? <= ?
                    """, arguments: [shorter.seconds, Int64(now.timeIntervalSince1970)])!
            }
            XCTAssertEqual(preview.recordings, dueAfter - plannedBefore, "period \(days)")
        }
    }

    func testLengtheningDeletesNothingAndNeedsNoConfirmation() throws {
        let (fixture, _) = try dailyFixture()
        let preview = try fixture.workspace.session(as: try fixture.workspace.localOwner()).read(.impactPreview(changingTo: try RetentionPeriod(days: 90)))
        XCTAssertFalse(preview.isShortening)
        XCTAssertEqual(preview.recordings, 0)
        let change = try fixture.workspace.session(as: fixture.owner).perform(.setRetentionPeriod(try RetentionPeriod(days: 90), shorteningConfirmed: false))
        XCTAssertTrue(change.changed)
        XCTAssertEqual(change.recordingsRedated, 60)
    }

    func testShorteningUnconfirmedIsRefusedWithThePreviewAndChangesNothing() throws {
        let (fixture, recordings) = try dailyFixture()
        let now = RetentionFixture.at(days: 60)
        XCTAssertThrowsError(try fixture.workspace.session(as: fixture.owner).perform(.setRetentionPeriod(try RetentionPeriod(days: 7), shorteningConfirmed: false), at: now)) { error in
            guard case RetentionError.shorteningNeedsConfirmation(let preview) = error else {
                return XCTFail("unexpected \(error)")
            }
            XCTAssertEqual(preview.recordings, 23)
        }
        XCTAssertEqual(try fixture.retentionDays(), 30)
        XCTAssertEqual(try fixture.recording(recordings[45].id).expiresAt, recordings[45].expiresAt)
        XCTAssertTrue(try fixture.auditEvents(AuditAction.retentionPeriodChanged.rawValue).isEmpty)
    }

    func testAgentsAndViewersAreRefusedNamingTheRoleNeeded() throws {
        let (fixture, recordings) = try dailyFixture()
        let period = try RetentionPeriod(days: 90)
        let attempts: [(String, (Actor) throws -> Void)] = [
            ("set period", { try fixture.workspace.session(as: $0).perform(.setRetentionPeriod(period, shorteningConfirmed: true)) }),
            ("disable", { try fixture.workspace.session(as: $0).perform(.disableRecording(existing: .deleteNow)) }),
            ("enable", { try fixture.workspace.session(as: $0).perform(.enableRecording) }),
            ("hold", { try fixture.workspace.session(as: $0).perform(.placeLegalHold(onCall: fixture.workspace.callID("CA000001"), reason: "Claim")) }),
            ("release", { try fixture.workspace.session(as: $0).perform(.releaseLegalHold(onCall: fixture.workspace.callID("CA000001"), reason: "Settled")) }),
        ]
        for actor in [fixture.agent, fixture.viewer] {
            for (name, attempt) in attempts {
                XCTAssertThrowsError(try attempt(actor), name) { error in
                    let message = String(describing: error)
                    XCTAssertTrue(message.contains("Only owner or admin"), message)
                    XCTAssertTrue(message.hasSuffix("you are \(actor == fixture.agent ? "agent" : "viewer")."), message)
                }
            }
        }
        XCTAssertEqual(try fixture.retentionDays(), 30)
        XCTAssertTrue(try fixture.workspace.settings().recordingEnabled)
        XCTAssertEqual(try fixture.recording(recordings[0].id), recordings[0])
        let audited = try fixture.workspace.dbPool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_events WHERE action <> 'workspace.created'")!
        }
        XCTAssertEqual(audited, 0)
    }

    func testDisableKeepingRecordingsUntilExpiry() throws {
        let (fixture, recordings) = try dailyFixture()
        let change = try fixture.workspace.session(as: fixture.admin).perform(.disableRecording(existing: .keepUntilExpiry), at: RetentionFixture.at(days: 60))
        XCTAssertTrue(change.changed)
        XCTAssertEqual(change.markedForDeletion, 0)
        XCTAssertFalse(try fixture.workspace.settings().recordingEnabled)
        XCTAssertEqual(try fixture.recording(recordings[59].id), recordings[59], "expiry untouched")
        let report = try fixture.workspace.session(as: .system).purge(now: RetentionFixture.at(days: 60))
        XCTAssertEqual(report.thisRun.purged, 30, "only the already expired go")
        let again = try fixture.workspace.session(as: fixture.admin).perform(.disableRecording(existing: .keepUntilExpiry))
        XCTAssertFalse(again.changed)
        XCTAssertEqual(try fixture.auditEvents(AuditAction.recordingDisabled.rawValue).count, 1, "no-op is not audited")
    }

    func testDisableDeletingNowSparesHeldRecordingsAndSurvivesAPeriodChange() throws {
        let (fixture, recordings) = try dailyFixture()
        let now = RetentionFixture.at(days: 60)
        try fixture.workspace.session(as: fixture.owner).perform(.placeLegalHold(onCall: fixture.workspace.callID("CA000060"), reason: "Tribunal"), at: now)
        let change = try fixture.workspace.session(as: fixture.owner).perform(.disableRecording(existing: .deleteNow), at: now)
        XCTAssertEqual(change.markedForDeletion, 59)
        XCTAssertEqual(change.keptOnHold, 1)
        // Lengthening afterwards must not bring the deleted-on-request recordings back from the brink.
        try fixture.workspace.session(as: fixture.owner).perform(.setRetentionPeriod(try RetentionPeriod(days: 365), shorteningConfirmed: false), at: now)
        let report = try fixture.workspace.session(as: fixture.owner).purge(now: now)
        XCTAssertEqual(report.thisRun.purged, 59)
        XCTAssertTrue(fixture.fileExists(recordings[59].filePath))
        XCTAssertFalse(fixture.fileExists(recordings[58].filePath))
        XCTAssertEqual(try fixture.recording(recordings[58].id).purgeNote, "deleted_on_request")
        let audit = try XCTUnwrap(fixture.auditEvents(AuditAction.recordingDisabled.rawValue).last)
        XCTAssertEqual(try fixture.auditDetails(audit)["marked_for_deletion"], .int(59))
        XCTAssertEqual(try fixture.auditDetails(audit)["existing"], .string("delete_now"))
    }

    func testEverySettingsChangeIsAuditedWithIdentifiersOnly() throws {
        let (fixture, _) = try dailyFixture()
        let now = RetentionFixture.at(days: 60)
        try fixture.workspace.session(as: fixture.admin).perform(.setRetentionPeriod(try RetentionPeriod(days: 14), shorteningConfirmed: true), at: now)
        try fixture.workspace.session(as: fixture.owner).perform(.disableRecording(existing: .keepUntilExpiry), at: now)
        try fixture.workspace.session(as: fixture.owner).perform(.enableRecording, at: now)
        let changed = try XCTUnwrap(fixture.auditEvents(AuditAction.retentionPeriodChanged.rawValue).first)
        XCTAssertEqual(changed.actor, "admin@example.test")
        XCTAssertEqual(try fixture.auditDetails(changed),
                       ["from_days": .int(30), "to_days": .int(14), "recordings_redated": .int(60),
                        "recordings_newly_due": .int(16)])
        XCTAssertEqual(try fixture.auditEvents(AuditAction.recordingDisabled.rawValue).count, 1)
        XCTAssertEqual(try fixture.auditEvents(AuditAction.recordingEnabled.rawValue).count, 1)
        XCTAssertNil(try fixture.workspace.dbPool.read { try AuditLog.verify($0) }, "hash chain intact")
        // Setting the same period again changes and audits nothing.
        let same = try fixture.workspace.session(as: fixture.admin).perform(.setRetentionPeriod(try RetentionPeriod(days: 14), shorteningConfirmed: false), at: now)
        XCTAssertFalse(same.changed)
        XCTAssertEqual(try fixture.auditEvents(AuditAction.retentionPeriodChanged.rawValue).count, 1)
    }

    func testOverviewShowsDueExpiringHeldAndLastPurge() throws {
        let (fixture, _) = try dailyFixture()
        let now = RetentionFixture.at(days: 40)
        try fixture.workspace.session(as: fixture.admin).perform(.placeLegalHold(onCall: fixture.workspace.callID("CA000040"), reason: "Claim 77"), at: now)
        var overview = try fixture.workspace.session(as: .system).read(.retentionOverview(now: now))
        XCTAssertTrue(overview.recordingEnabled)
        XCTAssertEqual(overview.period.days, 30)
        XCTAssertEqual(overview.dueNow.recordings, 10, "days 0...9 at noon are due by day 40")
        XCTAssertEqual(overview.expiringSoon.recordings, 7)
        XCTAssertEqual(overview.onHold.map(\.callExternalId), ["CA000040"])
        XCTAssertEqual(overview.onHold.first?.reason, "Claim 77")
        XCTAssertEqual(overview.onHold.first?.heldByEmail, "admin@example.test")
        XCTAssertNil(overview.lastPurge)
        try fixture.workspace.session(as: .system).purge(now: now)
        overview = try fixture.workspace.session(as: .system).read(.retentionOverview(now: now))
        XCTAssertEqual(overview.dueNow.recordings, 0)
        XCTAssertEqual(overview.nextExpiry, RetentionFixture.at(days: 40.5))
        XCTAssertEqual(overview.lastPurge?.purged, 10)
        XCTAssertEqual(overview.lastPurge?.actor, "system")
        XCTAssertEqual(try fixture.workspace.session(as: try fixture.workspace.localOwner()).read(.deletableRecordings).recordings, 49)
    }
}

final class RetentionPreviewPlanTests: XCTestCase {
    func testThePreviewSearchesIndexesAndNeverScansRecordings() throws {
        let fixture = try RetentionFixture()
        let plans = try ImpactPreview.queryPlans(fixture.workspace)
        XCTAssertEqual(plans.count, 4, plans.joined(separator: "\n"))
        for plan in plans {
            XCTAssertFalse(plan.contains("=> SCAN recordings"), plan)
            if plan.contains("FROM recordings") {
                XCTAssertTrue(plan.contains("SEARCH recordings USING COVERING INDEX recordings_expirable_by_created"), plan)
            } else {
                XCTAssertTrue(plan.contains("SEARCH recording_day_totals USING INTEGER PRIMARY KEY"), plan)
            }
        }
    }
}
