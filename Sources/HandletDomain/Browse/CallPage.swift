import GRDB

/// The calls list: newest first, filtered, read a window at a time.
///
/// Walks `calls_by_time` (or `calls_by_outcome` / `calls_by_recording` when the filter pins one
/// outcome or asks for calls with audio), so every page is an index range read.
public struct CallPage: KeysetList {
    public var filter: CallFilter
    public var clock: BrowseClock
    /// Newest first unless a column is chosen.
    public var sort: CallSort

    public init(filter: CallFilter = CallFilter(), clock: BrowseClock, sort: CallSort = .newestFirst) {
        self.filter = filter
        self.clock = clock
        self.sort = sort
    }

    var query: KeysetQuery {
        KeysetQuery(selectFrom: "SELECT \(CallRow.selectColumns) FROM calls \(CallRow.joins)",
                    conditions: filter.conditions(clock),
                    // With a number, its calls are read by the number indexes and sorted (`+` keeps
                    // the planner off the sort's index, which would visit every call for a rare number).
                    keys: filter.number == nil ? sort.keys : sort.keys.map { "+" + $0 },
                    order: sort.order)
    }

    public func cursor(of row: CallRow) -> CallCursor { row.cursor(for: sort) }

    /// The cursor's values in key order. A cursor from another order (no value for the sorted
    /// column) starts at its time among the calls with the lowest value: the list's start.
    private func keyValues(_ cursor: CallCursor) throws -> [any DatabaseValueConvertible] {
        guard sort.column.expression != nil else { return [cursor.startedAt, cursor.id] }
        guard let value = cursor.sortValue else { throw CallSortError.cursorWithoutValue(sort) }
        let typed: any DatabaseValueConvertible
        switch (value, sort.column.isNumeric) {
        case (.integer(let n), true): typed = n
        case (.text(let text), true): guard let n = Int64(text) else { throw CallSortError.cursorWithoutValue(sort) }; typed = n
        case (.integer(let n), false): typed = String(n)
        case (.text(let text), false): typed = text
        }
        return [typed, cursor.startedAt, cursor.id]
    }

    private func fetch(_ cursor: CallCursor?, _ comparison: KeysetQuery.Comparison, _ limit: Int, _ db: Database) throws -> [CallRow] {
        let now = clock.nowSeconds
        return try query.fetch(db, cursor: try cursor.map(keyValues), comparison: comparison, limit: limit) {
            try CallRow(row: $0, now: now)
        }
    }

    public func rows(_ request: KeysetRequest<CallCursor>, in store: StoreReader) throws -> [CallRow] {
        try fetch(request.keyset.cursor, request.keyset.comparison, request.limit, store.db)
    }

    public func count(in store: StoreReader) throws -> Int {
        try KeysetQuery(selectFrom: "", conditions: filter.conditions(clock), keys: [], order: .descending).count(store.db, from: "calls")
    }

    /// The first page's SQL, for EXPLAIN QUERY PLAN and the benchmark.
    func firstPageSQL(limit: Int) -> (sql: String, arguments: StatementArguments) { query.firstPageSQL(limit: limit) }
}

/// A cursor that cannot continue this order: from a listing sorted otherwise.
public enum CallSortError: Error, Equatable, CustomStringConvertible, SysexitsError {
    case cursorWithoutValue(CallSort)

    public var description: String {
        switch self {
        case .cursorWithoutValue(let sort):
            "This cursor is not from a list sorted by \(sort.argument): use the cursor the same sorted listing printed."
        }
    }

    public var exitClass: ExitClass { .usage }
}
