import Foundation
import GRDB
@testable import HandletDomain
import XCTest

/// Issue 25, "never misread a time": the domain's own sentences (a hold release's question, a text
/// deletion's preview, a notice deadline that is a moment) say the workspace's zone, as every
/// screen does, not UTC.
final class ZonedTextTests: XCTestCase {
    func testTheReleaseQuestionAndTextPreviewsSpeakTheWorkspacesZone() throws {
        let fixture = try BrowseFixture()
        // In summer: 08:10 UTC is 09:10 BST in London.
        let summer = Date(timeIntervalSince1970: 1_782_893_400)   // 1 Jul 2026 08:10 UTC
        let call = try fixture.addCall(at: BrowseFixture.now.addingTimeInterval(-3_600), recording: .recorded)
        try fixture.addRecording(call: call, createdAt: BrowseFixture.now, expiresAt: summer)
        let owner = try fixture.read { try Actor.user(email: "owner@example.test", in: $0) }
        let session = fixture.workspace.session(as: owner, clock: .fixed(BrowseFixture.now))
        try session.perform(.placeLegalHold(onCall: call, reason: "Claim 42"))
        let question = try XCTUnwrap(session.plan(.releaseLegalHold(onCall: call, reason: "Settled")).confirmation?.question)
        XCTAssertTrue(question.contains("1 Jul 2026 09:10 BST"), question)
        XCTAssertFalse(question.contains("UTC"), question)

        let deletion = try XCTUnwrap(session.plan(.deleteCallText(call)).preview?.summary)
        XCTAssertTrue(deletion.contains("11 Mar 2026 11:00 GMT"), deletion)
        XCTAssertFalse(deletion.contains("UTC"), deletion)
        XCTAssertEqual(TextDeletion.removedNote(reason: nil, at: summer, clock: fixture.clock), "Text deleted on 1 Jul 2026 09:10 BST")
    }

    func testANoticeDeadlineThatIsAMomentIsInTheWorkspacesZoneAndAWholeDayStaysThatDay() {
        let clock = BrowseClock(now: BrowseFixture.now, timeZone: BrowseFixture.london)
        let wholeDay = Date(timeIntervalSince1970: 1_782_864_000)  // 1 Jul 2026 00:00 UTC
        XCTAssertEqual(NoticeDateText.day(wholeDay, in: clock), "1 Jul 2026")
        let moment = Date(timeIntervalSince1970: 1_782_946_500)    // 1 Jul 2026 22:55 UTC = 23:55 BST
        XCTAssertEqual(NoticeDateText.day(moment, in: clock), DisplayText.zonedTimestamp(moment, clock: clock))
        XCTAssertTrue(NoticeDateText.day(moment, in: clock).hasSuffix("BST"), NoticeDateText.day(moment, in: clock))
        XCTAssertFalse(NoticeDateText.day(moment, in: clock).contains("UTC"))
    }

    /// A review's one line (the person view, its pick dialogs and `dsr reviews`) and a new
    /// request's preview date in the workspace's zone, not London's.
    func testAReviewsLineAndARequestsPreviewAreInTheWorkspacesZone() throws {
        // 1 Jul 2026 22:55 UTC: 1 Jul in London, 2 Jul in Auckland.
        let moment = Date(timeIntervalSince1970: 1_782_946_500)
        let auckland = BrowseClock(now: moment, timeZone: TimeZone(identifier: "Pacific/Auckland")!)
        let review = Review(id: 12, source: "Google", author: "Jane S.", stars: 5, text: "Great job", postedAt: moment)
        XCTAssertEqual(review.line(clock: auckland), "12  2 Jul 2026  Google  5★  Jane S.  Great job")
        XCTAssertEqual(review.line(clock: BrowseClock(now: moment, timeZone: BrowseFixture.london)),
                       "12  1 Jul 2026  Google  5★  Jane S.  Great job")

        let fixture = try BrowseFixture()
        try fixture.write { try $0.execute(sql: "UPDATE workspace SET time_zone = 'Pacific/Auckland' WHERE id = 1") }
        let owner = try fixture.read { try Actor.user(email: "owner@example.test", in: $0) }
        let session = fixture.workspace.session(as: owner, clock: .fixed(moment))
        let summary = try XCTUnwrap(session.plan(.openDataSubjectRequest(type: .access, contact: nil)).preview?.summary)
        XCTAssertTrue(summary.hasPrefix("Received 2 Jul 2026: due 2 Aug 2026"), summary)
    }
}
