import Foundation

/// A one-line trend (calls per day) using eighth-height blocks; the newest value is at the right.
public struct Sparkline: Component {
    public var values: [Double]
    public var style: Style

    public init(_ values: [Double], style: Style = Style(.chart)) {
        self.values = values
        self.style = style
    }

    static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// The characters drawn for a width (exposed for tests and text export).
    public func symbols(width: Int) -> String {
        let shown = values.suffix(width)
        guard let maximum = shown.max(), maximum > 0 else { return String(repeating: " ", count: shown.count) }
        return String(shown.map { value -> Character in
            if value <= 0 { return " " }
            // Ceiling, so any non-zero value shows at least the lowest block.
            let level = Int((value / maximum * 8).rounded(.up)) - 1
            return Sparkline.levels[min(7, max(0, level))]
        })
    }

    public func render(into grid: inout Grid, area: Rect) {
        guard !area.isEmpty else { return }
        grid.put(symbols(width: area.width), x: area.x, y: area.y, style: style, maxWidth: area.width, overflow: .clip)
    }
}

/// Horizontal labelled bars ("Booked job  ██████▍ 42"); one row per item.
public struct BarChart: Component {
    public var items: [(label: String, value: Double)]
    public var style: Style

    public init(_ items: [(label: String, value: Double)], style: Style = Style(.chart)) {
        self.items = items
        self.style = style
    }

    public func render(into grid: inout Grid, area: Rect) {
        guard !area.isEmpty else { return }
        let labelWidth = min(area.width / 3, items.map { TextWidth.width(of: Sanitizer.clean($0.label)) }.max() ?? 0)
        let valueTexts = items.map { BarChart.format($0.value) }
        let valueWidth = valueTexts.map(\.count).max() ?? 0
        let barWidth = max(0, area.width - labelWidth - valueWidth - 2)
        let maximum = items.map(\.value).max() ?? 0
        for (row, item) in items.enumerated() where row < area.height {
            let y = area.y + row
            grid.put(item.label, x: area.x, y: y, maxWidth: labelWidth)
            let eighths = maximum > 0 ? Int((item.value / maximum * Double(barWidth * 8)).rounded()) : 0
            let bar = ProgressBar.blocks(eighths: eighths)
            let used = grid.put(bar, x: area.x + labelWidth + 1, y: y, style: style, maxWidth: barWidth, overflow: .clip)
            grid.put(valueTexts[row], x: area.x + labelWidth + 1 + used + (used > 0 ? 1 : 0), y: y, style: .dim,
                     maxWidth: area.maxX - (area.x + labelWidth + 1 + used))
        }
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(format: "%.1f", value)
    }
}

/// Progress of a long job (a purge) or of training towards unlock ("18/30").
public struct ProgressBar: Component {
    public var fraction: Double
    public var label: String

    public init(fraction: Double, label: String = "") {
        self.fraction = min(1, max(0, fraction.isNaN ? 0 : fraction))
        self.label = label
    }

    static let partials: [String] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    /// Full blocks plus one partial block for the remaining eighths.
    static func blocks(eighths: Int) -> String {
        String(repeating: "█", count: max(0, eighths) / 8) + partials[max(0, eighths) % 8]
    }

    public func render(into grid: inout Grid, area: Rect) {
        guard !area.isEmpty else { return }
        let suffix = (label.isEmpty ? "" : label + " ") + "\(Int((fraction * 100).rounded(.down)))%"
        let suffixWidth = TextWidth.width(of: Sanitizer.clean(suffix))
        let barWidth = max(0, area.width - suffixWidth - 1)
        let track = Rect(x: area.x, y: area.y, width: barWidth, height: 1)
        grid.fill(track, style: Style(.gauge))
        grid.put(ProgressBar.blocks(eighths: Int((fraction * Double(barWidth * 8)).rounded(.down))),
                 x: area.x, y: area.y, style: Style(.gauge), maxWidth: barWidth, overflow: .clip)
        grid.put(suffix, x: area.x + barWidth + 1, y: area.y, maxWidth: area.maxX - area.x - barWidth - 1)
    }
}
