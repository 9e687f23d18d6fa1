import GRDB
@testable import HandletDomain
import XCTest

/// Issue 25, "Find anything": contacts found by any word, accent or number; a number no contact
/// has leading to its calls; search pages beyond the first and the CLI matching as the console.
final class FindAnythingTests: XCTestCase {
    private func contacts(_ search: String, _ fixture: BrowseFixture, limit: Int = 50) throws -> [String] {
        try fixture.read { try ContactPage(search: search).first(limit: limit, in: $0).map(\.name) }
    }

    func testContactsAreFoundByAnyWordPrefixAccentEmailAndNumber() throws {
        let fixture = try BrowseFixture()
        try fixture.addContact("Dean King", phone: "+442053466403", email: "dean@kingroofing.co.uk")
        try fixture.addContact("Zoë Quinn", phone: "+447700900123", email: "zq@example.com")
        try fixture.addContact("Kingsley Amis")
        try fixture.addContact("Ann Deane")
        XCTAssertEqual(try contacts("Quinn", fixture), ["Zoë Quinn"])
        XCTAssertEqual(try contacts("zoe", fixture), ["Zoë Quinn"], "accents are ignored")
        XCTAssertEqual(Set(try contacts("king", fixture)), ["Dean King", "Kingsley Amis"], "any word, by prefix")
        XCTAssertEqual(try contacts("de ki", fixture), ["Dean King"], "every word must match")
        XCTAssertEqual(try contacts("kingroofing", fixture), ["Dean King"], "by email")
        XCTAssertEqual(try contacts("020 5346 6403", fixture), ["Dean King"], "by phone in any form")
        XCTAssertEqual(try contacts("+44 7700 900123", fixture), ["Zoë Quinn"])
        XCTAssertEqual(try contacts("07700 9", fixture), ["Zoë Quinn"], "a number still being typed (issue 25)")
        XCTAssertEqual(Set(try contacts("+44", fixture)), [], "too short to narrow by number")
        XCTAssertEqual(try contacts("nobody", fixture), [])
        XCTAssertEqual(try contacts("\"(*", fixture), [], "punctuation alone matches nothing, without an error")
        XCTAssertEqual(try fixture.read { try ContactPage(search: "king").count(in: $0) }, 2)
        // A renamed contact is found by the new name only (the index follows updates).
        try fixture.write { db in try db.execute(sql: "UPDATE contacts SET name = 'Ann Smith' WHERE name = 'Ann Deane'") }
        XCTAssertEqual(try contacts("deane", fixture), [])
        XCTAssertEqual(try contacts("smith", fixture), ["Ann Smith"])
    }

    func testContactsAreSortedByFamilyName() throws {
        let fixture = try BrowseFixture()
        for name in ["Dean King", "Adam Zeller", "Ludwig van Beethoven", "Madonna", "Carter, Amy", "bob adams", "Zara Abbot"] {
            try fixture.addContact(name)
        }
        XCTAssertEqual(try contacts("", fixture),
                       ["Zara Abbot", "bob adams", "Ludwig van Beethoven", "Carter, Amy", "Dean King", "Madonna", "Adam Zeller"])
        // Paging walks the same order at any page size, both ways.
        let all = try contacts("", fixture)
        for size in 1...3 {
            var walked: [String] = []
            var page = try fixture.read { try ContactPage().first(limit: size, in: $0) }
            while !page.isEmpty {
                walked += page.map(\.name)
                let cursor = page.last!.cursor
                page = try fixture.read { try ContactPage().after(cursor, limit: size, in: $0) }
            }
            XCTAssertEqual(walked, all, "page size \(size)")
        }
    }

    func testAManyMatchSearchWalksTheSurnameOrder() throws {
        let fixture = try BrowseFixture()
        try fixture.write { db in
            for index in 0..<(ContactSearch.sortedMatchLimit + 50) {
                try db.execute(sql: "INSERT INTO contacts (name, created_at) VALUES (?, 0)",
                               arguments: ["Dan Surname\(String(format: "%05d", (index * 7919) % 10_000))"])
            }
        }
        let names = try contacts("dan", fixture, limit: 30)
        XCTAssertEqual(names.count, 30)
        XCTAssertEqual(names, names.sorted { $0.lowercased() < $1.lowercased() })
    }

    func testANumberNoContactHasLeadsToItsCalls() throws {
        let fixture = try BrowseFixture()
        let linked = try fixture.addContact("Dean King", phone: "+447700900001")
        try fixture.addCall(at: BrowseFixture.now.addingTimeInterval(-60), contact: linked)   // from +447700900001
        try fixture.addCall(at: BrowseFixture.now.addingTimeInterval(-30))                    // from +447700900002, no contact
        try fixture.addCall(at: BrowseFixture.now.addingTimeInterval(-10), direction: .outbound) // to +447700900003
        let number = "+447700900002"
        let calls = try fixture.read { try CallPage(filter: CallFilter(number: number), clock: fixture.clock).first(limit: 10, in: $0) }
        XCTAssertEqual(calls.count, 1)
        XCTAssertEqual(try fixture.read { try CallPage(filter: CallFilter(number: "+447700900003"), clock: fixture.clock).count(in: $0) }, 1,
                       "calls to the number too")
        let results = try fixture.read { db in
            try Search.run(SearchQuery.typed("07700 900002"), callFilter: CallFilter(), messageFilter: MessageFilter(),
                           clock: fixture.clock, limit: 40, in: db)
        }
        XCTAssertEqual(results.calls.map(\.target), [.call(calls[0].id)])
        // The plan reads the number indexes, not every call.
        let plan = try fixture.read { db in
            let sql = CallPage(filter: CallFilter(number: number), clock: fixture.clock).firstPageSQL(limit: 40)
            return try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql.sql, arguments: sql.arguments).map { $0["detail"] as String }
        }
        XCTAssertTrue(plan.contains { $0.contains("calls_by_from_number") }, "\(plan)")
        XCTAssertFalse(plan.contains { $0.hasPrefix("SCAN calls") }, "\(plan)")
    }

    func testMarkingAThreadReadIsACommandAuditedOnlyWhenItChangedSomething() throws {
        let fixture = try BrowseFixture()
        let thread = try fixture.addThread(contact: nil, channel: .email, subject: "Boiler quote", unread: 3)
        let owner = try fixture.read { try Actor.user(email: "owner@example.test", in: $0) }
        let session = fixture.workspace.session(as: owner)
        XCTAssertEqual(try session.perform(.markThreadRead(thread)), 3)
        XCTAssertEqual(try session.perform(.markThreadRead(thread)), 0)
        let rows = try fixture.read { try ThreadPage(clock: fixture.clock).first(limit: 5, in: $0) }
        XCTAssertEqual(rows.first?.unreadCount, 0)
        XCTAssertEqual(rows.first?.subject, "Boiler quote")
        XCTAssertTrue(ThreadRow.columns.cells(rows[0], clock: fixture.clock, for: .plainText).contains { $0.hasPrefix("Boiler quote · ") },
                      "an email's subject in the list")
        let events = try fixture.read { db in
            try Row.fetchAll(db, sql: "SELECT target, details FROM audit_events WHERE action = 'thread.read'")
        }
        XCTAssertEqual(events.count, 1)
        XCTAssertEqual(events.first?["target"] as String?, "thread:\(thread)")
    }

    func testMessageFiltersForUnreadAutoSentAndMarketing() throws {
        let fixture = try BrowseFixture()
        let unread = try fixture.addThread(contact: nil, channel: .sms, unread: 1)
        let auto = try fixture.addThread(contact: nil, channel: .sms)
        try fixture.addMessage(thread: auto, at: BrowseFixture.now, body: "Sent for you", direction: .outbound)
        try fixture.write { db in try db.execute(sql: "UPDATE messages SET auto_sent = 1, is_marketing = 1") }
        func threads(_ filter: MessageFilter) throws -> [MessageThread.ID] {
            try fixture.read { try ThreadPage(filter: filter, clock: fixture.clock).first(limit: 10, in: $0).map(\.id) }
        }
        XCTAssertEqual(try threads(MessageFilter(onlyUnread: true)), [unread])
        XCTAssertEqual(try threads(MessageFilter(onlyAutoSent: true)), [auto])
        XCTAssertEqual(try threads(MessageFilter(onlyMarketing: true)), [auto])
        XCTAssertEqual(MessageFilter(onlyUnread: true, onlyAutoSent: true).chips.map(\.label), ["Unread", "Auto-sent"])
    }

    func testTheCLIAndTheConsoleMatchWordsTheSameWay() throws {
        let fixture = try BrowseFixture()
        try fixture.addCall(at: BrowseFixture.now, summary: "Two radiators cold upstairs")
        let typed = SearchQuery.typed("radiator")
        let found = try fixture.read { db in
            try Search.run(typed, callFilter: CallFilter(), messageFilter: MessageFilter(), clock: fixture.clock, limit: 5, in: db)
        }
        XCTAssertEqual(found.calls.count, 1, "the last word matches as a prefix, as in the console")
        XCTAssertEqual(SearchQuery.typed("radiator ").matchExpression, "\"radiator\"", "a trailing space completes the word")
    }

    func testSearchPagesBeyondTheFirstWithATotalAndLimitIsNewestByTime() throws {
        let fixture = try BrowseFixture()
        // Stored out of time order: the newest call is stored first.
        try fixture.addCall(at: BrowseFixture.now, summary: "boiler newest")
        for index in 1...95 {
            try fixture.addCall(at: BrowseFixture.now.addingTimeInterval(Double(-index * 3_600 - 86_400)), summary: "boiler \(index)")
        }
        let thread = try fixture.addThread(contact: nil, channel: .sms)
        for index in 1...10 {
            try fixture.addMessage(thread: thread, at: BrowseFixture.now.addingTimeInterval(Double(-index * 600)), body: "boiler msg \(index)")
        }
        let query = SearchQuery.typed("boiler")
        var seen: [SearchHit] = []
        var position: Search.Position?
        var pages = 0
        repeat {
            let page = try fixture.read { db in
                try Search.page(query, callFilter: CallFilter(), messageFilter: MessageFilter(), clock: fixture.clock,
                                after: position, limit: 40, in: db)
            }
            seen += page.hits
            position = page.next
            pages += 1
        } while position != nil && pages < 10
        XCTAssertEqual(pages, 3)
        XCTAssertEqual(seen.count, 106)
        XCTAssertEqual(Set(seen.map(\.target)).count, 106, "no hit twice")
        XCTAssertEqual(try fixture.read { try Search.total(query, callFilter: CallFilter(), messageFilter: MessageFilter(), clock: fixture.clock, in: $0) }, 106)
        let newest = try fixture.read { db in
            try Search.run(query, callFilter: CallFilter(), messageFilter: nil, clock: fixture.clock, limit: 1, in: db)
        }
        XCTAssertEqual(newest.calls.first?.snippet.text.contains("newest"), true, "the newest by time, not the last stored")
    }

    /// `search --limit N` walks down the ids and stops once no lower id can be newer than what it
    /// keeps: the N newest by time wherever the ids put them, and all of them when fewer match.
    func testNewestIsByTimeWhereverTheIdsPutThem() throws {
        let fixture = try BrowseFixture()
        let ages: [Double] = [200, 2, 500, 20, 0.1, 3]   // days before now, stored in this order
        for age in ages {
            try fixture.addCall(at: BrowseFixture.now.addingTimeInterval(-age * 86_400), summary: "gutter \(age)")
        }
        func newest(_ limit: Int) throws -> [String] {
            try fixture.read { db in
                try Search.run(.typed("gutter"), callFilter: CallFilter(), messageFilter: nil, clock: fixture.clock, limit: limit, in: db)
            }.calls.map { $0.snippet.text.components(separatedBy: " ").last ?? "" }
        }
        XCTAssertEqual(try newest(1), ["0.1"])
        XCTAssertEqual(try newest(3), ["0.1", "2.0", "3.0"], "an older id (2 days) still beats a newer id (20 days)")
        XCTAssertEqual(try newest(5), ["0.1", "2.0", "3.0", "20.0", "200.0"], "and the oldest ids too")
        XCTAssertEqual(try newest(50), ["0.1", "2.0", "3.0", "20.0", "200.0", "500.0"], "every hit when fewer match")
    }
}
