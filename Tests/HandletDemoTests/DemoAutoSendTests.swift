import Foundation
import GRDB
@testable import HandletDomain
import XCTest

/// The demo obeys its own rules (issue 22): its Auto-Send history is replayed through the arrival
/// step, the queue and the delivery path, never written as outcomes, so what it shows is what the
/// product would have done.
final class DemoAutoSendTests: XCTestCase {
    private static let london = TimeZone(identifier: "Europe/London")!

    /// Every auto-sent message has its evaluation and outbox row under its correlation id; none
    /// went out in quiet hours or to a contact who had opted out or was restricted by then; the
    /// drafts, the messages, the outbox, the Overview and the queue count the same sends.
    func testEveryAutoSentMessageWasDecidedByTheGatesAndTheCountsAgree() throws {
        let test = try TestWorkspace.make(calls: 2_000, messages: 6_000, seed: 11)
        let session = test.workspace.session(as: .system)
        let overview = try session.read(.autoSendOverview)
        XCTAssertEqual(overview.problems, [], "the demo's settings pass every check")
        XCTAssertTrue(overview.settings.masterEnabled)
        XCTAssertEqual(overview.settings.enabledIntents, [.followUp, .generalEnquiry])
        for intent in overview.settings.enabledIntents {
            XCTAssertGreaterThanOrEqual(overview.training.count(intent), intent.validatedDraftsNeeded, "\(intent) trained before it was on")
        }
        let quiet = try XCTUnwrap(overview.settings.quietHours, "the demo keeps quiet hours")
        try test.read { db in
            let sent = try Row.fetchAll(db, sql: """
                SELECT m.id, m.sent_at, m.correlation_id, m.contact_id, c.opted_out_at, c.restricted_at,
                       e.outcome, e.approved_by, e.evaluated_at, o.state, o.message_id, d.state AS draft_state
                FROM messages m
                LEFT JOIN contacts c ON c.id = m.contact_id
                LEFT JOIN autosend_evaluations e ON e.correlation_id = m.correlation_id AND e.outcome = 'send'
                LEFT JOIN autosend_outbox o ON o.evaluation_id = e.id
                LEFT JOIN drafts d ON d.correlation_id = m.correlation_id
                WHERE m.auto_sent = 1
                """)
            XCTAssertGreaterThan(sent.count, 10)
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = Self.london
            for row in sent {
                let id: Int64 = row["id"]
                XCTAssertEqual(row["outcome"] as String?, "send", "message \(id) has its evaluation")
                XCTAssertNil(row["approved_by"] as Int64?, "message \(id) went without a person")
                XCTAssertEqual(row["state"] as String?, "sent")
                XCTAssertEqual(row["message_id"] as Int64?, id)
                XCTAssertEqual(row["draft_state"] as String?, "auto_sent")
                let sentAt: Int64 = row["sent_at"]
                XCTAssertGreaterThanOrEqual(sentAt, row["evaluated_at"] as Int64)
                let local = calendar.dateComponents([.hour, .minute], from: Date(timeIntervalSince1970: TimeInterval(sentAt)))
                let minute = local.hour! * 60 + local.minute!
                XCTAssertFalse(quiet.contains(minuteOfDay: minute), "message \(id) at \(local.hour!):\(local.minute!) is in quiet hours")
                if let optedOut = row["opted_out_at"] as Int64? { XCTAssertGreaterThan(optedOut, sentAt, "message \(id) to an opted-out contact") }
                if let restricted = row["restricted_at"] as Int64? { XCTAssertGreaterThan(restricted, sentAt, "message \(id) to a restricted contact") }
            }
            let autoSentDrafts = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM drafts WHERE state = 'auto_sent'")!
            let unsent = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM drafts d JOIN autosend_outbox o ON o.draft_id = d.id
                WHERE d.state = 'auto_sent' AND o.state != 'sent'
                """)!
            XCTAssertEqual(sent.count, autoSentDrafts - unsent, "drafts and messages count the same automatic sends")
            let noEvaluation = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM drafts d WHERE NOT EXISTS (SELECT 1 FROM autosend_evaluations e WHERE e.draft_id = d.id)
                """)!
            XCTAssertEqual(noEvaluation, 0, "every draft was evaluated when it arrived")
            // Person-approved replies went through the same path, but are not auto-sent.
            let approvedSends = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM messages m JOIN autosend_evaluations e ON e.correlation_id = m.correlation_id
                WHERE m.auto_sent = 0 AND e.approved_by IS NOT NULL
                """)!
            XCTAssertGreaterThan(approvedSends, 10)
        }
        let waiting = try test.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM drafts WHERE state = 'waiting'")! }
        XCTAssertGreaterThan(waiting, 0)
        XCTAssertEqual(try session.read(.overview(clock: BrowseClock.workspace(test.workspace, now: TestWorkspace.anchor))).draftsWaiting, waiting)
        XCTAssertEqual(try session.read(.actionQueueCounts).waiting, waiting)
    }

    /// Drafts of every kind, with the gates that held or blocked them; intents switched off stay
    /// part-trained, and nothing is sent for an intent before it was switched on.
    func testDraftsCoverTheIntentsAndOnlyTrainedIntentsAreOn() throws {
        let test = try TestWorkspace.make(calls: 2_000, messages: 6_000, seed: 11)
        let overview = try test.workspace.session(as: .system).read(.autoSendOverview)
        for intent in [AutoSendIntent.quoteRequest, .bookingRequest, .newLead, .complaint] {
            XCTAssertGreaterThan(overview.training.count(intent), 0, "\(intent) part-trained")
            XCTAssertLessThan(overview.training.count(intent), intent.validatedDraftsNeeded, "\(intent)")
        }
        try test.read { db in
            let intents = Set(try String.fetchAll(db, sql: "SELECT DISTINCT intent FROM drafts"))
            XCTAssertTrue(intents.isSuperset(of: AutoSendIntent.allCases.map(\.rawValue)), "\(intents)")
            XCTAssertGreaterThan(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM drafts WHERE validation = 'not_now'")!, 0)
            let gates = Set(try String.fetchAll(db, sql: """
                SELECT DISTINCT e.deciding_gate FROM autosend_evaluations e WHERE e.outcome != 'send' AND e.deciding_gate IS NOT NULL
                """))
            XCTAssertTrue(gates.isSuperset(of: ["master_switch", "intent_toggle"]), "\(gates)")
            // Switched on once, after training: no automatic send before the change that enabled it.
            let switchedOn = try Int64.fetchOne(db, sql: """
                SELECT MIN(at) FROM audit_events WHERE action = 'autosend.settings_changed'
                """)
            let firstSend = try Int64.fetchOne(db, sql: "SELECT MIN(sent_at) FROM messages WHERE auto_sent = 1")
            XCTAssertNotNil(switchedOn)
            XCTAssertGreaterThan(firstSend ?? 0, switchedOn ?? .max)
        }
    }

    /// People work the queue in office hours: every approval, edit, discard and rating by a user
    /// (not the system's arrivals and deliveries) falls Monday to Saturday, 08:00 to 18:00 London.
    func testPeopleHandleTheQueueInOfficeHours() throws {
        let test = try TestWorkspace.make(calls: 2_000, messages: 6_000, seed: 11)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Self.london
        try test.read { db in
            let times = try Int64.fetchAll(db, sql: """
                SELECT at FROM audit_events
                WHERE action IN ('draft.approved', 'draft.edited', 'draft.discarded', 'draft.rated') AND actor != 'system'
                """)
            XCTAssertGreaterThan(times.count, 50)
            for at in times {
                let local = calendar.dateComponents([.hour, .weekday], from: Date(timeIntervalSince1970: TimeInterval(at)))
                XCTAssertTrue((8..<18).contains(local.hour!) && local.weekday! != 1,
                              "a person handled a draft at \(local.hour!):xx on weekday \(local.weekday!)")
            }
        }
    }

    /// A demo too small to train an intent keeps Auto-Send off, as a new workspace has it.
    func testASmallDemoNeverSwitchesOnAnUntrainedIntent() throws {
        let test = try TestWorkspace.make(calls: 100, messages: 300, seed: 11)
        let overview = try test.workspace.session(as: .system).read(.autoSendOverview)
        XCTAssertEqual(overview.problems, [])
        for intent in overview.settings.enabledIntents {
            XCTAssertGreaterThanOrEqual(overview.training.count(intent), intent.validatedDraftsNeeded)
        }
        if overview.settings.enabledIntents.isEmpty { XCTAssertFalse(overview.settings.masterEnabled) }
    }
}
