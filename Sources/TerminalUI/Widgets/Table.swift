/// How many rows a table's source holds. Counting millions of rows can cost more than
/// showing them, so a source may say only "at least this many".
public enum RowCount: Sendable, Equatable {
    case exact(Int)
    /// At least this many; more may follow (the table lets the selection run past it).
    case atLeast(Int)

    public var known: Int {
        switch self { case .exact(let n), .atLeast(let n): return n }
    }
}

/// One row as the table shows it.
public struct TableRow: Sendable, Equatable {
    public var cells: [String]
    /// nil: `.normal`; a source can mark rows (a missed call as `.warning`).
    public var style: Style?
    public init(_ cells: [String], style: Style? = nil) {
        self.cells = cells
        self.style = style
    }
}

/// Supplies rows on demand. The table asks only for the window on screen, so a source over
/// SQLite can use keyset pagination (remembering the key at each window edge) and a list of
/// millions scrolls as fast as a list of ten.
public protocol TableDataSource {
    var rowCount: RowCount { get }
    /// Rows `window.lowerBound..<window.upperBound`; may return fewer at the end of the data.
    func rows(in window: Range<Int>) -> [TableRow]
}

/// A source over an array, for small lists and tests.
public struct ArrayTableSource: TableDataSource, Sendable {
    public var allRows: [TableRow]
    public init(_ rows: [TableRow]) { allRows = rows }
    public var rowCount: RowCount { .exact(allRows.count) }
    public func rows(in window: Range<Int>) -> [TableRow] {
        let clamped = window.clamped(to: 0..<allRows.count)
        return Array(allRows[clamped])
    }
}

public struct TableColumn: Sendable, Equatable {
    public enum Width: Sendable, Equatable {
        /// Exactly this many columns.
        case fixed(Int)
        /// At least `minimum`, sharing leftover space with other flexible columns by `weight`.
        case flexible(minimum: Int, weight: Int)
    }
    public var title: String
    public var width: Width
    public var alignRight: Bool

    public init(_ title: String, width: Width, alignRight: Bool = false) {
        self.title = title
        self.width = width
        self.alignRight = alignRight
    }
}

/// Selection and scroll position, kept by the screen between frames.
public struct TableState: Sendable, Equatable {
    public var selected: Int = 0
    /// First row on screen.
    public var offset: Int = 0
    /// Body rows visible at the last render; paging moves by this much.
    public private(set) var pageHeight: Int = 1

    public init(selected: Int = 0) { self.selected = selected }

    /// Moves the selection; `rowCount` bounds it (an `atLeast` count lets it go one past,
    /// which tells the source to fetch more).
    public mutating func apply(_ action: NavigationAction, rowCount: RowCount) {
        let lastKnown = max(0, rowCount.known - 1)
        switch action {
        case .up: selected -= 1
        case .down: selected += 1
        case .pageUp: selected -= max(1, pageHeight - 1)
        case .pageDown: selected += max(1, pageHeight - 1)
        case .top: selected = 0
        case .bottom: selected = lastKnown
        case .left, .right: break
        }
        selected = min(max(0, selected), lastKnown)
    }

    /// Keeps the selection on screen with the smallest scroll, so moving one row scrolls
    /// one row (which the terminal can do cheaply) rather than re-centring. A screen calls it
    /// when it lays out and after each move; `height` is the table's body (its area less the header).
    public mutating func fit(height: Int, rowCount: RowCount) {
        pageHeight = max(1, height)
        if selected < offset { offset = selected }
        if selected >= offset + pageHeight { offset = selected - pageHeight + 1 }
        if case .exact(let count) = rowCount { offset = min(offset, max(0, count - pageHeight)) }
        offset = max(0, offset)
    }
}

/// A table with a header, column widths, a sort marker and a selected row.
public struct Table {
    public var columns: [TableColumn]
    /// Column index and direction for the ▲/▼ marker; sorting itself is the source's job.
    public var sort: (column: Int, ascending: Bool)?
    /// The column a sort key acts on: its title is drawn underlined and bold.
    public var focusedColumn: Int?
    /// Columns between cells.
    public var spacing = 1
    public var showsSelection = true

    public init(columns: [TableColumn], sort: (column: Int, ascending: Bool)? = nil) {
        self.columns = columns
        self.sort = sort
    }

    /// Resolves column widths for a total width: fixed first, then minimums, then the rest by weight.
    public func columnWidths(total: Int) -> [Int] {
        let gaps = spacing * max(0, columns.count - 1)
        var widths = columns.map { column -> Int in
            switch column.width {
            case .fixed(let n): return n
            case .flexible(let minimum, _): return minimum
            }
        }
        var spare = total - gaps - widths.reduce(0, +)
        let weights = columns.map { column -> Int in
            if case .flexible(_, let weight) = column.width { return max(0, weight) }
            return 0
        }
        let totalWeight = weights.reduce(0, +)
        if spare > 0 && totalWeight > 0 {
            var given = 0
            for index in widths.indices where weights[index] > 0 {
                let share = spare * weights[index] / totalWeight
                widths[index] += share
                given += share
            }
            // Rounding leftovers go to the last flexible column so the table fills the width.
            if let last = weights.lastIndex(where: { $0 > 0 }) { widths[last] += spare - given }
            spare = 0
        }
        return widths
    }

    /// Draws the rows from `state`'s offset, fitted for this frame only (the state is the screen's).
    public func render(into grid: inout Grid, area: Rect, state: TableState, source: some TableDataSource) {
        guard !area.isEmpty else { return }
        let widths = columnWidths(total: area.width)
        let body = renderHeader(into: &grid, area: area, widths: widths)
        var state = state
        state.fit(height: body.height, rowCount: source.rowCount)
        let rows = source.rows(in: state.offset..<(state.offset + body.height))
        for (line, row) in rows.enumerated() where line < body.height {
            let isSelected = showsSelection && state.offset + line == state.selected
            draw(row, style: isSelected ? Style.selection : (row.style ?? .normal), into: &grid,
                 x: area.x, y: body.y + line, width: area.width, widths: widths)
        }
    }

    /// One body row as `render` draws it unselected, in a row `width` columns wide: what a screen
    /// keeps between frames, so that a row whose record did not change is copied rather than
    /// formatted and drawn again (issue 26).
    public func cells(of row: TableRow, width: Int) -> [Cell] {
        var line = Grid(width: width, height: 1)
        draw(row, style: row.style ?? .normal, into: &line, x: 0, y: 0, width: width, widths: columnWidths(total: width))
        return line.cells
    }

    /// `render` over rows already drawn by `cells(of:width:)` at this area's width: the screen's
    /// rows from the first, each copied in, and the selected one restyled, which gives the same
    /// cells as drawing it selected (the selection's style over every cell, control stand-ins
    /// keeping their role).
    public func render(into grid: inout Grid, area: Rect, state: TableState, drawnRows rows: [[Cell]]) {
        guard !area.isEmpty else { return }
        let body = renderHeader(into: &grid, area: area, widths: columnWidths(total: area.width))
        var state = state
        state.fit(height: body.height, rowCount: .exact(rows.count))
        for line in 0..<body.height where state.offset + line < rows.count {
            let y = body.y + line
            grid.place(rows[state.offset + line], x: area.x, y: y)
            if showsSelection && state.offset + line == state.selected {
                grid.setStyle(Rect(x: area.x, y: y, width: area.width, height: 1), style: .selection)
            }
        }
    }

    /// The header line (titles, the sort's marker, the focused column); returns the body's area.
    private func renderHeader(into grid: inout Grid, area: Rect, widths: [Int]) -> Rect {
        let (headerArea, body) = area.splitTop(1)
        grid.fill(headerArea, style: .header)
        var x = area.x
        for (index, column) in columns.enumerated() where x < area.maxX {
            var title = column.title
            let width = min(widths[index], area.maxX - x)
            if let sort, sort.column == index {
                // The marker stays visible in a narrow column: first the space before it goes, then the title's end.
                var marker = sort.ascending ? " ▲" : " ▼"
                if TextWidth.width(of: title) + 2 > width { marker.removeFirst() }
                if TextWidth.width(of: title) + TextWidth.width(of: marker) > width {
                    title = String(title.prefix(max(0, width - TextWidth.width(of: marker))))
                }
                title += marker
            }
            let style = focusedColumn == index ? Style.header.adding([.underline, .bold]) : .header
            put(title, in: &grid, x: x, y: headerArea.y, width: width, alignRight: column.alignRight, style: style)
            x += widths[index] + spacing
        }
        return body
    }

    /// One body row in `style`, across `width` columns from `x`.
    private func draw(_ row: TableRow, style: Style, into grid: inout Grid, x left: Int, y: Int, width: Int, widths: [Int]) {
        grid.fill(Rect(x: left, y: y, width: width, height: 1), style: style)
        let maxX = left + width
        var x = left
        for (index, column) in columns.enumerated() where x < maxX {
            let text = index < row.cells.count ? row.cells[index] : ""
            let cellWidth = min(widths[index], maxX - x)
            put(text, in: &grid, x: x, y: y, width: cellWidth, alignRight: column.alignRight, style: style)
            x += widths[index] + spacing
        }
    }

    private func put(_ text: String, in grid: inout Grid, x: Int, y: Int, width: Int, alignRight: Bool, style: Style) {
        guard width > 0 else { return }
        let shown = TextWidth.width(of: Sanitizer.clean(text))
        let start = alignRight && shown < width ? x + width - shown : x
        grid.put(text, x: start, y: y, style: style, maxWidth: width - (start - x))
    }
}
