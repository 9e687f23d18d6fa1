import Foundation
import GRDB
@testable import HandletDomain
import XCTest

/// `audit list` and the Audit tab: every filter (actor, action, since, until and their mixes)
/// pages by keyset to exactly the events it should, in order (by sequence; with dates, by time
/// then sequence), both ways; and every first page walks the table's key or one of the indexes
/// in list order instead of scanning or sorting the log.
final class AuditListPagingTests: XCTestCase {
    private static let base: Int64 = 1_773_230_400 // 2026-03-11 12:00 UTC
    private static let actors = ["owner@example.test", "Admin@Example.test", "system"]
    private static let actions: [AuditAction] = [.userAdded, .retentionPeriodChanged, .consoleSessionStarted, .legalHoldPlaced]

    private var fixture: BrowseFixture!

    override func setUpWithError() throws {
        fixture = try BrowseFixture()
        try fixture.write { db in
            try AuditLog.appendBulk(db, count: 90) { index in
                // Three events share each hour; the clock steps back an hour and a half at event 60,
                // so time order and sequence order part there.
                let at = Self.base + Int64(index / 3) * 3_600 - (index >= 60 ? 5_400 : 0)
                return AuditLog.BulkEvent(at: at, actor: Self.actors[index % 3], action: Self.actions[index % 4].rawValue,
                                          target: "t:\(index)", details: "{}")
            }
        }
    }

    override func tearDown() { fixture = nil }

    /// Every event, newest first by sequence, as (seq, at, actor, action).
    private func allEvents() throws -> [(seq: Int64, at: Int64, actor: String, action: String)] {
        try fixture.read { db in
            try Row.fetchAll(db, sql: "SELECT seq, at, actor, action FROM audit_events ORDER BY seq DESC")
                .map { (seq: $0["seq"], at: $0["at"], actor: $0["actor"], action: $0["action"]) }
        }
    }

    private func date(hours: Double) -> Date { Date(timeIntervalSince1970: TimeInterval(Self.base) + hours * 3_600) }

    private var filters: [AuditLogPage] {
        [AuditLogPage(),
         AuditLogPage(actor: "ADMIN@example.TEST"),
         AuditLogPage(actor: "system"),
         AuditLogPage(action: .retentionPeriodChanged),
         AuditLogPage(since: date(hours: 20)),
         AuditLogPage(until: date(hours: 5)),
         AuditLogPage(since: date(hours: 4), until: date(hours: 19.5)),
         AuditLogPage(actor: "owner@example.test", since: date(hours: 3), until: date(hours: 25)),
         AuditLogPage(action: .userAdded, until: date(hours: 18)),
         AuditLogPage(action: .legalHoldPlaced, actor: "system", since: date(hours: 1)),
         AuditLogPage(actor: "nobody@example.test"),
         AuditLogPage(since: date(hours: 1_000))]
    }

    /// The list's events in its order: by sequence, or with a date range by time then sequence.
    private func expected(_ list: AuditLogPage, _ events: [(seq: Int64, at: Int64, actor: String, action: String)]) -> [Int64] {
        let ordered = list.isDated ? events.sorted { ($0.at, $0.seq) > ($1.at, $1.seq) } : events
        return ordered.filter { event in
            (list.actor.map { $0.lowercased() == event.actor.lowercased() } ?? true)
                && (list.action.map { $0.rawValue == event.action } ?? true)
                && (list.since.map { event.at >= Int64($0.timeIntervalSince1970.rounded(.up)) } ?? true)
                && (list.until.map { event.at < Int64($0.timeIntervalSince1970.rounded(.up)) } ?? true)
        }.map(\.seq)
    }

    func testEveryFilterPagesExactlyItsEventsBothWays() throws {
        let events = try allEvents()
        XCTAssertGreaterThan(events.count, 90)
        XCTAssertNotEqual(expected(AuditLogPage(since: date(hours: -1_000)), events), events.map(\.seq),
                          "the fixture's clock steps back, so time and sequence order differ")
        for list in filters {
            let wanted = expected(list, events)
            if list.actor != "nobody@example.test" && list.since != date(hours: 1_000) {
                XCTAssertFalse(wanted.isEmpty, "\(list) matches something")
            }
            for size in [1, 4, 7, 200] {
                try fixture.read { db in
                    var forward: [Int64] = []
                    var page = try list.first(limit: size, in: db)
                    while !page.isEmpty {
                        XCTAssertLessThanOrEqual(page.count, size)
                        forward += page.map(list.cursor(of:))
                        page = try list.after(list.cursor(of: page.last!), limit: size, in: db)
                    }
                    XCTAssertEqual(forward, wanted, "\(list), pages of \(size), forward")
                    var backward: [Int64] = []
                    page = try list.last(limit: size, in: db)
                    while !page.isEmpty {
                        backward = page.map(list.cursor(of:)) + backward
                        page = try list.before(list.cursor(of: page.first!), limit: size, in: db)
                    }
                    XCTAssertEqual(backward, wanted, "\(list), pages of \(size), backward")
                    XCTAssertEqual(try list.count(in: db), wanted.count, "\(list): count")
                    if wanted.count > 2 {
                        let middle = wanted.count / 2
                        XCTAssertEqual(try list.starting(at: wanted[middle], limit: 2, in: db).map(list.cursor(of:)),
                                       Array(wanted[middle...].prefix(2)), "\(list): starting at a row")
                    }
                }
            }
        }
    }

    /// `audit list --after SEQ` as the CLI pages it, through a session; a sequence number past the
    /// head lists everything, one between pages continues from there.
    func testTheCLIsAfterSeqContinuesThroughASession() throws {
        let session = fixture.workspace.session(as: try fixture.workspace.actor(email: "owner@example.test"))
        let list = AuditLogPage(actor: "system", since: date(hours: 2))
        let wanted = expected(list, try allEvents())
        let pager = session.pager(list)
        var seen: [Int64] = []
        var page = try pager.first(limit: 5)
        while let last = page.last {
            seen += page.map { $0.seq! }
            page = try pager.after(last.seq!, limit: 5)
        }
        XCTAssertEqual(seen, wanted)
        XCTAssertEqual(try pager.after(1_000_000, limit: 500).map { $0.seq! }, wanted, "past the head: everything")
    }

    func testEveryFirstPageWalksAnAuditIndexInOrder() throws {
        for list in filters {
            let (sql, arguments) = list.firstPageSQL(limit: 50)
            XCTAssertFalse(sql.uppercased().contains("OFFSET"))
            let plan = try fixture.queryPlan(sql, arguments)
            XCTAssertFalse(plan.contains("TEMP B-TREE"), "\(list): sorts instead of walking an index:\n\(plan)")
            if list.isFiltered {
                XCTAssertTrue(plan.contains("INDEX audit_by_"), "\(list): no audit index:\n\(plan)")
            }
            if list.actor != nil && list.action == nil {
                XCTAssertTrue(plan.contains("INDEX audit_by_actor"), "\(list): not the actor's index:\n\(plan)")
            }
            if list.isDated && list.actor == nil && list.action == nil {
                XCTAssertTrue(plan.contains("INDEX audit_by_time (at"), "\(list): the range does not bound the walk:\n\(plan)")
            }
        }
    }

    /// A later page too: the keyset bound is part of the index range, not a filter over its rows.
    func testALaterPagesKeysetBoundIsInTheIndexRange() throws {
        for (sql, arguments, index) in [
            ("SELECT * FROM audit_events WHERE actor = ? COLLATE NOCASE AND at < ? AND (at, seq) < (?, ?) ORDER BY at DESC, seq DESC LIMIT 10",
             ["system", Self.base + 20 * 3_600, Self.base + 16 * 3_600, 50] as StatementArguments, "audit_by_actor_time (actor=? AND "),
            ("SELECT * FROM audit_events WHERE actor = ? COLLATE NOCASE AND (seq) < (?) ORDER BY seq DESC LIMIT 10",
             ["system", 50], "audit_by_actor (actor=? AND seq<?)"),
        ] {
            let plan = try fixture.queryPlan(sql, arguments)
            XCTAssertTrue(plan.contains(index), plan)
            XCTAssertFalse(plan.contains("TEMP B-TREE"), plan)
        }
    }

    func testTheMigrationAddsTheIndexes() throws {
        try fixture.read { db in
            let indexes = try db.indexes(on: "audit_events").map { "\($0.name): \($0.columns.joined(separator: ","))" }.sorted()
            XCTAssertEqual(indexes, ["audit_by_action: action,seq", "audit_by_action_time: action,at,seq", "audit_by_actor: actor,seq",
                                     "audit_by_actor_time: actor,at,seq", "audit_by_target: target,seq", "audit_by_time: at,seq"])
            XCTAssertEqual(try Int.fetchOne(db, sql: "PRAGMA user_version"), Schema.currentVersion)
        }
    }
}
