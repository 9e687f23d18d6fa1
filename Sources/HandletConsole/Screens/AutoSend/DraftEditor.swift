import Foundation
import HandletDomain
import TerminalUI

/// A multi-line text area over a drafted reply: editing happens here, in the console (there is no
/// `$EDITOR` and no way out to a shell). Printable characters type; the table's keys move,
/// break lines, delete, approve or cancel. What it holds is checked by the domain when approved.
struct DraftEditor: Sendable {
    let draftId: Int64
    let title: String
    private(set) var lines: [String]
    private(set) var row = 0
    /// The cursor's position in its line, in characters.
    private(set) var column = 0
    var problem: String?
    let keys: KeyBindings

    enum Action: Sendable, Equatable { case approve, cancel, newline, up, down, left, right, lineStart, lineEnd, backspace, delete }
    static let table = KeyTable<Action>("draft_editor", title: "Draft editor", typesText: true,
                                        scope: "Editing a drafted reply before approving it; other keys type", [
        // Not Ctrl-S: the console keeps the terminal's flow control, where Ctrl-S stops the output.
        KeyBinding([.function(2), .ctrl("o")], .approve, "Approve the edited reply", group: "Editor", name: "approve",
                   needs: .handleDrafts),
        KeyBinding([.escape], .cancel, "Cancel: the draft stays as it was", group: "Editor", name: "cancel"),
        KeyBinding([.enter], .newline, "New line", group: "Editor", name: "newline"),
        KeyBinding([.up], .up, "Line up", group: "Editor", name: "up"),
        KeyBinding([.down], .down, "Line down", group: "Editor", name: "down"),
        KeyBinding([.left], .left, "Character left", group: "Editor", name: "left"),
        KeyBinding([.right], .right, "Character right", group: "Editor", name: "right"),
        KeyBinding([.home, .ctrl("a")], .lineStart, "Start of the line", group: "Editor", name: "line_start"),
        KeyBinding([.end, .ctrl("e")], .lineEnd, "End of the line", group: "Editor", name: "line_end"),
        KeyBinding([.backspace], .backspace, "Delete the character before the cursor", group: "Editor", name: "backspace"),
        KeyBinding([.delete, .ctrl("d")], .delete, "Delete the character under the cursor", group: "Editor", name: "delete"),
    ])

    enum Outcome: Equatable { case open, cancelled, approved(String) }

    init(draftId: Int64, title: String, text: String, keys: KeyBindings) {
        self.draftId = draftId
        self.title = title
        self.keys = keys
        // Control characters other than line breaks are shown, not kept: the domain refuses them.
        let clean = String(String.UnicodeScalarView(text.unicodeScalars.filter {
            $0 == "\n" || ($0.properties.generalCategory != .control && $0.properties.generalCategory != .format)
        }))
        lines = clean.components(separatedBy: "\n")
        if lines.isEmpty { lines = [""] }
        row = lines.count - 1
        column = lines[row].count
    }

    var text: String { lines.joined(separator: "\n") }

    mutating func handle(_ key: Key, by actor: Actor) -> Outcome {
        if case .char(let character) = key {
            insert(String(character))
            return .open
        }
        // A paste keeps its line breaks; the domain checks the rest when the text is approved.
        if case .paste(let pasted) = key {
            for (index, part) in pasted.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n").enumerated() {
                if index > 0 { breakLine() }
                insert(part)
            }
            return .open
        }
        switch Self.table.resolved(keys).press(key, by: actor) {
        case .unbound: break
        case .refused(let reason): problem = reason
        case .action(let action, _):
            switch action {
            case .approve: return .approved(text)
            case .cancel: return .cancelled
            case .newline: breakLine()
            case .up: if row > 0 { row -= 1; column = min(column, lines[row].count) }
            case .down: if row < lines.count - 1 { row += 1; column = min(column, lines[row].count) }
            case .left:
                if column > 0 { column -= 1 } else if row > 0 { row -= 1; column = lines[row].count }
            case .right:
                if column < lines[row].count { column += 1 } else if row < lines.count - 1 { row += 1; column = 0 }
            case .lineStart: column = 0
            case .lineEnd: column = lines[row].count
            case .backspace:
                if column > 0 {
                    var line = lines[row]
                    line.remove(at: line.index(line.startIndex, offsetBy: column - 1))
                    lines[row] = line
                    column -= 1
                } else if row > 0 {
                    let tail = lines.remove(at: row)
                    row -= 1
                    column = lines[row].count
                    lines[row] += tail
                }
            case .delete:
                if column < lines[row].count {
                    var line = lines[row]
                    line.remove(at: line.index(line.startIndex, offsetBy: column))
                    lines[row] = line
                } else if row < lines.count - 1 {
                    lines[row] += lines.remove(at: row + 1)
                }
            }
        }
        return .open
    }

    private mutating func breakLine() {
        let line = lines[row]
        let split = line.index(line.startIndex, offsetBy: column)
        lines[row] = String(line[..<split])
        lines.insert(String(line[split...]), at: row + 1)
        row += 1
        column = 0
    }

    private mutating func insert(_ text: String) {
        guard self.text.count < DraftDecision.maximumBodyLength else { problem = "At most \(DraftDecision.maximumBodyLength) characters"; return }
        var line = lines[row]
        line.insert(contentsOf: text, at: line.index(line.startIndex, offsetBy: column))
        lines[row] = line
        column += text.count
    }

    func render(into grid: inout Grid, area: Rect) {
        let box = area.centered(width: min(area.width, 90), height: min(area.height - 2, max(8, text.count / 60 + lines.count + 5)))
        grid.fill(box, style: Style(.overlay))
        let map = Self.table.resolved(keys)
        grid.box(box, title: title + " — " + map.hint(["approve", "cancel"]))
        let inner = Rect(x: box.x + 2, y: box.y + 1, width: box.width - 4, height: box.height - (problem == nil ? 2 : 3))
        // Lines wrap at the box's width (a soft wrap: the text keeps its own line breaks only);
        // the rows scroll to keep the cursor in view.
        var rows: [(line: Int, start: Int, text: [Character])] = []
        for (index, line) in lines.enumerated() {
            let characters = Array(line)
            var start = 0
            repeat {
                var width = 0, end = start
                while end < characters.count, width + TextWidth.width(of: characters[end]) <= inner.width - 1 {
                    width += TextWidth.width(of: characters[end])
                    end += 1
                }
                rows.append((index, start, Array(characters[start..<end])))
                start = end
            } while start < characters.count
        }
        let cursorRow = rows.lastIndex { $0.line == row && $0.start <= column } ?? 0
        let first = max(0, cursorRow - inner.height + 1)
        for (offset, index) in (first..<min(rows.count, first + inner.height)).enumerated() {
            let shown = rows[index]
            grid.put(String(shown.text), x: inner.x, y: inner.y + offset, style: Style(.overlay), maxWidth: inner.width)
            if index == cursorRow {
                let before = column - shown.start
                let cursorX = inner.x + TextWidth.width(of: String(shown.text.prefix(before)))
                let under = before < shown.text.count ? String(shown.text[before]) : " "
                grid.put(under, x: cursorX, y: inner.y + offset, style: .selection, maxWidth: 2)
            }
        }
        if let problem { grid.put(problem, x: inner.x, y: box.maxY - 2, style: .error, maxWidth: inner.width) }
    }
}
