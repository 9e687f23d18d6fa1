import Foundation

/// A run of text in one style: the unit of styled, wrapped text (text view, Markdown).
public struct Span: Equatable, Sendable {
    public var text: String
    public var style: Style
    public init(_ text: String, _ style: Style = .normal) {
        self.text = text
        self.style = style
    }
}

/// One display line made of spans.
public typealias StyledLine = [Span]

public extension Grid {
    /// Writes spans left to right, sanitising each; returns the columns used.
    @discardableResult
    mutating func put(_ spans: StyledLine, x: Int, y: Int, maxWidth: Int) -> Int {
        var used = 0
        for span in spans where used < maxWidth {
            // A span that does not fit ends in "…" and fills the line, so later spans stop.
            used += put(span.text, x: x + used, y: y, style: span.style, maxWidth: maxWidth - used)
        }
        return used
    }
}

/// Word wrapping that respects display width and never splits a grapheme cluster.
public enum TextWrap {
    /// Splits untrusted text into styled spans with control characters replaced by
    /// visible stand-ins in the `.control` role, so wrapping measures what will be shown.
    public static func sanitizedSpans(_ text: String, style: Style) -> StyledLine {
        Sanitizer.segments(text).map { Span($0.text, $0.isControl ? Style(.control, style.modifiers) : style) }
    }

    /// Wraps one paragraph of spans to `width` columns, breaking at spaces where possible
    /// and inside words only when a word is longer than a line.
    public static func wrap(_ spans: StyledLine, width: Int) -> [StyledLine] {
        guard width > 0 else { return [] }
        // Words are sequences of (cluster, style) between spaces.
        var lines: [StyledLine] = []
        var current: StyledLine = []
        var currentWidth = 0
        var word: [(Character, Style)] = []
        var wordWidth = 0

        func append(_ character: Character, _ style: Style, to line: inout StyledLine) {
            if let last = line.last, last.style == style {
                line[line.count - 1].text.append(character)
            } else {
                line.append(Span(String(character), style))
            }
        }
        func finishLine() {
            lines.append(current)
            current = []
            currentWidth = 0
        }
        func flushWord() {
            guard !word.isEmpty else { return }
            if currentWidth > 0 && currentWidth + wordWidth > width { finishLine() }
            for (character, style) in word {
                let w = TextWidth.width(of: character)
                if currentWidth + w > width { finishLine() }
                append(character, style, to: &current)
                currentWidth += w
            }
            word = []
            wordWidth = 0
        }
        for span in spans {
            for character in span.text {
                if character == " " {
                    flushWord()
                    if currentWidth > 0 && currentWidth < width {
                        append(" ", span.style, to: &current)
                        currentWidth += 1
                    }
                } else {
                    word.append((character, span.style))
                    wordWidth += TextWidth.width(of: character)
                }
            }
        }
        flushWord()
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        // Trailing spaces carry no meaning and would make styled backgrounds ragged.
        return lines.map { line in
            var line = line
            while let last = line.last, last.text.hasSuffix(" ") {
                let trimmed = String(last.text.dropLast())
                if trimmed.isEmpty { line.removeLast() } else { line[line.count - 1].text = trimmed }
            }
            return line
        }
    }

    /// Splits a whole text into paragraphs (on newlines, tabs expanded) and wraps each.
    public static func wrapText(_ text: String, width: Int, style: Style = .normal) -> [StyledLine] {
        let normalised = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\t", with: "    ")
        return normalised.split(separator: "\n", omittingEmptySubsequences: false).flatMap { paragraph in
            wrap(sanitizedSpans(String(paragraph), style: style), width: width)
        }
    }
}
