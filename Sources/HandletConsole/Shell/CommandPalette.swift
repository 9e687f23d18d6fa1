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
        /// The search of summaries, transcripts and messages (`/` where a screen has no list to narrow).
        case search
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
        /// `:theme light`: the console's colours, from now on.
        case theme(String)
        /// `:hold REASON`: a screen's key pressed for the user, its prompt answered with the text.
        case answer(screen: ScreenID, action: String, text: String)
        /// `:period 45`: a screen's argument command (its index in `ScreenRegistry.paletteArguments`) with the text.
        case argument(Int, text: String)
    }

    /// Commands that take what follows their words (`call 1990`, `user add jo@example.com`).
    struct ArgumentCommand: Sendable {
        var word: String
        var usage: String
        /// What the entry's title starts with once the argument is typed ("Open call 1990").
        var verb: String? = nil
        var make: @Sendable (String) -> Choice
    }

    /// The console's own: opening a record by what a person has, and the theme.
    static let shellArguments = [
        ArgumentCommand(word: "call", usage: "call ID — open a call by its id or external id", verb: "Open", make: Choice.openCall),
        ArgumentCommand(word: "contact", usage: "contact NAME|NUMBER — open a contact by name or number (else the number's calls)", verb: "Open", make: Choice.openContact),
        ArgumentCommand(word: "theme", usage: "theme NAME — colours: " + Theme.builtinNames.joined(separator: ", "), make: Choice.theme),
    ]

    enum Outcome: Equatable {
        case stay
        case cancel
        case run(Choice)
    }

    let entries: [Entry]
    /// The console's and every screen's commands that take an argument (the registry's).
    let argumentCommands: [ArgumentCommand]
    var input = TextInputState("", maxLength: 200)
    var selected = 0
    let keys: KeyBindings

    init(entries: [Entry], arguments: [ArgumentCommand] = CommandPalette.shellArguments, keys: KeyBindings) {
        self.entries = entries
        argumentCommands = arguments
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
        guard !text.isEmpty else { return entries + argumentCommands.map(Self.usageEntry) }
        // The longest word that starts the text and is followed by more ("user add jo@…" over "user").
        let lowered = text.lowercased()
        if let command = argumentCommands.filter({ lowered.hasPrefix($0.word + " ") }).max(by: { $0.word.count < $1.word.count }) {
            let argument = String(text.dropFirst(command.word.count)).trimmingCharacters(in: .whitespaces)
            if !argument.isEmpty {
                return [Entry(title: (command.verb.map { $0 + " " } ?? "") + "\(command.word) \(argument)", choice: command.make(argument))]
            }
        }
        // What runs as it is first; the usage lines of commands that want an argument after it.
        func ranked(_ candidates: [Entry]) -> [Entry] {
            candidates.enumerated()
                .compactMap { index, entry in Self.fuzzyScore(text, entry.title).map { (entry, $0, index) } }
                .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.2 < $1.2 }
                .map(\.0)
        }
        return ranked(entries) + ranked(argumentCommands.map(Self.usageEntry))
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
