import Foundation
import HandletDomain
import TerminalUI

/// A panel a screen shows once when the console starts (notices needing an answer): a title, a
/// line per item, and where Enter goes. Esc dismisses it; any other key dismisses it and then does
/// what it always does, so the panel never stands in the way.
struct StartupPanel: Sendable {
    var title: String
    var lines: [String]
    var openLabel: String
    var destination: ConsoleDestination

    /// The wrapped items, made once per size: the panel is drawn on every frame while it shows.
    private let wrapped = WrapMemo()

    init(title: String, lines: [String], openLabel: String, destination: ConsoleDestination) {
        self.title = title
        self.lines = lines
        self.openLabel = openLabel
        self.destination = destination
    }

    enum Action: Sendable, Equatable { case open, dismiss }
    static let table = KeyTable<Action>("startup_panel", title: "Start-up panel",
                                        scope: "What needs an answer, shown once when the console starts", [
        KeyBinding([.enter], .open, "Go there", group: "Start-up", name: "open"),
        KeyBinding([.escape, .char(" ")], .dismiss, "Dismiss", group: "Start-up", name: "dismiss"),
    ])

    func render(into grid: inout Grid, area: Rect, keys: KeyBindings) {
        let width = min(area.width - 2, 76)
        let rows = max(1, area.height - 6)
        let body = wrapped.lines(width: width, rows: rows) {
            // Each item hangs under its bullet.
            let items = lines.prefix(rows).flatMap { line in
                Self.wrapKeepingDatesWhole(TextWrap.sanitizedSpans(line, style: .normal), width: max(1, width - 6)).enumerated().map { index, part in
                    [Span(index == 0 ? "• " : "  ", .accent)] + part
                }
            }
            return Array(items.prefix(rows))
        }
        let box = area.centered(width: width, height: body.count + 5)
        grid.fill(box, style: Style(.overlay))
        grid.box(box, title: title)
        for (index, line) in body.enumerated() { grid.put(line, x: box.x + 2, y: box.y + 2 + index, maxWidth: box.width - 4) }
        let map = Self.table.resolved(keys)
        let hint = [map.hint(.open, openLabel), (map.keyLabel(.dismiss).map { "\($0) or any other key" } ?? "any other key") + ": dismiss"]
        grid.put(hint.joined(separator: " · "), x: box.x + 2, y: box.maxY - 2, style: .dim, maxWidth: box.width - 4)
    }

    /// A date (or any words) the wrap must keep on one line ("object by 27 Dec" / "2026" misreads,
    /// issue 25): its spaces held as no-break spaces, given back after the wrap. The lines' maker
    /// marks its dates, which it knows; finding them again in the text took a regular expression
    /// whose compilation alone cost the console's start 8M instructions (issue 26).
    static func whole(_ text: String) -> String {
        String(text.map { $0 == " " ? "\u{00A0}" : $0 })
    }

    /// Wrapped at spaces, but never inside what `whole(_:)` marked; its spaces are given back.
    static func wrapKeepingDatesWhole(_ spans: StyledLine, width: Int) -> [StyledLine] {
        TextWrap.wrap(spans, width: width).map { line in
            line.map { Span(String($0.text.map { $0 == "\u{00A0}" ? " " : $0 }), $0.style) }
        }
    }
}

/// The panel's wrapped lines for the last size asked (a panel lives in the screen's overlay, a
/// value drawn without being changed, so the memo is a reference).
private final class WrapMemo: @unchecked Sendable {
    private let lock = NSLock()
    private var key: (width: Int, rows: Int)?
    private var lines: [StyledLine] = []

    func lines(width: Int, rows: Int, make: () -> [StyledLine]) -> [StyledLine] {
        lock.lock()
        defer { lock.unlock() }
        if let key, key.width == width, key.rows == rows { return lines }
        lines = make()
        key = (width, rows)
        return lines
    }
}
