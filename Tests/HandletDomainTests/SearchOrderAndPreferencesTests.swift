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

    /// Page 2 of a word being typed (a prefix, which FTS5 answers by merging every list of rows
    /// of every word it begins: about 10 ms at 1M calls whatever the rowid bounds) runs no prefix
    /// MATCH: the first page named the words the prefix begins and the position keeps them. Each
    /// page makes snippets for its own hits only, not for every hit of the day window it reads.
    func testALaterPageMatchesNoPrefixAndMakesSnippetsOnlyForItsOwnHits() throws {
        let fixture = try BrowseFixture()
        // 60 calls on one day (one window of 60 hits for pages of 10), and messages.
        for index in 0..<60 {
            try fixture.addCall(at: BrowseFixture.now.addingTimeInterval(Double(-index * 600 - 60)),
                                summary: ["Boiler check", "Two boilers serviced", "Boiling pipes"][index % 3] + " \(index)")
        }
        let thread = try fixture.addThread(contact: nil, channel: .sms)
        for index in 0..<30 {
            try fixture.addMessage(thread: thread, at: BrowseFixture.now.addingTimeInterval(Double(-index * 700 - 30)), body: "boiler \(index)")
        }
        let query = SearchQuery.typed("boil")
        func page(_ position: Search.Position?, _ db: Database) throws -> Search.Page {
            try Search.page(query, callFilter: CallFilter(), messageFilter: MessageFilter(), clock: fixture.clock,
                            after: position, limit: 10, in: db)
        }
        let (first, firstSQL) = try fixture.statements { try page(nil, $0) }
        let second = try XCTUnwrap(first.next)
        XCTAssertEqual(second.matches.calls, #"("boiler" OR "boilers" OR "boiling")"#)
        XCTAssertEqual(second.matches.messages, #"("boiler")"#)
        XCTAssertFalse(firstSQL.contains { $0.contains("MATCH") && $0.contains(#""*"#) }, "the first page too: \(firstSQL)")

        let (next, sql) = try fixture.statements { try page(second, $0) }
        XCTAssertEqual(next.hits.count, 10)
        let matches = sql.filter { $0.contains(" MATCH ") }
        XCTAssertEqual(matches.count, 4, "per kind, one window of ids and the page's rows: \(matches)")
        XCTAssertFalse(matches.contains { $0.contains(#""*"#) }, "no prefix MATCH on page 2: \(matches)")
        let snippets = sql.filter { $0.contains("snippet(") }
        XCTAssertEqual(snippets.count, 2)
        for statement in snippets {
            let list = try XCTUnwrap(statement.components(separatedBy: "rowid IN (").last?.components(separatedBy: ")").first)
            XCTAssertLessThanOrEqual(list.split(separator: ",").count, 10, "snippets for the page's hits alone: \(statement)")
        }
        XCTAssertTrue(next.hits.allSatisfy { $0.snippet.highlights.count > 0 }, "each hit's snippet marks its word")

        // A prefix that begins too many words, or one beyond plain letters, is matched as typed.
        try fixture.write { db in
            for index in 0...SearchTimeWalk.maximumExpansion {
                try db.execute(sql: "INSERT INTO call_fts(rowid, summary, transcript) VALUES (?, ?, '')",
                               arguments: [1_000_000 + index, "boilx\(index)"])
            }
        }
        XCTAssertNil(try fixture.read { SearchTimeWalk.expandedMatch(query, fts: "call_fts", in: $0) })
        XCTAssertNil(try fixture.read { SearchTimeWalk.expandedMatch(.typed("bö"), fts: "message_fts", in: $0) })
        XCTAssertNil(try fixture.read { SearchTimeWalk.expandedMatch(.typed("boiler "), fts: "message_fts", in: $0) }, "no prefix")
        XCTAssertEqual(try fixture.read { SearchTimeWalk.expandedMatch(.typed("boiler zq"), fts: "message_fts", in: $0) }, "\"\"",
                       "a prefix no word begins matches nothing")
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
