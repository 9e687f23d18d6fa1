/// A keyset list read through a session: each call is one read (one snapshot) checked against the
/// list's permission. What the console's scrolling lists and the CLI's paged listings hold.
public struct KeysetPager<List: KeysetList>: Sendable {
    public let list: List
    let session: WorkspaceSession

    public typealias Row = List.Row
    public typealias Cursor = List.Cursor

    public func rows(_ request: KeysetRequest<Cursor>) throws -> [Row] { try session.read(.rows(of: list, request)) }

    public func first(limit: Int) throws -> [Row] { try rows(.first(limit: limit)) }
    public func after(_ cursor: Cursor, limit: Int) throws -> [Row] { try rows(.after(cursor, limit: limit)) }
    public func before(_ cursor: Cursor, limit: Int) throws -> [Row] { try rows(.before(cursor, limit: limit)) }
    public func last(limit: Int) throws -> [Row] { try rows(.last(limit: limit)) }
    public func starting(at cursor: Cursor, limit: Int) throws -> [Row] { try rows(.starting(at: cursor, limit: limit)) }

    /// The rows around a selected row, in one snapshot (see `WorkspaceQuery.window(of:keeping:rowsAbove:limit:)`).
    public func window(keeping selected: Cursor, rowsAbove: Int, limit: Int) throws -> KeysetWindow<Row> {
        try session.read(.window(of: list, keeping: selected, rowsAbove: rowsAbove, limit: limit))
    }

    /// The exact count, on the calling thread.
    public func count() throws -> Int { try session.read(.count(of: list)) }

    /// The exact count off the caller's thread; cancelling the task interrupts it.
    public func count() async throws -> Int { try await session.read(.count(of: list)) }
}

extension WorkspaceQuery {
    /// Rows of any keyset list, needing the list's permission.
    public static func rows<List: KeysetList>(of list: List, _ request: KeysetRequest<List.Cursor>) -> WorkspaceQuery<[List.Row]>
    where Value == [List.Row] {
        WorkspaceQuery(List.permission) { try list.rows(request, in: StoreReader(db: $0.db)) }
    }

    /// Re-reads the window around a selected row after new data arrived, so the selection stays on
    /// the same record and at the same height on screen; if that record is gone, the next one takes
    /// its place.
    public static func window<List: KeysetList>(of list: List, keeping selected: List.Cursor, rowsAbove: Int,
                                                limit: Int) -> WorkspaceQuery<KeysetWindow<List.Row>>
    where Value == KeysetWindow<List.Row> {
        WorkspaceQuery(List.permission) { try list.window(keeping: selected, rowsAbove: rowsAbove, limit: limit, in: $0.db) }
    }

    /// The exact number of rows in a list.
    public static func count<List: KeysetList>(of list: List) -> WorkspaceQuery<Int> where Value == Int {
        WorkspaceQuery(List.permission) { try list.count(in: StoreReader(db: $0.db)) }
    }
}
