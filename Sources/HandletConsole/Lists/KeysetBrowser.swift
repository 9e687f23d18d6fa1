import Foundation
import HandletDomain
import TerminalUI

/// The reads a scrolling list makes, each in one snapshot: what `KeysetPager` does through the
/// acting user's session, and what a test's in-memory list does with no database at all.
protocol KeysetPaging {
    associatedtype Row: Sendable
    associatedtype Cursor: Hashable
    func cursor(of row: Row) -> Cursor
    func first(limit: Int) throws -> [Row]
    func after(_ cursor: Cursor, limit: Int) throws -> [Row]
    func before(_ cursor: Cursor, limit: Int) throws -> [Row]
    func last(limit: Int) throws -> [Row]
    /// The selected row (or, if it is gone, the next; if it was last, the new last) with up to
    /// `rowsAbove` rows above it, `limit` rows in all.
    func window(keeping selected: Cursor, rowsAbove: Int, limit: Int) throws -> KeysetWindow<Row>
}

extension KeysetPager: KeysetPaging {
    func cursor(of row: Row) -> Cursor { list.cursor(of: row) }
}

/// The scroll state of a list of any length: a window of rows read by keyset around the selection.
///
/// Only the window is in memory, so a list of millions costs what a list of a hundred does; every
/// move reads at most one page. The absolute position is known while the window was reached from
/// the top (or from the end once the total is counted), and shown only then.
///
/// Every read happens in a move, a reload or `setPageHeight` (layout); drawing only reads
/// `visibleRows`, `selectedOnScreen` and `positionText`.
struct KeysetBrowser<Pager: KeysetPaging> {
    typealias Row = Pager.Row
    var pager: Pager
    private(set) var rows: [Row] = []
    /// Index in `rows` of the selected row.
    private(set) var selected = 0
    /// Index in `rows` of the first row on screen.
    private(set) var top = 0
    /// Rows on screen, from the last layout.
    private(set) var pageHeight = 20
    private(set) var reachedStart = true
    private(set) var reachedEnd = true
    /// Absolute index of `rows[0]` when known.
    private(set) var firstIndex: Int? = 0
    /// Exact number of rows, counted off the keystroke path; nil until known (see `setTotal`).
    private(set) var total: Int?

    /// Rows kept beyond what is on screen, so small moves do not read at all.
    var windowLimit: Int { pageHeight * 4 + 32 }
    private var fetchSize: Int { pageHeight + 16 }

    init(pager: Pager) { self.pager = pager }

    var selectedRow: Row? { rows.indices.contains(selected) ? rows[selected] : nil }
    var isEmpty: Bool { rows.isEmpty }
    var visibleRows: ArraySlice<Row> { rows[min(top, rows.count)..<min(rows.count, top + pageHeight)] }
    var selectedOnScreen: Int { selected - top }

    /// "1,204 of 1,000,000", or "of about …" when the position is not known.
    var positionText: String {
        guard !rows.isEmpty else { return "empty" }
        let totalText = total.map { DisplayText.count($0) }
        if let firstIndex {
            let position = DisplayText.count(firstIndex + selected + 1)
            return totalText.map { "\(position) of \($0)" } ?? position
        }
        return totalText.map { "of \($0)" } ?? ""
    }

    /// The count arrived (nil: a new filter, not counted yet). A window that reaches the end of
    /// the list knows its position from it.
    mutating func setTotal(_ count: Int?) {
        total = count
        if let count, firstIndex == nil, reachedEnd { firstIndex = max(0, count - rows.count) }
    }

    /// The screen's height for the list (layout, a resize): reads what a taller screen needs to
    /// be full, and keeps the selection on it.
    mutating func setPageHeight(_ height: Int) throws {
        let height = max(1, height)
        guard height != pageHeight else { return }
        pageHeight = height
        try fillBelow()
        try fillAbove()
        scrollSelectionIntoView()
        trimWindow()
    }

    // MARK: Moves

    mutating func reload() throws {
        rows = try pager.first(limit: fetchSize)
        selected = 0
        top = 0
        reachedStart = true
        reachedEnd = rows.count < fetchSize
        firstIndex = 0
    }

    /// Re-reads around the selected row so the selection stays on the same record at the same
    /// height after new data arrives or a filter is cleared.
    mutating func refreshKeepingSelection() throws {
        guard let current = selectedRow else { return try reload() }
        let rowsAbove = selected - top
        let window = try pager.window(keeping: pager.cursor(of: current), rowsAbove: rowsAbove, limit: fetchSize + rowsAbove)
        rows = window.rows
        selected = window.selectedIndex ?? 0
        top = max(0, selected - rowsAbove)
        try settleAbove()
        reachedEnd = false
        try fillBelow()
        // Only moves when the end came up (the last rows went): the screen stays full.
        scrollSelectionIntoView()
    }

    /// After re-reading around a row: reads up to a page above it, so a selection near the top
    /// knows its position again (a few new rows above), and one deep in the list says it does not.
    private mutating func settleAbove() throws {
        reachedStart = false
        firstIndex = nil
        guard !rows.isEmpty else { reachedStart = true; firstIndex = 0; return }
        _ = try extendAbove(atLeast: fetchSize)
        trimWindow()
    }

    mutating func apply(_ action: NavigationAction) throws {
        switch action {
        case .down: try move(by: 1)
        case .up: try move(by: -1)
        case .pageDown: try move(by: max(1, pageHeight - 1))
        case .pageUp: try move(by: -max(1, pageHeight - 1))
        case .top: try reload()
        case .bottom: try jumpToEnd()
        case .left, .right: break
        }
    }

    mutating func jumpToEnd() throws {
        rows = try pager.last(limit: fetchSize)
        selected = max(0, rows.count - 1)
        top = max(0, rows.count - pageHeight)
        reachedEnd = true
        reachedStart = rows.count < fetchSize
        firstIndex = reachedStart ? 0 : total.map { $0 - rows.count }
    }

    /// Selects the row with this cursor if it is in the list (after a search hit or a jump).
    mutating func select(_ cursor: Pager.Cursor) throws {
        let window = try pager.window(keeping: cursor, rowsAbove: pageHeight / 2, limit: fetchSize + pageHeight / 2)
        rows = window.rows
        selected = window.selectedIndex ?? 0
        top = max(0, selected - pageHeight / 2)
        try settleAbove()
        reachedEnd = false
        try fillBelow()
        scrollSelectionIntoView()
    }

    private mutating func move(by delta: Int) throws {
        guard !rows.isEmpty else { return }
        var target = selected + delta
        if target >= rows.count && !reachedEnd {
            try extendBelow(atLeast: target - rows.count + pageHeight)
            target = min(target, rows.count - 1)
        } else if target < 0 && !reachedStart {
            let added = try extendAbove(atLeast: -target + pageHeight)
            target += added
        }
        selected = min(max(0, target), rows.count - 1)
        try fillBelow()
        scrollSelectionIntoView()
        trimWindow()
    }

    /// Keeps a full screen below `top` loaded, so the last page is never drawn half empty.
    private mutating func fillBelow() throws {
        if !reachedEnd && rows.count - top < pageHeight + 1 {
            try extendBelow(atLeast: pageHeight + 1 - (rows.count - top))
        }
    }

    /// At the end of the list, keeps a full screen loaded above the last row, so a screen made
    /// taller at the bottom of the list is not drawn half empty.
    private mutating func fillAbove() throws {
        if reachedEnd && !reachedStart && rows.count < pageHeight { _ = try extendAbove(atLeast: pageHeight - rows.count) }
    }

    private mutating func extendBelow(atLeast needed: Int) throws {
        guard let last = rows.last else { return }
        let limit = max(needed, fetchSize)
        let more = try pager.after(pager.cursor(of: last), limit: limit)
        rows += more
        if more.count < limit {
            reachedEnd = true
            // Counted, and now at the end: the position is known from the bottom.
            if firstIndex == nil, let total { firstIndex = max(0, total - rows.count) }
        }
    }

    /// Returns how many rows were put in front (indices shift by that much).
    private mutating func extendAbove(atLeast needed: Int) throws -> Int {
        guard let first = rows.first else { return 0 }
        let limit = max(needed, fetchSize)
        let more = try pager.before(pager.cursor(of: first), limit: limit)
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
