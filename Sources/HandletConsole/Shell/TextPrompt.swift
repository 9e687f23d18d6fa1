import TerminalUI

/// A one-line modal question with a text answer ("Reason for the legal hold").
struct TextPrompt: Sendable {
    var title: String
    var label: String
    var input = TextInputState("", maxLength: 500)
    var problem: String?

    enum Outcome: Equatable { case open, cancelled, answered(String) }

    mutating func handle(_ key: Key) -> Outcome {
        switch key {
        case .escape: return .cancelled
        case .enter: return .answered(input.text)
        default: _ = input.handle(key); return .open
        }
    }

    func render(into grid: inout Grid, area: Rect) {
        let box = area.centered(width: min(area.width, 70), height: problem == nil ? 5 : 6)
        grid.fill(box, style: Style(.overlay))
        grid.box(box, title: title + " — Enter save · Esc cancel")
        var state = input
        let labelWidth = TextWidth.width(of: label)
        TextInputField(label).render(into: &grid, area: Rect(x: box.x + 2, y: box.y + 2, width: box.width - 4, height: 1),
                                     labelWidth: labelWidth, state: &state, focused: true)
        if let problem { grid.put(problem, x: box.x + 2, y: box.y + 3, style: .error, maxWidth: box.width - 4) }
    }
}
