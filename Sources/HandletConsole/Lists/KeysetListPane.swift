import HandletDomain
import TerminalUI

/// A table over a keyset list: loading, moving, counting in the background and drawing, shared
/// by every list in the console (calls, threads, contacts, a contact's timeline).
///
/// Reads happen in `reload`, `refresh`, the moves and `layout`; `render` draws what they loaded.
struct KeysetListPane<List: KeysetList> where List.Row: Equatable {
    /// Names the background count, so a count reaches only the list that asked for it.
    let name: String
    var browser: KeysetBrowser<KeysetPager<List>>
    var columns: [TableColumn]
    /// The ▲/▼ in the header and the column a sort key acts on (a list that sorts sets them).
    var sortMarker: (column: Int, ascending: Bool)?
    var focusedColumn: Int?
    private(set) var problem: String?
    private(set) var loaded = false
    private var generation = 0
    /// The count running in the background: cancelled (its SQLite read interrupted) when the
    /// rows it counts are replaced, so stale counts never pile up behind the keys.
    private var counting: Task<Void, Never>?
    /// True when the rows were read as a key was typed and their count waits for the keys to
    /// settle (`countIfDue`): typing never waits on a count, not even for the CPU.
    private(set) var countDue = false

    /// The rows as last drawn: a move copies them and draws only rows new on screen (issue 26).
    let drawnRows = DrawnRows<List.Cursor, List.Row>()

    init(name: String, list: List, session: WorkspaceSession, columns: [TableColumn]) {
        self.name = name
        browser = KeysetBrowser(pager: session.pager(list))
        self.columns = columns
    }

    var list: List { browser.pager.list }
    var selectedRow: List.Row? { browser.selectedRow }
    var positionText: String { browser.positionText }
    /// How many rows the list holds, once counted.
    var total: Int? { browser.total }

    /// Reads the first page again (a new filter or list) and starts counting, or, `whenSettled`
    /// (a key typed into a filter line), leaves the count until the keys settle (`countIfDue`).
    mutating func reload(_ list: List, context: ConsoleContext, countWhenSettled: Bool = false) {
        browser.pager = context.session.pager(list)
        browser.setTotal(nil)
        generation += 1
        counting?.cancel()
        counting = nil
        attempt { try $0.reload() }
        loaded = true
        countDue = countWhenSettled
        if !countWhenSettled { startCount(context) }
    }

    /// The keys have settled (`Screen.idle`): the count a typed key left for now starts.
    mutating func countIfDue(_ context: ConsoleContext) {
        guard countDue else { return }
        countDue = false
        startCount(context)
    }

    private mutating func startCount(_ context: ConsoleContext) {
        counting?.cancel()
        counting = ListCounter.start(browser.pager.list, name: name, generation: generation, context: context)
    }

    /// The same rows in another order (a sorted column): read from the top, and the count kept,
    /// since the order changes no count (a count still running for these rows is still taken).
    mutating func reorder(_ list: List, context: ConsoleContext) {
        browser.pager = context.session.pager(list)
        attempt { try $0.reload() }
        browser.setTotal(browser.total)
    }

    /// The same list, re-read around the selected row (data may have arrived since).
    mutating func refresh(_ list: List, context: ConsoleContext) {
        guard loaded else { return reload(list, context: context) }
        browser.pager = context.session.pager(list)
        attempt { try $0.refreshKeepingSelection() }
        generation += 1
        countDue = false
        startCount(context)
    }

    mutating func move(_ action: NavigationAction) { attempt { try $0.apply(action) } }

    mutating func select(_ cursor: List.Cursor) { attempt { try $0.select(cursor) } }

    /// The pane's height on screen (its table's header included): the list reads what fills it.
    /// A failure is shown until a read succeeds; a layout that reads nothing clears nothing.
    mutating func layout(height: Int) {
        do { try browser.setPageHeight(height - 1) } catch { problem = "Could not read the \(name.lowercased()): \(error)" }
    }

    private mutating func attempt(_ body: (inout KeysetBrowser<KeysetPager<List>>) throws -> Void) {
        do {
            try body(&browser)
            problem = nil
        } catch {
            problem = "Could not read the \(name.lowercased()): \(error)"
        }
    }

    /// True if the message was this list's count.
    mutating func receive(_ message: any Sendable) -> Bool {
        guard let counted = message as? ListCounted, counted.listName == name, counted.generation == generation else { return false }
        counting = nil
        browser.setTotal(counted.total)
        return true
    }

    /// `row` turns a record into its table row; `context` is everything it reads besides the record
    /// (the clock, the marked rows), so that rows kept from an earlier frame are drawn again when it changes.
    func render(into grid: inout Grid, area: Rect, emptyMessage: String, context: AnyHashable, row: (List.Row) -> TableRow) {
        if let problem {
            grid.put(problem, x: area.x + 1, y: area.y + 1, style: .error, maxWidth: area.width - 2)
            return
        }
        let state = TableState(selected: browser.selectedOnScreen)
        var table = Table(columns: columns, sort: sortMarker)
        table.focusedColumn = focusedColumn
        if browser.isEmpty {
            table.render(into: &grid, area: Rect(x: area.x, y: area.y, width: area.width, height: 1),
                                           state: state, source: ArrayTableSource([]))
            grid.put(emptyMessage, x: area.x + 2, y: area.y + 2, style: .dim, maxWidth: area.width - 4)
            return
        }
        let list = self.list
        let signature = DrawnRows<List.Cursor, List.Row>.Signature(columns: columns, width: area.width, context: context)
        let rows = drawnRows.cells(of: browser.visibleRows, key: list.cursor(of:), signature: signature) {
            table.cells(of: row($0), width: area.width)
        }
        table.render(into: &grid, area: area, state: state, drawnRows: rows)
    }
}
