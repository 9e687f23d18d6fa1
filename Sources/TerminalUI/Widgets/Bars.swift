/// Tabs across the top; the active one in `.tabActive`. Labels shrink before tabs vanish: first
/// the inactive tabs show their short titles, then they share what is left of the line equally,
/// while the active tab keeps its full title and every tab keeps its key.
public struct TabBar: Component {
    public struct Item: Sendable, Equatable {
        /// The key that opens the tab ("1", "0"), shown before the title; nil when it has none.
        public var key: String?
        public var title: String
        /// Used when the full titles do not fit ("Msgs").
        public var shortTitle: String

        public init(key: String?, title: String, shortTitle: String? = nil) {
            self.key = key
            self.title = title
            self.shortTitle = shortTitle ?? title
        }
    }

    public var items: [Item]
    public var selected: Int

    /// Tabs numbered 1, 2, 3… as the number keys select them.
    public init(_ titles: [String], selected: Int) {
        self.init(items: titles.enumerated().map { Item(key: String($0.offset + 1), title: $0.element) }, selected: selected)
    }

    public init(items: [Item], selected: Int) {
        self.items = items
        self.selected = selected
    }

    public var titles: [String] { items.map(\.title) }

    static func label(_ key: String?, _ title: String) -> String { " " + (key.map { $0 + " " } ?? "") + title + " " }

    /// The label of each tab as drawn at `width` and the most each may take.
    func layout(width: Int) -> [(label: String, maxWidth: Int)] {
        let full = items.map { Self.label($0.key, $0.title) }
        if full.reduce(0, { $0 + TextWidth.width(of: $1) }) <= width { return full.map { ($0, Int.max) } }
        // Short titles; the trailing space goes too, the next label's leading space still parts them.
        let short = items.indices.map { $0 == selected ? full[$0] : String(Self.label(items[$0].key, items[$0].shortTitle).dropLast()) }
        if short.reduce(0, { $0 + TextWidth.width(of: $1) }) <= width { return short.map { ($0, Int.max) } }
        // Still too wide: the active tab keeps its title, the others share the rest equally.
        let activeWidth = items.indices.contains(selected) ? TextWidth.width(of: full[selected]) : 0
        let others = max(1, items.count - (items.indices.contains(selected) ? 1 : 0))
        let share = max(3, (width - activeWidth) / others)
        return short.indices.map { (short[$0], $0 == selected ? Int.max : share) }
    }

    public func render(into grid: inout Grid, area: Rect) {
        guard !area.isEmpty, !items.isEmpty else { return }
        grid.fill(Rect(x: area.x, y: area.y, width: area.width, height: 1), style: .tabInactive)
        var x = area.x
        for (index, tab) in layout(width: area.width).enumerated() where x < area.maxX {
            let style: Style = index == selected ? .tabActive : .tabInactive
            x += grid.put(tab.label, x: x, y: area.y, style: style, maxWidth: min(tab.maxWidth, area.maxX - x))
        }
    }

    /// Tab/Shift-Tab and the tabs' keys switch tabs; returns the new index when the key was for us.
    public func tab(after key: Key) -> Int? {
        switch key {
        case .tab: return (selected + 1) % items.count
        case .backTab: return (selected + items.count - 1) % items.count
        case .char(let c): return items.firstIndex { $0.key == String(c) }
        default: return nil
        }
    }
}

/// The bottom line: context on the left, key hints on the right (hints give way first).
public struct StatusBar: Component {
    public var left: String
    public var right: String

    public init(left: String, right: String = "") {
        self.left = left
        self.right = right
    }

    public func render(into grid: inout Grid, area: Rect) {
        guard !area.isEmpty else { return }
        let line = Rect(x: area.x, y: area.y, width: area.width, height: 1)
        grid.fill(line, style: .statusBar)
        let used = grid.put(left, x: area.x + 1, y: area.y, style: .statusBar, maxWidth: area.width - 2)
        let rightWidth = TextWidth.width(of: Sanitizer.clean(right))
        let space = area.width - used - 3
        if rightWidth > 0 && space >= min(rightWidth, 8) {
            let shown = min(rightWidth, space)
            grid.put(right, x: area.maxX - 1 - shown, y: area.y, style: Style(.statusBar, .dim), maxWidth: shown)
        }
    }
}

/// The `?` overlay, generated from a screen's key map so it always matches the keys.
public struct HelpOverlay {
    public var title: String
    public var entries: [HelpEntry]
    /// After the title: how to close it, in the key the app has bound (the engine binds none).
    public var closeHint: String
    /// Headings for each group of entries (the key help); false for a plain list (the message log).
    public var grouped: Bool
    /// Shown when there are no entries.
    public var emptyText: String

    public init(title: String, entries: [HelpEntry], closeHint: String, grouped: Bool = true, emptyText: String = "") {
        self.title = title
        self.entries = entries
        self.closeHint = closeHint
        self.grouped = grouped
        self.emptyText = emptyText
    }

    /// Lines grouped by heading, keys aligned in one column.
    public func lines(width: Int) -> [StyledLine] {
        let keyWidth = min(max(6, entries.map { TextWidth.width(of: $0.keys) }.max() ?? 0), max(6, width / 3))
        var output: [StyledLine] = []
        if entries.isEmpty && !emptyText.isEmpty { output.append([Span(emptyText, Style(.overlay, .dim))]) }
        var group: String?
        for entry in entries {
            if grouped && entry.group != group {
                if group != nil { output.append([]) }
                group = entry.group
                output.append([Span(entry.group, .header)])
            }
            // Shown, so the user learns the key exists, but dimmed with the role it needs.
            let disabled = entry.disabledReason != nil
            let keyStyle: Style = disabled ? Style(.overlay, .dim) : .accent
            let textStyle: Style = disabled ? Style(.overlay, .dim) : Style(.overlay)
            let text = entry.description + (entry.disabledReason.map { " — " + $0 } ?? "")
            // A long description wraps under itself rather than being cut off.
            let wrapped = TextWrap.wrap([Span(text, textStyle)], width: max(10, width - keyWidth - 4))
            for (index, line) in wrapped.enumerated() {
                let keys = index == 0 ? TextWidth.pad(entry.keys, to: keyWidth) : String(repeating: " ", count: keyWidth)
                output.append([Span("  " + keys, keyStyle), Span("  ", textStyle)] + line)
            }
        }
        return output
    }

    /// The box the help takes in `area`, and the lines it shows there.
    private func layout(in area: Rect) -> (box: Rect, content: [StyledLine]) {
        // 72 columns fit an 80-column terminal; a wide one gets room for long rows to stay on one line.
        let width = min(area.width, max(72, min(96, area.width * 2 / 3)))
        let content = lines(width: width - 4)
        // As tall as the help needs, up to the screen; longer help scrolls.
        return (area.centered(width: width, height: min(area.height - 2, content.count + 2)), content)
    }

    /// Fits a scroll state to the help shown in an area of this size (when the screen lays out),
    /// so paging moves by what is visible and never past the end.
    public func fit(_ state: inout ScrollState, in size: Size) {
        let (box, content) = layout(in: Rect(x: 0, y: 0, width: size.width, height: size.height))
        state.fit(contentHeight: content.count, pageHeight: max(1, box.height - 2))
    }

    public func render(into grid: inout Grid, area: Rect, state: ScrollState) {
        let (box, content) = layout(in: area)
        guard box.width > 4, box.height > 2 else { return }
        grid.fill(box, style: Style(.overlay))
        grid.box(box, title: closeHint.isEmpty ? title : title + " — " + closeHint)
        let inner = box.inset(horizontal: 2, vertical: 1)
        renderLines(content, into: &grid, area: inner, state: state)
        // Says there is more, on the bottom border, so nobody thinks the help ends at the box.
        if let more = Self.moreText(lines: content.count, offset: state.offset, page: inner.height) {
            let width = TextWidth.width(of: more)
            if width + 4 <= box.width {
                grid.put(more, x: box.maxX - 2 - width, y: box.maxY - 1, style: Style(.overlay, .bold), maxWidth: width)
            }
        }
    }

    /// " ↓ 12 more lines below ", " ↑ more above ", or nil when everything shows.
    static func moreText(lines: Int, offset: Int, page: Int) -> String? {
        let shownOffset = max(0, min(offset, max(0, lines - page)))
        let below = lines - shownOffset - page
        if below > 0 { return " ↓ \(below) more \(below == 1 ? "line" : "lines") below " }
        if shownOffset > 0 { return " ↑ more above " }
        return nil
    }
}
