import Foundation

/// Markdown-lite for notices and help: headings, bullet and numbered lists, **strong**,
/// *emphasis*, `code`, and pipe tables fitted to the width. Everything else is a paragraph.
/// The text is untrusted (notices can be imported), so it goes through the sanitiser too.
public struct MarkdownView {
    public var source: String

    public init(_ source: String) { self.source = source }

    public func render(into grid: inout Grid, area: Rect, state: ScrollState) {
        renderLines(lines(width: area.width), into: &grid, area: area, state: state)
    }

    /// The laid-out lines for a width; exposed so screens can search or count them.
    public func lines(width: Int) -> [StyledLine] {
        guard width > 0 else { return [] }
        var output: [StyledLine] = []
        let sourceLines = source.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var index = 0
        var paragraph: [String] = []
        func flushParagraph() {
            guard !paragraph.isEmpty else { return }
            output += TextWrap.wrap(Self.inline(paragraph.joined(separator: " "), base: .normal), width: width)
            paragraph = []
        }
        while index < sourceLines.count {
            let line = sourceLines[index]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                flushParagraph()
                if output.last.map({ !$0.isEmpty }) ?? false { output.append([]) }
            } else if let level = Self.headingLevel(trimmed) {
                flushParagraph()
                let text = String(trimmed.drop { $0 == "#" }).trimmingCharacters(in: .whitespaces)
                let style: Style = level == 1 ? Style(.title, [.bold, .underline]) : Style(.header)
                output += TextWrap.wrap(TextWrap.sanitizedSpans(text, style: style), width: width)
            } else if trimmed.hasPrefix("|") {
                flushParagraph()
                var tableLines: [String] = []
                while index < sourceLines.count, sourceLines[index].trimmingCharacters(in: .whitespaces).hasPrefix("|") {
                    tableLines.append(sourceLines[index].trimmingCharacters(in: .whitespaces))
                    index += 1
                }
                output += Self.table(tableLines, width: width)
                continue
            } else if let (marker, rest) = Self.listItem(trimmed) {
                flushParagraph()
                let indent = TextWidth.width(of: marker)
                let wrapped = TextWrap.wrap(Self.inline(rest, base: .normal), width: max(1, width - indent))
                for (lineIndex, wrappedLine) in wrapped.enumerated() {
                    let prefix = lineIndex == 0 ? Span(marker, .accent) : Span(String(repeating: " ", count: indent))
                    output.append([prefix] + wrappedLine)
                }
            } else {
                paragraph.append(trimmed)
            }
            index += 1
        }
        flushParagraph()
        while output.last?.isEmpty == true { output.removeLast() }
        return output
    }

    static func headingLevel(_ line: String) -> Int? {
        let hashes = line.prefix { $0 == "#" }.count
        guard (1...6).contains(hashes), line.dropFirst(hashes).first == " " else { return nil }
        return hashes
    }

    static func listItem(_ line: String) -> (String, String)? {
        if line.hasPrefix("- ") || line.hasPrefix("* ") || line.hasPrefix("+ ") {
            return ("• ", String(line.dropFirst(2)))
        }
        let digits = line.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, line.dropFirst(digits.count).hasPrefix(". ") {
            return ("\(digits). ", String(line.dropFirst(digits.count + 2)))
        }
        return nil
    }

    /// Inline markup: **strong**, *emphasis* or _emphasis_, `code`. Unclosed markers stay literal.
    static func inline(_ text: String, base: Style) -> StyledLine {
        var spans: StyledLine = []
        var rest = Substring(text)
        var plain = ""
        func flushPlain() {
            if !plain.isEmpty { spans += TextWrap.sanitizedSpans(plain, style: base); plain = "" }
        }
        while let first = rest.first {
            let markers: [(String, Style)] = [("**", Style(.strong)), ("`", Style(.code)), ("*", Style(.emphasis)), ("_", Style(.emphasis))]
            var matched = false
            for (marker, style) in markers where rest.hasPrefix(marker) {
                let afterOpen = rest.dropFirst(marker.count)
                if let close = afterOpen.range(of: marker), close.lowerBound > afterOpen.startIndex {
                    flushPlain()
                    spans += TextWrap.sanitizedSpans(String(afterOpen[..<close.lowerBound]), style: style)
                    rest = afterOpen[close.upperBound...]
                    matched = true
                    break
                }
            }
            if !matched {
                plain.append(first)
                rest = rest.dropFirst()
            }
        }
        flushPlain()
        return spans
    }

    /// Pipe table: columns get their natural width when it fits; otherwise every column is
    /// shrunk in proportion (never below 3) and cells end in "…".
    static func table(_ lines: [String], width: Int) -> [StyledLine] {
        func cells(_ line: String) -> [String] {
            var body = line
            if body.hasPrefix("|") { body.removeFirst() }
            if body.hasSuffix("|") { body.removeLast() }
            return body.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        }
        let isSeparator = { (line: String) in line.allSatisfy { "|-: ".contains($0) } }
        var rows = lines.filter { !isSeparator($0) }.map(cells)
        guard !rows.isEmpty else { return [] }
        let hasHeader = lines.count > 1 && isSeparator(lines[1])
        let columnCount = rows.map(\.count).max() ?? 0
        rows = rows.map { $0 + Array(repeating: "", count: columnCount - $0.count) }
        var widths = (0..<columnCount).map { column in rows.map { TextWidth.width(of: Sanitizer.clean($0[column])) }.max() ?? 0 }
        let separators = 3 * (columnCount - 1)
        let available = width - separators
        if widths.reduce(0, +) > available {
            let natural = widths.reduce(0, +)
            widths = widths.map { max(min(3, $0), $0 * max(0, available) / max(1, natural)) }
            // Whatever rounding left over goes to the widest column, never past the width.
            var excess = widths.reduce(0, +) - available
            while excess > 0, let widest = widths.indices.max(by: { widths[$0] < widths[$1] }), widths[widest] > 1 {
                widths[widest] -= 1
                excess -= 1
            }
        }
        var output: [StyledLine] = []
        for (rowIndex, row) in rows.enumerated() {
            let style: Style = hasHeader && rowIndex == 0 ? Style(.header) : .normal
            var line: StyledLine = []
            for (column, text) in row.enumerated() {
                if column > 0 { line.append(Span(" │ ", .border)) }
                line += TextWrap.sanitizedSpans(TextWidth.pad(Sanitizer.clean(text), to: widths[column]), style: style)
            }
            output.append(line)
            if hasHeader && rowIndex == 0 {
                let rule = widths.map { String(repeating: "─", count: $0) }.joined(separator: "─┼─")
                output.append([Span(rule, .border)])
            }
        }
        return output
    }
}
