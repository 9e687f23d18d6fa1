import GRDB

/// A list that reads only the rows on screen: every page is found from a cursor (the sort key of a
/// row at its edge), never by OFFSET, so page 1 and page 20,000 cost the same.
///
/// All methods return rows in list order (for the calls list: newest first).
public protocol KeysetList: Sendable {
    associatedtype Row: Sendable
    associatedtype Cursor: Hashable & Sendable

    func cursor(of row: Row) -> Cursor
    /// The top of the list (`g`).
    func first(limit: Int, in db: Database) throws -> [Row]
    /// Rows after the cursor's row (scrolling down, PgDn).
    func after(_ cursor: Cursor, limit: Int, in db: Database) throws -> [Row]
    /// Rows before the cursor's row, ending just above it (scrolling up, PgUp).
    func before(_ cursor: Cursor, limit: Int, in db: Database) throws -> [Row]
    /// The bottom of the list (`G`).
    func last(limit: Int, in db: Database) throws -> [Row]
    /// The cursor's row (if it still exists) and the rows after it.
    func starting(at cursor: Cursor, limit: Int, in db: Database) throws -> [Row]
    /// Exact number of rows. Costs a walk of the matching index entries, so screens run it once per
    /// filter change, off the keystroke path, for the scrollbar.
    func count(in db: Database) throws -> Int
}

/// A window of rows and where the selection sits in it.
public struct KeysetWindow<Row: Sendable>: Sendable {
    public var rows: [Row]
    /// Index in `rows` of the selected row; nil when the list is empty.
    public var selectedIndex: Int?
}

extension KeysetList {
    /// Re-reads the window around a selected row after new data arrived, so the selection stays
    /// on the same record and at the same height on screen. If the selected record is gone, the
    /// next one takes its place.
    public func window(keeping selected: Cursor, rowsAbove: Int, limit: Int, in db: Database) throws -> KeysetWindow<Row> {
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
    var conditions: SQLConditions
    /// Key expressions, most significant first, e.g. `calls.started_at`, `calls.id`.
    var keys: [String]
    /// The list's order.
    var order: KeysetDirection

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
            let marks = Array(repeating: "?", count: cursor.count).joined(separator: ", ")
            conditions.add("(\(keys.joined(separator: ", "))) \(op) (\(marks))", cursor)
        }
        let orderBy = keys.map { "\($0) \(walk.sql)" }.joined(separator: ", ")
        let sql = "\(selectFrom) \(conditions.whereClause) ORDER BY \(orderBy) LIMIT ?"
        var arguments = conditions.arguments
        arguments += [limit]
        let rows = try GRDB.Row.fetchCursor(db, sql: sql, arguments: arguments)
        var result: [T] = []
        result.reserveCapacity(limit)
        while let row = try rows.next() { result.append(try decode(row)) }
        return walk == order ? result : result.reversed()
    }

    func count(_ db: Database, from: String) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(from) \(conditions.whereClause)", arguments: conditions.arguments) ?? 0
    }

    /// The SQL the list's first page runs, for EXPLAIN QUERY PLAN in tests and for the benchmark.
    func firstPageSQL(limit: Int) -> (sql: String, arguments: StatementArguments) {
        let orderBy = keys.map { "\($0) \(order.sql)" }.joined(separator: ", ")
        var arguments = conditions.arguments
        arguments += [limit]
        return ("\(selectFrom) \(conditions.whereClause) ORDER BY \(orderBy) LIMIT ?", arguments)
    }

    enum Comparison { case after, startingAt, before, fromEnd }
}
