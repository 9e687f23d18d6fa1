import GRDB
@testable import HandletDomain
import XCTest

final class BrowseOverviewTests: XCTestCase {
    private func london(_ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = BrowseFixture.london
        return calendar.date(from: DateComponents(year: 2026, month: month, day: day, hour: hour, minute: minute, second: second))!
    }

    func testCallsPerDayOverNinetyLocalDays() throws {
        let fixture = try BrowseFixture()   // Wednesday 11 March 2026, 12:00
        try fixture.addCall(at: london(3, 11))
        try fixture.addCall(at: london(3, 11, 11, 59))
        try fixture.addCall(at: london(3, 10, 23, 59, 59))
        try fixture.addCall(at: london(12, 12).addingTimeInterval(-365 * BrowseFixture.day))   // 12 Dec 2025: the first day
        try fixture.addCall(at: london(3, 11).addingTimeInterval(-90 * BrowseFixture.day))      // 91 days ago: outside
        try fixture.addCall(at: london(3, 12))                                                   // tomorrow: outside
        let overview = try fixture.read { try Overview.load(clock: fixture.clock, in: $0) }
        XCTAssertEqual(overview.callsPerDay.count, 90)
        XCTAssertEqual(overview.firstDay, LocalDate(year: 2025, month: 12, day: 12))
        XCTAssertEqual(overview.callsPerDay.last, 2)
        XCTAssertEqual(overview.callsPerDay[88], 1)
        XCTAssertEqual(overview.callsPerDay[0], 1)
        XCTAssertEqual(overview.callsPerDay.reduce(0, +), 4)
    }

    /// Issue 25: the counts cover the last 7 days (today and the six before), not the week since
    /// Monday, so on a Monday morning the weekend's missed calls still count.
    func testMissedCallsAndCallbacksCoverTheLastSevenDays() throws {
        let fixture = try BrowseFixture()   // Wednesday 11 March 2026, 12:00
        try fixture.addCall(at: london(3, 9), outcome: .missed)                  // Monday 00:00
        try fixture.addCall(at: london(3, 8, 23, 59, 59), outcome: .missed)      // Sunday: within 7 days
        try fixture.addCall(at: london(3, 5), outcome: .missed)                  // Thursday 5th: the first of the 7 days
        try fixture.addCall(at: london(3, 4, 23, 59), outcome: .missed)          // 8 days back: outside
        try fixture.addCall(at: london(3, 11, 9), direction: .outbound, outcome: .missed)
        try fixture.addCall(at: london(3, 10), outcome: .callbackRequested)
        try fixture.addCall(at: london(3, 10), outcome: .bookedJob)
        let overview = try fixture.read { try Overview.load(clock: fixture.clock, in: $0) }
        XCTAssertEqual(overview.missedCallsLast7Days, 4)
        XCTAssertEqual(overview.callbacksRequestedLast7Days, 1)

        let mondayMorning = BrowseClock(now: london(3, 16, 8), timeZone: BrowseFixture.london)
        try fixture.addCall(at: london(3, 14, 10), outcome: .missed)             // Saturday
        try fixture.addCall(at: london(3, 15, 10), outcome: .missed)             // Sunday
        let fromMonday = try fixture.read { try Overview.load(clock: mondayMorning, in: $0) }
        XCTAssertEqual(fromMonday.missedCallsLast7Days, 3, "Monday 8:00 still counts the weekend's missed calls (and Wednesday's)")
    }

    func testRecordingsExpiringWithinSevenDaysAndOverdue() throws {
        let fixture = try BrowseFixture()
        let now = BrowseFixture.now
        func recording(expiresIn days: Double, hold: Bool = false, purged: Bool = false) throws {
            let call = try fixture.addCall(at: now.addingTimeInterval(-40 * BrowseFixture.day), recording: purged ? .purged : .recorded)
            try fixture.addRecording(call: call, createdAt: now.addingTimeInterval(-40 * BrowseFixture.day),
                                     expiresAt: now.addingTimeInterval(days * BrowseFixture.day), legalHold: hold,
                                     purgedAt: purged ? now : nil)
        }
        try recording(expiresIn: 0)
        try recording(expiresIn: 1)
        try recording(expiresIn: 6.99)
        try recording(expiresIn: 7)          // exactly 7 days: outside "within 7 days"
        try recording(expiresIn: 20)
        try recording(expiresIn: 2, hold: true)
        try recording(expiresIn: 2, purged: true)
        try recording(expiresIn: -3)
        try recording(expiresIn: -3, hold: true)
        let overview = try fixture.read { try Overview.load(clock: fixture.clock, in: $0) }
        XCTAssertEqual(overview.recordingsExpiringSoon, 3)
        XCTAssertEqual(overview.recordingsOverdue, 1)
    }

    func testDraftsWaitingAndNoticesNeedingAnAnswer() throws {
        let fixture = try BrowseFixture()
        try fixture.addDraft(state: .waiting)
        try fixture.addDraft(state: .waiting)
        try fixture.addDraft(state: .approved)
        try fixture.addDraft(state: .autoSent)

        let unanswered = try fixture.addNotice(key: "dpa", version: "2", needsAcknowledgement: true, kind: .dpa)
        let acknowledged = try fixture.addNotice(key: "privacy", needsAcknowledgement: true)
        try fixture.respond(to: acknowledged, version: "1", .acknowledged)
        let answeredOldVersion = try fixture.addNotice(key: "policy", version: "3", needsAcknowledgement: true)
        try fixture.respond(to: answeredOldVersion, version: "2", .acknowledged)
        let openWindow = try fixture.addNotice(key: "sub-1", needsAcknowledgement: false,
                                               objectionDeadline: BrowseFixture.at(days: 20), kind: .subprocessorChange)
        try fixture.addNotice(key: "sub-0", needsAcknowledgement: false, objectionDeadline: BrowseFixture.at(days: -1),
                              kind: .subprocessorChange)
        let objected = try fixture.addNotice(key: "sub-2", needsAcknowledgement: false,
                                             objectionDeadline: BrowseFixture.at(days: 10), kind: .subprocessorChange)
        try fixture.respond(to: objected, version: "1", .objected)
        try fixture.addNotice(key: "info", needsAcknowledgement: false)

        let overview = try fixture.read { try Overview.load(clock: fixture.clock, in: $0) }
        XCTAssertEqual(overview.draftsWaiting, 2)
        XCTAssertEqual(Set(overview.noticesNeedingAnswer.map(\.id)), [unanswered, answeredOldVersion, openWindow])
        XCTAssertEqual(overview.noticesNeedingAnswer.first { $0.id == openWindow }?.reason, .objectionWindowOpen)
        XCTAssertEqual(overview.noticesNeedingAnswer.first { $0.id == unanswered }?.reason, .needsAcknowledgement)
    }

    func testEveryOverviewCountReadsAnIndexRange() throws {
        let fixture = try BrowseFixture()
        let plans = [
            (Overview.SQL.callsBetween, "calls_by_time"),
            (Overview.SQL.callsWithOutcomeSince, "calls_by_outcome"),
            (Overview.SQL.recordingsExpiringBetween, "recordings_due_bytes"),
            (Overview.SQL.recordingsExpiredBefore, "recordings_due_bytes"),
            (Overview.SQL.draftsWaiting, "drafts_by_state"),
        ]
        for (sql, index) in plans {
            let arguments = StatementArguments(Array(repeating: 0, count: sql.filter { $0 == "?" }.count))
            let plan = try fixture.queryPlan(sql, arguments)
            XCTAssertTrue(plan.contains("COVERING INDEX \(index)") || plan.contains("USING INDEX \(index)"), "\(sql):\n\(plan)")
        }
    }
}
