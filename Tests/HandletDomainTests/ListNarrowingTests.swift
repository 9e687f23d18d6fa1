import GRDB
@testable import HandletDomain
import XCTest

/// Issue 25: the Calls and Messages lists narrow as the user types, like Contacts: by a contact's
/// name or email (any word, by prefix, accents ignored), a number in any form, a call's external
/// id; paged by keyset in the list's own order, with a count.
final class ListNarrowingTests: XCTestCase {
    private func calls(_ search: String, _ fixture: BrowseFixture, sort: CallSort = .newestFirst, limit: Int = 50) throws -> [Call.ID] {
        try fixture.read { try CallPage(clock: fixture.clock, sort: sort, search: search).first(limit: limit, in: $0).map(\.id) }
    }

    func testCallsNarrowByContactWordsNumberAndExternalId() throws {
        let fixture = try BrowseFixture()
        let dean = try fixture.addContact("Dean King", phone: "+442053466403", email: "dean@kingroofing.co.uk")
        let zoe = try fixture.addContact("Zoë Quinn")
        let now = BrowseFixture.now
        let d1 = try fixture.addCall(at: now.addingTimeInterval(-300), contact: dean)
        let z1 = try fixture.addCall(at: now.addingTimeInterval(-200), contact: zoe)
        let d2 = try fixture.addCall(at: now.addingTimeInterval(-100), contact: dean)
        let stranger = try fixture.addCall(at: now.addingTimeInterval(-50))   // from +447700900004, no contact
        XCTAssertEqual(try calls("king", fixture), [d2, d1], "a contact's calls, newest first")
        XCTAssertEqual(try calls("de ki", fixture), [d2, d1], "every word, by prefix")
        XCTAssertEqual(try calls("zoe", fixture), [z1], "accents ignored")
        XCTAssertEqual(try calls("kingroofing", fixture), [d2, d1], "by email")
        XCTAssertEqual(try calls("07700 900004", fixture), [stranger], "a number no contact has, in any form")
        XCTAssertEqual(try calls("CA000002", fixture), [z1], "a call's external id")
        // A number still being typed: the calls from or to the numbers beginning with it.
        XCTAssertEqual(try calls("07700 90000", fixture), [stranger, d2, z1, d1], "+44770090000… (the fixture's numbers)")
        XCTAssertEqual(try calls("07700 900004", fixture), [stranger], "whole, the one number")
        XCTAssertEqual(try calls("020 5346", fixture), [], "Dean's contact number is not the one his calls came from")
        XCTAssertEqual(try calls("077", fixture), [], "three digits narrow nothing yet")
        XCTAssertEqual(try calls("nobody", fixture), [])
        XCTAssertEqual(try calls("\"(*", fixture), [], "punctuation alone matches nothing, without an error")
        XCTAssertEqual(try calls("", fixture).count, 4, "nothing typed narrows nothing")
        XCTAssertEqual(try fixture.read { try CallPage(clock: fixture.clock, search: "king").count(in: $0) }, 2)
        // With the `f` filters and a sort: the words narrow within them.
        XCTAssertEqual(try calls("king", fixture, sort: CallSort(.when, descending: false)), [d1, d2])
        let filtered = try fixture.read {
            try CallPage(filter: CallFilter(outcomes: [.missed]), clock: fixture.clock, search: "king").count(in: $0)
        }
        XCTAssertEqual(filtered, 0)
    }

    /// The email's domain suffix (co, uk, com) is not a word of the index: every address shares it,
    /// so a first "c" matched nearly every contact. The local part and the domain's first label are,
    /// and a whole or half-typed address still finds its contact.
    func testAnEmailsDomainSuffixIsNotAWordButTheAddressStillFindsItsContact() throws {
        let fixture = try BrowseFixture()
        let dean = try fixture.addContact("Dean King", phone: "+442053466403", email: "dean@kingroofing.co.uk")
        let d1 = try fixture.addCall(at: BrowseFixture.now.addingTimeInterval(-100), contact: dean)
        XCTAssertEqual(try calls("co", fixture), [], "no contact is called co; .co.uk is not a word")
        XCTAssertEqual(try calls("uk", fixture), [])
        XCTAssertEqual(try calls("kingroofing", fixture), [d1], "the domain's first label")
        XCTAssertEqual(try calls("dean@kingroofing.co.uk", fixture), [d1], "the whole address")
        XCTAssertEqual(try calls("dean@kingroofing.c", fixture), [d1], "an address being typed")
        XCTAssertEqual(try calls("dean@kingroofing.com", fixture), [d1], "the same local part and first label")
        XCTAssertEqual(try calls("dean@kingrafting.co.uk", fixture), [], "another domain")
        XCTAssertEqual(try calls("kingroofing.co.uk", fixture), [d1], "a bare domain")
        XCTAssertEqual(try calls("kingroofing.c", fixture), [d1], "a domain being typed")
        XCTAssertEqual(try calls("dean king.", fixture), [d1], "a word ending in a dot")
        // Kept by the triggers: a changed address is read the same way.
        try fixture.write { try $0.execute(sql: "UPDATE contacts SET email = 'd.king@co.example.org' WHERE name = 'Dean King'") }
        XCTAssertEqual(try calls("kingroofing", fixture), [])
        XCTAssertEqual(try calls("co", fixture), [d1], "now the domain's first label")
        XCTAssertEqual(try calls("org", fixture), [])
        // FTS5 compares the index with what its content view reads: they agree.
        XCTAssertNoThrow(try fixture.write { try $0.execute(sql: "INSERT INTO contact_fts(contact_fts, rank) VALUES ('integrity-check', 1)") })
    }

    /// Many matching contacts: the time index is walked (a page found early) and paging by keyset
    /// gives the same order as one read, both ways.
    func testManyMatchesWalkTheListsOrderAndPage() throws {
        let fixture = try BrowseFixture()
        let now = BrowseFixture.now
        var expected: [Call.ID] = []
        try fixture.write { db in
            for index in 0..<(ContactSearch.sortedMatchLimit + 10) {
                try db.execute(sql: "INSERT INTO contacts (name, created_at) VALUES (?, 0)", arguments: ["Dan Person\(index)"])
            }
        }
        let other = try fixture.addContact("Zed Other")
        for index in 0..<30 {
            let contact = Contact.ID(Int64(index % 7 + 1))
            expected.append(try fixture.addCall(at: now.addingTimeInterval(Double(-1000 + index * 10)), contact: contact))
            _ = try fixture.addCall(at: now.addingTimeInterval(Double(-995 + index * 10)), contact: other)
        }
        expected.reverse()
        let page = CallPage(clock: fixture.clock, search: "dan")
        let plan = try fixture.read { db -> [String] in
            let sql = page.query(few: false).firstPageSQL(limit: 40)
            return try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql.sql, arguments: sql.arguments).map { $0["detail"] as String }
        }
        XCTAssertTrue(plan.contains { $0.contains("calls_by_time") }, "many matches walk the time index: \(plan)")
        XCTAssertEqual(try calls("dan", fixture), expected)
        var walked: [Call.ID] = []
        var rows = try fixture.read { try page.first(limit: 7, in: $0) }
        while !rows.isEmpty {
            walked += rows.map(\.id)
            let cursor = page.cursor(of: rows.last!)
            rows = try fixture.read { try page.after(cursor, limit: 7, in: $0) }
        }
        XCTAssertEqual(walked, expected)
        let last = try fixture.read { try page.last(limit: 5, in: $0).map(\.id) }
        XCTAssertEqual(last, Array(expected.suffix(5)))
        XCTAssertEqual(try fixture.read { try page.count(in: $0) }, 30)
        // Few matches read the contact's calls by its index, not every call.
        let fewPlan = try fixture.read { db -> [String] in
            let sql = CallPage(clock: fixture.clock, search: "zed").query(few: true).firstPageSQL(limit: 40)
            return try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql.sql, arguments: sql.arguments).map { $0["detail"] as String }
        }
        XCTAssertTrue(fewPlan.contains { $0.contains("calls_by_contact") }, "\(fewPlan)")
        // …and sorts only their ids: the page's rows, joins and all, are read by id afterwards.
        XCTAssertTrue(fewPlan.contains { $0.contains("SEARCH calls USING INTEGER PRIMARY KEY (rowid=?)") }, "\(fewPlan)")
    }

    func testThreadsNarrowByContactAndByAnAddressNoContactHas() throws {
        let fixture = try BrowseFixture()
        let dean = try fixture.addContact("Dean King", phone: "+442053466403", email: "dean@kingroofing.co.uk")
        let withDean = try fixture.addThread(contact: dean, channel: .sms)
        try fixture.addMessage(thread: withDean, at: BrowseFixture.now.addingTimeInterval(-100), body: "Hello")
        let unknown = try fixture.addThread(contact: nil, channel: .sms)
        try fixture.addMessage(thread: unknown, at: BrowseFixture.now.addingTimeInterval(-50), body: "Who is this")  // from +447700900123
        func threads(_ search: String) throws -> [MessageThread.ID] {
            try fixture.read { try ThreadPage(clock: fixture.clock, search: search).first(limit: 10, in: $0).map(\.id) }
        }
        XCTAssertEqual(try threads("king"), [withDean])
        XCTAssertEqual(try threads("dean@kingroofing.co.uk"), [withDean])
        XCTAssertEqual(try threads("020 5346 6403"), [withDean], "the contact's number")
        XCTAssertEqual(try threads("07700 900123"), [unknown], "an address no contact has")
        XCTAssertEqual(try threads("07700 90"), [unknown], "a number still being typed")
        XCTAssertEqual(try threads("020 534"), [withDean], "the start of the contact's number")
        XCTAssertEqual(try threads("nobody"), [])
        XCTAssertEqual(try threads("").count, 2)
        XCTAssertEqual(try fixture.read { try ThreadPage(clock: fixture.clock, search: "king").count(in: $0) }, 1)
    }
}
