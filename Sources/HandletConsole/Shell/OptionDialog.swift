import TerminalUI

/// A modal question with several answers (more than ConfirmDialog's yes/no): ↑↓ choose,
/// Enter answers, Esc cancels without answering.
struct OptionDialog: Sendable {
    var title: String
    var message: String
    var options: [String]
    var selected = 0

    enum Outcome: Equatable { case open, cancelled, chose(Int) }

    mutating func handle(_ key: Key) -> Outcome {
        switch key {
        case .escape, .char("q"): return .cancelled
        case .enter: return .chose(selected)
        case .up, .char("k"), .backTab: selected = max(0, selected - 1)
        case .down, .char("j"), .tab: selected = min(options.count - 1, selected + 1)
        default: break
        }
        return .open
    }

    func render(into grid: inout Grid, area: Rect) {
        let width = min(area.width, 66)
        let body = TextWrap.wrapText(message, width: max(1, width - 4))
        let box = area.centered(width: width, height: body.count + options.count + 5)
        grid.fill(box, style: Style(.overlay))
        grid.box(box, style: .warning, title: title + " — Enter choose · Esc cancel")
        for (index, line) in body.enumerated() {
            grid.put(line.map { Span($0.text, $0.style.role == .control ? $0.style : Style(.overlay)) },
                     x: box.x + 2, y: box.y + 2 + index, maxWidth: box.width - 4)
        }
        for (index, option) in options.enumerated() {
            let y = box.y + 3 + body.count + index
            let style: Style = index == selected ? .selection : Style(.overlay)
            grid.put((index == selected ? "› " : "  ") + option, x: box.x + 2, y: y, style: style, maxWidth: box.width - 4)
        }
    }
}
