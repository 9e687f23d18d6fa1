import Foundation
import HandletDomain
import TerminalUI

/// Plain-text output shared by the browsing commands. Everything that came from outside the
/// business (names, numbers, bodies, transcripts) goes through `safe`, so no control character,
/// escape sequence or bidi override reaches the terminal raw (DESIGN §8).
struct BrowseOutput {
    let clock: BrowseClock
    private let formatter: DateFormatter

    init(clock: BrowseClock) {
        self.clock = clock
        formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB_POSIX")
        formatter.timeZone = clock.timeZone
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
    }

    func safe(_ text: String) -> String { Sanitizer.clean(text) }

    func time(_ date: Date) -> String { formatter.string(from: date) }

    func duration(seconds: Int) -> String { String(format: "%d:%02d", seconds / 60, seconds % 60) }

    /// `[01:02]`-style offset of a transcript turn.
    func offset(ms: Int) -> String { "[" + duration(seconds: ms / 1_000) + "]" }

    /// One line of columns, each padded (by display width) to its width; the last is not padded.
    func row(_ cells: [(String, Int)]) -> String {
        cells.enumerated().map { index, cell in
            index == cells.count - 1 ? cell.0 : TextWidth.pad(cell.0, to: cell.1)
        }.joined(separator: "  ")
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

    /// What `--json` and text both say about a call's audio.
    func recording(_ status: RecordingStatus) -> String { status.shortLabel }

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

/// The workspace's session and its clock, opened once per command.
struct BrowseSession {
    let workspace: Workspace
    let session: WorkspaceSession
    let clock: BrowseClock
    var output: BrowseOutput { BrowseOutput(clock: clock) }

    init(_ options: WorkspaceOptions, _ reader: ReadingUserOptions) throws {
        workspace = try options.open()
        session = try reader.session(in: workspace)
        let session = self.session
        clock = try failing { try session.read(.browseClock()) }
    }

    func read<T>(_ query: WorkspaceQuery<T>) throws -> T {
        try failing { try session.read(query) }
    }

    func pager<List: KeysetList>(_ list: List) -> KeysetPager<List> { session.pager(list) }
}
