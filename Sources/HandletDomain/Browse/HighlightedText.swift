/// Text with the parts that matched a search marked, as character (grapheme) offsets.
public struct HighlightedText: Hashable, Sendable {
    public var text: String
    /// Ascending, non-overlapping ranges of `Character` offsets into `text`.
    public var highlights: [Range<Int>]

    public init(text: String, highlights: [Range<Int>]) {
        self.text = text
        self.highlights = highlights
    }

    /// Markers FTS5's `snippet()`/`highlight()` put around each hit. Control characters never join
    /// a grapheme cluster, so offsets stay exact; they are SQL `char(2)` and `char(3)`.
    static let openMarker: Unicode.Scalar = "\u{02}"
    static let closeMarker: Unicode.Scalar = "\u{03}"
    static let markersSQL = "char(2), char(3)"

    /// Parses text with markers. Unbalanced markers (possible if the stored text itself contains
    /// them) are tolerated: a stray close is dropped, an unclosed open runs to the end.
    init(marked: String) {
        var scalars = String.UnicodeScalarView()
        var scalarRanges: [Range<Int>] = []
        var openAt: Int?
        var count = 0
        for scalar in marked.unicodeScalars {
            if scalar == Self.openMarker {
                if openAt == nil { openAt = count }
            } else if scalar == Self.closeMarker {
                if let start = openAt {
                    if count > start { scalarRanges.append(start..<count) }
                    openAt = nil
                }
            } else {
                scalars.append(scalar)
                count += 1
            }
        }
        if let start = openAt, count > start { scalarRanges.append(start..<count) }
        let text = String(scalars)
        self.text = text
        highlights = Self.characterRanges(scalarRanges, in: text)
    }

    /// Scalar offsets to character offsets, widened to whole characters.
    private static func characterRanges(_ ranges: [Range<Int>], in text: String) -> [Range<Int>] {
        guard !ranges.isEmpty else { return [] }
        // characterStart[i] = scalar offset where character i starts.
        var characterStart: [Int] = []
        var scalarOffset = 0
        for character in text {
            characterStart.append(scalarOffset)
            scalarOffset += character.unicodeScalars.count
        }
        func characterContaining(_ scalar: Int) -> Int {
            var low = 0, high = characterStart.count - 1
            while low < high {
                let middle = (low + high + 1) / 2
                if characterStart[middle] <= scalar { low = middle } else { high = middle - 1 }
            }
            return low
        }
        var result: [Range<Int>] = []
        for range in ranges where !characterStart.isEmpty {
            let start = characterContaining(range.lowerBound)
            let end = characterContaining(range.upperBound - 1) + 1
            if let previous = result.last, previous.upperBound >= start {
                result[result.count - 1] = previous.lowerBound..<max(previous.upperBound, end)
            } else {
                result.append(start..<end)
            }
        }
        return result
    }

    /// The highlighted parts as strings (for tests and plain output).
    public var highlightedParts: [String] {
        let characters = Array(text)
        return highlights.map { String(characters[$0]) }
    }

    /// Splits on newlines, keeping each line's highlights (a phrase hit across two lines is
    /// highlighted in both).
    public func lines() -> [HighlightedText] {
        var result: [HighlightedText] = []
        var current = ""
        var start = 0
        var offset = 0
        func finish() {
            let end = offset
            let ranges = highlights.compactMap { range -> Range<Int>? in
                let lower = max(range.lowerBound, start), upper = min(range.upperBound, end)
                return lower < upper ? (lower - start)..<(upper - start) : nil
            }
            result.append(HighlightedText(text: current, highlights: ranges))
        }
        for character in text {
            if character == "\n" {
                finish()
                current = ""
                offset += 1
                start = offset
            } else {
                current.append(character)
                offset += 1
            }
        }
        finish()
        return result
    }
}
