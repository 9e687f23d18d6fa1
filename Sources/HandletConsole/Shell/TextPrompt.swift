import TerminalUI

/// A one-line modal question with a text answer ("Reason for the legal hold").
struct TextPrompt: Sendable {
    var title: String
    var label: String
    var input = TextInputState("", maxLength: 500)
    var problem: String?
    /// The user's rebindings, so the keys and the hint in the title follow them.
    let keys: KeyBindings

    enum Outcome: Equatable { case open, cancelled, answered(String) }

    enum Action: Sendable { case cancel, save }
    /// The prompt's own keys; every other key edits the answer.
    static let table = KeyTable<Action>("prompt", title: "Text prompt", typesText: true,
                                        scope: "A one-line question (the reason for a legal hold); other keys edit the answer", [
        KeyBinding([.escape], .cancel, "Cancel", group: "Prompt", name: "cancel"),
        KeyBinding([.enter], .save, "Save the answer", group: "Prompt", name: "save"),
    ])

    mutating func handle(_ key: Key) -> Outcome {
        switch key.typesText ? nil : Self.table.resolved(keys).action(for: key) {
        case .cancel?: return .cancelled
        case .save?: return .answered(input.text)
        case nil: _ = input.handle(key, keys: keys); return .open
        }
    }

    func render(into grid: inout Grid, area: Rect) {
        let box = area.centered(width: min(area.width, 70), height: problem == nil ? 5 : 6)
        grid.fill(box, style: Style(.overlay))
        grid.box(box, title: title + " — " + Self.table.resolved(keys).hint(["save", "cancel"]))
        var state = input
        let labelWidth = TextWidth.width(of: label)
        TextInputField(label).render(into: &grid, area: Rect(x: box.x + 2, y: box.y + 2, width: box.width - 4, height: 1),
                                     labelWidth: labelWidth, state: &state, focused: true)
        if let problem { grid.put(problem, x: box.x + 2, y: box.y + 3, style: .error, maxWidth: box.width - 4) }
    }
}
