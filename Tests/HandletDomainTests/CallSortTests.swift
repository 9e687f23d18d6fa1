import GRDB
@testable import HandletDomain
import XCTest

/// The calls list sorted by any column: ascending or descending, ties by time and id, paged by
/// keyset both ways; the indexed columns walk an index with no sort.
final class CallSortTests: XCTestCase {
    private func walk(_ list: CallPage, pageSize: Int, in fixture: BrowseFixture) throws -> (forward: [Call.ID], backward: [Call.ID]) {
        try fixture.read { db in
            var forward: [Call.ID] = []
            var page = try list.first(limit: pageSize, in: db)
            while !page.isEmpty {
                forward += page.map(\.id)
                page = try list.after(list.cursor(of: page.last!), limit: pageSize, in: db)
            }
            var backward: [Call.ID] = []
            page = try list.last(limit: pageSize, in: db)
            while !page.isEmpty {
                backward = page.map(\.id) + backward
                page = try list.before(list.cursor(of: page.first!), limit: pageSize, in: db)
            }
            return (forward, backward)
        }
    }

    private func makeCalls(_ fixture: BrowseFixture) throws {
        let outcomes: [CallOutcome] = [.missed, .bookedJob, .spam, .quoteRequested]
        let contact = try fixture.addContact("Zara Young")
        for index in 0..<30 {
            // Many equal lengths and outcomes, and equal times, so the tie-breaks matter.
            _ = try fixture.addCall(at: BrowseFixture.at(days: -Double(index / 3)), contact: index % 5 == 0 ? contact : nil,
                                    direction: index % 2 == 0 ? .inbound : .outbound, outcome: outcomes[index % 4],
                                    handledBy: index % 3 == 0 ? .staff : .aiAgent, duration: [30, 95, 30, 600, 7][index % 5])
        }
    }

    func testEveryColumnSortsBothWaysAndPagesByKeyset() throws {
        let fixture = try BrowseFixture()
        try makeCalls(fixture)
        for column in CallSort.Column.allCases {
            for descending in [false, true] {
                let sort = CallSort(column, descending: descending)
                let key = column.expression ?? "calls.started_at"
                let direction = descending ? "DESC" : "ASC"
                let expected = try fixture.read { db in
                    try Call.ID.fetchAll(db, sql: """
                        SELECT calls.id FROM calls LEFT JOIN contacts ON contacts.id = calls.contact_id
                        ORDER BY \(key) \(direction), calls.started_at \(direction), calls.id \(direction)
                        """)
                }
                let page = CallPage(clock: fixture.clock, sort: sort)
                for size in [1, 4, 7, 50] {
                    let (forward, backward) = try walk(page, pageSize: size, in: fixture)
                    XCTAssertEqual(forward, expected, "\(sort.argument), pages of \(size), forward")
                    XCTAssertEqual(backward, expected, "\(sort.argument), pages of \(size), backward")
                }
            }
        }
    }

    func testLengthAndOutcomeWalkAnIndexWithNoSortWithOrWithoutAFilter() throws {
        let fixture = try BrowseFixture()
        try makeCalls(fixture)
        for sort in [CallSort(.length, descending: false), CallSort(.length, descending: true),
                     CallSort(.outcome, descending: false), CallSort(.outcome, descending: true), CallSort(.when, descending: false)] {
            XCTAssertTrue(sort.column.isIndexed)
            for filter in [CallFilter(), CallFilter(direction: .inbound)] {
                let page = CallPage(filter: filter, clock: fixture.clock, sort: sort)
                let (sql, arguments) = page.firstPageSQL(limit: 40)
                let plan = try fixture.queryPlan(sql, arguments)
                XCTAssertFalse(plan.contains("TEMP B-TREE"), "\(sort.argument): sorts instead of walking an index:\n\(plan)")
                // A page deep in the list starts from its cursor with no sort either.
                let deep = try fixture.read { db in try page.first(limit: 5, in: db) }
                let after = try fixture.read { db in try page.after(page.cursor(of: deep.last!), limit: 5, in: db) }
                XCTAssertFalse(after.isEmpty)
            }
        }
        let plan = try fixture.queryPlan(CallPage(clock: fixture.clock, sort: CallSort(.length, descending: true)).firstPageSQL(limit: 40).sql,
                                         CallPage(clock: fixture.clock, sort: CallSort(.length, descending: true)).firstPageSQL(limit: 40).arguments)
        XCTAssertTrue(plan.contains("calls_by_duration"), plan)
    }

    func testSortedCursorsReadBackFromTheirText() throws {
        XCTAssertEqual(CallCursor("95~1773230400.42"), CallCursor(startedAt: 1_773_230_400, id: 42, sortValue: .integer(95)))
        XCTAssertEqual(CallCursor("missed~1773230400.42")?.sortValue, .text("missed"))
        XCTAssertEqual(CallCursor("a~b~5.7")?.sortValue, .text("a~b"), "a name with a ~ keeps it")
        XCTAssertEqual(CallCursor(startedAt: 5, id: 7, sortValue: .text("spam")).description, "spam~5.7")
        XCTAssertEqual(CallCursor("5.7")?.sortValue, nil)
        XCTAssertNil(CallCursor("x~5"))

        // A cursor printed by a sorted listing continues it; a plain one is refused, not misread.
        let fixture = try BrowseFixture()
        try makeCalls(fixture)
        let page = CallPage(clock: fixture.clock, sort: CallSort(.length, descending: true))
        let first = try fixture.read { try page.first(limit: 4, in: $0) }
        let text = page.cursor(of: first.last!).description
        let next = try fixture.read { try page.after(CallCursor(text)!, limit: 4, in: $0) }
        let expected = try fixture.read { try page.first(limit: 8, in: $0) }
        XCTAssertEqual(next.map(\.id), Array(expected.suffix(4)).map(\.id))
        XCTAssertThrowsError(try fixture.read { try page.after(first.last!.cursor, limit: 4, in: $0) }) { error in
            XCTAssertEqual((error as? CallSortError)?.exitClass, .usage)
        }

        XCTAssertEqual(CallSort(argument: "length:desc"), CallSort(.length, descending: true))
        XCTAssertEqual(CallSort(argument: "duration"), CallSort(.length, descending: false))
        XCTAssertEqual(CallSort(argument: "Outcome:ASC"), CallSort(.outcome, descending: false))
        XCTAssertNil(CallSort(argument: "colour"))
        XCTAssertNil(CallSort(argument: "length:down"))
    }
}
