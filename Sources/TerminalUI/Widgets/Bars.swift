/// Tabs across the top; the active one in `.tabActive`. Labels shrink before tabs vanish.
public struct TabBar: Component {
    public var titles: [String]
    public var selected: Int

    public init(_ titles: [String], selected: Int) {
        self.titles = titles
        self.selected = selected
    }

    public func render(into grid: inout Grid, area: Rect) {
        guard !area.isEmpty, !titles.isEmpty else { return }
        grid.fill(Rect(x: area.x, y: area.y, width: area.width, height: 1), style: .tabInactive)
        let labels = titles.enumerated().map { " \($0.offset + 1) \($0.element) " }
        let natural = labels.reduce(0) { $0 + TextWidth.width(of: $1) }
        // When the tabs do not fit, every tab gets an equal share (the number always shows).
        let share = natural <= area.width ? Int.max : max(3, area.width / titles.count)
        var x = area.x
        for (index, label) in labels.enumerated() where x < area.maxX {
            let style: Style = index == selected ? .tabActive : .tabInactive
            x += grid.put(label, x: x, y: area.y, style: style, maxWidth: min(share, area.maxX - x))
        }
    }

    /// Tab/Shift-Tab and number keys switch tabs; returns the new index when the key was for us.
    public func tab(after key: Key) -> Int? {
        switch key {
        case .tab: return (selected + 1) % titles.count
        case .backTab: return (selected + titles.count - 1) % titles.count
        case .char(let c):
            guard let digit = c.wholeNumberValue, digit >= 1, digit <= titles.count else { return nil }
            return digit - 1
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

    public init(title: String, entries: [HelpEntry]) {
        self.title = title
        self.entries = entries
    }

    /// Lines grouped by heading, keys aligned in one column.
    public func lines(width: Int) -> [StyledLine] {
        let keyWidth = min(max(6, entries.map { TextWidth.width(of: $0.keys) }.max() ?? 0), max(6, width / 3))
        var output: [StyledLine] = []
        var group: String?
        for entry in entries {
            if entry.group != group {
                if group != nil { output.append([]) }
                group = entry.group
                output.append([Span(entry.group, .header)])
            }
            output.append([Span("  " + TextWidth.pad(entry.keys, to: keyWidth), .accent), Span("  " + entry.description, Style(.overlay))])
        }
        return output
    }

    public func render(into grid: inout Grid, area: Rect, state: inout ScrollState) {
        let width = min(area.width, 72)
        let content = lines(width: width - 4)
        // As tall as the help needs, up to the screen; longer help scrolls.
        let box = area.centered(width: width, height: min(area.height - 2, content.count + 2))
        guard box.width > 4, box.height > 2 else { return }
        grid.fill(box, style: Style(.overlay))
        grid.box(box, title: title + " — Esc to close")
        renderLines(content, into: &grid, area: box.inset(horizontal: 2, vertical: 1), state: &state)
    }
}
