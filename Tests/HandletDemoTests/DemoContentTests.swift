import Foundation
import GRDB
@testable import HandletDomain
import XCTest

/// The demo looks like a real UK service business's records (DESIGN §3), and its database is
/// sound and shaped exactly as the migrations make it.
final class DemoContentTests: XCTestCase {
    nonisolated(unsafe) private static var shared: TestWorkspace?
    private var test: TestWorkspace!

    override func setUpWithError() throws {
        if Self.shared == nil { Self.shared = try TestWorkspace.make(calls: 2_000, messages: 6_000, seed: 11) }
        test = Self.shared
    }

    override class func tearDown() { shared = nil }

    func testDatabaseIsSoundAfterGeneration() throws {
        try test.read { db in
            XCTAssertEqual(try String.fetchAll(db, sql: "PRAGMA integrity_check"), ["ok"])
            XCTAssertEqual(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count, 0)
            XCTAssertEqual(try String.fetchOne(db, sql: "PRAGMA journal_mode"), "wal")
            XCTAssertEqual(try Int.fetchOne(db, sql: "PRAGMA auto_vacuum"), 2)
            XCTAssertNil(try AuditLog.verify(db))
            // The history happened through sessions, in time order: its events are the log.
            let actions = try String.fetchAll(db, sql: "SELECT action FROM audit_events ORDER BY seq")
            XCTAssertEqual(actions.first, "workspace.created")
            XCTAssertEqual(actions.last, "demo.generated")
            XCTAssertEqual(actions.filter { $0 == "console.session_started" }.count, 3,
                           "the demo's owner, admin and agent have opened the console (issue 13: the access review)")
            for action in ["notice.imported", "notice.read", "notice.acknowledged", "compliance.lawful_basis_recorded",
                           "compliance.caller_notice_set", "draft.arrived", "draft.approved", "draft.rated", "autosend.delivered"] {
                XCTAssertTrue(actions.contains(action), action)
            }
            let times = try Int64.fetchAll(db, sql: "SELECT at FROM audit_events ORDER BY seq")
            XCTAssertEqual(times, times.sorted(), "events in the order they happened")
        }
    }

    /// The bulk load drops the full-text triggers; they must come back exactly as migrated.
    func testSchemaIsIdenticalToAFreshlyMigratedWorkspace() throws {
        let folder = try TestWorkspace.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let empty = try Workspace.create(at: folder.appendingPathComponent("e.sqlite"),
                                         workspace: WorkspaceRecord(name: "E", businessName: "E", createdAt: Date()), users: [])
        let sql = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        let expected = try empty.dbPool.read { db in try Row.fetchAll(db, sql: sql) }
        XCTAssertEqual(try test.read { db in try Row.fetchAll(db, sql: sql) }, expected)
        XCTAssertTrue(expected.contains { $0["name"] == "calls_fts_insert" })
    }

    func testOneUserOfEachRoleWithTheDocumentedEmails() throws {
        let users = try test.read { db in try User.order(Column("id")).fetchAll(db) }
        XCTAssertEqual(users.map(\.role), [.owner, .admin, .agent, .viewer])
        XCTAssertEqual(users.map(\.email), ["owner@kestrelhomeservices.co.uk", "admin@kestrelhomeservices.co.uk",
                                            "agent@kestrelhomeservices.co.uk", "viewer@kestrelhomeservices.co.uk"])
        XCTAssertEqual(try test.workspace.actor(email: "admin@kestrelhomeservices.co.uk").auditName,
                       "admin@kestrelhomeservices.co.uk")
    }

    func testContactsHaveUKNumbersOptOutsConsentsAndRestrictions() throws {
        try test.read { db in
            let contacts = try Contact.fetchAll(db)
            XCTAssertEqual(contacts.count, 1_000)
            let e164 = try NSRegularExpression(pattern: #"^\+44(7\d{9}|[1-3]\d{8,9})$"#)
            for contact in contacts {
                let phone = contact.phone ?? ""
                XCTAssertNotNil(e164.firstMatch(in: phone, range: NSRange(phone.startIndex..., in: phone)), phone)
                XCTAssertEqual(contact.optedOutAt == nil, contact.optOutKeyword == nil)
                XCTAssertEqual(contact.restrictedAt == nil, contact.restrictionReason == nil)
            }
            XCTAssertEqual(Set(contacts.map(\.phone)).count, contacts.filter { $0.phone?.hasPrefix("+447") == true }.count
                + Set(contacts.filter { $0.phone?.hasPrefix("+447") == false }.map(\.phone)).count, "mobiles are unique")
            let optedOut = contacts.filter { $0.optedOutAt != nil }
            XCTAssertGreaterThan(optedOut.count, 10)
            XCTAssertTrue(optedOut.allSatisfy { ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "REVOKE"].contains($0.optOutKeyword!) })
            XCTAssertGreaterThan(contacts.filter { $0.restrictedAt != nil }.count, 0)
            XCTAssertGreaterThan(try MarketingConsent.fetchCount(db), 50)
            // A consent is never still live for a contact who has opted out.
            XCTAssertEqual(try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM marketing_consents JOIN contacts ON contacts.id = contact_id
                WHERE contacts.opted_out_at IS NOT NULL AND withdrawn_at IS NULL
                """), 0)
        }
    }

    func testCallsHaveARealisticMixOverMonths() throws {
        try test.read { db in
            let outcomes = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT outcome, COUNT(*) AS n FROM calls GROUP BY outcome")
                .map { ($0["outcome"] as String, $0["n"] as Int) })
            XCTAssertEqual(Set(outcomes.keys), Set(CallOutcome.allCases.map(\.rawValue)))
            XCTAssertTrue(outcomes.values.allSatisfy { $0 > 2_000 / 40 }, "\(outcomes)")
            XCTAssertEqual(Set(try String.fetchAll(db, sql: "SELECT DISTINCT handled_by FROM calls")), ["ai_agent", "staff", "voicemail"])
            XCTAssertEqual(Set(try String.fetchAll(db, sql: "SELECT DISTINCT direction FROM calls")), ["inbound", "outbound"])
            let span = try Row.fetchOne(db, sql: "SELECT MIN(started_at) AS first, MAX(started_at) AS last FROM calls")!
            XCTAssertGreaterThan((span["last"] as Int64) - (span["first"] as Int64), 80 * 86_400, "months of history")
            XCTAssertLessThan(span["last"] as Int64, Int64(TestWorkspace.anchor.timeIntervalSince1970))
            // Staff-handled calls name the staff member.
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM calls WHERE handled_by = 'staff' AND staff_user_id IS NULL"), 0)
            // External ids look like Twilio's (issue 27): CA and 32 hex digits, unique, and no counter in them.
            let ids = try String.fetchAll(db, sql: "SELECT external_id FROM calls")
            XCTAssertEqual(Set(ids).count, ids.count)
            let shape = try NSRegularExpression(pattern: "^CA[0-9a-f]{32}$")
            XCTAssertTrue(ids.allSatisfy { shape.firstMatch(in: $0, range: NSRange($0.startIndex..., in: $0)) != nil }, "\(ids.prefix(3))")
            XCTAssertFalse(ids.contains { $0.contains("00000000") }, "no zero-padded counter")
        }
    }

    func testTranscriptsAreMultiTurnWithRisingOffsetsAndSummaries() throws {
        let calls = try test.read { db in try Call.fetchAll(db, sql: "SELECT * FROM calls WHERE outcome IN ('booked_job', 'quote_requested')") }
        XCTAssertFalse(calls.isEmpty)
        for call in calls {
            let turns = call.turns.turns
            XCTAssertGreaterThanOrEqual(turns.count, 6, call.externalId)
            XCTAssertEqual(call.transcript.split(separator: "\n").count, call.transcriptTiming.split(separator: "\n").count)
            XCTAssertEqual(turns.first?.offsetMs, 0)
            XCTAssertEqual(turns.map(\.offsetMs), turns.map(\.offsetMs).sorted())
            XCTAssertTrue(Set(turns.map(\.speaker)).contains(.caller))
            XCTAssertGreaterThanOrEqual(call.durationSeconds * 1000, turns.last!.offsetMs)
            XCTAssertFalse(call.summary.isEmpty)
            let details = try JSONSerialization.jsonObject(with: Data(call.jobDetails!.utf8)) as! [String: Any]
            XCTAssertEqual(details["type"] as? String, call.outcome == .bookedJob ? "Booking" : "Quote",
                           "a labelled value as a person reads it, not a raw key")
            XCTAssertNotNil(details["title"] as? String)
            XCTAssertNil(details["job"], "job details hold what a person reads, not an internal key")
        }
        let missed = try test.read { db in try Call.fetchAll(db, sql: "SELECT * FROM calls WHERE outcome = 'missed'") }
        XCTAssertTrue(missed.allSatisfy { $0.transcript.isEmpty && !$0.summary.isEmpty && $0.handledBy == .voicemail })
    }

    func testThreadsGoBackAndForthOverEveryChannel() throws {
        try test.read { db in
            XCTAssertEqual(Set(try String.fetchAll(db, sql: "SELECT DISTINCT channel FROM threads")), ["sms", "whatsapp", "email", "webchat"])
            // message_count and last_activity_at agree with the messages.
            XCTAssertEqual(try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM threads t WHERE message_count != (SELECT COUNT(*) FROM messages WHERE thread_id = t.id)
                   OR last_activity_at != (SELECT MAX(sent_at) FROM messages WHERE thread_id = t.id)
                """), 0)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM messages m JOIN threads t ON t.id = m.thread_id WHERE m.channel != t.channel"), 0)
            let backAndForth = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM threads t WHERE EXISTS (SELECT 1 FROM messages WHERE thread_id = t.id AND direction = 'inbound')
                AND EXISTS (SELECT 1 FROM messages WHERE thread_id = t.id AND direction = 'outbound')
                """)!
            XCTAssertGreaterThan(backAndForth, try MessageThread.fetchCount(db) / 2)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM messages WHERE direction = 'inbound' AND delivery_status != 'received'"), 0)
            XCTAssertGreaterThan(try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT delivery_status) FROM messages WHERE direction = 'outbound'")!, 3)
            // Auto-sent replies say so and carry a correlation id; none goes to a suppressed contact.
            let autoSent = try Message.fetchAll(db, sql: "SELECT * FROM messages WHERE auto_sent = 1")
            XCTAssertFalse(autoSent.isEmpty)
            XCTAssertTrue(autoSent.allSatisfy { $0.correlationId != nil && $0.direction == .outbound && $0.body.lowercased().contains("automated reply") })
            XCTAssertEqual(try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM messages m JOIN contacts c ON c.id = m.contact_id
                WHERE m.auto_sent = 1 AND (c.opted_out_at IS NOT NULL OR c.restricted_at IS NOT NULL)
                """), 0)
            let withAttachments = try Message.fetchAll(db, sql: "SELECT * FROM messages WHERE attachments IS NOT NULL")
            XCTAssertFalse(withAttachments.isEmpty)
            XCTAssertTrue(withAttachments.allSatisfy { $0.attachmentList.count == 1 && $0.attachmentList[0].bytes > 0 })
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM threads WHERE channel = 'email' AND subject IS NULL"), 0)
        }
    }

    func testReviewsDraftsNoticesAndRequests() throws {
        try test.read { db in
            XCTAssertGreaterThanOrEqual(try Review.fetchCount(db), 12)
            XCTAssertGreaterThan(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM reviews WHERE reply_text IS NOT NULL")!, 0)
            let states = Set(try String.fetchAll(db, sql: "SELECT DISTINCT state FROM drafts"))
            XCTAssertTrue(states.isSuperset(of: ["waiting", "auto_sent"]), "\(states)")
            // An auto-sent draft is the message that went out: same correlation id.
            XCTAssertEqual(try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM drafts d WHERE state = 'auto_sent'
                AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.correlation_id = d.correlation_id AND m.auto_sent = 1)
                """), 0)
            XCTAssertEqual(try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM drafts d WHERE target_kind = 'message'
                AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = d.target_id AND m.direction = 'inbound')
                """), 0)
            let notices = try Notice.fetchAll(db)
            XCTAssertGreaterThanOrEqual(notices.count, 4)
            // Bound to the whole file (header and body), as an import stores it.
            let shippedDPA = try XCTUnwrap(notices.first { $0.noticeKey == "handlet-dpa" && $0.version == "1" })
            XCTAssertEqual(shippedDPA.sha256, SHA256Hex.of(Data(ShippedNotices.all[0].text.utf8)))
            XCTAssertTrue(notices.allSatisfy { $0.sha256.count == 64 })
            XCTAssertTrue(notices.contains { $0.kind == .subprocessorChange && $0.objectionDeadline != nil })
            XCTAssertTrue(notices.contains { $0.needsAcknowledgement && $0.readAt == nil })
            let requests = try DataSubjectRequest.fetchAll(db)
            XCTAssertGreaterThanOrEqual(requests.count, 5)
            for request in requests {
                let days = request.dueAt.timeIntervalSince(request.receivedAt) / 86_400
                XCTAssertTrue((27.9...31.1).contains(days), "due one month after receipt, got \(days) days")
                XCTAssertEqual(request.completedAt == nil, [.open, .inProgress].contains(request.status))
            }
        }
    }
}

/// Issue 13: the demo's notices and compliance figures, through the session as the console reads them.
final class DemoNoticesTests: XCTestCase {
    func testTheDemoHasEveryNoticeStateAndTheComplianceFigures() throws {
        let test = try TestWorkspace.make()
        let session = try test.workspace.session(actingAs: "owner@kestrelhomeservices.co.uk", otherwise: .refuse)
        let notices = try session.read(.notices(now: TestWorkspace.anchor))
        func state(_ key: String, _ version: String = "1") -> NoticeState? {
            notices.first { $0.key == key && $0.version == version }?.state
        }
        XCTAssertEqual(state("handlet-dpa", "1"), .acknowledged)
        XCTAssertEqual(state("handlet-dpa", "2"), .overdue, "effective 2026-11-02, before the anchor, unanswered")
        XCTAssertEqual(state("subprocessor-change-speech"), .new)
        XCTAssertEqual(notices.first { $0.key == "subprocessor-change-speech" }?.answer,
                       .objectOrAccept(deadline: TestWorkspace.anchor.addingTimeInterval(20 * 86_400)))
        XCTAssertEqual(state("subprocessor-change-email"), .deemedAccepted)
        XCTAssertEqual(state("incident-deletion-job"), .overdue)
        XCTAssertEqual(Set(notices.map(\.kind)), [.dpa, .subprocessorList, .retentionTable, .privacyNotice, .subprocessorChange,
                                                   .breachNotification])

        let promises = try session.read(.processorPromises)
        XCTAssertEqual(promises.first { $0.key == "incident-deletion-job" }?.kept, false, "notified 80 h after awareness")
        XCTAssertEqual(promises.first { $0.key == "subprocessor-change-email" }?.kept, false, "20 days' notice")
        XCTAssertEqual(promises.first { $0.key == "subprocessor-change-speech" }?.kept, true)

        let report = try session.read(.compliance(now: TestWorkspace.anchor))
        XCTAssertEqual(report.line(.lawfulBasis)?.status, .failing, "marketing has no basis yet")
        XCTAssertEqual(report.line(.callerNotice)?.status, .ok, "the demo's greetings disclose the AI and the recording")
        XCTAssertEqual(report.line(.accountAccess)?.detail,
                       "1 enabled user not signed in for 90 days (viewer@kestrelhomeservices.co.uk)")
        XCTAssertEqual(report.line(.marketingConsent)?.count, 1)
        XCTAssertEqual(report.specialCategoryHits.messages, 2)
        XCTAssertEqual(report.line(.autoSend)?.status, .notInUse, "a demo this small trains no intent, so Auto-Send stays off (issue 22)")
    }
}
