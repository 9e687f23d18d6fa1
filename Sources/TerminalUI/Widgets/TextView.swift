/// Scroll position of a text or Markdown view.
public struct ScrollState: Sendable, Equatable {
    public var offset = 0
    public private(set) var pageHeight = 1
    public private(set) var contentHeight = 0

    public init(offset: Int = 0) { self.offset = offset }

    public mutating func apply(_ action: NavigationAction) {
        switch action {
        case .up: offset -= 1
        case .down: offset += 1
        case .pageUp: offset -= max(1, pageHeight - 1)
        case .pageDown: offset += max(1, pageHeight - 1)
        case .top: offset = 0
        case .bottom: offset = Int.max / 2
        case .left, .right: break
        }
        clamp()
    }

    /// Tells the state how tall its content and window are, and clamps the offset to them: a
    /// screen calls it when it lays out (paging needs the window's height) before keys scroll it.
    public mutating func fit(contentHeight: Int, pageHeight: Int) {
        self.contentHeight = contentHeight
        self.pageHeight = max(1, pageHeight)
        clamp()
    }

    private mutating func clamp() {
        offset = max(0, min(offset, max(0, contentHeight - pageHeight)))
    }

    /// True when there is more below the window (for a "more" marker in the status bar).
    public var hasMoreBelow: Bool { offset + pageHeight < contentHeight }
}

/// Untrusted plain text (a transcript, a message body), wrapped to the width and scrolled.
public struct TextView {
    public var text: String
    public var style: Style

    public init(_ text: String, style: Style = .normal) {
        self.text = text
        self.style = style
    }

    public func lines(width: Int) -> [StyledLine] { TextWrap.wrapText(text, width: width, style: style) }

    public func render(into grid: inout Grid, area: Rect, state: ScrollState) {
        renderLines(lines(width: area.width), into: &grid, area: area, state: state)
    }
}

/// Draws pre-wrapped lines from a scroll offset, clamped to the lines for this frame only: the
/// state itself is the screen's, fitted when it lays out (`ScrollState.fit`). Shared by text and
/// Markdown views.
public func renderLines(_ lines: [StyledLine], into grid: inout Grid, area: Rect, state: ScrollState) {
    guard !area.isEmpty else { return }
    var shown = state
    shown.fit(contentHeight: lines.count, pageHeight: area.height)
    for row in 0..<area.height {
        let index = shown.offset + row
        guard index < lines.count else { break }
        grid.put(lines[index], x: area.x, y: area.y + row, maxWidth: area.width)
    }
}
