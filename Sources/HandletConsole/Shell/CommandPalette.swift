import Foundation
import TerminalUI

/// The `:` palette: type to narrow the commands, Enter runs the selected one.
struct CommandPalette {
    struct Entry: Equatable {
        var title: String
        var choice: Choice
        /// The key that does the same outside the palette, shown beside the title.
        var key: String? = nil
        /// Why the acting role may not run it (the entry is dimmed and refused).
        var disabledReason: String? = nil
    }

    enum Choice: Equatable, Sendable {
        case goTo(ScreenID)
        case help
        case quit
        /// A screen's command: its index in `ScreenRegistry.paletteCommands`.
        case command(Int)
        /// One of the current screen's keys, pressed for the user.
        case press(Key)
        /// `:call 1990`: a call by id or external id.
        case openCall(String)
        /// `:contact Dean King` or `:contact 07940 887684`: a contact by name, email or phone number
        /// however typed; a number no contact has opens its calls.
        case openContact(String)
    }

    /// Commands that take what follows their first word (`call 1990`).
    struct ArgumentCommand: Sendable {
        var word: String
        var usage: String
        var make: @Sendable (String) -> Choice
    }

    static let argumentCommands = [
        ArgumentCommand(word: "call", usage: "call ID — open a call by its id or external id", make: Choice.openCall),
        ArgumentCommand(word: "contact", usage: "contact NAME|NUMBER — open a contact by name or number (else the number's calls)", make: Choice.openContact),
    ]

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

    /// A command with its argument when the text starts with its word and goes on (`call 1990`);
    /// else the entries that fuzzily match what is typed, best first.
    var matches: [Entry] {
        let text = input.text.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return entries + Self.argumentCommands.map(Self.usageEntry) }
        let words = text.split(separator: " ", maxSplits: 1).map(String.init)
        if words.count == 2, let command = Self.argumentCommands.first(where: { $0.word == words[0].lowercased() }) {
            let argument = words[1].trimmingCharacters(in: .whitespaces)
            return [Entry(title: "Open \(command.word) \(argument)", choice: command.make(argument))]
        }
        let candidates = entries + Self.argumentCommands.map(Self.usageEntry)
        return candidates.enumerated()
            .compactMap { index, entry in Self.fuzzyScore(text, entry.title).map { (entry, $0, index) } }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.2 < $1.2 }
            .map(\.0)
    }

    private static func usageEntry(_ command: ArgumentCommand) -> Entry {
        Entry(title: command.usage, choice: .press(.char(" ")), key: nil, disabledReason: "type the \(command.word) after the word")
    }

    /// Every typed character in order (spaces ignored, case ignored), or nil; more for matches at
    /// the start of a word and for runs of consecutive characters, less for gaps, as fzf and
    /// VS Code's palette rank.
    static func fuzzyScore(_ query: String, _ title: String) -> Int? {
        let needle = Array(query.lowercased().filter { $0 != " " })
        let haystack = Array(title.lowercased())
        var score = 0, position = 0, previousMatch = -2
        for character in needle {
            guard let found = haystack[position...].firstIndex(of: character) else { return nil }
            let atWordStart = found == 0 || !haystack[found - 1].isLetter && !haystack[found - 1].isNumber
            score += atWordStart ? 8 : 1
            if found == previousMatch + 1 { score += 5 }
            score -= min(found - position, 10)
            previousMatch = found
            position = found + 1
        }
        return score
    }

    mutating func handle(_ key: Key) -> Outcome {
        switch key.typesText ? nil : Self.table.resolved(keys).action(for: key) {
        case .cancel?: return .cancel
        case .run?:
            let found = matches
            guard found.indices.contains(selected), found[selected].disabledReason == nil else { return .stay }
            return .run(found[selected].choice)
        case .previous?: selected = max(0, selected - 1)
        case .next?: selected = min(max(0, matches.count - 1), selected + 1)
        case nil:
            if input.handle(key, keys: keys) { selected = 0 }
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
            let entry = found[index]
            let style: Style = index == selected ? .selection : entry.disabledReason != nil ? Style(.dim) : Style(.overlay)
            let y = listTop + row
            grid.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: style)
            let key = entry.key ?? ""
            let keyWidth = key.isEmpty ? 0 : TextWidth.width(of: key) + 2
            grid.put(entry.title, x: inner.x + 1, y: y, style: style, maxWidth: inner.width - 1 - keyWidth)
            if !key.isEmpty {
                grid.put(key, x: inner.maxX - keyWidth + 1, y: y, style: index == selected ? style : Style(.accent), maxWidth: keyWidth - 1)
            }
        }
    }
}
