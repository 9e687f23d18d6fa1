import GRDB

/// A list that reads only the rows on screen: every page is found from a cursor (the sort key of a
/// row at its edge), never by OFFSET, so page 1 and page 20,000 cost the same.
///
/// Read one through a session (`session.pager(list)`); the reads themselves happen in the domain,
/// on a `StoreReader` nothing outside it can make or open. All reads return rows in list order
/// (for the calls list: newest first).
public protocol KeysetList: Sendable {
    associatedtype Row: Sendable
    associatedtype Cursor: Hashable & Sendable

    /// What a session's actor needs to read this list (`.browse` unless a list says otherwise).
    static var permission: Permission { get }
    func cursor(of row: Row) -> Cursor
    /// The rows a request asks for, in list order.
    func rows(_ request: KeysetRequest<Cursor>, in store: StoreReader) throws -> [Row]
    /// Exact number of rows. Costs a walk of the matching index entries, so screens run it once per
    /// filter change, off the keystroke path, for the scrollbar.
    func count(in store: StoreReader) throws -> Int
}

extension KeysetList {
    public static var permission: Permission { .browse }
}

/// Which rows of a keyset list to read.
public enum KeysetRequest<Cursor: Hashable & Sendable>: Hashable, Sendable {
    /// The top of the list (`g`).
    case first(limit: Int)
    /// Rows after the cursor's row (scrolling down, PgDn).
    case after(Cursor, limit: Int)
    /// Rows before the cursor's row, ending just above it (scrolling up, PgUp).
    case before(Cursor, limit: Int)
    /// The bottom of the list (`G`).
    case last(limit: Int)
    /// The cursor's row (if it still exists) and the rows after it.
    case starting(at: Cursor, limit: Int)

    public var limit: Int {
        switch self {
        case .first(let limit), .after(_, let limit), .before(_, let limit), .last(let limit), .starting(_, let limit): limit
        }
    }

    /// The cursor and the comparison `KeysetQuery.fetch` takes.
    var keyset: (cursor: Cursor?, comparison: KeysetQuery.Comparison) {
        switch self {
        case .first: (nil, .after)
        case .after(let cursor, _): (cursor, .after)
        case .before(let cursor, _): (cursor, .before)
        case .last: (nil, .fromEnd)
        case .starting(let cursor, _): (cursor, .startingAt)
        }
    }
}

/// The database inside a read, as a keyset list sees it. Only the domain makes one or looks inside.
public struct StoreReader {
    let db: Database
}

/// A window of rows and where the selection sits in it.
public struct KeysetWindow<Row: Sendable>: Sendable {
    public var rows: [Row]
    /// Index in `rows` of the selected row; nil when the list is empty.
    public var selectedIndex: Int?

    public init(rows: [Row], selectedIndex: Int?) {
        self.rows = rows
        self.selectedIndex = selectedIndex
    }
}

extension KeysetList {
    /// Reads inside a domain transaction (tests, benchmarks, composite reads).
    func first(limit: Int, in db: Database) throws -> [Row] { try rows(.first(limit: limit), in: StoreReader(db: db)) }
    func after(_ cursor: Cursor, limit: Int, in db: Database) throws -> [Row] {
        try rows(.after(cursor, limit: limit), in: StoreReader(db: db))
    }
    func before(_ cursor: Cursor, limit: Int, in db: Database) throws -> [Row] {
        try rows(.before(cursor, limit: limit), in: StoreReader(db: db))
    }
    func last(limit: Int, in db: Database) throws -> [Row] { try rows(.last(limit: limit), in: StoreReader(db: db)) }
    func starting(at cursor: Cursor, limit: Int, in db: Database) throws -> [Row] {
        try rows(.starting(at: cursor, limit: limit), in: StoreReader(db: db))
    }
    func count(in db: Database) throws -> Int { try count(in: StoreReader(db: db)) }

    /// Re-reads the window around a selected row after new data arrived, so the selection stays
    /// on the same record and at the same height on screen. If the selected record is gone, the
    /// next one takes its place.
    func window(keeping selected: Cursor, rowsAbove: Int, limit: Int, in db: Database) throws -> KeysetWindow<Row> {
        precondition(limit > 0)
        let above = try before(selected, limit: min(max(rowsAbove, 0), limit - 1), in: db)
        var below = try starting(at: selected, limit: limit - above.count, in: db)
        if below.isEmpty {
            // The selection was the last row and has gone: select the new last row.
            below = try last(limit: 1, in: db).filter { row in !above.contains { cursor(of: $0) == cursor(of: row) } }
            let rows = above + below
            return KeysetWindow(rows: rows, selectedIndex: rows.isEmpty ? nil : rows.count - 1)
        }
        return KeysetWindow(rows: above + below, selectedIndex: above.count)
    }
}

/// The SQL shared by every keyset list: a base query, filters, and the ordered key columns.
struct KeysetQuery {
    /// `SELECT ... FROM ... [JOIN ...]` with no WHERE.
    var selectFrom: String
    /// A `WITH ...` clause put before both the page query and the count, and its arguments
    /// (bound before the conditions').
    var with = ""
    var withArguments = StatementArguments()
    var conditions: SQLConditions
    /// Key expressions, most significant first, e.g. `calls.started_at`, `calls.id`.
    var keys: [String]
    /// The list's order.
    var order: KeysetDirection
    /// When set, a page's ids are found first (`SELECT id FROM from WHERE … ORDER BY … LIMIT`) and
    /// only those rows are read whole. For a page sorted from many matches (the records of a few
    /// thousand typed contacts): the sort then holds ids and keys, not whole rows with their joins
    /// and subqueries, which made such a page three times slower (issue 25's filter line).
    var idsFirst: (id: String, from: String)? = nil

    /// Rows in list order starting after (or at, or before) `cursor`.
    func fetch<T>(_ db: Database, cursor: [any DatabaseValueConvertible]?, comparison: Comparison, limit: Int,
                  decode: (GRDB.Row) throws -> T) throws -> [T] {
        guard limit > 0 else { return [] }
        var conditions = self.conditions
        let walk: KeysetDirection
        switch comparison {
        case .after, .startingAt: walk = order
        case .before, .fromEnd: walk = order.reversed
        }
        if let cursor {
            let op: String
            switch comparison {
            case .after: op = order.forward
            case .startingAt: op = order.forwardInclusive
            case .before: op = order.backward
            case .fromEnd: preconditionFailure("the end needs no cursor")
            }
            // A key of stored text (a contact's name) is bound whole, NUL and all (`TextWithNUL`).
            let bound: [(mark: String, value: any DatabaseValueConvertible)] = cursor.map { value in
                if let text = value as? String, TextWithNUL.needsFullWrite(text) { return (TextWithNUL.bind, TextWithNUL.argument(text)) }
                return ("?", value)
            }
            conditions.add("(\(keys.joined(separator: ", "))) \(op) (\(bound.map(\.mark).joined(separator: ", ")))", bound.map(\.value))
        }
        let orderBy = keys.map { "\($0) \(walk.sql)" }.joined(separator: ", ")
        let sql = pageSQL(conditions: conditions, orderBy: orderBy)
        var arguments = withArguments
        arguments += conditions.arguments
        arguments += [limit]
        let rows = try GRDB.Row.fetchCursor(db, sql: sql, arguments: arguments)
        var result: [T] = []
        result.reserveCapacity(limit)
        while let row = try rows.next() { result.append(try decode(row)) }
        return walk == order ? result : result.reversed()
    }

    func count(_ db: Database, from: String) throws -> Int {
        var arguments = withArguments
        arguments += conditions.arguments
        return try Int.fetchOne(db, sql: "\(with) SELECT COUNT(*) FROM \(from) \(conditions.whereClause)", arguments: arguments) ?? 0
    }

    /// The SQL the list's first page runs, for EXPLAIN QUERY PLAN in tests and for the benchmark.
    func firstPageSQL(limit: Int) -> (sql: String, arguments: StatementArguments) {
        let orderBy = keys.map { "\($0) \(order.sql)" }.joined(separator: ", ")
        var arguments = withArguments
        arguments += conditions.arguments
        arguments += [limit]
        return (pageSQL(conditions: conditions, orderBy: orderBy), arguments)
    }

    /// A page's statement; its last argument is the limit.
    private func pageSQL(conditions: SQLConditions, orderBy: String) -> String {
        guard let idsFirst else { return "\(with) \(selectFrom) \(conditions.whereClause) ORDER BY \(orderBy) LIMIT ?" }
        return """
            \(with) \(selectFrom) WHERE \(idsFirst.id) IN (SELECT \(idsFirst.id) FROM \(idsFirst.from) \(conditions.whereClause) \
            ORDER BY \(orderBy) LIMIT ?) ORDER BY \(orderBy)
            """
    }

    enum Comparison { case after, startingAt, before, fromEnd }
}
