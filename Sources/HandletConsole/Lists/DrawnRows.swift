import TerminalUI

/// A list's rows as they were last drawn, kept between frames (issue 26): a `j` copies the rows it
/// drew the frame before and restyles the two whose selection changed, instead of formatting every
/// visible record (times, numbers, sanitising) and drawing it cell by cell again.
///
/// Each row is kept under its cursor with the record it was drawn from, and drawn again when the
/// record read now differs (a row re-read with new data). Everything is dropped when the row's
/// look can change without its record: other columns or width, or the drawing's `context` (what the
/// screen's row function reads besides the record: the clock, the marked rows). Only about what is
/// on screen is kept. One list's copies (a screen kept to come back to) share it: every use checks.
final class DrawnRows<Key: Hashable, Row: Equatable>: @unchecked Sendable {
    struct Signature: Equatable {
        var columns: [TableColumn]
        var width: Int
        var context: AnyHashable
    }

    private var signature: Signature?
    private var entries: [Key: (row: Row, cells: [Cell])] = [:]
    /// Rows drawn rather than copied, since the list was made: what the tests count.
    private(set) var drawn = 0

    /// The cells of `rows`, in order: kept ones copied, the others drawn by `draw` and kept.
    func cells(of rows: some Collection<Row>, key: (Row) -> Key, signature: Signature, draw: (Row) -> [Cell]) -> [[Cell]] {
        if signature != self.signature {
            entries.removeAll(keepingCapacity: true)
            self.signature = signature
        }
        var result: [[Cell]] = []
        result.reserveCapacity(rows.count)
        for row in rows {
            let rowKey = key(row)
            if let kept = entries[rowKey], kept.row == row {
                result.append(kept.cells)
                continue
            }
            let cells = draw(row)
            drawn += 1
            entries[rowKey] = (row, cells)
            result.append(cells)
        }
        // Rows that scrolled away go once they are as many as the screen's.
        if entries.count > 2 * rows.count + 8 {
            let shown = Set(rows.map(key))
            entries = entries.filter { shown.contains($0.key) }
        }
        return result
    }
}
