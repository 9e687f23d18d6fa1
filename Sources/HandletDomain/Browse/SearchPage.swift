import Foundation
import GRDB

/// A clear, one-line reason a search could not run.
public struct SearchError: SysexitsError, Hashable, CustomStringConvertible {
    public let description: String
    /// FTS5 could not run the words given: the argument is at fault, so it is a usage error.
    public var exitClass: ExitClass { .usage }
}

/// The SQL of a search page: the MATCH in a CTE (DESIGN §9) whose hits are the outer loop
/// (`CROSS JOIN` fixes the join order), walked by FTS rowid descending, so the newest hits come
/// first without ranking every match, and the filters are checked per hit until the page is full.
/// `ORDER BY rank` over a common word would take seconds. The flattened CTE hands keyset bounds on
/// `hits.id` to FTS5 as rowid bounds, so a later page starts where the last one ended.
enum SearchSQL {
    static func keyset(fts: String, snippetColumn: Int, query: SearchQuery, table: String, columns: String,
                       filter: SQLConditions) -> KeysetQuery {
        KeysetQuery(
            selectFrom: """
                SELECT hits.id, hits.snippet, \(columns)
                FROM hits CROSS JOIN \(table) ON \(table).id = hits.id
                LEFT JOIN contacts ON contacts.id = \(table).contact_id
                """,
            with: """
                WITH hits(id, snippet) AS (
                    SELECT rowid, snippet(\(fts), \(snippetColumn), \(HighlightedText.markersSQL), '…', 12)
                    FROM \(fts) WHERE \(fts) MATCH ?)
                """,
            withArguments: [query.matchExpression ?? "\"\""],
            conditions: filter, keys: ["hits.id"], order: .descending)
    }

    static func countFrom(_ table: String) -> String { "hits CROSS JOIN \(table) ON \(table).id = hits.id" }
}

/// Search results in calls (summaries and transcripts), newest first, with the filter applied.
public struct CallSearchPage: KeysetList {
    public var query: SearchQuery
    public var filter: CallFilter
    public var clock: BrowseClock

    public init(query: SearchQuery, filter: CallFilter = CallFilter(), clock: BrowseClock) {
        self.query = query; self.filter = filter; self.clock = clock
    }

    public func cursor(of row: SearchHit) -> Int64 { row.cursor }

    static let columns = """
        calls.started_at AS at, calls.direction, calls.outcome, \(TextWithNUL.select("contacts.name", as: "contact_name")),
        \(TextWithNUL.select("CASE calls.direction WHEN 'inbound' THEN calls.from_number ELSE calls.to_number END", as: "other_party"))
        """

    static func hit(_ row: Row) throws -> SearchHit {
        SearchHit(target: .call(row["id"]),
                  at: Date(timeIntervalSince1970: TimeInterval(row["at"] as Int64)),
                  direction: try CallRow.decode(row["direction"]),
                  party: row.storedTextIfPresent("contact_name") ?? row.storedText("other_party"),
                  outcome: try CallRow.decode(row["outcome"]) as CallOutcome, channel: nil,
                  snippet: HighlightedText(marked: row["snippet"] ?? ""))
    }

    var keyset: KeysetQuery {
        SearchSQL.keyset(fts: "call_fts", snippetColumn: -1, query: query, table: "calls", columns: Self.columns, filter: conditions)
    }

    private var conditions: SQLConditions {
        var conditions = filter.conditions(clock)
        if let range = filter.dateRange?.bounds(clock) {
            conditions.add(SearchIdSpans.bounds(forTable: "calls", from: range.from, until: range.until))
        }
        return conditions
    }

    private func fetch(_ cursor: Int64?, _ comparison: KeysetQuery.Comparison, _ limit: Int, _ db: Database) throws -> [SearchHit] {
        guard query.matchExpression != nil else { return [] }
        return try Search.translatingErrors {
            try keyset.fetch(db, cursor: cursor.map { [$0] }, comparison: comparison, limit: limit, decode: Self.hit)
        }
    }

    public func rows(_ request: KeysetRequest<Int64>, in store: StoreReader) throws -> [SearchHit] {
        try fetch(request.keyset.cursor, request.keyset.comparison, request.limit, store.db)
    }

    public func count(in store: StoreReader) throws -> Int {
        guard query.matchExpression != nil else { return 0 }
        return try Search.translatingErrors { try keyset.count(store.db, from: SearchSQL.countFrom("calls")) }
    }

    func firstPageSQL(limit: Int) -> (sql: String, arguments: StatementArguments) { keyset.firstPageSQL(limit: limit) }
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

    static let columns = """
        messages.thread_id, messages.sent_at AS at, messages.direction, messages.channel,
        \(TextWithNUL.select("contacts.name", as: "contact_name")),
        \(TextWithNUL.select("CASE messages.direction WHEN 'inbound' THEN messages.from_address ELSE messages.to_address END", as: "other_party"))
        """

    static func hit(_ row: Row) throws -> SearchHit {
        SearchHit(target: .message(row["id"], thread: row["thread_id"]),
                  at: Date(timeIntervalSince1970: TimeInterval(row["at"] as Int64)),
                  direction: try CallRow.decode(row["direction"]),
                  party: row.storedTextIfPresent("contact_name") ?? row.storedText("other_party"),
                  outcome: nil, channel: try CallRow.decode(row["channel"]) as Channel,
                  snippet: HighlightedText(marked: row["snippet"] ?? ""))
    }

    var keyset: KeysetQuery {
        SearchSQL.keyset(fts: "message_fts", snippetColumn: 0, query: query, table: "messages", columns: Self.columns, filter: conditions)
    }

    private var conditions: SQLConditions {
        var conditions = filter.messageConditions(clock)
        if let range = filter.dateRange?.bounds(clock) {
            conditions.add(SearchIdSpans.bounds(forTable: "messages", from: range.from, until: range.until))
        }
        return conditions
    }

    private func fetch(_ cursor: Int64?, _ comparison: KeysetQuery.Comparison, _ limit: Int, _ db: Database) throws -> [SearchHit] {
        guard query.matchExpression != nil else { return [] }
        return try Search.translatingErrors {
            try keyset.fetch(db, cursor: cursor.map { [$0] }, comparison: comparison, limit: limit, decode: Self.hit)
        }
    }

    public func rows(_ request: KeysetRequest<Int64>, in store: StoreReader) throws -> [SearchHit] {
        try fetch(request.keyset.cursor, request.keyset.comparison, request.limit, store.db)
    }

    public func count(in store: StoreReader) throws -> Int {
        guard query.matchExpression != nil else { return 0 }
        return try Search.translatingErrors { try keyset.count(store.db, from: SearchSQL.countFrom("messages")) }
    }

    func firstPageSQL(limit: Int) -> (sql: String, arguments: StatementArguments) { keyset.firstPageSQL(limit: limit) }
}

/// Search hits of one kind strictly newest first by the record's time, page after page (issue 25:
/// pages walked by id and sorted within each were only roughly in time order across their
/// boundaries).
///
/// The walk reads the hits a window of days at a time, newest window first: the days' id span
/// (`SearchIdSpans`, a few hundred rows at most) bounds the full-text walk by rowid, and the hits
/// in the window are sorted by time and id, so a page is the next hits after its cursor. A window
/// that does not fill the page makes the next one four times wider, so a rare word costs a few
/// reads and a common one a day or two of hits. Snippets are made in the same read (one MATCH per
/// window: a prefix's MATCH is what costs), for the window's hits only, not for every match.
struct SearchTimeWalk {
    /// A hit's place: its record's time (seconds) and id.
    struct Position: Hashable, Sendable {
        var at: Int64
        var id: Int64
    }

    let fts: String
    let table: String
    let time: String
    let spans: String
    let match: String
    /// The filter's conditions on `table`.
    let conditions: SQLConditions
    /// The date range in seconds (`from ..< until`), nil when open.
    let from: Int64?
    let until: Int64?
    /// What each row holds beside its id and snippet (aliases the decoder reads).
    let columns: String
    let snippetColumn: Int

    /// Up to `limit` hits' rows after `cursor` (nil: from the newest), newest first.
    func rows(after cursor: Position?, limit: Int, in db: Database) throws -> [Row] {
        guard limit > 0, let range = try Row.fetchOne(db, sql: "SELECT MIN(day), MAX(day) FROM \(spans)"),
              let firstDay = range[0] as Int64?, var top = range[1] as Int64? else { return [] }
        let lowest = max(firstDay, from.map { $0 / 86_400 } ?? firstDay)
        if let cursor { top = min(top, cursor.at >= 0 ? cursor.at / 86_400 : (cursor.at - 86_399) / 86_400) }
        if let until { top = min(top, (until - 1) / 86_400) }
        var found: [Row] = []
        // From a cursor, its own day may hold few hits after it: the day before too.
        var width: Int64 = cursor == nil ? 1 : 2
        while top >= lowest, found.count < limit {
            let low = max(lowest, top - width + 1)
            if let span = try Row.fetchOne(db, sql: "SELECT MIN(min_id), MAX(max_id) FROM \(spans) WHERE day BETWEEN ? AND ?",
                                           arguments: [low, top]),
               let lo = span[0] as Int64?, let hi = span[1] as Int64? {
                var window = conditions
                window.add("\(table).\(time) >= ?", [low * 86_400])
                window.add("\(table).\(time) < ?", [(top + 1) * 86_400])
                if let cursor { window.add("(\(table).\(time), \(table).id) < (?, ?)", [cursor.at, cursor.id]) }
                var arguments: StatementArguments = [match, lo, hi]
                arguments += window.arguments
                arguments += [limit - found.count]
                found += try Row.fetchAll(db, sql: """
                    SELECT \(table).id, snippet(\(fts), \(snippetColumn), \(HighlightedText.markersSQL), '…', 12) AS snippet, \(columns)
                    FROM \(fts) CROSS JOIN \(table) ON \(table).id = \(fts).rowid
                    LEFT JOIN contacts ON contacts.id = \(table).contact_id
                    WHERE \(fts) MATCH ? AND \(fts).rowid BETWEEN ? AND ? \(window.andClause)
                    ORDER BY \(table).\(time) DESC, \(table).id DESC LIMIT ?
                    """, arguments: arguments)
            }
            top = low - 1
            width *= 4
        }
        return found
    }
}

extension CallSearchPage {
    var timeWalk: SearchTimeWalk {
        let bounds = filter.dateRange?.bounds(clock)
        return SearchTimeWalk(fts: "call_fts", table: "calls", time: "started_at", spans: "call_id_span_by_day",
                              match: query.matchExpression ?? "\"\"", conditions: filter.conditions(clock),
                              from: bounds?.from, until: bounds?.until, columns: Self.columns, snippetColumn: -1)
    }

    /// The hits after `cursor` in time order (nil: the newest), at most `limit`.
    func newest(after cursor: SearchTimeWalk.Position?, limit: Int, in db: Database) throws -> [SearchHit] {
        guard query.matchExpression != nil else { return [] }
        let walk = timeWalk
        return try Search.translatingErrors { try walk.rows(after: cursor, limit: limit, in: db).map(Self.hit) }
    }
}

extension MessageSearchPage {
    var timeWalk: SearchTimeWalk {
        let bounds = filter.dateRange?.bounds(clock)
        return SearchTimeWalk(fts: "message_fts", table: "messages", time: "sent_at", spans: "message_id_span_by_day",
                              match: query.matchExpression ?? "\"\"", conditions: filter.messageConditions(clock),
                              from: bounds?.from, until: bounds?.until, columns: Self.columns, snippetColumn: 0)
    }

    /// The hits after `cursor` in time order (nil: the newest), at most `limit`.
    func newest(after cursor: SearchTimeWalk.Position?, limit: Int, in db: Database) throws -> [SearchHit] {
        guard query.matchExpression != nil else { return [] }
        let walk = timeWalk
        return try Search.translatingErrors { try walk.rows(after: cursor, limit: limit, in: db).map(Self.hit) }
    }
}

extension SearchHit {
    /// Where the hit is in its kind's time order (the time walk's cursor).
    var timePosition: SearchTimeWalk.Position { SearchTimeWalk.Position(at: Int64(at.timeIntervalSince1970), id: target.rowID) }
}
