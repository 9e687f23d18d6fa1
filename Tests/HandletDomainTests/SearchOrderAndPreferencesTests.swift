import GRDB
@testable import HandletDomain
import XCTest

/// Issue 25: search results page strictly newest first across page boundaries (pages walked by id
/// and sorted within each were only roughly in order), and each user's own preferences.
final class SearchOrderAndPreferencesTests: XCTestCase {
    func testSearchPagesAreStrictlyNewestFirstAcrossPageBoundaries() throws {
        let fixture = try BrowseFixture()
        // Stored in a scrambled time order, over many days, with messages between.
        var times: [Date] = []
        for index in 0..<150 {
            let hours = Double((index * 7919) % 150) * 9 + Double(index % 3) / 10
            times.append(BrowseFixture.now.addingTimeInterval(-hours * 3_600 - 60))
        }
        for (index, at) in times.enumerated() { try fixture.addCall(at: at, summary: "boiler call \(index)") }
        let thread = try fixture.addThread(contact: nil, channel: .sms)
        for index in 0..<40 {
            try fixture.addMessage(thread: thread, at: BrowseFixture.now.addingTimeInterval(Double(-((index * 31) % 40) * 20_000 - 30)),
                                   body: "boiler message \(index)")
        }
        try fixture.addCall(at: BrowseFixture.now.addingTimeInterval(-90), summary: "radiator only")
        for limit in [7, 40] {
            var seen: [SearchHit] = []
            var position: Search.Position?
            var pages = 0
            repeat {
                let page = try fixture.read { db in
                    try Search.page(SearchQuery.typed("boil"), callFilter: CallFilter(), messageFilter: MessageFilter(), clock: fixture.clock,
                                    after: position, limit: limit, in: db)
                }
                if let last = seen.last, let first = page.hits.first {
                    XCTAssertGreaterThanOrEqual(last.at, first.at, "page \(pages + 1) starts no newer than page \(pages) ended (limit \(limit))")
                }
                seen += page.hits
                position = page.next
                pages += 1
            } while position != nil && pages < 100
            XCTAssertEqual(seen.count, 190, "limit \(limit)")
            XCTAssertEqual(Set(seen.map(\.target)).count, 190, "no hit twice")
            XCTAssertEqual(seen.map(\.at), seen.map(\.at).sorted(by: >), "strictly newest first (limit \(limit))")
        }
        // A date range and a filter narrow the walk; `newest` is the N newest by time.
        let lastDay = try fixture.read { db in
            try Search.page(SearchQuery.typed("boiler"), callFilter: CallFilter(dateRange: .last7Days), messageFilter: nil,
                            clock: fixture.clock, after: nil, limit: 500, in: db).hits
        }
        let weekAgo = BrowseFixture.now.addingTimeInterval(-8 * 86_400)
        XCTAssertFalse(lastDay.isEmpty)
        XCTAssertTrue(lastDay.allSatisfy { $0.at > weekAgo }, "\(lastDay.map(\.at))")
        let newest = try fixture.read { db in
            try Search.run(SearchQuery.typed("boiler"), callFilter: CallFilter(), messageFilter: nil, clock: fixture.clock, limit: 3, in: db)
        }
        XCTAssertEqual(newest.calls.map(\.at), Array(times.sorted(by: >).prefix(3)))
        XCTAssertTrue(newest.calls.allSatisfy { $0.snippet.text.contains("boiler") }, "snippets made for the page's hits")
    }

    func testPreferencesAreEachUsersOwnAndAuditedWhenTheyChange() throws {
        let fixture = try BrowseFixture()
        let owner = try fixture.read { try Actor.user(email: "owner@example.test", in: $0) }
        let session = fixture.workspace.session(as: owner)
        XCTAssertEqual(try session.read(.myPreferences), UserPreferences())
        XCTAssertTrue(try session.perform(.setPreference(UserPreferences.callsHiddenColumns, to: "Contact,Outcome")))
        XCTAssertFalse(try session.perform(.setPreference(UserPreferences.callsHiddenColumns, to: "Contact,Outcome")), "unchanged")
        XCTAssertEqual(try session.read(.myPreferences)[UserPreferences.callsHiddenColumns], "Contact,Outcome")
        XCTAssertTrue(try session.perform(.setPreference(UserPreferences.callsHiddenColumns, to: nil)))
        XCTAssertNil(try session.read(.myPreferences)[UserPreferences.callsHiddenColumns])
        let events = try fixture.read { db in
            try Row.fetchAll(db, sql: "SELECT target FROM audit_events WHERE action = 'preference.changed'")
        }
        XCTAssertEqual(events.map { $0["target"] as String }, ["user:\(owner.userId!)", "user:\(owner.userId!)"], "one event per change")
        XCTAssertThrowsError(try session.perform(.setPreference("Bad Name!", to: "x"))) { error in
            XCTAssertEqual((error as? UserPreferenceError)?.exitClass, .usage)
        }
        XCTAssertThrowsError(try session.perform(.setPreference("calls.x", to: String(repeating: "a", count: 1_001))))
        XCTAssertThrowsError(try fixture.workspace.session(as: .system).perform(.setPreference("calls.x", to: "y")))
    }
}
