import GRDB
@testable import HandletDomain
import XCTest
import HandletTestSupport

/// Legal holds on several calls at once (the console's marked calls): one command, one plan with
/// one question, one transaction, one audit event; all of them or none.
final class LegalHoldBulkTests: XCTestCase {
    func testHoldsOnSeveralCallsAreOneCommandWithOneQuestionAndOneEvent() throws {
        let fixture = try RetentionFixture(retentionDays: 7)
        let calls = try (0..<3).map { _ in try fixture.addCall(recordedAt: RetentionFixture.start).call.id! }
        let session = fixture.workspace.session(as: fixture.admin)
        let plan = try session.plan(.placeLegalHolds(onCalls: calls + [calls[0]], reason: "Claim 42"), at: RetentionFixture.at(days: 1))
        XCTAssertNil(plan.refusal)
        XCTAssertEqual(plan.confirmation?.question, "Place a legal hold on the 3 recordings of CA000001, CA000002, CA000003?")
        XCTAssertThrowsError(try plan.approved(confirmed: false), "the question must be answered")
        let held = try session.perform(plan, confirmed: true, at: RetentionFixture.at(days: 1))
        XCTAssertEqual(held.map(\.callId), calls, "each call once")
        XCTAssertEqual(try session.read(.legalHolds).count, 3)
        let events = try fixture.auditEvents(AuditAction.legalHoldPlaced.rawValue)
        XCTAssertEqual(events.count, 1, "one audit event for the whole action")
        XCTAssertEqual(events.first?.target, "calls:" + calls.map { String($0.rawValue) }.joined(separator: ","))
        XCTAssertEqual(try fixture.auditDetails(events[0])["count"], .int(3))
        XCTAssertFalse(events[0].details.contains("Claim"), "the reason stays out of the audit log")

        let releasePlan = try session.plan(.releaseLegalHolds(onCalls: Array(calls.prefix(2)), reason: "Matter closed"))
        XCTAssertTrue(releasePlan.confirmation?.question.hasPrefix("Release the legal hold on the 2 recordings of CA000001, CA000002?") ?? false,
                      releasePlan.confirmation?.question ?? "no question")
        XCTAssertEqual(try session.perform(releasePlan, confirmed: true).count, 2)
        XCTAssertEqual(try session.read(.legalHolds).map(\.callId), [calls[2]])
        XCTAssertEqual(try fixture.auditEvents(AuditAction.legalHoldReleased.rawValue).count, 1)
    }

    func testOneCallThatCannotBeHeldRefusesThemAllAndChangesNothing() throws {
        let fixture = try RetentionFixture()
        let stored = try fixture.addCall(recordedAt: RetentionFixture.start).call.id!
        let noAudio = try fixture.addCall(recordedAt: RetentionFixture.start, bytes: nil).call.id!
        let session = fixture.workspace.session(as: fixture.owner)
        let plan = try session.plan(.placeLegalHolds(onCalls: [stored, noAudio], reason: "Claim"))
        XCTAssertEqual(plan.refusal, "Call CA000002 has no recording.")
        XCTAssertThrowsError(try session.perform(.placeLegalHolds(onCalls: [stored, noAudio], reason: "Claim")))
        XCTAssertTrue(try session.read(.legalHolds).isEmpty, "the call that could be held was not held either")
        XCTAssertTrue(try fixture.auditEvents(AuditAction.legalHoldPlaced.rawValue).isEmpty)

        let viewer = try fixture.workspace.session(as: fixture.viewer).plan(.placeLegalHolds(onCalls: [stored], reason: "Claim"))
        XCTAssertTrue(viewer.refusal?.contains("owner or admin") ?? false, viewer.refusal ?? "not refused")
        XCTAssertThrowsError(try session.perform(.placeLegalHolds(onCalls: [stored], reason: "  ")), "a reason is required")
    }
}
