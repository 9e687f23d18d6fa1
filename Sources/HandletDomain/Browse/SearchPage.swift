import Foundation
import GRDB

/// A clear, one-line reason a search could not run.
public struct SearchError: Error, Hashable, CustomStringConvertible {
    public let description: String
}

/// Search results in calls (summaries and transcripts), newest first, with the filter applied.
///
/// The FTS table is the outer loop (`CROSS JOIN` fixes the join order) walked by rowid descending,
/// so the newest hits come first without ranking every match, and filters are checked per hit
/// until the page is full. `ORDER BY rank` over a common word would take seconds (DESIGN §9).
public struct CallSearchPage: KeysetList {
    public var query: SearchQuery
    public var filter: CallFilter
    public var clock: BrowseClock

    public init(query: SearchQuery, filter: CallFilter = CallFilter(), clock: BrowseClock) {
        self.query = query; self.filter = filter; self.clock = clock
    }

    public func cursor(of row: SearchHit) -> Int64 { row.cursor }

    var keyset: KeysetQuery {
        var conditions = SQLConditions()
        conditions.add("call_fts MATCH ?", [query.matchExpression ?? "\"\""])
        conditions.add(filter.conditions(clock))
        return KeysetQuery(selectFrom: """
            SELECT call_fts.rowid AS id, snippet(call_fts, -1, \(HighlightedText.markersSQL), '…', 12) AS snippet,
                   calls.started_at AS at, calls.direction, calls.outcome, contacts.name AS contact_name,
                   CASE calls.direction WHEN 'inbound' THEN calls.from_number ELSE calls.to_number END AS other_party
            FROM call_fts CROSS JOIN calls ON calls.id = call_fts.rowid
            LEFT JOIN contacts ON contacts.id = calls.contact_id
            """, conditions: conditions, keys: ["call_fts.rowid"], order: .descending)
    }

    private func fetch(_ cursor: Int64?, _ comparison: KeysetQuery.Comparison, _ limit: Int, _ db: Database) throws -> [SearchHit] {
        guard query.matchExpression != nil else { return [] }
        return try Search.translatingErrors {
            try keyset.fetch(db, cursor: cursor.map { [$0] }, comparison: comparison, limit: limit) { row in
                SearchHit(kind: .call, id: row["id"], threadId: nil,
                          at: Date(timeIntervalSince1970: TimeInterval(row["at"] as Int64)),
                          direction: try CallRow.decode(row["direction"]),
                          party: row["contact_name"] ?? row["other_party"],
                          outcome: try CallRow.decode(row["outcome"]) as CallOutcome, channel: nil,
                          snippet: HighlightedText(marked: row["snippet"] ?? ""))
            }
        }
    }

    public func first(limit: Int, in db: Database) throws -> [SearchHit] { try fetch(nil, .after, limit, db) }
    public func after(_ cursor: Int64, limit: Int, in db: Database) throws -> [SearchHit] { try fetch(cursor, .after, limit, db) }
    public func before(_ cursor: Int64, limit: Int, in db: Database) throws -> [SearchHit] { try fetch(cursor, .before, limit, db) }
    public func last(limit: Int, in db: Database) throws -> [SearchHit] { try fetch(nil, .fromEnd, limit, db) }
    public func starting(at cursor: Int64, limit: Int, in db: Database) throws -> [SearchHit] { try fetch(cursor, .startingAt, limit, db) }

    public func count(in db: Database) throws -> Int {
        guard query.matchExpression != nil else { return 0 }
        return try Search.translatingErrors { try keyset.count(db, from: "call_fts CROSS JOIN calls ON calls.id = call_fts.rowid") }
    }

    public func firstPageSQL(limit: Int) -> (sql: String, arguments: StatementArguments) { keyset.firstPageSQL(limit: limit) }
}

/// Search results in message bodies, newest first, with the filter applied. Same plan as calls.
public struct MessageSearchPage: KeysetList {
    public var query: SearchQuery
    public var filter: MessageFilter
    public var clock: BrowseClock

    public init(query: SearchQuery, filter: MessageFilter = MessageFilter(), clock: BrowseClock) {
        self.query = query; self.filter = filter; self.clock = clock
    }

    public func cursor(of row: SearchHit) -> Int64 { row.cursor }

    var keyset: KeysetQuery {
        var conditions = SQLConditions()
        conditions.add("message_fts MATCH ?", [query.matchExpression ?? "\"\""])
        conditions.add(filter.messageConditions(clock))
        return KeysetQuery(selectFrom: """
            SELECT message_fts.rowid AS id, snippet(message_fts, 0, \(HighlightedText.markersSQL), '…', 12) AS snippet,
                   messages.thread_id, messages.sent_at AS at, messages.direction, messages.channel,
                   contacts.name AS contact_name,
                   CASE messages.direction WHEN 'inbound' THEN messages.from_address ELSE messages.to_address END AS other_party
            FROM message_fts CROSS JOIN messages ON messages.id = message_fts.rowid
            LEFT JOIN contacts ON contacts.id = messages.contact_id
            """, conditions: conditions, keys: ["message_fts.rowid"], order: .descending)
    }

    private func fetch(_ cursor: Int64?, _ comparison: KeysetQuery.Comparison, _ limit: Int, _ db: Database) throws -> [SearchHit] {
        guard query.matchExpression != nil else { return [] }
        return try Search.translatingErrors {
            try keyset.fetch(db, cursor: cursor.map { [$0] }, comparison: comparison, limit: limit) { row in
                SearchHit(kind: .message, id: row["id"], threadId: row["thread_id"],
                          at: Date(timeIntervalSince1970: TimeInterval(row["at"] as Int64)),
                          direction: try CallRow.decode(row["direction"]),
                          party: row["contact_name"] ?? row["other_party"],
                          outcome: nil, channel: try CallRow.decode(row["channel"]) as Channel,
                          snippet: HighlightedText(marked: row["snippet"] ?? ""))
            }
        }
    }

    public func first(limit: Int, in db: Database) throws -> [SearchHit] { try fetch(nil, .after, limit, db) }
    public func after(_ cursor: Int64, limit: Int, in db: Database) throws -> [SearchHit] { try fetch(cursor, .after, limit, db) }
    public func before(_ cursor: Int64, limit: Int, in db: Database) throws -> [SearchHit] { try fetch(cursor, .before, limit, db) }
    public func last(limit: Int, in db: Database) throws -> [SearchHit] { try fetch(nil, .fromEnd, limit, db) }
    public func starting(at cursor: Int64, limit: Int, in db: Database) throws -> [SearchHit] { try fetch(cursor, .startingAt, limit, db) }

    public func count(in db: Database) throws -> Int {
        guard query.matchExpression != nil else { return 0 }
        return try Search.translatingErrors { try keyset.count(db, from: "message_fts CROSS JOIN messages ON messages.id = message_fts.rowid") }
    }

    public func firstPageSQL(limit: Int) -> (sql: String, arguments: StatementArguments) { keyset.firstPageSQL(limit: limit) }
}
