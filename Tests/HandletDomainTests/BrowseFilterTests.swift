import GRDB
@testable import HandletDomain
import XCTest

final class BrowseFilterTests: XCTestCase {
    private func callIds(_ filter: CallFilter, _ fixture: BrowseFixture) throws -> [Call.ID] {
        try fixture.read { try CallPage(filter: filter, clock: fixture.clock).first(limit: 100, in: $0).map(\.id) }
    }

    private func london(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = BrowseFixture.london
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))!
    }

    func testDateRangesAreWholeLocalDaysWithTheirEdges() throws {
        let fixture = try BrowseFixture()   // Wednesday 11 March 2026, 12:00 in London
        let startOfToday = try fixture.addCall(at: london(2026, 3, 11))
        let lastSecondYesterday = try fixture.addCall(at: london(2026, 3, 10, 23, 59, 59))
        let sixDaysAgo = try fixture.addCall(at: london(2026, 3, 5))
        let sevenDaysAgo = try fixture.addCall(at: london(2026, 3, 4, 23, 59, 59))
        let twentyNineDaysAgo = try fixture.addCall(at: london(2026, 2, 10))
        let thirtyDaysAgo = try fixture.addCall(at: london(2026, 2, 9, 12))
        let tomorrow = try fixture.addCall(at: london(2026, 3, 12))

        XCTAssertEqual(try callIds(CallFilter(dateRange: .today), fixture), [startOfToday])
        XCTAssertEqual(Set(try callIds(CallFilter(dateRange: .last7Days), fixture)), [startOfToday, lastSecondYesterday, sixDaysAgo])
        XCTAssertEqual(Set(try callIds(CallFilter(dateRange: .last30Days), fixture)),
                       [startOfToday, lastSecondYesterday, sixDaysAgo, sevenDaysAgo, twentyNineDaysAgo])
        let march10 = LocalDate(year: 2026, month: 3, day: 10)
        XCTAssertEqual(try callIds(CallFilter(dateRange: .custom(from: march10, to: march10)), fixture), [lastSecondYesterday])
        XCTAssertEqual(Set(try callIds(CallFilter(dateRange: .custom(from: LocalDate(year: 2026, month: 3, day: 11), to: nil)), fixture)),
                       [startOfToday, tomorrow])
        XCTAssertEqual(try callIds(CallFilter(dateRange: .custom(from: nil, to: LocalDate(year: 2026, month: 2, day: 9))), fixture),
                       [thirtyDaysAgo])
        let backwards = DateRange.custom(from: march10, to: LocalDate(year: 2026, month: 3, day: 1))
        XCTAssertTrue(backwards.isBackwards)
        XCTAssertEqual(try callIds(CallFilter(dateRange: backwards), fixture), [])
    }

    func testADayAcrossTheClockChangeLasts23Hours() {
        let clock = BrowseClock(now: london(2026, 3, 29, 12), timeZone: BrowseFixture.london)
        let bounds = DateRange.today.bounds(clock)
        XCTAssertEqual(bounds.until! - bounds.from!, 23 * 3_600)
        XCTAssertEqual(bounds.from, Int64(london(2026, 3, 29).timeIntervalSince1970))
        let autumn = BrowseClock(now: london(2026, 10, 25, 12), timeZone: BrowseFixture.london)
        let autumnBounds = DateRange.today.bounds(autumn)
        XCTAssertEqual(autumnBounds.until! - autumnBounds.from!, 25 * 3_600)
    }

    func testOutcomeDirectionRecordingAndHandlerFiltersCombine() throws {
        let fixture = try BrowseFixture()
        let missedIn = try fixture.addCall(at: BrowseFixture.at(days: -1), outcome: .missed)
        let missedOut = try fixture.addCall(at: BrowseFixture.at(days: -2), direction: .outbound, outcome: .missed)
        let spamIn = try fixture.addCall(at: BrowseFixture.at(days: -3), outcome: .spam, handledBy: .voicemail)
        let bookedRecorded = try fixture.addCall(at: BrowseFixture.at(days: -4), outcome: .bookedJob, recording: .recorded)
        let bookedPurged = try fixture.addCall(at: BrowseFixture.at(days: -5), outcome: .bookedJob, handledBy: .staff, recording: .purged)

        XCTAssertEqual(try callIds(CallFilter(outcomes: [.missed]), fixture), [missedIn, missedOut])
        XCTAssertEqual(try callIds(CallFilter(outcomes: [.missed, .spam]), fixture), [missedIn, missedOut, spamIn])
        XCTAssertEqual(try callIds(CallFilter(outcomes: Set(CallOutcome.allCases)), fixture).count, 5)
        XCTAssertEqual(try callIds(CallFilter(outcomes: [.missed], direction: .outbound), fixture), [missedOut])
        XCTAssertEqual(try callIds(CallFilter(hasRecording: true), fixture), [bookedRecorded])
        XCTAssertEqual(try callIds(CallFilter(hasRecording: false), fixture), [missedIn, missedOut, spamIn, bookedPurged])
        XCTAssertEqual(try callIds(CallFilter(handledBy: .staff), fixture), [bookedPurged])
        XCTAssertEqual(try callIds(CallFilter(outcomes: [.spam], handledBy: .voicemail), fixture), [spamIn])
        let nothing = CallFilter(outcomes: [.abandoned], direction: .outbound)
        XCTAssertEqual(try callIds(nothing, fixture), [])
        XCTAssertEqual(try fixture.read { try CallPage(filter: nothing, clock: fixture.clock).count(in: $0) }, 0)
    }

    func testChipsAreStableAndRemovable() {
        let filter = CallFilter(dateRange: .last7Days, outcomes: [.spam, .missed], direction: .inbound,
                                hasRecording: true, handledBy: .aiAgent)
        XCTAssertEqual(filter.chips.map(\.label), ["7 days", "Spam, Missed", "Inbound", "Has recording", "By AI agent"])
        XCTAssertEqual(filter.chips.map(\.field), [.dateRange, .outcome, .direction, .hasRecording, .handledBy])
        XCTAssertEqual(CallFilter(outcomes: [.missed, .abandoned, .spam, .bookedJob]).chips[0].label, "Booked job, Spam, Missed, Abandoned", "outcomes in their fixed order, not the set's")
        XCTAssertEqual(filter.removing(.outcome).outcomes, [])
        XCTAssertEqual(filter.removing(.outcome).chips.count, 4)
        XCTAssertTrue(CallFilter().isEmpty)
        XCTAssertEqual(DateRange.custom(from: LocalDate(year: 2026, month: 11, day: 1), to: LocalDate(year: 2026, month: 11, day: 20)).label,
                       "1 Nov – 20 Nov 2026")
        XCTAssertEqual(DateRange.custom(from: LocalDate(year: 2025, month: 12, day: 30), to: LocalDate(year: 2026, month: 1, day: 2)).label,
                       "30 Dec 2025 – 2 Jan 2026")
        XCTAssertEqual(MessageFilter(channel: .whatsapp, direction: .outbound).chips.map(\.label), ["WhatsApp", "Outbound"])
    }

    func testLocalDateParsingRefusesImpossibleDates() {
        XCTAssertEqual(LocalDate(parsing: "2026-02-28"), LocalDate(year: 2026, month: 2, day: 28))
        XCTAssertEqual(LocalDate(parsing: "2028-02-29"), LocalDate(year: 2028, month: 2, day: 29))
        for bad in ["2026-02-29", "2026-13-01", "2026-00-10", "2026-1-01", "26-01-01", "2026/01/01", "", "２０２６-01-01", "2026-01-01x"] {
            XCTAssertNil(LocalDate(parsing: bad), bad)
        }
        XCTAssertEqual(LocalDate(year: 2026, month: 12, day: 31).adding(days: 1), LocalDate(year: 2027, month: 1, day: 1))
    }

    func testThreadFiltersByChannelDirectionAndActivity() throws {
        let fixture = try BrowseFixture()
        let sms = try fixture.addThread(contact: nil, channel: .sms)
        try fixture.addMessage(thread: sms, at: BrowseFixture.at(days: -1), body: "hello")
        let email = try fixture.addThread(contact: nil, channel: .email)
        try fixture.addMessage(thread: email, at: BrowseFixture.at(days: -10), body: "quote please")
        try fixture.addMessage(thread: email, at: BrowseFixture.at(days: -9), body: "here it is", direction: .outbound)
        func threads(_ filter: MessageFilter) throws -> [MessageThread.ID] {
            try fixture.read { try ThreadPage(filter: filter, clock: fixture.clock).first(limit: 10, in: $0).map(\.id) }
        }
        XCTAssertEqual(try threads(MessageFilter()), [sms, email])
        XCTAssertEqual(try threads(MessageFilter(channel: .email)), [email])
        XCTAssertEqual(try threads(MessageFilter(direction: .outbound)), [email])
        XCTAssertEqual(try threads(MessageFilter(dateRange: .last7Days)), [sms])
        XCTAssertEqual(try threads(MessageFilter(channel: .webchat)), [])
    }

    func testBrowseFilterSplitsIntoWhatEachKindHas() {
        let both = BrowseFilter(dateRange: .today, direction: .inbound)
        XCTAssertEqual(both.callFilter, CallFilter(dateRange: .today, direction: .inbound))
        XCTAssertEqual(both.messageFilter, MessageFilter(dateRange: .today, direction: .inbound))
        let callsOnly = BrowseFilter(outcomes: [.missed])
        XCTAssertNil(callsOnly.messageFilter)
        XCTAssertEqual(callsOnly.callFilter?.outcomes, [.missed])
        let messagesOnly = BrowseFilter(channel: .sms)
        XCTAssertNil(messagesOnly.callFilter)
        XCTAssertEqual(messagesOnly.messageFilter?.channel, .sms)
        let contradictory = BrowseFilter(channel: .sms, hasRecording: true)
        XCTAssertTrue(contradictory.matchesNothing)
        XCTAssertEqual(contradictory.chips.map(\.field), [.channel, .hasRecording])
        XCTAssertEqual(BrowseFilter(dateRange: .today, channel: .sms, direction: .inbound).chips.map(\.label), ["Today", "SMS", "Inbound"])
    }
}
