import GRDB

/// The calls list: newest first, filtered, read a window at a time.
///
/// Walks `calls_by_time` (or `calls_by_outcome` / `calls_by_recording` when the filter pins one
/// outcome or asks for calls with audio), so every page is an index range read.
public struct CallPage: KeysetList {
    public var filter: CallFilter
    public var clock: BrowseClock

    public init(filter: CallFilter = CallFilter(), clock: BrowseClock) {
        self.filter = filter
        self.clock = clock
    }

    var query: KeysetQuery {
        KeysetQuery(selectFrom: "SELECT \(CallRow.selectColumns) FROM calls \(CallRow.joins)",
                    conditions: filter.conditions(clock),
                    // With a number, its calls are read by the number indexes and sorted (`+` keeps
                    // the planner off the time index, which would visit every call for a rare number).
                    keys: filter.number == nil ? ["calls.started_at", "calls.id"] : ["+calls.started_at", "+calls.id"],
                    order: .descending)
    }

    public func cursor(of row: CallRow) -> CallCursor { row.cursor }

    private func fetch(_ cursor: CallCursor?, _ comparison: KeysetQuery.Comparison, _ limit: Int, _ db: Database) throws -> [CallRow] {
        let now = clock.nowSeconds
        return try query.fetch(db, cursor: cursor.map { [$0.startedAt, $0.id] }, comparison: comparison, limit: limit) {
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
