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
    /// What was typed into the list's filter line: a contact's name or email (words as typed), a
    /// number in any form, or a call's external id (`TypedNarrowing`); empty narrows nothing.
    public var search: String

    public init(filter: CallFilter = CallFilter(), clock: BrowseClock, sort: CallSort = .newestFirst, search: String = "") {
        self.filter = filter
        self.clock = clock
        self.sort = sort
        self.search = search
    }

    var narrowing: TypedNarrowing { TypedNarrowing(search) }

    /// `few`: the typed words match few contacts (`TypedNarrowing`), so their calls are read by
    /// the contact and number indexes and sorted.
    func query(few: Bool = true) -> KeysetQuery {
        var conditions = filter.conditions(clock)
        let narrowing = self.narrowing
        if narrowing.isActive { conditions.add(narrowing.callConditions(few: few)) }
        // With a number, its calls are read by the number indexes and sorted (`+` keeps the
        // planner off the sort's index, which would visit every call for a rare number); the same
        // for the calls of a few typed contacts.
        let sorted = filter.number != nil || narrowing.isActive && few
        return KeysetQuery(selectFrom: "SELECT \(CallRow.selectColumns) FROM calls \(CallRow.joins)",
                           conditions: conditions, keys: sorted ? sort.keys.map { "+" + $0 } : sort.keys, order: sort.order,
                           idsFirst: sorted ? ("calls.id", "calls \(CallRow.joins)") : nil)
    }

    var query: KeysetQuery { query() }

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
        let query = narrowing.isActive ? query(few: try narrowing.hasFewMatches(db, numbered: TypedNarrowing.numberedCalls)) : query
        return try query.fetch(db, cursor: try cursor.map(keyValues), comparison: comparison, limit: limit) {
            try CallRow(row: $0, now: now)
        }
    }

    public func rows(_ request: KeysetRequest<CallCursor>, in store: StoreReader) throws -> [CallRow] {
        try fetch(request.keyset.cursor, request.keyset.comparison, request.limit, store.db)
    }

    public func count(in store: StoreReader) throws -> Int {
        var conditions = filter.conditions(clock)
        if narrowing.isActive { conditions.add(narrowing.callConditions(few: true)) }
        return try KeysetQuery(selectFrom: "", conditions: conditions, keys: [], order: .descending).count(store.db, from: "calls")
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
