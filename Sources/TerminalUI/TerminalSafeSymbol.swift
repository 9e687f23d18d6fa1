/// What to actually send to a terminal for a grid cell.
///
/// Terminals disagree about multi-codepoint emoji: tmux 3.3 and xterm draw a ZWJ family
/// as several glyphs, a skin-toned thumb as two, a flag as two narrow letters. When the
/// terminal's idea of a width differs from ours its cursor drifts and later cells land in
/// the wrong columns (we saw stale characters left on screen). ncurses measures a cell by
/// libc's `wcwidth` of its first scalar and refuses a cell whose base libc cannot measure.
/// So the backend sends only what libc, ncurses and terminals measure the same way, keeping
/// the grid's layout exact:
/// - one scalar, or a base plus zero-width combining scalars (accents, Hangul vowel and
///   final jamo), when libc gives the base the cell's width: unchanged;
/// - ZWJ sequences and skin tones: the first emoji alone (👨‍👩‍👧 → 👨, 👍🏽 → 👍);
/// - flags: the two-letter region code (🇬🇧 → GB);
/// - a text-default symbol forced to emoji (❤️, 1️⃣): the symbol, then a space;
/// - anything libc cannot measure (a character newer than its tables): U+FFFD, padded.
/// The grid (and headless tests) keep the full cluster; only the bytes on the wire change.
public enum TerminalSafeSymbol {
    /// One string per terminal column the cell covers (1 or 2 entries), or a single entry
    /// for a cluster that the terminal will draw across `width` columns by itself.
    public static func cells(for symbol: String, width: Int) -> [String] {
        let scalars = Array(symbol.unicodeScalars)
        guard let first = scalars.first else { return [symbol] }
        let columns = max(1, min(2, width))
        let baseWidth = TextWidth.isKnownToLibc(first) ? TextWidth.width(of: first) : -1
        // ncurses keeps at most 5 scalars in a cell (CCHARW_MAX).
        if baseWidth == columns && scalars.count <= 5 && scalars.dropFirst().allSatisfy(combinesSilently) {
            return [symbol]
        }
        if scalars.count >= 2, isRegionalIndicator(first), isRegionalIndicator(scalars[1]) {
            let letters = scalars.prefix(2).compactMap { Unicode.Scalar($0.value - 0x1F1E6 + 0x41).map { String($0) } }
            return columns == 2 ? letters : [letters[0]]
        }
        if baseWidth == columns { return [String(first)] }
        if baseWidth == 1 && columns == 2 { return [String(first), " "] }
        return columns == 2 ? ["\u{FFFD}", " "] : ["\u{FFFD}"]
    }

    /// A scalar that adds nothing to the width of the cell it joins, in libc and in terminals.
    /// Variation selectors, ZWJ, the keycap mark and tags are zero-width to libc too, but they
    /// are exactly what terminals disagree on (tmux joins a cell ending in ZWJ with the next).
    private static func combinesSilently(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x200D, 0x20E3, 0xFE00...0xFE0F, 0xE0000...0xE01EF: return false
        default: return TextWidth.isKnownToLibc(scalar) && TextWidth.width(of: scalar) == 0
        }
    }

    private static func isRegionalIndicator(_ scalar: Unicode.Scalar) -> Bool { (0x1F1E6...0x1F1FF).contains(scalar.value) }
}
