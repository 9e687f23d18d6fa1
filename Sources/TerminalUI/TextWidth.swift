import CNcursesw

/// Display width of text in terminal columns, per grapheme cluster: the one width function
/// the grid, every widget and the text field measure with.
///
/// A single scalar takes what the running C library's `wcwidth` says in a UTF-8 locale,
/// because that is what ncurses (and most terminals) use to advance the cursor: counting a
/// text-presentation emoji (🌡, 🏳) or a lone regional indicator as two columns where they
/// draw one left a stale character beside it. The table is read once in C.UTF-8 so it does
/// not depend on the process locale (tests run in `C`). Clusters follow explicit rules
/// (below), and `TerminalSafeSymbol` makes the bytes sent for a cluster take exactly the
/// columns counted here.
public enum TextWidth {
    /// Columns taken by one grapheme cluster (0, 1 or 2), as the grid draws it.
    /// - a flag (two regional indicators): 2;
    /// - VS16 after an emoji or a keycap base asks for emoji presentation: 2;
    /// - VS15 is ignored, as ncurses and terminals ignore it: the base's width;
    /// - a ZWJ sequence or a skin tone after an emoji: 2 (drawn as one glyph);
    /// - otherwise the width of the first scalar (combining marks add nothing); a cluster
    ///   that starts with a combining mark is drawn on a dotted circle, so takes 1.
    public static func width(of cluster: Character) -> Int {
        let scalars = cluster.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if scalars.count == 1 {
            let w = width(of: first)
            return w == 0 && isMark(first) ? 1 : w
        }
        var hasEmojiSelector = false
        var hasTextSelector = false
        var hasEmojiModifierOrJoiner = false
        var regionalIndicators = 0
        for scalar in scalars {
            switch scalar.value {
            case 0xFE0F: hasEmojiSelector = true
            case 0xFE0E: hasTextSelector = true
            case 0x200D, 0x1F3FB...0x1F3FF: hasEmojiModifierOrJoiner = true
            case 0x1F1E6...0x1F1FF: regionalIndicators += 1
            default: break
            }
        }
        if regionalIndicators >= 2 { return 2 }
        if hasTextSelector && !hasEmojiSelector { return max(width(of: first), isMark(first) ? 1 : 0) }
        if hasEmojiSelector && (first.properties.isEmoji || first.value == 0x20E3) { return 2 }
        if hasEmojiModifierOrJoiner && first.properties.isEmoji && first.value > 0xFF { return 2 }
        let base = width(of: first)
        if base > 0 { return base }
        if isMark(first) { return 1 }
        // A cluster that starts with an invisible scalar (a prepended format character)
        // still shows whatever spacing scalar follows.
        return scalars.dropFirst().map { width(of: $0) }.max() ?? 0
    }

    /// True for a cluster that starts with a combining mark (nothing before it to combine
    /// with): the grid draws it on a dotted circle, as Unicode suggests.
    public static func isUnattachedMark(_ cluster: Character) -> Bool {
        guard let first = cluster.unicodeScalars.first else { return false }
        return isMark(first) && width(of: first) == 0
    }

    private static func isMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .spacingMark: return true
        default: return false
        }
    }

    /// Columns taken by a single scalar outside any cluster context: libc's `wcwidth`, and
    /// for what libc does not know (controls, scalars newer than its tables) a rule from the
    /// Unicode properties.
    public static func width(of scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x7F { return value < 0x20 ? 0 : 1 }
        let libc = hl_libc_width(value)
        return libc >= 0 ? Int(libc) : unicodeWidth(of: scalar)
    }

    /// False for a scalar the C library has no width for (a control, or a character newer
    /// than its tables): ncurses would refuse or mis-measure it, so it must not be sent raw.
    public static func isKnownToLibc(_ scalar: Unicode.Scalar) -> Bool {
        hl_libc_width(scalar.value) != -1
    }

    /// Modern terminals' rule, for scalars libc cannot measure: East Asian Wide/Fullwidth and
    /// emoji-presentation scalars take two columns, combining marks and format characters none.
    static func unicodeWidth(of scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x7F { return value < 0x20 ? 0 : 1 }
        if value < 0xA0 { return 0 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control, .lineSeparator, .paragraphSeparator:
            return 0
        default: break
        }
        if (0x1160...0x11FF).contains(value) || (0xD7B0...0xD7FF).contains(value) { return 0 }
        if scalar.properties.isEmojiPresentation { return 2 }
        return isWide(value) ? 2 : 1
    }

    /// Total columns of a string (sum over its clusters).
    public static func width(of text: some StringProtocol) -> Int {
        // Printable ASCII is a column a byte, without breaking it into clusters (issue 26).
        if text.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) { return text.utf8.count }
        return text.reduce(0) { $0 + width(of: $1) }
    }

    /// Fits `text` into `maxWidth` columns. When it does not fit, cuts at a cluster boundary
    /// and ends with `ellipsis`, so a wide character is never split and the result never
    /// exceeds `maxWidth` (it may be one column short when a wide cluster would straddle the end).
    public static func truncate(_ text: String, to maxWidth: Int, ellipsis: String = "…") -> String {
        guard maxWidth > 0 else { return "" }
        if width(of: text) <= maxWidth { return text }
        let ellipsisWidth = width(of: ellipsis)
        guard ellipsisWidth <= maxWidth else { return "" }
        let budget = maxWidth - ellipsisWidth
        var result = ""
        var used = 0
        for cluster in text {
            let w = width(of: cluster)
            if used + w > budget { break }
            result.append(cluster)
            used += w
        }
        return result + ellipsis
    }

    /// Pads with spaces (or truncates) to exactly `columns`.
    public static func pad(_ text: String, to columns: Int, alignRight: Bool = false) -> String {
        let fitted = truncate(text, to: columns)
        let gap = String(repeating: " ", count: max(0, columns - width(of: fitted)))
        return alignRight ? gap + fitted : fitted + gap
    }

    // East Asian Wide (W) and Fullwidth (F) blocks, coarse but covering what business
    // records contain: CJK, kana, Hangul, fullwidth forms. Emoji are not listed by block:
    // the emoji blocks mix wide (Emoji_Presentation) and narrow (text-presentation) symbols.
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0,
        0x23F3...0x23F3, 0x25FD...0x25FE, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF,
        0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF,
        0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4,
        0x17000...0x18CFF, 0x1B000...0x1B2FF, 0x1F200...0x1F265, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]

    private static func isWide(_ value: UInt32) -> Bool {
        guard value >= 0x1100 else { return false }
        var low = 0, high = wideRanges.count - 1
        while low <= high {
            let mid = (low + high) / 2
            let range = wideRanges[mid]
            if value < range.lowerBound { high = mid - 1 } else if value > range.upperBound { low = mid + 1 } else { return true }
        }
        return false
    }
}
