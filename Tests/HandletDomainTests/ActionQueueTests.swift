import Foundation
@testable import HandletDomain
import XCTest
import HandletTestSupport

/// The action queue's reads: newest first a page at a time, by kind, a draft's detail with the
/// text it would send; and the change a form edited in place saves.
final class ActionQueueTests: XCTestCase {
    private func drafts(_ fixture: RetentionFixture, _ count: Int, sameTime: Bool = false) throws -> [Int64] {
        try fixture.workspace.insertDrafts((0..<count).map { index in
            Draft(targetKind: "review", targetId: 1, contactId: nil, channel: "sms", intent: .generalEnquiry, confidence: 0.9,
                  body: "Reply \(index)", correlationId: "queue-\(sameTime)-\(index)",
                  createdAt: RetentionFixture.start.addingTimeInterval(sameTime ? 0 : Double(index) * 60))
        })
    }

    func testPagesRunNewestFirstWithoutGapsOrRepeatsEvenWhenTimesTie() throws {
        let fixture = try RetentionFixture()
        for sameTime in [false, true] {
            let ids = try drafts(fixture, 25, sameTime: sameTime)
            let viewer = fixture.workspace.session(as: fixture.viewer)
            var seen: [Int64] = []
            var cursor: ActionQueue.Cursor?
            repeat {
                let page = try viewer.read(.actionQueue(after: cursor, limit: 7))
                seen += page.entries.map(\.id)
                cursor = page.next
            } while cursor != nil
            XCTAssertEqual(Set(seen).count, seen.count, "no repeats")
            XCTAssertTrue(Set(ids).isSubset(of: Set(seen)))
            let decided = ids[0..<5]
            for id in decided { try fixture.workspace.session(as: fixture.agent).perform(.decideDraft(id, .discard)) }
            let after = try viewer.read(.actionQueue(limit: 1_000)).entries.map(\.id)
            XCTAssertTrue(Set(decided).isDisjoint(with: after), "a decided draft leaves the queue")
            for id in try viewer.read(.actionQueue(limit: 1_000)).entries.map(\.id) {
                try fixture.workspace.session(as: fixture.agent).perform(.decideDraft(id, .discard))
            }
        }
    }

    func testKindsCountsGateAndDueTime() throws {
        let fixture = try RetentionFixture()
        let ids = try drafts(fixture, 4)
        try fixture.workspace.blockDraftForTest(ids[1], by: .marketingConsent, at: RetentionFixture.start)
        let due = RetentionFixture.at(days: 1)
        try fixture.workspace.holdDraftForTest(ids[2], until: due, at: RetentionFixture.start)
        let viewer = fixture.workspace.session(as: fixture.viewer)
        XCTAssertEqual(try viewer.read(.actionQueueCounts), ActionQueue.Counts(waiting: 2, blocked: 1, held: 1, failed: 0))
        let blocked = try viewer.read(.actionQueue(kinds: [.blocked])).entries
        XCTAssertEqual(blocked.map(\.id), [ids[1]])
        XCTAssertEqual(blocked.first?.gate, .marketingConsent)
        let held = try viewer.read(.actionQueue(kinds: [.held])).entries
        XCTAssertEqual(held.first?.dueAt, due)
        XCTAssertEqual(held.first?.state, .autoSent)
        XCTAssertEqual(try viewer.read(.actionQueue(kinds: [.waiting, .held])).entries.map(\.id), [ids[3], ids[2], ids[0]])
        XCTAssertThrowsError(try ActionQueueEntry.Kind(parsing: "pending"))
    }

    func testDetailComposesTheOutgoingTextAndSaysWhenItLeftTheQueue() throws {
        let fixture = try RetentionFixture()
        let ids = try drafts(fixture, 1)
        let viewer = fixture.workspace.session(as: fixture.viewer)
        let detail = try viewer.read(.draftDetail(ids[0]))
        XCTAssertTrue(detail.queued)
        XCTAssertEqual(detail.outgoing, "Reply 0\nAutomated reply from Test Plumbing Ltd. Reply STOP to opt out.")
        try fixture.workspace.session(as: fixture.agent).perform(.decideDraft(ids[0], .approve))
        // Approved, it goes through the arrival step's evaluation into the outbox: it stays in the
        // queue as a held send, due now, until a delivery pass sends it.
        let approved = try viewer.read(.draftDetail(ids[0]))
        XCTAssertTrue(approved.queued)
        XCTAssertEqual(approved.entry.kind, .held)
        XCTAssertEqual(approved.entry.state, .approved)
        XCTAssertThrowsError(try viewer.read(.draftDetail(999_999))) { error in
            XCTAssertEqual(error as? DraftDetailError, .noSuchDraft(999_999))
        }
    }

    func testTheChangeBetweenTwoSettingsTakesTheFirstToTheSecond() throws {
        let before = AutoSendSettings.standard
        var change = AutoSendChange()
        change.master = true
        change.enableIntents = [.followUp]
        change.threshold = try ConfidenceThreshold(parsing: "90")
        change.disableChannels = [.email]
        change.quietHours = .clear
        change.timeZone = try BusinessTimeZone(identifier: "Europe/Paris")
        change.perContactCap = try PerContactCap(messages: 5)
        change.optOut = [.sms: "Text STOP to end these."]
        let after = try change.applied(to: before)
        let derived = AutoSendChange(from: before, to: after)
        XCTAssertEqual(try derived.applied(to: before), after)
        XCTAssertTrue(AutoSendChange(from: after, to: after).isEmpty)
        XCTAssertEqual(try AutoSendChange(from: after, to: before).applied(to: after), before)
    }
}
