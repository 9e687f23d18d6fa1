/// The off-screen frame: every screen draws into one of these, then a backend shows it.
///
/// All text enters through `put`, which sanitises it and measures it by grapheme cluster,
/// so no widget can write a raw control character or split a wide character by accident.
public struct Grid: Sendable, Equatable {
    public private(set) var width: Int
    public private(set) var height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int, fill: Style = .normal) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank(fill), count: self.width * self.height)
    }

    public init(size: Size, fill: Style = .normal) { self.init(width: size.width, height: size.height, fill: fill) }

    public var size: Size { Size(width: width, height: height) }
    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        get { contains(x: x, y: y) ? cells[y * width + x] : .blank }
    }

    func contains(x: Int, y: Int) -> Bool { x >= 0 && y >= 0 && x < width && y < height }

    /// What to do with text wider than the space given.
    public enum Overflow: Sendable {
        /// End with "…" so the reader knows there is more.
        case ellipsis
        /// Cut silently (for decoration such as rules and bars).
        case clip
    }

    /// Writes untrusted text at (x, y) and returns the columns used.
    /// Control characters become visible stand-ins in the `.control` role; the text never
    /// goes past `maxWidth` columns nor the grid edge, and never splits a cluster.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .normal,
                             maxWidth: Int = Int.max, overflow: Overflow = .ellipsis) -> Int {
        guard y >= 0, y < height, x < width, maxWidth > 0 else { return 0 }
        let startX = max(0, x)
        let limit = min(width, maxWidth == Int.max ? width : x + maxWidth)
        let available = limit - startX
        guard available > 0 else { return 0 }
        if let placed = putPrintableASCII(text, startX: startX, y: y, available: available, style: style, overflow: overflow) {
            return placed
        }
        return putClusters(text, startX: startX, y: y, available: available, style: style, overflow: overflow)
    }

    /// `put` for any text: sanitised, cluster by cluster, each as wide as the terminal shows it.
    mutating func putClusters(_ text: String, startX: Int, y: Int, available: Int, style: Style, overflow: Overflow) -> Int {
        let controlStyle = Style(.control, style.modifiers)
        let segments = Sanitizer.segments(text)

        var pieces: [(cluster: String, width: Int, style: Style)] = []
        var total = 0
        for segment in segments {
            let pieceStyle = segment.isControl ? controlStyle : style
            for character in segment.text {
                let w = TextWidth.width(of: character)
                // Invisible format characters (ZWSP, a lone ZWJ) take no cell.
                if w == 0 { continue }
                // A combining mark with nothing to combine with is shown on a dotted circle,
                // as Unicode suggests, rather than merging into the neighbouring cell.
                let cluster = TextWidth.isUnattachedMark(character) ? "◌" + String(character) : String(character)
                pieces.append((cluster, w, pieceStyle))
                total += w
            }
        }

        var column = startX
        var budget = available
        let needsEllipsis = overflow == .ellipsis && total > available
        if needsEllipsis { budget = available - 1 }
        for piece in pieces {
            if column + piece.width > startX + budget { break }
            setCell(Cell(piece.cluster, width: UInt8(piece.width), style: piece.style), x: column, y: y)
            column += piece.width
        }
        if needsEllipsis {
            setCell(Cell("…", width: 1, style: style), x: column, y: y)
            column += 1
        }
        return column - startX
    }

    /// Most of a frame is printable ASCII (a row of a list, a header): one byte, one cell, nothing
    /// to sanitise, so `put` skips the grapheme walk and the width table, which made it the most
    /// expensive step of a frame (issue 26: ~half the console's instructions per key). Returns
    /// nil when `text` holds anything else; the result is the same as the general path's.
    mutating func putPrintableASCII(_ text: String, startX: Int, y: Int, available: Int, style: Style,
                                            overflow: Overflow) -> Int? {
        let utf8 = text.utf8
        // nil from the closure: not all printable ASCII; nil from the call: not contiguous (bridged).
        let checked: Int?? = utf8.withContiguousStorageIfAvailable { bytes in
            for byte in bytes where byte < 0x20 || byte > 0x7E { return nil }
            return bytes.count
        }
        guard let count = checked ?? nil else { return nil }
        let needsEllipsis = overflow == .ellipsis && count > available
        let budget = needsEllipsis ? available - 1 : min(available, count)
        var column = startX
        for byte in utf8.prefix(max(0, budget)) {
            setCell(Cell(Self.asciiSymbols[Int(byte) - 0x20], width: 1, style: style), x: column, y: y)
            column += 1
        }
        if needsEllipsis {
            setCell(Cell("…", width: 1, style: style), x: column, y: y)
            column += 1
        }
        return column - startX
    }

    /// The printable ASCII characters as one-character strings, made once.
    private static let asciiSymbols: [String] = (0x20...0x7E).map { String(UnicodeScalar(UInt8($0))) }

    /// Places one already-sanitised cell, repairing any wide character it cuts in half.
    public mutating func setCell(_ cell: Cell, x: Int, y: Int) {
        guard contains(x: x, y: y) else { return }
        var cell = cell
        if cell.width == 2 && x + 1 >= width { cell = Cell(" ", width: 1, style: cell.style) }
        let index = y * width + x
        let old = cells[index]
        if old.isContinuation && x > 0 {
            cells[index - 1] = .blank(cells[index - 1].style)
        }
        if old.width == 2 && x + 1 < width && (cell.width != 2) {
            cells[index + 1] = .blank(cells[index + 1].style)
        }
        cells[index] = cell
        if cell.width == 2 {
            let next = cells[index + 1]
            if next.width == 2 && x + 2 < width { cells[index + 2] = .blank(cells[index + 2].style) }
            cells[index + 1] = .continuation(cell.style)
        }
    }

    /// Blanks a rectangle in one style (backgrounds, clearing a pane before drawing it).
    public mutating func fill(_ rect: Rect, style: Style = .normal, symbol: Character = " ") {
        let area = clip(rect)
        guard !area.isEmpty else { return }
        let cell = Cell(String(symbol), width: 1, style: style)
        for y in area.y..<area.maxY {
            if area.x > 0, cells[y * width + area.x].isContinuation {
                cells[y * width + area.x - 1] = .blank(cells[y * width + area.x - 1].style)
            }
            if area.maxX < width, cells[y * width + area.maxX].isContinuation {
                cells[y * width + area.maxX] = .blank(cells[y * width + area.maxX].style)
            }
            for x in area.x..<area.maxX { cells[y * width + x] = cell }
        }
    }

    /// Copies a run of cells drawn elsewhere (a list's row kept from an earlier frame) onto row
    /// `y` from column `x`, repairing wide characters cut at its edges as `fill` does.
    public mutating func place(_ run: [Cell], x: Int, y: Int) {
        let area = clip(Rect(x: x, y: y, width: run.count, height: 1))
        guard !area.isEmpty else { return }
        let start = y * width + area.x, end = y * width + area.maxX
        if area.x > 0, cells[start].isContinuation { cells[start - 1] = .blank(cells[start - 1].style) }
        if area.maxX < width, cells[end].isContinuation { cells[end] = .blank(cells[end].style) }
        let first = area.x - x
        cells.replaceSubrange(start..<end, with: run[first..<(first + area.width)])
        // A run that starts on the second half of a wide character, or ends on the first half of one.
        if cells[start].isContinuation { cells[start] = .blank(cells[start].style) }
        if cells[end - 1].width == 2 { cells[end - 1] = .blank(cells[end - 1].style) }
    }

    /// Re-styles existing cells without changing text (a selected row, a highlighted match).
    public mutating func setStyle(_ rect: Rect, style: Style) {
        let area = clip(rect)
        guard !area.isEmpty else { return }
        for y in area.y..<area.maxY {
            for x in area.x..<area.maxX {
                let index = y * width + x
                // Neutralised control stand-ins keep their role so they stay recognisable.
                if cells[index].style.role == .control {
                    cells[index].style = Style(.control, style.modifiers)
                } else {
                    cells[index].style = style
                }
            }
        }
    }

    /// Draws a single-line box with an optional title in the top edge.
    public mutating func box(_ rect: Rect, style: Style = .border, title: String? = nil, titleStyle: Style = .title) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let right = rect.maxX - 1, bottom = rect.maxY - 1
        for x in rect.x...right {
            setCell(Cell("─", style: style), x: x, y: rect.y)
            setCell(Cell("─", style: style), x: x, y: bottom)
        }
        for y in rect.y...bottom {
            setCell(Cell("│", style: style), x: rect.x, y: y)
            setCell(Cell("│", style: style), x: right, y: y)
        }
        setCell(Cell("┌", style: style), x: rect.x, y: rect.y)
        setCell(Cell("┐", style: style), x: right, y: rect.y)
        setCell(Cell("└", style: style), x: rect.x, y: bottom)
        setCell(Cell("┘", style: style), x: right, y: bottom)
        if let title, rect.width > 4 {
            put(" " + title + " ", x: rect.x + 1, y: rect.y, style: titleStyle, maxWidth: rect.width - 2)
        }
    }

    /// Intersection of `rect` with the grid.
    public func clip(_ rect: Rect) -> Rect {
        let x0 = max(0, rect.x), y0 = max(0, rect.y)
        let x1 = min(width, rect.maxX), y1 = min(height, rect.maxY)
        return Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }

    // MARK: Reading back (tests, diffing)

    /// The visible text of one row, as a terminal would show it.
    public func line(_ y: Int) -> String {
        guard y >= 0, y < height else { return "" }
        var text = ""
        for x in 0..<width { text += cells[y * width + x].symbol }
        return text
    }

    /// Every row's text; trailing spaces kept so column positions can be asserted.
    public var lines: [String] { (0..<height).map(line) }

    /// The column where `text` first appears on row `y` (counting display columns), if any.
    public func column(of text: String, row y: Int) -> Int? {
        guard y >= 0, y < height else { return nil }
        for x in 0..<width {
            var candidate = ""
            var cx = x
            while cx < width && candidate.count < text.count {
                candidate += cells[y * width + cx].symbol
                cx += 1
            }
            if candidate.hasPrefix(text) { return x }
        }
        return nil
    }

    /// Positions whose cell differs from `previous`, in row-major order. When sizes differ,
    /// everything changed. A changed continuation cell reports its wide lead cell too, since
    /// a terminal can only redraw the whole character.
    public func changes(since previous: Grid?) -> [(x: Int, y: Int)] {
        var result: [(x: Int, y: Int)] = []
        guard let previous, previous.width == width, previous.height == height else {
            result.reserveCapacity(cells.count)
            for y in 0..<height { for x in 0..<width { result.append((x, y)) } }
            return result
        }
        for index in cells.indices where cells[index] != previous.cells[index] {
            let x = index % width, y = index / width
            if cells[index].isContinuation, x > 0, let last = result.last, !(last.x == x - 1 && last.y == y) {
                result.append((x - 1, y))
            }
            result.append((x, y))
        }
        return result
    }
}
