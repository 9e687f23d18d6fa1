import GRDB
@testable import HandletDomain
import XCTest

/// A date filter bounds the full-text walk by the ids of the rows in the range (per-day spans).
/// The bounds must never hide a hit, whatever order ids were given in.
final class BrowseSearchDateSpanTests: XCTestCase {
    private func hits(_ word: String, _ range: DateRange?, _ fixture: BrowseFixture) throws -> Search.Results {
        try fixture.read { db in
            try Search.run(SearchQuery(word), callFilter: CallFilter(dateRange: range),
                           messageFilter: MessageFilter(dateRange: range), clock: fixture.clock, limit: 50, in: db)
        }
    }

    private func callHits(_ word: String, _ range: DateRange?, _ fixture: BrowseFixture) throws -> [Call.ID?] {
        try hits(word, range, fixture).calls.map(\.callID)
    }

    private func messageHits(_ word: String, _ range: DateRange?, _ fixture: BrowseFixture) throws -> [Message.ID?] {
        try hits(word, range, fixture).messages.map(\.messageID)
    }

    private static func day(_ offset: Int) -> LocalDate {
        LocalDate(containing: BrowseFixture.at(days: Double(offset)), in: BrowseFixture.london)
    }

    func testAnOldRecordAddedLastIsFoundByItsDateRange() throws {
        let fixture = try BrowseFixture()
        let recent = try (1...5).map { try fixture.addCall(at: BrowseFixture.at(days: -Double($0)), summary: "Gutter cleared") }
        // An imported history: the oldest call gets the highest id.
        let imported = try fixture.addCall(at: BrowseFixture.at(days: -200), summary: "Gutter replaced")
        let thread = try fixture.addThread(contact: nil, channel: .sms)
        let newMessage = try fixture.addMessage(thread: thread, at: BrowseFixture.at(days: -1), body: "The gutter drips")
        let oldMessage = try fixture.addMessage(thread: thread, at: BrowseFixture.at(days: -300), body: "Gutter quote please")

        let longAgo = DateRange.custom(from: Self.day(-201), to: Self.day(-199))
        XCTAssertEqual(try callHits("gutter", longAgo, fixture), [imported])
        XCTAssertEqual(try callHits("gutter", .last7Days, fixture), recent, "newest first by time (issue 25), not by id")
        XCTAssertEqual(try callHits("gutter", .custom(from: nil, to: Self.day(-100)), fixture), [imported])
        XCTAssertEqual(try callHits("gutter", .custom(from: Self.day(-250), to: nil), fixture), recent + [imported])
        XCTAssertEqual(try callHits("gutter", .custom(from: Self.day(-150), to: Self.day(-100)), fixture), [], "no call that month")
        XCTAssertEqual(try messageHits("gutter", .custom(from: nil, to: Self.day(-250)), fixture), [oldMessage])
        XCTAssertEqual(try messageHits("gutter", .last7Days, fixture), [newMessage])

        // A call moved to another day is found on its new day; a deleted one is simply gone.
        try fixture.write { db in
            try db.execute(sql: "UPDATE calls SET started_at = ? WHERE id = ?",
                           arguments: [Int64(BrowseFixture.at(days: -120).timeIntervalSince1970), recent[0]])
            try db.execute(sql: "DELETE FROM calls WHERE id = ?", arguments: [imported])
        }
        XCTAssertEqual(try callHits("gutter", .custom(from: Self.day(-150), to: Self.day(-100)), fixture), [recent[0]])
        XCTAssertEqual(try callHits("gutter", longAgo, fixture), [])
    }

    /// Every full-text read of the time walk (`SearchTimeWalk`, what `Search.run` and every page
    /// run), with a date filter or without, is bounded by the rowids of its days, and the page's
    /// rows are read within their own ids' bounds, never by one MATCH per id.
    func testEveryFullTextReadOfTheTimeWalkIsBoundedByRowids() throws {
        let fixture = try BrowseFixture()
        try fixture.addCall(at: BrowseFixture.at(days: -1), summary: "Gutter cleared")
        try fixture.addCall(at: BrowseFixture.at(days: -20), summary: "Gutter replaced")
        let thread = try fixture.addThread(contact: nil, channel: .sms)
        try fixture.addMessage(thread: thread, at: BrowseFixture.at(days: -2), body: "The gutter drips")
        for range in [nil, DateRange.custom(from: Self.day(-30), to: Self.day(-10))] {
            let (results, sql) = try fixture.statements { db in
                try Search.run(SearchQuery.typed("gutt"), callFilter: CallFilter(dateRange: range), messageFilter: MessageFilter(dateRange: range),
                               clock: fixture.clock, limit: 10, in: db)
            }
            XCTAssertEqual(results.calls.count, range == nil ? 2 : 1)
            let reads = sql.filter { $0.contains(" MATCH ") }
            XCTAssertEqual(reads.filter { $0.contains("snippet(") }.count, range == nil ? 2 : 1, "the page's rows, once per kind with hits")
            for read in reads {
                let fts = read.contains("call_fts MATCH") ? "call_fts" : "message_fts"
                let plan = try fixture.queryPlan(read, []).split(separator: "\n").first { $0.contains("\(fts) VIRTUAL TABLE") }.map(String.init) ?? ""
                // FTS5's index string: M for the MATCH, > and < for lower and upper rowid bounds, = for one rowid.
                XCTAssertTrue(plan.contains(">") && plan.contains("<"), "\(plan)\n\(read)")
                XCTAssertFalse(plan.contains("="), "\(plan)\n\(read)")
            }
        }
    }
}
