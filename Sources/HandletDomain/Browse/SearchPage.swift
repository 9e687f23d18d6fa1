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
/// (`SearchIdSpans`, a few hundred rows at most) bounds the full-text walk by rowid, and the ids
/// of the hits in the window are sorted by time and id, so a page is the next hits after its
/// cursor. A window that does not fill the page makes the next one four times wider, so a rare
/// word costs a few reads and a common one a day or two of ids. Only the page's own hits are then
/// read whole, with their snippets (one more MATCH, bounded by their rowids): a snippet costs a
/// read and a tokenisation of the record's text, and a common word's window holds hundreds.
///
/// A word being typed (a prefix, `"boil"*`) is matched by the words it begins, named
/// (`expandedMatch`): FTS5 answers a prefix by merging the whole of every such word's list of
/// rows, about 10 ms at a million calls whatever the rowid bounds, and a named word in
/// microseconds. The names are learned once, on the first page (`Search.Position` carries them),
/// so a later page runs no prefix MATCH at all.
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

    /// The ids of the hits in a window of days (`lo ... hi` its id span), newest first; the page's
    /// rows are read whole afterwards (`pageRows`).
    func windowSQL(_ window: SQLConditions) -> String {
        """
        SELECT \(table).id FROM \(fts) CROSS JOIN \(table) ON \(table).id = \(fts).rowid
        WHERE \(fts) MATCH ? AND \(fts).rowid BETWEEN ? AND ? \(window.andClause)
        ORDER BY \(table).\(time) DESC, \(table).id DESC LIMIT ?
        """
    }

    /// Up to `limit` hits' rows after `cursor` (nil: from the newest), newest first.
    func rows(after cursor: Position?, limit: Int, in db: Database) throws -> [Row] {
        guard limit > 0, let range = try Row.fetchOne(db, sql: "SELECT MIN(day), MAX(day) FROM \(spans)"),
              let firstDay = range[0] as Int64?, var top = range[1] as Int64? else { return [] }
        let lowest = max(firstDay, from.map { $0 / 86_400 } ?? firstDay)
        if let cursor { top = min(top, cursor.at >= 0 ? cursor.at / 86_400 : (cursor.at - 86_399) / 86_400) }
        if let until { top = min(top, (until - 1) / 86_400) }
        var found: [Int64] = []
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
                found += try Int64.fetchAll(db, sql: windowSQL(window), arguments: arguments)
            }
            top = low - 1
            width *= 4
        }
        return try pageRows(found, in: db)
    }

    /// The page's hits read whole, snippets made for them alone, in the order of `ids`. The `+`
    /// keeps the id list from FTS5, which would run the MATCH again for each id.
    func pageRows(_ ids: [Int64], in db: Database) throws -> [Row] {
        guard let lowest = ids.min(), let highest = ids.max() else { return [] }
        var arguments: StatementArguments = [match, lowest, highest]
        arguments += StatementArguments(ids)
        let rows = try Row.fetchAll(db, sql: """
            SELECT \(table).id, snippet(\(fts), \(snippetColumn), \(HighlightedText.markersSQL), '…', 12) AS snippet, \(columns)
            FROM \(fts) CROSS JOIN \(table) ON \(table).id = \(fts).rowid
            LEFT JOIN contacts ON contacts.id = \(table).contact_id
            WHERE \(fts) MATCH ? AND \(fts).rowid BETWEEN ? AND ?
              AND +\(fts).rowid IN (\(Array(repeating: "?", count: ids.count).joined(separator: ", ")))
            """, arguments: arguments)
        let byId = Dictionary(rows.map { (($0["id"] as Int64), $0) }, uniquingKeysWith: { first, _ in first })
        return ids.compactMap { byId[$0] }
    }

    /// Most words one typed prefix is matched by, named; beyond it the prefix itself is matched.
    static let maximumExpansion = 24

    /// The query's MATCH expression for `fts` with each prefix term replaced by the words in the
    /// index it begins (`"boil"*` → `("boiler" OR "boilers")`), or nil to match the query as
    /// written (no prefix term, a prefix beyond plain letters and digits, whose folding only FTS5
    /// knows, or one that begins more than `maximumExpansion` words). Each word is found by one
    /// seek in the index (`fts5vocab`, its first instance only): a few reads, whatever the words'
    /// lengths of row lists. The names hold for the index as it is now: a word first written after
    /// this, in a record older than the page shown, is matched by the pages read with them only
    /// once the search is run again.
    static func expandedMatch(_ query: SearchQuery, fts: String, in db: Database) -> String? {
        guard query.terms.contains(where: \.isPrefix) else { return nil }
        let vocabulary = "temp.handlet_\(fts)_instances"
        do {
            // A read-only connection may still make a temporary table (a `query_only` one may not:
            // then the prefix is matched as written).
            try db.execute(sql: "CREATE VIRTUAL TABLE IF NOT EXISTS \(vocabulary) USING fts5vocab(main, \(fts), 'instance')")
            var groups: [String] = []
            for term in query.terms {
                guard case .phrase(let tokens, true) = term, let last = tokens.last else {
                    groups.append(term.expression)
                    continue
                }
                let plain = last.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }
                guard !last.isEmpty, plain else { return nil }
                let prefix = last.lowercased()
                var words: [String] = []
                var next = prefix
                // Each step seeks to the first word at or after `next`; "\u{1}" sorts before
                // every letter and digit, so `word + "\u{1}"` is just past `word`.
                while let word = try String.fetchOne(db, sql: "SELECT term FROM \(vocabulary) WHERE term >= ? LIMIT 1", arguments: [next]),
                      word.utf8.starts(with: prefix.utf8) {
                    words.append(word)
                    if words.count > maximumExpansion { return nil }
                    next = word + "\u{1}"
                }
                if words.isEmpty { return "\"\"" }
                let head = tokens.dropLast()
                groups.append("(" + words.map { SearchQuery.Term.phrase(Array(head) + [$0], prefix: false).expression }
                    .joined(separator: " OR ") + ")")
            }
            return groups.joined(separator: " AND ")
        } catch {
            return nil
        }
    }
}

extension CallSearchPage {
    func timeWalk(match: String?) -> SearchTimeWalk {
        let bounds = filter.dateRange?.bounds(clock)
        return SearchTimeWalk(fts: "call_fts", table: "calls", time: "started_at", spans: "call_id_span_by_day",
                              match: match ?? query.matchExpression ?? "\"\"", conditions: filter.conditions(clock),
                              from: bounds?.from, until: bounds?.until, columns: Self.columns, snippetColumn: -1)
    }

    /// The hits after `cursor` in time order (nil: the newest), at most `limit`. `match`: the
    /// query's words as `SearchTimeWalk.expandedMatch` named them for calls (nil: as written).
    func newest(after cursor: SearchTimeWalk.Position?, match: String? = nil, limit: Int, in db: Database) throws -> [SearchHit] {
        guard query.matchExpression != nil else { return [] }
        let walk = timeWalk(match: match)
        return try Search.translatingErrors { try walk.rows(after: cursor, limit: limit, in: db).map(Self.hit) }
    }
}

extension MessageSearchPage {
    func timeWalk(match: String?) -> SearchTimeWalk {
        let bounds = filter.dateRange?.bounds(clock)
        return SearchTimeWalk(fts: "message_fts", table: "messages", time: "sent_at", spans: "message_id_span_by_day",
                              match: match ?? query.matchExpression ?? "\"\"", conditions: filter.messageConditions(clock),
                              from: bounds?.from, until: bounds?.until, columns: Self.columns, snippetColumn: 0)
    }

    /// The hits after `cursor` in time order (nil: the newest), at most `limit`. `match`: as for calls.
    func newest(after cursor: SearchTimeWalk.Position?, match: String? = nil, limit: Int, in db: Database) throws -> [SearchHit] {
        guard query.matchExpression != nil else { return [] }
        let walk = timeWalk(match: match)
        return try Search.translatingErrors { try walk.rows(after: cursor, limit: limit, in: db).map(Self.hit) }
    }
}

extension SearchHit {
    /// Where the hit is in its kind's time order (the time walk's cursor).
    var timePosition: SearchTimeWalk.Position { SearchTimeWalk.Position(at: Int64(at.timeIntervalSince1970), id: target.rowID) }
}
