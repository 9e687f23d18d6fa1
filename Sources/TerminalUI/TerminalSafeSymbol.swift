/// What to actually send to a terminal for a grid cell.
///
/// Terminals disagree about multi-codepoint emoji: tmux 3.3 and xterm draw a ZWJ family
/// as several glyphs, a skin-toned thumb as two, a flag as two narrow letters. When the
/// terminal's idea of a width differs from ours its cursor drifts and later cells land in
/// the wrong columns (we saw stale characters left on screen). So the backend sends only
/// what every terminal measures the same way, keeping the grid's layout exact:
/// - one scalar, or a base plus combining marks: unchanged;
/// - ZWJ sequences and skin tones: the first emoji alone (👨‍👩‍👧 → 👨, 👍🏽 → 👍);
/// - flags: the two-letter region code (🇬🇧 → GB);
/// - a text-default symbol forced to emoji (❤️, 1️⃣): the symbol, then a space.
/// The grid (and headless tests) keep the full cluster; only the bytes on the wire change.
public enum TerminalSafeSymbol {
    /// One string per terminal column the cell covers (1 or 2 entries), or a single entry
    /// for a cluster that the terminal will draw across `width` columns by itself.
    public static func cells(for symbol: String, width: Int) -> [String] {
        let scalars = Array(symbol.unicodeScalars)
        guard scalars.count > 1 else { return [symbol] }
        let rest = scalars.dropFirst()
        let restAreMarks = rest.allSatisfy {
            // Variation selectors are marks too, but VS16 changes the width terminals disagree on.
            [.nonspacingMark, .enclosingMark].contains($0.properties.generalCategory)
                && $0.value != 0x20E3 && !(0xFE00...0xFE0F).contains($0.value)
        }
        if restAreMarks && scalars.count <= 5 { return [symbol] }
        let first = scalars[0]
        if (0x1F1E6...0x1F1FF).contains(first.value) {
            let letters = scalars.prefix(2).compactMap { Unicode.Scalar($0.value - 0x1F1E6 + 0x41).map { String($0) } }
            return width == 2 && letters.count == 2 ? letters : [letters.first ?? "?"]
        }
        let base = String(first)
        if TextWidth.width(of: first) == width { return [base] }
        return width == 2 ? [base, " "] : [base]
    }
}
