import TerminalUI

/// The `:` palette: type to narrow the commands, Enter runs the selected one.
struct CommandPalette {
    struct Entry: Equatable {
        var title: String
        var choice: Choice
    }

    enum Choice: Equatable {
        case goTo(ScreenID)
        case help
        case quit
        /// A screen's command: its index in `ScreenRegistry.paletteCommands`.
        case command(Int)
    }

    enum Outcome: Equatable {
        case stay
        case cancel
        case run(Choice)
    }

    let entries: [Entry]
    var input = TextInputState("", maxLength: 80)
    var selected = 0
    let keys: KeyBindings

    init(entries: [Entry], keys: KeyBindings) {
        self.entries = entries
        self.keys = keys
    }

    enum Action: Sendable { case cancel, run, previous, next }
    /// The palette's own keys; every other key edits what is typed.
    static let table = KeyTable<Action>("palette", title: "Command palette", typesText: true,
                                        scope: "The `:` palette; other keys type into its filter", [
        KeyBinding([.escape], .cancel, "Close the palette", group: "Palette", name: "cancel"),
        KeyBinding([.enter], .run, "Run the selected command", group: "Palette", name: "run"),
        KeyBinding([.up, .ctrl("p")], .previous, "Previous command", group: "Palette", name: "previous"),
        KeyBinding([.down, .ctrl("n")], .next, "Next command", group: "Palette", name: "next"),
    ])

    /// Entries whose title holds every typed word, in any order, ignoring case.
    var matches: [Entry] {
        let words = input.text.lowercased().split(separator: " ")
        guard !words.isEmpty else { return entries }
        return entries.filter { entry in
            let title = entry.title.lowercased()
            return words.allSatisfy { title.contains($0) }
        }
    }

    mutating func handle(_ key: Key) -> Outcome {
        switch key.typesText ? nil : Self.table.resolved(keys).action(for: key) {
        case .cancel?: return .cancel
        case .run?:
            let found = matches
            return found.indices.contains(selected) ? .run(found[selected].choice) : .stay
        case .previous?: selected = max(0, selected - 1)
        case .next?: selected = min(max(0, matches.count - 1), selected + 1)
        case nil:
            if input.handle(key) { selected = 0 }
        }
        return .stay
    }

    func render(into grid: inout Grid, area: Rect) {
        let found = matches
        let height = min(area.height - 2, max(4, found.count + 3))
        let box = Rect(x: area.x + max(0, (area.width - min(area.width, 60)) / 2), y: area.y + 1,
                       width: min(area.width, 60), height: height)
        guard box.width > 6, box.height > 3 else { return }
        grid.fill(box, style: Style(.overlay))
        grid.box(box, title: "Command — " + Self.table.resolved(keys).hint(["run", "cancel"]))
        let inner = box.inset(horizontal: 2, vertical: 1)
        var state = input
        TextInputField(":", placeholder: "type to filter").render(into: &grid, area: Rect(x: inner.x, y: inner.y, width: inner.width, height: 1),
                                                             labelWidth: 2, state: &state, focused: true)
        let listTop = inner.y + 1
        if found.isEmpty {
            grid.put("No command matches", x: inner.x, y: listTop, style: .dim, maxWidth: inner.width)
            return
        }
        let visible = max(0, inner.maxY - listTop)
        let first = max(0, selected - visible + 1)
        for (row, index) in (first..<min(found.count, first + visible)).enumerated() {
            let style: Style = index == selected ? .selection : Style(.overlay)
            grid.fill(Rect(x: inner.x, y: listTop + row, width: inner.width, height: 1), style: style)
            grid.put(found[index].title, x: inner.x + 1, y: listTop + row, style: style, maxWidth: inner.width - 1)
        }
    }
}
