import Foundation
import GRDB
@testable import HandletDomain
import XCTest
import HandletTestSupport

/// Every cell of the DESIGN §4 role table that exists today, for every role and the system actor,
/// through `WorkspaceSession`. An allowed change commits once, with exactly one new audit event in
/// that same transaction; a refusal names the roles needed and leaves the database as it was.
final class SessionRoleTableTests: XCTestCase {
    enum Who: String, CaseIterable { case owner, admin, agent, viewer, system }

    /// One cell: who may, per DESIGN §4 written out here (not read back from `Permission`), and
    /// what doing it means.
    struct Cell {
        enum Effect {
            /// A read: changes nothing.
            case read
            /// A command: one transaction holding the change (in `table`) and its audit event.
            case command(AuditAction, table: String)
            /// The purge: many transactions by design, one audit event for the run.
            case purge
        }

        let name: String
        let permission: Permission
        let allowed: Set<Who>
        let effect: Effect
        /// Runs before the session acts (as the owner), e.g. the hold that a release needs.
        var setUp: (RetentionFixture) throws -> Void = { _ in }
        let act: (WorkspaceSession, RetentionFixture) throws -> Void
        /// Checks the change is there after an allowed act.
        var verify: (RetentionFixture) throws -> Void = { _ in }
        /// The permission a refusal names, when it depends on who is refused (an admin touching an
        /// owner lacks `.manageOwners`; an agent lacks `.manageUsers` before that).
        var refusedWith: ((Who) -> Permission)? = nil
    }

    /// Owner-only user management: admins are refused the owner part, everyone else the whole.
    static let ownerPart: @Sendable (Who) -> Permission = { $0 == .admin ? .manageOwners : .manageUsers }

    static let now = RetentionFixture.at(days: 40)
    static let everyone: Set<Who> = [.owner, .admin, .agent, .viewer]
    static let ownerAndAdmin: Set<Who> = [.owner, .admin]

    nonisolated(unsafe) static let cells: [Cell] = [
        // Browse and search calls, messages, contacts: every role (and the system, for its own reads).
        Cell(name: "browse: calls list", permission: .browse, allowed: everyone.union([.system]), effect: .read,
             act: { session, _ in
                 let clock = try session.read(.browseClock(now: now))
                 let rows = try session.pager(CallPage(clock: clock)).first(limit: 10)
                 XCTAssertEqual(rows.count, 3)
             }),
        Cell(name: "browse: search", permission: .browse, allowed: everyone.union([.system]), effect: .read,
             act: { session, _ in
                 let clock = try session.read(.browseClock(now: now))
                 let found = try session.read(.search(SearchQuery("boiler"), calls: CallFilter(), messages: MessageFilter(),
                                                      clock: clock, limit: 10))
                 XCTAssertEqual(found.calls.count, 3)
             }),
        Cell(name: "browse: call detail and overview", permission: .browse, allowed: everyone.union([.system]), effect: .read,
             act: { session, fixture in
                 let clock = try session.read(.browseClock(now: now))
                 let id = try fixture.workspace.callID("CA000002")
                 let call = try session.read(.call(id, clock: clock))
                 let overview = try session.read(.overview(clock: clock))
                 let retention = try session.read(.retentionOverview(now: now))
                 XCTAssertEqual(call?.detail.call.externalId, "CA000002")
                 XCTAssertEqual(overview.recordingsOverdue, 1)
                 XCTAssertEqual(retention.dueNow.recordings, 1)
             }),
        // Change recording retention or disable recording: owner and admin.
        Cell(name: "change the retention period", permission: .changeRetention, allowed: ownerAndAdmin,
             effect: .command(.retentionPeriodChanged, table: "workspace"),
             act: { session, _ in
                 try session.perform(.setRetentionPeriod(try RetentionPeriod(days: 60), shorteningConfirmed: false), at: now)
             },
             verify: { fixture in XCTAssertEqual(try fixture.retentionDays(), 60) }),
        Cell(name: "preview a shorter period", permission: .changeRetention, allowed: ownerAndAdmin, effect: .read,
             act: { session, _ in
                 let preview = try session.read(.impactPreview(changingTo: try RetentionPeriod(days: 7), now: now))
                 XCTAssertTrue(preview.isShortening)
             }),
        Cell(name: "turn recording off, deleting now", permission: .changeRetention, allowed: ownerAndAdmin,
             effect: .command(.recordingDisabled, table: "recordings"),
             act: { session, _ in try session.perform(.disableRecording(existing: .deleteNow), at: now) },
             verify: { fixture in
                 XCTAssertFalse(try fixture.workspace.settings().recordingEnabled)
                 XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM recordings WHERE purge_note = 'deletion_requested'"), 3)
             }),
        Cell(name: "turn recording on", permission: .changeRetention, allowed: ownerAndAdmin,
             effect: .command(.recordingEnabled, table: "workspace"),
             setUp: { fixture in
                 try fixture.workspace.session(as: fixture.owner).perform(.disableRecording(existing: .keepUntilExpiry), at: now)
             },
             act: { session, _ in try session.perform(.enableRecording, at: now) },
             verify: { fixture in XCTAssertTrue(try fixture.workspace.settings().recordingEnabled) }),
        // Legal hold on a recording: owner and admin.
        Cell(name: "place a legal hold", permission: .legalHold, allowed: ownerAndAdmin,
             effect: .command(.legalHoldPlaced, table: "recordings"),
             act: { session, fixture in
                 try session.perform(.placeLegalHold(onCall: try fixture.workspace.callID("CA000002"), reason: "Claim"), at: now)
             },
             verify: { fixture in
                 XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM recordings WHERE legal_hold = 1"), 1)
                 XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM legal_hold_history WHERE released_at IS NULL"), 1)
             }),
        Cell(name: "release a legal hold", permission: .legalHold, allowed: ownerAndAdmin,
             effect: .command(.legalHoldReleased, table: "recordings"),
             setUp: { fixture in
                 try fixture.workspace.session(as: fixture.owner)
                     .perform(.placeLegalHold(onCall: try fixture.workspace.callID("CA000002"), reason: "Claim"), at: now)
             },
             act: { session, fixture in
                 try session.perform(.releaseLegalHold(onCall: try fixture.workspace.callID("CA000002"), reason: "Settled"), at: now)
             },
             verify: { fixture in
                 XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM recordings WHERE legal_hold = 1"), 0)
                 XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM legal_hold_history WHERE released_at IS NOT NULL"), 1)
             }),
        // Change Auto-Send settings: owner and admin; every role may look at them.
        Cell(name: "change an Auto-Send setting", permission: .changeAutoSend, allowed: ownerAndAdmin,
             effect: .command(.autoSendSettingsChanged, table: "autosend_settings"),
             act: { session, _ in
                 var change = AutoSendChange()
                 change.threshold = try ConfidenceThreshold(parsing: "90")
                 try session.perform(.changeAutoSend(change), at: now)
             },
             verify: { fixture in
                 XCTAssertEqual(try fixture.count("SELECT threshold_hundredths FROM autosend_settings"), 9000)
             }),
        Cell(name: "give the Auto-Send transparency acknowledgement", permission: .changeAutoSend, allowed: ownerAndAdmin,
             effect: .command(.autoSendAcknowledged, table: "autosend_settings"),
             act: { session, _ in try session.perform(.acknowledgeAutoSend(.transparency), at: now) },
             verify: { fixture in
                 XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM autosend_settings WHERE transparency_ack_by IS NOT NULL"), 1)
             }),
        Cell(name: "see the Auto-Send settings", permission: .browse, allowed: everyone.union([.system]), effect: .read,
             act: { session, _ in XCTAssertFalse(try session.read(.autoSendOverview).settings.masterEnabled) }),
        // Read the audit log: owner, admin and viewer; not agents, and not the system.
        Cell(name: "read the audit log", permission: .readAuditLog, allowed: [.owner, .admin, .viewer], effect: .read,
             act: { session, _ in
                 let events = try session.pager(AuditLogPage()).first(limit: 10)
                 let broken = try session.read(.auditChainBreak)
                 XCTAssertEqual(events.map(\.action), [AuditAction.workspaceCreated.rawValue])
                 XCTAssertNil(broken)
             }),
        // Manage users and roles: owners manage everyone, admins admins and below, nobody else anyone.
        Cell(name: "list users", permission: .browse, allowed: everyone.union([.system]), effect: .read,
             act: { session, _ in XCTAssertEqual(try session.read(.users).count, 4) }),
        Cell(name: "add an agent", permission: .manageUsers, allowed: ownerAndAdmin, effect: .command(.userAdded, table: "users"),
             act: { session, _ in try session.perform(.addUser(name: "Nia New", email: "new@example.test", role: .agent), at: now) },
             verify: { fixture in XCTAssertEqual(try fixture.user("NEW@example.test")?.role, .agent) }),
        Cell(name: "add an admin", permission: .manageUsers, allowed: ownerAndAdmin, effect: .command(.userAdded, table: "users"),
             act: { session, _ in try session.perform(.addUser(name: "Nia New", email: "new@example.test", role: .admin), at: now) },
             verify: { fixture in XCTAssertEqual(try fixture.user("new@example.test")?.role, .admin) }),
        Cell(name: "add an owner", permission: .manageOwners, allowed: [.owner], effect: .command(.userAdded, table: "users"),
             act: { session, _ in try session.perform(.addUser(name: "Nia New", email: "new@example.test", role: .owner), at: now) },
             verify: { fixture in XCTAssertEqual(try fixture.user("new@example.test")?.role, .owner) }),
        Cell(name: "promote an agent to admin", permission: .manageUsers, allowed: ownerAndAdmin,
             effect: .command(.userRoleChanged, table: "users"),
             setUp: { try $0.addUser("second-agent@example.test", .agent) },
             act: { session, fixture in
                 try session.perform(.changeRole(of: try fixture.userID("second-agent@example.test"), to: .admin), at: now)
             },
             verify: { fixture in XCTAssertEqual(try fixture.user("second-agent@example.test")?.role, .admin) }),
        Cell(name: "demote an admin to viewer", permission: .manageUsers, allowed: ownerAndAdmin,
             effect: .command(.userRoleChanged, table: "users"),
             setUp: { try $0.addUser("second-admin@example.test", .admin) },
             act: { session, fixture in
                 try session.perform(.changeRole(of: try fixture.userID("second-admin@example.test"), to: .viewer), at: now)
             },
             verify: { fixture in XCTAssertEqual(try fixture.user("second-admin@example.test")?.role, .viewer) }),
        Cell(name: "make an agent an owner", permission: .manageOwners, allowed: [.owner],
             effect: .command(.userRoleChanged, table: "users"),
             setUp: { try $0.addUser("second-agent@example.test", .agent) },
             act: { session, fixture in
                 try session.perform(.changeRole(of: try fixture.userID("second-agent@example.test"), to: .owner), at: now)
             },
             verify: { fixture in XCTAssertEqual(try fixture.user("second-agent@example.test")?.role, .owner) }),
        Cell(name: "demote an owner (not the last) to admin", permission: .manageOwners, allowed: [.owner],
             effect: .command(.userRoleChanged, table: "users"),
             setUp: { try $0.addUser("second-owner@example.test", .owner) },
             act: { session, fixture in
                 try session.perform(.changeRole(of: try fixture.userID("second-owner@example.test"), to: .admin), at: now)
             },
             verify: { fixture in XCTAssertEqual(try fixture.user("second-owner@example.test")?.role, .admin) },
             refusedWith: ownerPart),
        Cell(name: "disable an agent", permission: .manageUsers, allowed: ownerAndAdmin, effect: .command(.userDisabled, table: "users"),
             setUp: { try $0.addUser("second-agent@example.test", .agent) },
             act: { session, fixture in try session.perform(.disableUser(try fixture.userID("second-agent@example.test")), at: now) },
             verify: { fixture in XCTAssertEqual(try fixture.user("second-agent@example.test")?.disabled, true) }),
        Cell(name: "enable a disabled admin", permission: .manageUsers, allowed: ownerAndAdmin,
             effect: .command(.userEnabled, table: "users"),
             setUp: { try $0.addUser("second-admin@example.test", .admin, disabled: true) },
             act: { session, fixture in try session.perform(.enableUser(try fixture.userID("second-admin@example.test")), at: now) },
             verify: { fixture in XCTAssertEqual(try fixture.user("second-admin@example.test")?.disabled, false) }),
        Cell(name: "disable an owner (not the last)", permission: .manageOwners, allowed: [.owner],
             effect: .command(.userDisabled, table: "users"),
             setUp: { try $0.addUser("second-owner@example.test", .owner) },
             act: { session, fixture in try session.perform(.disableUser(try fixture.userID("second-owner@example.test")), at: now) },
             verify: { fixture in XCTAssertEqual(try fixture.user("second-owner@example.test")?.disabled, true) },
             refusedWith: ownerPart),
        Cell(name: "enable a disabled owner", permission: .manageOwners, allowed: [.owner], effect: .command(.userEnabled, table: "users"),
             setUp: { try $0.addUser("second-owner@example.test", .owner, disabled: true) },
             act: { session, fixture in try session.perform(.enableUser(try fixture.userID("second-owner@example.test")), at: now) },
             verify: { fixture in XCTAssertEqual(try fixture.user("second-owner@example.test")?.disabled, false) },
             refusedWith: ownerPart),
        // Notices (issue 13): acknowledging and importing owner and admin; objecting owners only.
        Cell(name: "import a notice", permission: .importNotices, allowed: ownerAndAdmin,
             effect: .command(.noticeImported, table: "notices"),
             act: { session, _ in
                 let summary = try session.importNotices([(name: "s.md", data: NoticeTests.file(published: "2026-02-01", effective: "2026-03-15"))],
                                                         now: now)
                 XCTAssertEqual(summary.imported.count, 1)
             },
             verify: { fixture in XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM notices"), 1) }),
        Cell(name: "acknowledge a notice", permission: .acknowledgeNotice, allowed: ownerAndAdmin,
             effect: .command(.noticeAcknowledged, table: "notice_responses"),
             setUp: { fixture in try importChange(fixture) },
             act: { session, _ in try session.perform(.acknowledgeNotice(try session.read(.noticeID(named: "sub-change"))), at: now) },
             verify: { fixture in
                 XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM notice_responses WHERE response = 'acknowledged'"), 1)
             }),
        Cell(name: "object to a subprocessor change", permission: .objectToSubprocessor, allowed: [.owner],
             effect: .command(.noticeObjected, table: "notice_responses"),
             setUp: { fixture in try importChange(fixture) },
             act: { session, _ in
                 try session.perform(.objectToNotice(try session.read(.noticeID(named: "sub-change")), reason: "UK only"), at: now)
             },
             verify: { fixture in
                 XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM notice_responses WHERE response = 'objected'"), 1)
             }),
        Cell(name: "record a lawful basis", permission: .changeComplianceSettings, allowed: ownerAndAdmin,
             effect: .command(.lawfulBasisRecorded, table: "lawful_bases"),
             act: { session, _ in
                 let changed = try session.perform(.setLawfulBasis(.contract, for: .callHandling), at: now)
                 XCTAssertTrue(changed)
             },
             verify: { fixture in XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM lawful_bases"), 1) }),
        Cell(name: "set the caller notice", permission: .changeComplianceSettings, allowed: ownerAndAdmin,
             effect: .command(.callerNoticeSet, table: "workspace"),
             act: { session, _ in
                 let changed = try session.perform(.setCallerNotice("AI assistant; calls recorded"), at: now)
                 XCTAssertTrue(changed)
             },
             verify: { fixture in
                 XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM workspace WHERE caller_notice IS NOT NULL"), 1)
             }),
        // The purge deletes only what the settings made due: every role, and the system.
        Cell(name: "purge expired recordings", permission: .purgeExpiredRecordings, allowed: everyone.union([.system]),
             effect: .purge,
             act: { session, _ in
                 let report = try session.purge(now: now)
                 XCTAssertEqual(report.thisRun.purged, 1)
             },
             verify: { fixture in
                 XCTAssertEqual(try fixture.count("SELECT COUNT(*) FROM recordings WHERE purged_at IS NOT NULL"), 1)
             }),
    ]

    /// A subprocessor change published on day 31, its window open on day 40.
    static func importChange(_ fixture: RetentionFixture) throws {
        _ = try fixture.workspace.session(as: fixture.owner)
            .importNotices([(name: "s.md", data: NoticeTests.file(published: "2026-02-01", effective: "2026-03-15"))], now: now)
    }

    func testEveryCellOfTheRoleTableForEveryRole() throws {
        for cell in Self.cells {
            for who in Who.allCases {
                try check(cell, who)
            }
        }
    }

    private func check(_ cell: Cell, _ who: Who) throws {
        let label = "\(cell.name) as \(who)"
        let fixture = try RetentionFixture(retentionDays: 30)
        // Due at day 40 (day 0 + 30), live, live: a purge has one to take, a hold one to hold.
        for day in [0.0, 35, 38] { try fixture.addCall(recordedAt: RetentionFixture.at(days: day)) }
        try cell.setUp(fixture)
        let session = fixture.workspace.session(as: fixture.actor(who))
        let before = try Snapshot(fixture)
        let commits = CommitLog()
        fixture.workspace.dbPool.add(transactionObserver: commits, extent: .observerLifetime)
        defer { fixture.workspace.dbPool.remove(transactionObserver: commits) }

        guard cell.allowed.contains(who) else {
            XCTAssertFalse(session.may(cell.permission), label)
            let refused = cell.refusedWith?(who) ?? cell.permission
            XCTAssertThrowsError(try cell.act(session, fixture), label) { error in
                guard let denied = error as? PermissionDenied else { return XCTFail("\(label): \(error)") }
                XCTAssertEqual(denied.permission, refused, label)
                XCTAssertEqual(denied.role, who == .system ? nil : Role(rawValue: who.rawValue), label)
                let needed = refused.allowedRoles.map(\.rawValue)
                let roles = needed.count == 1 ? needed[0] : needed.dropLast().joined(separator: ", ") + " or " + needed.last!
                XCTAssertTrue(String(describing: denied).hasPrefix("Only \(roles) may "), "\(label): \(denied)")
            }
            XCTAssertEqual(commits.all, [], "\(label): a refusal writes nothing at all")
            XCTAssertEqual(try Snapshot(fixture), before, "\(label): the database is unchanged")
            return
        }

        XCTAssertTrue(session.may(cell.permission), label)
        XCTAssertNoThrow(try cell.act(session, fixture), label)
        try cell.verify(fixture)
        let after = try Snapshot(fixture)
        switch cell.effect {
        case .read:
            XCTAssertEqual(commits.all, [], "\(label): a read writes nothing")
            XCTAssertEqual(after, before, label)
        case .command(let action, let table):
            XCTAssertEqual(commits.all.count, 1, "\(label): one transaction")
            XCTAssertTrue(commits.all.first?.isSuperset(of: [table, "audit_events"]) == true,
                          "\(label): the change and its event commit together: \(commits.all)")
            try assertOneNewEvent(action, by: who, fixture, before: before, after: after, label)
        case .purge:
            try assertOneNewEvent(.purgeRun, by: who, fixture, before: before, after: after, label)
        }
    }

    private func assertOneNewEvent(_ action: AuditAction, by who: Who, _ fixture: RetentionFixture, before: Snapshot,
                                   after: Snapshot, _ label: String) throws {
        XCTAssertEqual(after.head.seq, before.head.seq + 1, "\(label): exactly one new event")
        XCTAssertEqual(after.counts["audit_events"], (before.counts["audit_events"] ?? 0) + 1, label)
        let event = try XCTUnwrap(fixture.auditEvents(action.rawValue).last, label)
        XCTAssertEqual(event.seq, after.head.seq, label)
        XCTAssertEqual(event.previousHash, before.head.hash, "\(label): chained onto the previous head")
        XCTAssertEqual(event.actor, who == .system ? "system" : "\(who.rawValue)@example.test", label)
        XCTAssertNil(try fixture.workspace.dbPool.read { try AuditLog.verify($0) }, label)
    }

    // MARK: The transaction

    /// A command whose body writes and then refuses: neither its change nor an event survives.
    func testABodyThatThrowsAfterWritingLeavesNeitherTheChangeNorAnEvent() throws {
        struct Refused: Error {}
        let fixture = try RetentionFixture(retentionDays: 30)
        try fixture.addCall(recordedAt: RetentionFixture.at(days: 1))
        let before = try Snapshot(fixture)
        let failing = WorkspaceCommand<Void>(.changeRetention, audit: .retentionPeriodChanged) { db, _ in
            try db.execute(sql: "UPDATE workspace SET retention_days = 99 WHERE id = 1")
            try db.execute(sql: "UPDATE recordings SET expires_at = 0")
            throw Refused()
        }
        XCTAssertThrowsError(try fixture.workspace.session(as: fixture.owner).perform(failing)) { XCTAssertTrue($0 is Refused) }
        XCTAssertEqual(try Snapshot(fixture), before)
        XCTAssertEqual(try fixture.retentionDays(), 30)
    }

    /// A body that reports "nothing changed" writes no event: no event without its change.
    func testANoOpCommandWritesNoEvent() throws {
        let fixture = try RetentionFixture(retentionDays: 30)
        let before = try Snapshot(fixture)
        let owner = fixture.workspace.session(as: fixture.owner)
        XCTAssertFalse(try owner.perform(.enableRecording).changed)
        XCTAssertFalse(try owner.perform(.setRetentionPeriod(try RetentionPeriod(days: 30), shorteningConfirmed: false)).changed)
        XCTAssertEqual(try Snapshot(fixture), before)
    }

    /// The role is checked again inside the transaction, against the user as they are now.
    func testAUserDemotedOrDisabledSinceTheSessionOpenedIsRefused() throws {
        let fixture = try RetentionFixture(retentionDays: 30)
        let admin = fixture.workspace.session(as: fixture.admin)
        try fixture.workspace.dbPool.write { try $0.execute(sql: "UPDATE users SET role = 'viewer' WHERE email = 'admin@example.test'") }
        try fixture.workspace.dbPool.write { try $0.execute(sql: "UPDATE users SET disabled = 1 WHERE email = 'owner@example.test'") }
        let before = try Snapshot(fixture)
        XCTAssertThrowsError(try admin.perform(.setRetentionPeriod(try RetentionPeriod(days: 60), shorteningConfirmed: false))) {
            XCTAssertEqual($0 as? PermissionDenied, PermissionDenied(permission: .changeRetention, role: .viewer))
        }
        XCTAssertThrowsError(try fixture.workspace.session(as: fixture.owner).perform(.enableRecording)) {
            XCTAssertEqual($0 as? ActorError, .disabledUser("owner@example.test"))
        }
        XCTAssertEqual(try Snapshot(fixture), before)
        XCTAssertThrowsError(try fixture.workspace.session(actingAs: "owner@example.test", otherwise: .refuse)) {
            XCTAssertEqual($0 as? ActorError, .disabledUser("owner@example.test"))
        }
    }

    // MARK: The system actor

    func testTheSystemActorHasItsOwnShortListAndIsRefusedTheRest() throws {
        XCTAssertEqual(Permission.systemPermissions, [.browse, .purgeExpiredRecordings, .recordInboundMessages, .deliverAutoSend])
        for permission in Permission.allCases {
            XCTAssertEqual(Actor.system.may(permission), Permission.systemPermissions.contains(permission), "\(permission)")
        }
        XCTAssertThrowsError(try Actor.system.require(.manageUsers)) { error in
            XCTAssertEqual(error as? PermissionDenied, PermissionDenied(permission: .manageUsers, role: nil))
            XCTAssertEqual(String(describing: error), "Only owner or admin may manage users; the system actor may not.")
        }
        let fixture = try RetentionFixture(retentionDays: 30)
        let before = try Snapshot(fixture)
        let system = fixture.workspace.session(as: .system)
        XCTAssertThrowsError(try system.perform(.setRetentionPeriod(try RetentionPeriod(days: 7), shorteningConfirmed: true))) {
            XCTAssertEqual($0 as? PermissionDenied, PermissionDenied(permission: .changeRetention, role: nil))
        }
        XCTAssertEqual(try Snapshot(fixture), before)
    }

    func testNamingNobodyFollowsTheFallback() throws {
        let fixture = try RetentionFixture(retentionDays: 30)
        XCTAssertThrowsError(try fixture.workspace.session(actingAs: nil, otherwise: .refuse)) {
            XCTAssertEqual($0 as? ActorError, .noUserNamed)
        }
        XCTAssertEqual(try fixture.workspace.session(actingAs: "", otherwise: .system).actor, .system)
        XCTAssertEqual(try fixture.workspace.session(actingAs: nil, otherwise: .localOwner).actor.auditName, "owner@example.test")
        XCTAssertEqual(try fixture.workspace.session(actingAs: "VIEWER@example.test", otherwise: .refuse).actor.auditName,
                       "viewer@example.test")
        XCTAssertThrowsError(try fixture.workspace.session(actingAs: "nobody@example.test", otherwise: .system)) {
            XCTAssertEqual($0 as? ActorError, .unknownUser("nobody@example.test"))
        }
    }
}

/// What a refusal must leave as it was: the table counts, the settings row, the audit head, and
/// the retention state of every recording.
private struct Snapshot: Equatable {
    let counts: [String: Int]
    let settings: WorkspaceRecord
    let head: (seq: Int64, hash: String)
    let recordings: [Row]
    let holds: [Row]
    let users: [Row]
    let autoSend: [Row]

    init(_ fixture: RetentionFixture) throws {
        let read = try fixture.workspace.dbPool.read { db in
            let head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1")!
            return (counts: try RecordCounts.read(db), settings: try WorkspaceRecord.fetchOne(db, key: 1)!,
                    head: (seq: head["seq"] as Int64, hash: head["hash"] as String),
                    recordings: try Row.fetchAll(db, sql: "SELECT * FROM recordings ORDER BY id"),
                    holds: try Row.fetchAll(db, sql: "SELECT * FROM legal_hold_history ORDER BY id"),
                    users: try Row.fetchAll(db, sql: "SELECT * FROM users ORDER BY id"),
                    autoSend: try Row.fetchAll(db, sql: "SELECT * FROM autosend_settings")
                        + Row.fetchAll(db, sql: "SELECT * FROM autosend_intents ORDER BY intent")
                        + Row.fetchAll(db, sql: "SELECT * FROM autosend_channels ORDER BY channel"))
        }
        counts = read.counts
        settings = read.settings
        head = read.head
        recordings = read.recordings
        holds = read.holds
        users = read.users
        autoSend = read.autoSend
    }

    static func == (lhs: Snapshot, rhs: Snapshot) -> Bool {
        lhs.counts == rhs.counts && lhs.settings == rhs.settings && lhs.head == rhs.head
            && lhs.recordings == rhs.recordings && lhs.holds == rhs.holds && lhs.users == rhs.users
            && lhs.autoSend == rhs.autoSend
    }
}

/// The tables each committed transaction touched.
private final class CommitLog: TransactionObserver, @unchecked Sendable {
    private let lock = NSLock()
    private var pending: Set<String> = []
    private var commits: [Set<String>] = []

    var all: [Set<String>] { lock.withLock { commits } }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { true }
    func databaseDidChange(with event: DatabaseEvent) { lock.withLock { _ = pending.insert(event.tableName) } }
    func databaseDidCommit(_ db: Database) {
        lock.withLock {
            if !pending.isEmpty { commits.append(pending) }
            pending = []
        }
    }
    func databaseDidRollback(_ db: Database) { lock.withLock { pending = [] } }
}

extension RetentionFixture {
    func actor(_ who: SessionRoleTableTests.Who) -> Actor {
        switch who {
        case .owner: owner
        case .admin: admin
        case .agent: agent
        case .viewer: viewer
        case .system: .system
        }
    }

    func count(_ sql: String) throws -> Int { try workspace.dbPool.read { try Int.fetchOne($0, sql: sql)! } }

    func user(_ email: String) throws -> User? {
        try workspace.dbPool.read { try User.filter(sql: "email = ? COLLATE NOCASE", arguments: [email]).fetchOne($0) }
    }

    func userID(_ email: String) throws -> User.ID { try XCTUnwrap(try user(email)?.id, "no user \(email)") }

    /// A user added by the owner through the session (audited, before the snapshot a cell takes).
    func addUser(_ email: String, _ role: Role, disabled: Bool = false) throws {
        let session = workspace.session(as: owner)
        try session.perform(.addUser(name: "Second \(role.label)", email: email, role: role))
        if disabled { try session.perform(.disableUser(try userID(email))) }
    }
}

/// Background reads (the console's search and list counts) stop when their task is cancelled.
final class SessionAsyncReadTests: XCTestCase {
    func testACancelledTaskThrowsCancellationAndReadsNothing() async throws {
        let fixture = try RetentionFixture(retentionDays: 30)
        for day in 0..<5 { try fixture.addCall(recordedAt: RetentionFixture.at(days: Double(day))) }
        let session = fixture.workspace.session(as: fixture.viewer)
        let clock = BrowseClock(now: RetentionFixture.at(days: 5), timeZone: TimeZone(identifier: "UTC")!)
        let pager = session.pager(CallPage(clock: clock))
        let count = try await pager.count()
        XCTAssertEqual(count, 5)
        let task = Task.detached { () async throws -> Int in
            withUnsafeCurrentTask { $0?.cancel() }
            return try await pager.count()
        }
        do {
            let counted = try await task.value
            XCTFail("a cancelled read returned \(counted)")
        } catch is CancellationError {}
        // A refusal comes before the read, async or not.
        do {
            _ = try await fixture.workspace.session(as: fixture.agent).read(.auditChainBreak)
            XCTFail("an agent read the audit log")
        } catch let denied as PermissionDenied {
            XCTAssertEqual(denied, PermissionDenied(permission: .readAuditLog, role: .agent))
        }
    }
}
