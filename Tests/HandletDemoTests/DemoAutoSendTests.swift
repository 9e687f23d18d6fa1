import Foundation
import GRDB
@testable import HandletDomain
import XCTest

/// The demo's drafts, training and Auto-Send history (issue 14): every intent, two of them
/// training-ready and automated, the rest part-trained, and auto-sent replies whose evaluation and
/// outbox row carry the message's correlation id.
final class DemoAutoSendTests: XCTestCase {
    func testDraftsCoverEveryIntentAndTwoIntentsAreTrainingReadyAtEverySize() throws {
        for (calls, messages) in [(100, 300), (2_000, 6_000)] {
            let test = try TestWorkspace.make(calls: calls, messages: messages, seed: 11)
            let overview = try test.workspace.session(as: .system).read(.autoSendOverview)
            XCTAssertEqual(overview.training.unlocked, [.followUp, .generalEnquiry], "\(calls) calls")
            for intent in AutoSendIntent.allCases where intent != .followUp && intent != .generalEnquiry {
                XCTAssertGreaterThan(overview.training.count(intent), 0, "\(intent) part-trained at \(calls) calls")
                XCTAssertLessThan(overview.training.count(intent), intent.validatedDraftsNeeded, "\(intent)")
            }
            XCTAssertEqual(overview.training.count(.followUp), 36)
            XCTAssertEqual(overview.training.count(.generalEnquiry), 33)
            XCTAssertTrue(overview.settings.masterEnabled)
            XCTAssertEqual(overview.settings.enabledIntents, [.followUp, .generalEnquiry])
            XCTAssertEqual(overview.settings.transparency?.by, "owner@kestrelhomeservices.co.uk")
            XCTAssertEqual(overview.problems, [], "the demo's settings pass every check")
            try test.read { db in
                let intents = Set(try String.fetchAll(db, sql: "SELECT DISTINCT intent FROM drafts"))
                XCTAssertTrue(intents.isSuperset(of: AutoSendIntent.allCases.map(\.rawValue)), "\(intents)")
                let confidences = try Double.fetchAll(db, sql: "SELECT confidence FROM drafts")
                XCTAssertLessThan(confidences.min()!, 0.85)
                XCTAssertGreaterThan(confidences.max()!, 0.95)
                XCTAssertGreaterThan(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM drafts WHERE firm_price_available = 1")!, 0)
                XCTAssertGreaterThan(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM drafts WHERE booking_fields_complete = 1")!, 0)
                XCTAssertGreaterThan(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM drafts WHERE complaint_severity = 'high'")!, 0,
                                     "\(calls) calls")
                XCTAssertGreaterThan(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM drafts WHERE validation = 'not_now'")!, 0)
            }
        }
    }

    func testAutoSentRepliesHaveTheirEvaluationAndOutboxRowUnderTheMessagesCorrelationId() throws {
        let test = try TestWorkspace.make(calls: 2_000, messages: 6_000, seed: 11)
        try test.read { db in
            let sent = try Row.fetchAll(db, sql: """
                SELECT d.id, d.correlation_id, d.intent, e.outcome, e.deciding_gate, e.verdicts, e.settings,
                       o.state, o.idempotency_key, o.message_id, m.auto_sent, m.correlation_id AS message_correlation,
                       o.body = m.body AS same_body
                FROM drafts d
                JOIN autosend_evaluations e ON e.draft_id = d.id AND e.correlation_id = d.correlation_id
                JOIN autosend_outbox o ON o.evaluation_id = e.id AND o.correlation_id = d.correlation_id
                JOIN messages m ON m.id = o.message_id
                WHERE d.state = 'auto_sent'
                """)
            let autoSentDrafts = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM drafts WHERE state = 'auto_sent'")!
            XCTAssertGreaterThan(autoSentDrafts, 3)
            XCTAssertEqual(sent.count, autoSentDrafts, "every auto-sent draft is traceable")
            for row in sent {
                XCTAssertEqual(row["outcome"] as String, "send")
                XCTAssertNil(row["deciding_gate"] as String?)
                XCTAssertEqual(row["state"] as String, "sent")
                XCTAssertEqual(row["auto_sent"] as Bool, true)
                XCTAssertEqual(row["message_correlation"] as String, row["correlation_id"] as String)
                XCTAssertEqual(row["same_body"] as Bool, true)
                XCTAssertTrue(["follow_up", "general_enquiry"].contains(row["intent"] as String))
                XCTAssertTrue((row["verdicts"] as String).hasPrefix("{\"intent\":\"pass\",\"contact_suppressed\":\"pass\""))
                XCTAssertTrue((row["settings"] as String).contains("\"master\":true"))
            }
            // Drafts waiting for a person say which gate held them.
            let held = try Row.fetchAll(db, sql: """
                SELECT e.outcome, e.deciding_gate FROM autosend_evaluations e JOIN drafts d ON d.id = e.draft_id
                WHERE d.state IN ('waiting', 'blocked')
                """)
            XCTAssertGreaterThan(held.count, 10)
            let gates = Set(held.compactMap { $0["deciding_gate"] as String? })
            XCTAssertTrue(gates.isSuperset(of: ["intent_toggle"]), "\(gates)")
            XCTAssertTrue(held.allSatisfy { ($0["outcome"] as String) != "send" })
        }
    }
}
