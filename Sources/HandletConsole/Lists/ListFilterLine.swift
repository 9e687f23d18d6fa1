import HandletDomain
import TerminalUI

/// What a list's filter line narrows by, declared once by a screen that offers one (its
/// `RegisteredScreen.narrows`): the registry then adds the line's keys to the screen's tables, its
/// state to the key modes, and `/` opens it on that list instead of the search of everything.
struct ListNarrowing: Sendable {
    /// What typing matches, for the placeholder and help ("name, email or phone").
    let matches: String
}

/// The filter line of a list (issue 25, like k9s `/`): the list narrows as each key is typed, with
/// the count of what matches beside the words. One component for every list that declares
/// `narrows`; the screen re-reads its list with `text` when `handle` says it changed.
struct ListFilterLine {
    enum Action: Sendable, Equatable { case done, clear }
    static let table = KeyTable<Action>("filter_line", title: "Filter line", typesText: true,
                                        scope: "A list's `/` filter line; other keys type into it", [
        KeyBinding([.enter, .down], .done, "Keep the filter and move in the list", group: "Filter line", name: "done"),
        KeyBinding([.escape], .clear, "Clear the filter and close the line", group: "Filter line", name: "clear"),
    ])
    static var mode: KeyModeDeclaration {
        KeyModeDeclaration("Filter line", .modal, tables: [table.erased, TextFieldKeys.table.erased])
    }

    let narrowing: ListNarrowing
    private(set) var input = TextInputState("", maxLength: 200)
    /// True while keys type into the line.
    private(set) var isEditing = false

    init(_ narrowing: ListNarrowing) { self.narrowing = narrowing }

    var text: String { input.text }
    /// Shown while typing or while it narrows the list.
    var isShown: Bool { isEditing || !input.text.isEmpty }

    mutating func begin() { isEditing = true }

    enum Outcome: Equatable { case unchanged, changed, closed }

    /// Every key while editing: the line's own, else it edits the words.
    mutating func handle(_ key: Key, keys: KeyBindings) -> Outcome {
        switch key.typesText ? nil : Self.table.resolved(keys).action(for: key) {
        case .done?:
            isEditing = false
            return .closed
        case .clear?:
            isEditing = false
            guard !input.text.isEmpty else { return .closed }
            input = TextInputState("", maxLength: input.maxLength)
            return .changed
        case nil:
            let revision = input.revision
            return input.handle(key, keys: keys) && input.revision != revision ? .changed : .unchanged
        }
    }

    /// Sets the words (a palette command opening the list already narrowed).
    mutating func set(_ text: String) {
        input = TextInputState(text, maxLength: input.maxLength)
        isEditing = false
    }

    /// One line: the words, then how many match (`count`, nil while counting).
    func render(into grid: inout Grid, area: Rect, count: Int?) {
        guard area.height > 0 else { return }
        grid.fill(Rect(x: area.x, y: area.y, width: area.width, height: 1), style: .normal)
        let counted = count.map { $0 == 1 ? "1 match" : "\(DisplayText.count($0)) matches" } ?? "counting…"
        let countWidth = TextWidth.width(of: counted)
        let fieldWidth = max(0, area.width - countWidth - 3)
        var state = input
        TextInputField("/", placeholder: narrowing.matches)
            .render(into: &grid, area: Rect(x: area.x + 1, y: area.y, width: fieldWidth, height: 1), labelWidth: 2,
                    state: &state, focused: isEditing)
        if area.width > countWidth + 2 {
            grid.put(counted, x: area.maxX - countWidth - 1, y: area.y, style: .dim, maxWidth: countWidth)
        }
    }
}
