import Foundation
import GRDB
@testable import HandletDomain
import XCTest
import HandletTestSupport

/// The action queue's decisions through the session: approve, edit then approve, discard, rate.
final class DraftDecisionTests: XCTestCase {
    private func drafts(_ fixture: RetentionFixture, _ intent: DraftIntent, _ count: Int,
                        state: DraftState = .waiting) throws -> [Int64] {
        try fixture.workspace.dbPool.write { db in
            try (0..<count).map { index in
                var draft = Draft(targetKind: "message", targetId: Int64(index + 1), contactId: nil, channel: "sms",
                                  intent: intent, confidence: 0.9, body: "We can come on Tuesday morning.", state: state,
                                  correlationId: "corr-\(intent.rawValue)-\(state.rawValue)-\(index)", createdAt: RetentionFixture.start)
                try draft.insert(db)
                return draft.id!
            }
        }
    }

    private func training(_ fixture: RetentionFixture) throws -> TrainingCounts {
        try fixture.workspace.session(as: fixture.viewer).read(.autoSendOverview).training
    }

    func testApproveEditAndYesOrNoCountNotNowDoesNotAndTheIntentUnlocksAtExactlyThirty() throws {
        let fixture = try RetentionFixture()
        let ids = try drafts(fixture, .bookingRequest, 40)
        let agent = fixture.workspace.session(as: fixture.agent)
        for id in ids[0..<10] { try agent.perform(.decideDraft(id, .approve)) }
        for id in ids[10..<20] { try agent.perform(.decideDraft(id, .editAndApprove(body: "We can come on Wednesday instead."))) }
        for id in ids[20..<25] { try agent.perform(.decideDraft(id, .rate(.correct))) }
        for id in ids[25..<29] { try agent.perform(.decideDraft(id, .rate(.incorrect))) }
        for id in ids[29..<35] { try agent.perform(.decideDraft(id, .rate(.notNow))) }
        for id in ids[35..<38] { try agent.perform(.decideDraft(id, .discard)) }
        // Rating an approved draft as well counts it once.
        try agent.perform(.decideDraft(ids[0], .rate(.correct)))
        XCTAssertEqual(try training(fixture).count(.bookingRequest), 29)
        XCTAssertFalse(try training(fixture).isUnlocked(.bookingRequest))
        var enable = AutoSendChange()
        enable.enableIntents = [.bookingRequest]
        XCTAssertThrowsError(try fixture.workspace.session(as: fixture.owner).perform(.changeAutoSend(enable)))

        // "Not now" then yes: now it counts.
        try agent.perform(.decideDraft(ids[29], .rate(.correct)))
        XCTAssertEqual(try training(fixture).count(.bookingRequest), 30)
        XCTAssertTrue(try training(fixture).isUnlocked(.bookingRequest))
        XCTAssertEqual(try fixture.workspace.session(as: fixture.owner).perform(.changeAutoSend(enable)).after.enabledIntents,
                       [.bookingRequest])

        let edited = try fixture.workspace.dbPool.read { try Draft.fetchOne($0, key: ids[10])! }
        XCTAssertEqual(edited.state, .edited)
        XCTAssertEqual(edited.body, "We can come on Wednesday instead.")
        XCTAssertEqual(edited.validatedBy, fixture.agent.userId?.rawValue)
    }

    func testEveryDecisionIsAuditedWithTheCorrelationIdAndNoText() throws {
        let fixture = try RetentionFixture()
        let ids = try drafts(fixture, .followUp, 4)
        let admin = fixture.workspace.session(as: fixture.admin)
        try admin.perform(.decideDraft(ids[0], .approve))
        try admin.perform(.decideDraft(ids[1], .editAndApprove(body: "Thanks Priya, see you at 10.")))
        try admin.perform(.decideDraft(ids[2], .discard))
        try admin.perform(.decideDraft(ids[3], .rate(.notNow)))
        let actions: [AuditAction] = [.draftApproved, .draftEdited, .draftDiscarded, .draftRated]
        for (index, action) in actions.enumerated() {
            let events = try fixture.auditEvents(action.rawValue)
            XCTAssertEqual(events.count, 1, action.rawValue)
            XCTAssertEqual(events.first?.target, "draft:\(ids[index])")
            XCTAssertEqual(events.first?.detailValues["correlation_id"], .string("corr-follow_up-waiting-\(index)"))
            XCTAssertEqual(events.first?.actor, "admin@example.test")
            XCTAssertFalse(events.first!.details.contains("Priya"), "no text in the log")
        }
        XCTAssertEqual(try fixture.auditEvents(AuditAction.draftRated.rawValue).first?.detailValues["validation"], .string("not_now"))
        // The same answer again changes nothing and writes nothing.
        try admin.perform(.decideDraft(ids[3], .rate(.notNow)))
        XCTAssertEqual(try fixture.auditEvents(AuditAction.draftRated.rawValue).count, 1)
    }

    func testRefusalsNameTheReasonAndChangeNothing() throws {
        let fixture = try RetentionFixture()
        let waiting = try drafts(fixture, .generalEnquiry, 1)[0]
        let blocked = try drafts(fixture, .generalEnquiry, 1, state: .blocked)[0]
        let agent = fixture.workspace.session(as: fixture.agent)
        XCTAssertThrowsError(try fixture.workspace.session(as: fixture.viewer).perform(.decideDraft(waiting, .approve))) {
            XCTAssertEqual($0 as? PermissionDenied, PermissionDenied(permission: .handleDrafts, role: .viewer))
            XCTAssertEqual(String(describing: $0), "Only owner, admin or agent may approve, edit, discard or rate drafts; you are viewer.")
        }
        XCTAssertThrowsError(try agent.perform(.decideDraft(blocked, .approve))) {
            XCTAssertEqual($0 as? DraftDecisionError, .blocked(blocked))
        }
        for (body, error) in [("   ", DraftDecisionError.emptyBody), ("Hi\u{1B}[31m", .bodyNotPlainText),
                              (String(repeating: "a", count: 2_001), .bodyTooLong(limit: 2_000))] {
            XCTAssertThrowsError(try agent.perform(.decideDraft(waiting, .editAndApprove(body: body)))) {
                XCTAssertEqual($0 as? DraftDecisionError, error)
            }
        }
        XCTAssertThrowsError(try agent.perform(.decideDraft(999, .discard))) { XCTAssertEqual($0 as? DraftDecisionError, .noSuchDraft(999)) }
        let draft = try fixture.workspace.dbPool.read { try Draft.fetchOne($0, key: waiting)! }
        XCTAssertEqual(draft.state, .waiting)
        XCTAssertEqual(draft.body, "We can come on Tuesday morning.")
        try agent.perform(.decideDraft(waiting, .approve))
        XCTAssertThrowsError(try agent.perform(.decideDraft(waiting, .discard))) {
            XCTAssertEqual($0 as? DraftDecisionError, .notWaiting(waiting, .approved))
        }
        // A blocked draft can be discarded.
        XCTAssertEqual(try agent.perform(.decideDraft(blocked, .discard)).state, .discarded)
    }
}
