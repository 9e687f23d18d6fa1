import GRDB
@testable import HandletDomain
import XCTest

/// Every list pages both ways by keyset, with ties in time broken by id, and g/G need no OFFSET.
final class BrowsePagingTests: XCTestCase {
    /// Walks a list forward from `first` and backward from `last`, page by page, and checks both
    /// walks see every row exactly once in list order.
    private func assertWalksBothWays<List: KeysetList>(_ list: List, expected: [List.Cursor], pageSize: Int,
                                                       in fixture: BrowseFixture, file: StaticString = #filePath, line: UInt = #line) throws {
        try fixture.read { db in
            var forward: [List.Cursor] = []
            var page = try list.first(limit: pageSize, in: db)
            while !page.isEmpty {
                XCTAssertLessThanOrEqual(page.count, pageSize, file: file, line: line)
                forward += page.map(list.cursor(of:))
                page = try list.after(list.cursor(of: page.last!), limit: pageSize, in: db)
            }
            XCTAssertEqual(forward, expected, "forward walk", file: file, line: line)

            var backward: [List.Cursor] = []
            page = try list.last(limit: pageSize, in: db)
            while !page.isEmpty {
                backward = page.map(list.cursor(of:)) + backward
                page = try list.before(list.cursor(of: page.first!), limit: pageSize, in: db)
            }
            XCTAssertEqual(backward, expected, "backward walk", file: file, line: line)

            XCTAssertEqual(try list.count(in: db), expected.count, file: file, line: line)
            if expected.count > 2 {
                let middle = expected[expected.count / 2]
                XCTAssertEqual(try list.starting(at: middle, limit: 2, in: db).map(list.cursor(of:)),
                               Array(expected[(expected.count / 2)...].prefix(2)), file: file, line: line)
            }
        }
    }

    func testCallsPageBothWaysWithTiesInTime() throws {
        let fixture = try BrowseFixture()
        // Four calls share each second, so only the id separates them.
        for index in 0..<23 {
            try fixture.addCall(at: BrowseFixture.at(days: -Double(index / 4)))
        }
        let expected = try fixture.read { db in
            try Row.fetchAll(db, sql: "SELECT started_at, id FROM calls ORDER BY started_at DESC, id DESC")
                .map { CallCursor(startedAt: $0[0], id: $0[1]) }
        }
        let page = CallPage(clock: fixture.clock)
        for size in [1, 3, 4, 5, 23, 50] {
            try assertWalksBothWays(page, expected: expected, pageSize: size, in: fixture)
        }
        let last = try fixture.read { try page.last(limit: 3, in: $0) }
        XCTAssertEqual(last.map(\.cursor), Array(expected.suffix(3)), "G shows the oldest rows, still newest first")
    }

    func testPagesUseTheIndexAndNoOffset() throws {
        let fixture = try BrowseFixture()
        try fixture.addCall(at: BrowseFixture.now)
        let filters = [CallFilter(), CallFilter(outcomes: [.missed]), CallFilter(dateRange: .last7Days),
                       CallFilter(outcomes: [.missed, .spam], direction: .inbound), CallFilter(hasRecording: true),
                       CallFilter(handledBy: .voicemail)]
        for filter in filters {
            let (sql, arguments) = CallPage(filter: filter, clock: fixture.clock).firstPageSQL(limit: 20)
            XCTAssertFalse(sql.uppercased().contains("OFFSET"))
            let plan = try fixture.queryPlan(sql, arguments)
            XCTAssertFalse(plan.contains("TEMP B-TREE"), "\(filter): sorts instead of walking an index:\n\(plan)")
            XCTAssertFalse(plan.contains("SCAN calls\n") || plan.hasSuffix("SCAN calls"), "\(filter): full scan:\n\(plan)")
        }
        let threads = ThreadPage(filter: MessageFilter(channel: .sms), clock: fixture.clock).firstPageSQL(limit: 20)
        XCTAssertFalse(try fixture.queryPlan(threads.sql, threads.arguments).contains("TEMP B-TREE"))
        let contacts = ContactPage().firstPageSQL(limit: 20)
        XCTAssertFalse(try fixture.queryPlan(contacts.sql, contacts.arguments).contains("TEMP B-TREE"))
    }

    func testContactsPageByNameIgnoringCaseWithEqualNames() throws {
        let fixture = try BrowseFixture()
        for name in ["bob", "Alice", "Bob", "alice", "Carol", "BOB", "Ålfred", "zed", "Bob"] {
            try fixture.addContact(name)
        }
        let expected = try fixture.read { db in
            try Row.fetchAll(db, sql: "SELECT name, id FROM contacts ORDER BY name COLLATE NOCASE, id")
                .map { ContactCursor(surname: $0[0], name: $0[0], id: $0[1]) }
        }
        XCTAssertEqual(expected.prefix(2).map(\.name), ["Alice", "alice"])
        for size in [1, 2, 4, 9] {
            try assertWalksBothWays(ContactPage(), expected: expected, pageSize: size, in: fixture)
        }
    }

    func testThreadsPageByLastActivityAndShowTheLatestMessage() throws {
        let fixture = try BrowseFixture()
        let contact = try fixture.addContact("Priya Shah")
        var threads: [MessageThread.ID] = []
        for index in 0..<7 {
            let thread = try fixture.addThread(contact: index.isMultiple(of: 2) ? contact : nil, channel: .sms)
            threads.append(thread)
            // Pairs of threads share a last activity time.
            try fixture.addMessage(thread: thread, at: BrowseFixture.at(days: -Double(index / 2) - 1), body: "first \(index)")
            try fixture.addMessage(thread: thread, at: BrowseFixture.at(days: -Double(index / 2)), body: "latest \(index)",
                                   direction: .outbound, status: .delivered)
        }
        let expected = try fixture.read { db in
            try Row.fetchAll(db, sql: "SELECT last_activity_at, id FROM threads ORDER BY last_activity_at DESC, id DESC")
                .map { ThreadCursor(lastActivityAt: $0[0], id: $0[1]) }
        }
        for size in [1, 2, 3, 7] {
            try assertWalksBothWays(ThreadPage(clock: fixture.clock), expected: expected, pageSize: size, in: fixture)
        }
        let top = try fixture.read { try ThreadPage(clock: fixture.clock).first(limit: 1, in: $0) }[0]
        XCTAssertEqual(top.id, threads[1])
        XCTAssertEqual(top.lastSnippet, "latest 1")
        XCTAssertEqual(top.lastDirection, .outbound)
        XCTAssertNil(top.contactName)
        XCTAssertEqual(top.party, "+447700900123", "no contact: the other party's address")
        XCTAssertEqual(top.messageCount, 2)
    }

    func testThreadMessagesPageOldestFirst() throws {
        let fixture = try BrowseFixture()
        let thread = try fixture.addThread(contact: nil, channel: .whatsapp)
        for index in 0..<9 {
            try fixture.addMessage(thread: thread, at: BrowseFixture.at(days: -Double(index / 3)), body: "m\(index)")
        }
        let other = try fixture.addThread(contact: nil, channel: .whatsapp)
        try fixture.addMessage(thread: other, at: BrowseFixture.now, body: "elsewhere")
        let expected = try fixture.read { db in
            try Row.fetchAll(db, sql: "SELECT sent_at, id FROM messages WHERE thread_id = ? ORDER BY sent_at, id", arguments: [thread])
                .map { MessageCursor(sentAt: $0[0], id: $0[1]) }
        }
        XCTAssertEqual(expected.count, 9)
        for size in [1, 2, 4, 9] {
            try assertWalksBothWays(ThreadMessagePage(threadId: thread), expected: expected, pageSize: size, in: fixture)
        }
    }

    func testContactTimelineMergesCallsAndMessagesAtEqualTimes() throws {
        let fixture = try BrowseFixture()
        let contact = try fixture.addContact("Jo Bloggs")
        let stranger = try fixture.addContact("Someone Else")
        let thread = try fixture.addThread(contact: contact, channel: .sms)
        let strangerThread = try fixture.addThread(contact: stranger, channel: .sms)
        for index in 0..<6 {
            let at = BrowseFixture.at(days: -Double(index / 2))
            try fixture.addCall(at: at, contact: contact)
            try fixture.addMessage(thread: thread, at: at, body: "text \(index)")
            try fixture.addCall(at: at, contact: stranger)
            try fixture.addMessage(thread: strangerThread, at: at, body: "other \(index)")
        }
        let timeline = ContactTimeline(contactId: contact)
        let all = try fixture.read { try timeline.first(limit: 100, in: $0) }
        XCTAssertEqual(all.count, 12)
        // Newest first; at equal times calls come before messages, then higher ids first.
        for (earlier, later) in zip(all, all.dropFirst()) {
            let a = (earlier.at, earlier.kind == .call ? 1 : 0, earlier.cursor.id)
            let b = (later.at, later.kind == .call ? 1 : 0, later.cursor.id)
            XCTAssertTrue(a > b, "\(earlier) should come before \(later)")
        }
        XCTAssertEqual(all.first?.kind, .call)
        XCTAssertEqual(all.first(where: { $0.kind == .message })?.threadID, thread)
        for size in [1, 2, 3, 5, 12] {
            try assertWalksBothWays(timeline, expected: all.map(\.cursor), pageSize: size, in: fixture)
        }
    }

    func testWindowKeepsTheSelectionWhenNewerRowsArrive() throws {
        let fixture = try BrowseFixture()
        for index in 0..<10 { try fixture.addCall(at: BrowseFixture.at(days: -Double(index))) }
        let page = CallPage(clock: fixture.clock)
        let rows = try fixture.read { try page.first(limit: 10, in: $0) }
        let selected = rows[4].cursor
        try fixture.addCall(at: BrowseFixture.at(days: 0.5))
        try fixture.addCall(at: BrowseFixture.at(days: 0.6))

        let window = try fixture.read { try page.window(keeping: selected, rowsAbove: 2, limit: 5, in: $0) }
        XCTAssertEqual(window.selectedIndex, 2)
        XCTAssertEqual(window.rows[2].cursor, selected, "the same call stays selected, at the same height")
        XCTAssertEqual(window.rows.count, 5)

        // The selected call goes: the next one down takes its place.
        _ = try fixture.write { try Call.deleteOne($0, key: selected.id) }
        let after = try fixture.read { try page.window(keeping: selected, rowsAbove: 2, limit: 5, in: $0) }
        XCTAssertEqual(after.rows[after.selectedIndex!].cursor, rows[5].cursor)

        // The selected call was the last one and goes: the new last row is selected.
        let lastCursor = try fixture.read { try page.last(limit: 1, in: $0) }[0].cursor
        _ = try fixture.write { try Call.deleteOne($0, key: lastCursor.id) }
        let end = try fixture.read { try page.window(keeping: lastCursor, rowsAbove: 2, limit: 5, in: $0) }
        XCTAssertEqual(end.selectedIndex, end.rows.count - 1)
        XCTAssertEqual(end.rows.last?.cursor, try fixture.read { try page.last(limit: 1, in: $0) }[0].cursor)
    }

    func testEmptyListsAreEmptyEverywhere() throws {
        let fixture = try BrowseFixture()
        let page = CallPage(clock: fixture.clock)
        try fixture.read { db in
            XCTAssertEqual(try page.first(limit: 5, in: db), [])
            XCTAssertEqual(try page.last(limit: 5, in: db), [])
            XCTAssertEqual(try page.count(in: db), 0)
            XCTAssertNil(try page.window(keeping: CallCursor(startedAt: 0, id: 1), rowsAbove: 3, limit: 5, in: db).selectedIndex)
        }
    }

    func testCursorsRoundTripThroughText() {
        XCTAssertEqual(CallCursor("1773230400.42"), CallCursor(startedAt: 1_773_230_400, id: 42))
        XCTAssertEqual(CallCursor(startedAt: 5, id: 7).description, "5.7")
        XCTAssertNil(CallCursor("abc"))
        XCTAssertNil(CallCursor("1.2.3"))
        XCTAssertEqual(ThreadCursor("10.3"), ThreadCursor(lastActivityAt: 10, id: 3))
    }
}
