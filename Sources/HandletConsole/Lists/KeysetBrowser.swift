import HandletDomain
import TerminalUI

/// The scroll state of a list of any length: a window of rows read by keyset around the selection,
/// each read through the acting user's session.
///
/// Only the window is in memory, so a list of millions costs what a list of a hundred does; every
/// move reads at most one page. The absolute position is known while the window was reached from
/// the top (or from the end once the total is counted), and shown only then.
struct KeysetBrowser<List: KeysetList> {
    var list: List
    private(set) var rows: [List.Row] = []
    /// Index in `rows` of the selected row.
    private(set) var selected = 0
    /// Index in `rows` of the first row on screen.
    private(set) var top = 0
    /// Rows visible at the last render.
    private(set) var pageHeight = 20
    private(set) var reachedStart = true
    private(set) var reachedEnd = true
    /// Absolute index of `rows[0]` when known.
    private(set) var firstIndex: Int? = 0
    /// Exact number of rows, counted off the keystroke path; nil until known.
    var total: Int?

    /// Rows kept beyond what is on screen, so small moves do not read at all.
    private var windowLimit: Int { pageHeight * 4 + 32 }
    private var fetchSize: Int { pageHeight + 16 }

    init(list: List) { self.list = list }

    var selectedRow: List.Row? { rows.indices.contains(selected) ? rows[selected] : nil }
    var isEmpty: Bool { rows.isEmpty }
    var visibleRows: ArraySlice<List.Row> { rows[min(top, rows.count)..<min(rows.count, top + pageHeight)] }
    var selectedOnScreen: Int { selected - top }

    /// "1,204 of 1,000,000", or "of about …" when the position is not known.
    var positionText: String {
        guard !rows.isEmpty else { return "empty" }
        let totalText = total.map { $0.formatted(.number) }
        if let firstIndex {
            let position = (firstIndex + selected + 1).formatted(.number)
            return totalText.map { "\(position) of \($0)" } ?? position
        }
        return totalText.map { "of \($0)" } ?? ""
    }

    mutating func setPageHeight(_ height: Int, session: WorkspaceSession) throws {
        let height = max(1, height)
        guard height != pageHeight else { return }
        pageHeight = height
        try fillBelow(session)
        scrollSelectionIntoView()
    }

    // MARK: Moves

    mutating func reload(_ session: WorkspaceSession) throws {
        rows = try session.pager(list).first(limit: fetchSize)
        selected = 0
        top = 0
        reachedStart = true
        reachedEnd = rows.count < fetchSize
        firstIndex = 0
    }

    /// Re-reads around the selected row so the selection stays on the same record at the same
    /// height after new data arrives or a filter is cleared.
    mutating func refreshKeepingSelection(_ session: WorkspaceSession) throws {
        guard let current = selectedRow else { return try reload(session) }
        let rowsAbove = selected - top
        let window = try session.pager(list).window(keeping: list.cursor(of: current), rowsAbove: rowsAbove,
                                                    limit: fetchSize + rowsAbove)
        rows = window.rows
        selected = window.selectedIndex ?? 0
        top = max(0, selected - rowsAbove)
        try settleAbove(session)
        reachedEnd = false
        try fillBelow(session)
    }

    /// After re-reading around a row: reads up to a page above it, so a selection near the top
    /// knows its position again (a few new rows above), and one deep in the list says it does not.
    private mutating func settleAbove(_ session: WorkspaceSession) throws {
        reachedStart = false
        firstIndex = nil
        guard !rows.isEmpty else { reachedStart = true; firstIndex = 0; return }
        _ = try extendAbove(session, atLeast: fetchSize)
        trimWindow()
    }

    mutating func apply(_ action: NavigationAction, _ session: WorkspaceSession) throws {
        switch action {
        case .down: try move(by: 1, session)
        case .up: try move(by: -1, session)
        case .pageDown: try move(by: max(1, pageHeight - 1), session)
        case .pageUp: try move(by: -max(1, pageHeight - 1), session)
        case .top: try reload(session)
        case .bottom: try jumpToEnd(session)
        case .left, .right: break
        }
    }

    mutating func jumpToEnd(_ session: WorkspaceSession) throws {
        rows = try session.pager(list).last(limit: fetchSize)
        selected = max(0, rows.count - 1)
        top = max(0, rows.count - pageHeight)
        reachedEnd = true
        reachedStart = rows.count < fetchSize
        firstIndex = reachedStart ? 0 : total.map { $0 - rows.count }
    }

    /// Selects the row with this cursor if it is in the list (after a search hit or a jump).
    mutating func select(_ cursor: List.Cursor, _ session: WorkspaceSession) throws {
        let window = try session.pager(list).window(keeping: cursor, rowsAbove: pageHeight / 2, limit: fetchSize + pageHeight / 2)
        rows = window.rows
        selected = window.selectedIndex ?? 0
        top = max(0, selected - pageHeight / 2)
        try settleAbove(session)
        reachedEnd = false
        try fillBelow(session)
        scrollSelectionIntoView()
    }

    private mutating func move(by delta: Int, _ session: WorkspaceSession) throws {
        guard !rows.isEmpty else { return }
        var target = selected + delta
        if target >= rows.count && !reachedEnd {
            try extendBelow(session, atLeast: target - rows.count + pageHeight)
            target = min(target, rows.count - 1)
        } else if target < 0 && !reachedStart {
            let added = try extendAbove(session, atLeast: -target + pageHeight)
            target += added
        }
        selected = min(max(0, target), rows.count - 1)
        try fillBelow(session)
        scrollSelectionIntoView()
        trimWindow()
    }

    /// Keeps a full screen below `top` loaded, so the last page is never drawn half empty.
    private mutating func fillBelow(_ session: WorkspaceSession) throws {
        if !reachedEnd && rows.count - top < pageHeight + 1 {
            try extendBelow(session, atLeast: pageHeight + 1 - (rows.count - top))
        }
    }

    private mutating func extendBelow(_ session: WorkspaceSession, atLeast needed: Int) throws {
        guard let last = rows.last else { return }
        let limit = max(needed, fetchSize)
        let more = try session.pager(list).after(list.cursor(of: last), limit: limit)
        rows += more
        if more.count < limit { reachedEnd = true }
    }

    /// Returns how many rows were put in front (indices shift by that much).
    private mutating func extendAbove(_ session: WorkspaceSession, atLeast needed: Int) throws -> Int {
        guard let first = rows.first else { return 0 }
        let limit = max(needed, fetchSize)
        let more = try session.pager(list).before(list.cursor(of: first), limit: limit)
        rows.insert(contentsOf: more, at: 0)
        selected += more.count
        top += more.count
        if let known = firstIndex { firstIndex = known - more.count }
        if more.count < limit {
            reachedStart = true
            firstIndex = 0
        }
        return more.count
    }

    /// The smallest scroll that shows the selection: moving one row scrolls one row.
    private mutating func scrollSelectionIntoView() {
        if selected < top { top = selected }
        if selected >= top + pageHeight { top = selected - pageHeight + 1 }
        top = max(0, min(top, max(0, rows.count - pageHeight)))
        if selected < top { top = selected }
    }

    /// Drops rows far from the screen so memory stays flat however far the user scrolls.
    private mutating func trimWindow() {
        let excess = rows.count - windowLimit
        guard excess > 0 else { return }
        let spareAbove = top - pageHeight
        let spareBelow = rows.count - (top + 2 * pageHeight)
        if spareAbove >= spareBelow, spareAbove > 0 {
            let drop = min(excess, spareAbove)
            rows.removeFirst(drop)
            selected -= drop
            top -= drop
            reachedStart = false
            if let known = firstIndex { firstIndex = known + drop }
        } else if spareBelow > 0 {
            rows.removeLast(min(excess, spareBelow))
            reachedEnd = false
        }
    }
}
