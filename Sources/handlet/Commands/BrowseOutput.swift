import Foundation
import HandletDomain
import TerminalUI

/// Plain-text output shared by the browsing commands. Everything that came from outside the
/// business (names, numbers, bodies, transcripts) goes through `safe`, so no control character,
/// escape sequence or bidi override reaches the terminal raw (DESIGN §8).
struct BrowseOutput {
    let clock: BrowseClock

    init(clock: BrowseClock) {
        self.clock = clock
    }

    func safe(_ text: String) -> String { Sanitizer.clean(text) }

    /// "7 Dec 2026 14:05 GMT": every time in plain output says its zone (the workspace's).
    func time(_ date: Date) -> String { DisplayText.zonedTimestamp(date, clock: clock) }

    /// "27 Dec 2026": a date or a deadline.
    func date(_ date: Date) -> String { DisplayText.date(date, clock: clock) }

    /// A list's time columns say the zone their times are in: "WHEN (Europe/London)" (summer and winter alike).
    static let timeHeaders: Set<String> = ["When", "Last activity", "Since"]

    /// `[1:02]`-style offset of a transcript turn.
    func offset(ms: Int) -> String { "[" + DisplayText.offset(Double(ms) / 1_000) + "]" }

    /// A list as plain text, from the same declaration the console's table draws: the headers in
    /// capitals, then a line per row. Each column is as wide as its widest cell (at least its
    /// declared width), right-aligned where declared, two spaces apart; the last is not padded and
    /// nothing is cut. Every cell is made safe.
    func table<Row>(_ list: ListColumns<Row>, _ rows: [Row]) -> [String] {
        let columns = list.columns(for: .plainText)
        let zone = DisplayText.zoneName(clock)
        let lines = [list.headers(for: .plainText).map { Self.timeHeaders.contains($0) ? "\($0.uppercased()) (\(zone))" : $0.uppercased() }]
            + rows.map { row in list.cells(row, clock: clock, for: .plainText).map(safe) }
        let widths = columns.indices.map { index in
            lines.map { TextWidth.width(of: $0[index]) }.max().map { max($0, columns[index].width.minimum) } ?? 0
        }
        return lines.map { cells in
            cells.indices.map { index -> String in
                let cell = cells[index]
                if columns[index].alignment == .trailing {
                    return String(repeating: " ", count: max(0, widths[index] - TextWidth.width(of: cell))) + cell
                }
                return index == cells.count - 1 ? cell : TextWidth.pad(cell, to: widths[index])
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
    }

    /// Highlighted words wrapped in `[` `]` (plain text has no styling), the rest made safe.
    func marked(_ text: HighlightedText) -> String {
        var result = ""
        var characters = Array(text.text)[...]
        var offset = 0
        for range in text.highlights {
            result += safe(String(characters.prefix(range.lowerBound - offset)))
            characters = characters.dropFirst(range.lowerBound - offset)
            result += "[" + safe(String(characters.prefix(range.count))) + "]"
            characters = characters.dropFirst(range.count)
            offset = range.upperBound
        }
        return result + safe(String(characters))
    }

    static func bytes(_ count: Int64) -> String {
        ByteCountFormatter.string(fromByteCount: count, countStyle: .file)
    }

    /// Peaks as a one-line bar chart of eighth blocks.
    static func sparkline(_ peaks: [Float]) -> String {
        let blocks = Array("▁▂▃▄▅▆▇█")
        return String(peaks.map { blocks[min(blocks.count - 1, max(0, Int(($0 * Float(blocks.count)).rounded(.down))))] })
    }

    /// "nothing matches" with the active filters named, for an empty listing.
    static func emptyState(_ what: String, chips: [FilterChip]) -> String {
        chips.isEmpty ? "No \(what)." : "No \(what) match the filters: \(chips.map(\.label).joined(separator: "; "))."
    }
}

private extension String {
    /// A row whose last cells are empty ends at its last text, not in padding.
    func trimmingTrailingSpaces() -> String {
        var line = self
        while line.last == " " { line.removeLast() }
        return line
    }
}

/// The workspace's session and its clock, opened once per command.
struct BrowseSession {
    let workspace: Workspace
    let session: WorkspaceSession
    let clock: BrowseClock
    var output: BrowseOutput { BrowseOutput(clock: clock) }

    init(_ options: WorkspaceOptions, _ reader: ReadingUserOptions) throws {
        workspace = try options.openForReading()
        session = try reader.session(in: workspace)
        let session = self.session
        clock = try failing { try session.read(.browseClock()) }
    }

    func read<T>(_ query: WorkspaceQuery<T>) throws -> T {
        try failing { try session.read(query) }
    }

    func pager<List: KeysetList>(_ list: List) -> KeysetPager<List> { session.pager(list) }
}
