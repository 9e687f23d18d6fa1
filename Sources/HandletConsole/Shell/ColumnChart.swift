import TerminalUI

/// Vertical bars several rows high, one column per value, in eighth-blocks: a 90-day history
/// reads at a glance where a one-row sparkline flattens it.
struct ColumnChart: Component {
    var values: [Double]
    var height: Int
    static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    /// The levels as cells, made once: a 90-day chart is up to a thousand of them per frame, and
    /// `Grid.put` would sanitise and measure each (the chart was a third of the console's
    /// instructions per frame, issue 26).
    static let cells: [Cell] = levels.map { Cell(String($0), width: UInt8(TextWidth.width(of: $0)), style: Style(.chart)) }

    func render(into grid: inout Grid, area: Rect) {
        guard !area.isEmpty, let peak = values.max(), peak > 0 else { return }
        let rows = min(height, area.height)
        for (column, value) in values.prefix(area.width).enumerated() where value > 0 {
            // In eighths of a row, at least one eighth so a quiet day is still visible.
            let eighths = max(1, Int((value / peak * Double(rows * 8)).rounded()))
            for row in 0..<rows {
                let filled = eighths - row * 8
                guard filled > 0 else { break }
                grid.setCell(Self.cells[min(filled, 8) - 1], x: area.x + column, y: area.y + rows - 1 - row)
            }
        }
    }
}
