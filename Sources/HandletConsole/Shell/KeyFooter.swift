import TerminalUI

/// The line above the status bar naming the current screen's own keys, as k9s and lazygit show
/// them: drawn from the same key tables as dispatch and `?` help, so it can never disagree with
/// them. A key the acting role may not use is dimmed. Shown only when the terminal has rows to
/// spare: at 80x24 every row goes to the list.
struct KeyFooter {
    var entries: [HelpEntry]

    /// The screen's keys without movement (every list has those), then the console's few that
    /// are always worth seeing.
    init(screen: [HelpEntry], console: [HelpEntry]) {
        let alwaysShown: Set<String> = ["search", "palette", "quit"]
        let own = screen.filter { !Self.helpOnlyGroups.contains($0.group) && !$0.firstKey.isEmpty }
        // A key the screen takes for itself (q is "back" in a detail) is not the console's there.
        let taken = Set(screen.flatMap { $0.keys.split(separator: " ").map(String.init) })
        entries = own + console.filter { alwaysShown.contains($0.name) && !taken.contains($0.firstKey) }
    }

    /// Groups only `?` lists: movement (every list has it) and the Calls list's column and mark keys,
    /// which would push the console's keys off the line.
    static let helpOnlyGroups: Set<String> = ["Navigation", "Columns", "Marks"]

    static func isShown(in size: Size) -> Bool { size.height > 24 }

    func render(into grid: inout Grid, area: Rect) {
        guard area.height > 0 else { return }
        grid.fill(area, style: .normal)
        var x = area.x + 1
        for entry in entries {
            // The palette is where every command is: "commands" says so better than its name.
            let label = entry.name == "palette" ? "commands" : entry.shortLabel
            let width = TextWidth.width(of: entry.firstKey) + 1 + TextWidth.width(of: label)
            // Whole entries only: a key without its label, or a label cut short, says nothing.
            guard x + width <= area.maxX else { break }
            let dimmed = entry.disabledReason != nil
            x += grid.put(entry.firstKey, x: x, y: area.y, style: dimmed ? .dim : Style(.accent, .bold))
            x += 1
            x += grid.put(label, x: x, y: area.y, style: dimmed ? .dim : .normal)
            x += 2
        }
    }
}
