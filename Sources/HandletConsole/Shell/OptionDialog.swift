import TerminalUI

/// A modal question with several answers (more than ConfirmDialog's yes/no): ↑↓ choose,
/// Enter answers, Esc cancels without answering.
struct OptionDialog: Sendable {
    var title: String
    var message: String
    var options: [String]
    var selected = 0
    /// The user's rebindings, so the keys and the hint in the title follow them.
    let keys: KeyBindings

    enum Outcome: Equatable { case open, cancelled, chose(Int) }

    enum Action: Sendable { case cancel, choose, previous, next }
    static let table = KeyTable<Action>("option_dialog", title: "Question with several answers",
                                        scope: "A dialog that offers several answers (turning recording off)", [
        KeyBinding([.escape, .char("q")], .cancel, "Cancel without answering", group: "Dialog", name: "cancel"),
        KeyBinding([.enter], .choose, "Choose the selected answer", group: "Dialog", name: "choose"),
        KeyBinding([.up, .char("k"), .backTab], .previous, "Previous option", group: "Dialog", name: "previous"),
        KeyBinding([.down, .char("j"), .tab], .next, "Next option", group: "Dialog", name: "next"),
    ])

    /// Every other key is swallowed: a modal must not leak keys to the screen beneath.
    mutating func handle(_ key: Key) -> Outcome {
        switch Self.table.resolved(keys).action(for: key) {
        case .cancel?: return .cancelled
        case .choose?: return .chose(selected)
        case .previous?: selected = max(0, selected - 1)
        case .next?: selected = min(options.count - 1, selected + 1)
        case nil: break
        }
        return .open
    }

    func render(into grid: inout Grid, area: Rect) {
        let width = min(area.width, 66)
        let body = TextWrap.wrapText(message, width: max(1, width - 4))
        let box = area.centered(width: width, height: body.count + options.count + 5)
        grid.fill(box, style: Style(.overlay))
        grid.box(box, style: .warning, title: title + " — " + Self.table.resolved(keys).hint(["choose", "cancel"]))
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
