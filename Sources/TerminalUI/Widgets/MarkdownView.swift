import Foundation

/// Markdown for notices and help, laid out for the terminal: headings, paragraphs, **strong**,
/// *emphasis*, `code`, links (shown as their text then the address), bullet and numbered lists
/// nested by indentation, `>` quotes, fenced code, rules, and pipe tables fitted to the width
/// with their cells wrapped. The text is untrusted (notices can be imported), so every piece goes
/// through the sanitiser: an escape sequence in a notice is shown as a visible stand-in.
public struct MarkdownView {
    public var source: String

    public init(_ source: String) { self.source = source }

    public func render(into grid: inout Grid, area: Rect, state: ScrollState) {
        renderLines(lines(width: area.width), into: &grid, area: area, state: state)
    }

    /// Bullets by nesting level.
    static let bullets = ["•", "◦", "▪"]

    /// The laid-out lines for a width; exposed so screens can search or count them.
    public func lines(width: Int) -> [StyledLine] {
        guard width > 0 else { return [] }
        var output: [StyledLine] = []
        let sourceLines = source.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\t", with: "    ")
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var index = 0
        var paragraph: [String] = []
        /// The list item being gathered: its marker, indent (columns) and text so far.
        var item: (marker: String, indent: Int, text: [String])?
        func flushParagraph() {
            guard !paragraph.isEmpty else { return }
            output += TextWrap.wrap(Self.inline(paragraph.joined(separator: " "), base: .normal), width: width)
            paragraph = []
        }
        func flushItem() {
            guard let current = item else { return }
            item = nil
            let markerWidth = TextWidth.width(of: current.marker)
            let textWidth = width - current.indent - markerWidth
            // Too narrow to indent: fall back to the marker at the left edge.
            let indent = textWidth >= 8 ? current.indent : 0
            let wrapped = TextWrap.wrap(Self.inline(current.text.joined(separator: " "), base: .normal),
                                        width: max(1, width - indent - markerWidth))
            for (lineIndex, wrappedLine) in wrapped.enumerated() {
                let lead = String(repeating: " ", count: indent)
                let prefix = lineIndex == 0 ? (indent > 0 ? [Span(lead)] : []) + [Span(current.marker, .accent)]
                    : [Span(lead + String(repeating: " ", count: markerWidth))]
                output.append(prefix + wrappedLine)
            }
        }
        func flushAll() { flushParagraph(); flushItem() }

        while index < sourceLines.count {
            let line = sourceLines[index]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let leading = line.prefix { $0 == " " }.count
            if trimmed.hasPrefix("```") {
                flushAll()
                index += 1
                while index < sourceLines.count, !sourceLines[index].trimmingCharacters(in: .whitespaces).hasPrefix("```") {
                    output += TextWrap.wrap([Span("  ")] + TextWrap.sanitizedSpans(sourceLines[index], style: Style(.code)), width: width)
                    index += 1
                }
                index += 1
                continue
            }
            if trimmed.isEmpty {
                flushAll()
                if output.last.map({ !$0.isEmpty }) ?? false { output.append([]) }
            } else if let level = Self.headingLevel(trimmed) {
                flushAll()
                let text = String(trimmed.drop { $0 == "#" }).trimmingCharacters(in: .whitespaces)
                let style: Style = level == 1 ? Style(.title, [.bold, .underline]) : Style(.header)
                if let last = output.last, !last.isEmpty { output.append([]) }
                output += TextWrap.wrap(Self.inline(text, base: style), width: width)
            } else if trimmed.count >= 3, Set(trimmed.replacingOccurrences(of: " ", with: "")).count == 1,
                      let first = trimmed.first, "-*_".contains(first), trimmed.filter({ $0 != " " }).count >= 3 {
                flushAll()
                output.append([Span(String(repeating: "─", count: width), .border)])
            } else if trimmed.hasPrefix("|") {
                flushAll()
                var tableLines: [String] = []
                while index < sourceLines.count, sourceLines[index].trimmingCharacters(in: .whitespaces).hasPrefix("|") {
                    tableLines.append(sourceLines[index].trimmingCharacters(in: .whitespaces))
                    index += 1
                }
                output += Self.table(tableLines, width: width)
                continue
            } else if trimmed.hasPrefix(">") {
                flushAll()
                var quoted: [String] = []
                while index < sourceLines.count, sourceLines[index].trimmingCharacters(in: .whitespaces).hasPrefix(">") {
                    quoted.append(String(sourceLines[index].trimmingCharacters(in: .whitespaces).dropFirst())
                        .trimmingCharacters(in: .whitespaces))
                    index += 1
                }
                let wrapped = TextWrap.wrap(Self.inline(quoted.joined(separator: " "), base: Style(.emphasis)), width: max(1, width - 2))
                output += wrapped.map { [Span("│ ", .border)] + $0 }
                continue
            } else if let (marker, rest) = Self.listItem(trimmed) {
                flushAll()
                // Two columns of indentation per level; the marker of a bullet depends on the level.
                let level = min(leading / 2, 8)
                let shown = marker == "•" ? Self.bullets[level % Self.bullets.count] + " " : marker
                item = (shown, level * 2, [rest])
            } else if item != nil {
                // A continuation line of the list item above (a lazy continuation, as CommonMark allows).
                item!.text.append(trimmed)
            } else {
                flushItem()
                paragraph.append(trimmed)
            }
            index += 1
        }
        flushAll()
        while output.last?.isEmpty == true { output.removeLast() }
        return output
    }

    static func headingLevel(_ line: String) -> Int? {
        let hashes = line.prefix { $0 == "#" }.count
        guard (1...6).contains(hashes), line.dropFirst(hashes).first == " " else { return nil }
        return hashes
    }

    /// A list item's marker (bullets as "•", numbers as "3. ") and its text.
    static func listItem(_ line: String) -> (String, String)? {
        if line.hasPrefix("- ") || line.hasPrefix("* ") || line.hasPrefix("+ ") {
            return ("•", String(line.dropFirst(2)))
        }
        let digits = line.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, digits.count <= 9 {
            let after = line.dropFirst(digits.count)
            if after.hasPrefix(". ") || after.hasPrefix(") ") { return ("\(digits). ", String(after.dropFirst(2))) }
        }
        return nil
    }

    /// Inline markup: **strong**, *emphasis* or _emphasis_, `code`, and [text](address) shown as
    /// the text then the address in angle brackets. Unclosed markers stay literal.
    static func inline(_ text: String, base: Style) -> StyledLine {
        var spans: StyledLine = []
        var rest = Substring(text)
        var plain = ""
        func flushPlain() {
            if !plain.isEmpty { spans += TextWrap.sanitizedSpans(plain, style: base); plain = "" }
        }
        func styled(_ role: Role) -> Style { Style(role, base.modifiers) }
        while let first = rest.first {
            if first == "[", let link = Self.link(rest) {
                flushPlain()
                spans += TextWrap.sanitizedSpans(link.text, style: Style(.link, [.underline]))
                if link.url != link.text { spans += TextWrap.sanitizedSpans(" <" + link.url + ">", style: Style(.dim)) }
                rest = rest[link.end...]
                continue
            }
            let markers: [(String, Style)] = [("**", styled(.strong)), ("__", styled(.strong)), ("`", styled(.code)),
                                              ("*", styled(.emphasis)), ("_", styled(.emphasis))]
            var matched = false
            for (marker, style) in markers where rest.hasPrefix(marker) {
                let afterOpen = rest.dropFirst(marker.count)
                // `_` inside a word (snake_case) is not emphasis.
                if marker.hasPrefix("_"), let previous = plain.last, previous.isLetter || previous.isNumber { break }
                if let close = afterOpen.range(of: marker), close.lowerBound > afterOpen.startIndex,
                   afterOpen.first != " " {
                    flushPlain()
                    let inner = String(afterOpen[..<close.lowerBound])
                    spans += marker == "`" ? TextWrap.sanitizedSpans(inner, style: style) : inline(inner, base: style)
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

    /// `[text](url)` at the start of `text`.
    static func link(_ text: Substring) -> (text: String, url: String, end: Substring.Index)? {
        guard text.first == "[", let close = text.firstIndex(of: "]") else { return nil }
        let afterClose = text.index(after: close)
        guard afterClose < text.endIndex, text[afterClose] == "(",
              let end = text[afterClose...].firstIndex(of: ")") else { return nil }
        let label = String(text[text.index(after: text.startIndex)..<close])
        let url = String(text[text.index(after: afterClose)..<end]).trimmingCharacters(in: .whitespaces)
        guard !label.isEmpty, !url.isEmpty, !url.contains(" ") else { return nil }
        return (label, url, text.index(after: end))
    }

    static func width(of line: StyledLine) -> Int { line.reduce(0) { $0 + TextWidth.width(of: $1.text) } }

    /// Pipe table. Columns get their natural width when the table fits; otherwise each column
    /// keeps its natural width up to a fair share of what is left, and cells wrap inside their
    /// column (a row is as tall as its tallest cell). Never wider than `width`.
    static func table(_ lines: [String], width: Int) -> [StyledLine] {
        func cells(_ line: String) -> [String] {
            var body = line
            if body.hasPrefix("|") { body.removeFirst() }
            if body.hasSuffix("|") && !body.hasSuffix("\\|") { body.removeLast() }
            return body.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        }
        let isSeparator = { (line: String) in line.contains("-") && line.allSatisfy { "|-: ".contains($0) } }
        let hasHeader = lines.count > 1 && isSeparator(lines[1])
        var rows = lines.filter { !isSeparator($0) }.map(cells)
        guard !rows.isEmpty else { return [] }
        let columnCount = rows.map(\.count).max() ?? 0
        rows = rows.map { $0 + Array(repeating: "", count: columnCount - $0.count) }
        let styled: [[StyledLine]] = rows.enumerated().map { rowIndex, row in
            row.map { inline($0, base: hasHeader && rowIndex == 0 ? Style(.header) : .normal) }
        }
        let natural = (0..<columnCount).map { column in styled.map { Self.width(of: $0[column]) }.max() ?? 0 }
        let separators = 3 * (columnCount - 1)
        let available = max(columnCount, width - separators)
        var widths = natural.map { max(1, $0) }
        if widths.reduce(0, +) > available {
            // Water-filling: narrow columns keep their width, the rest share what remains evenly.
            widths = Array(repeating: 0, count: columnCount)
            var open = Set(0..<columnCount)
            var remaining = available
            while !open.isEmpty {
                let share = max(1, remaining / open.count)
                let fitting = open.filter { max(1, natural[$0]) <= share }
                if fitting.isEmpty {
                    var extra = remaining - share * open.count
                    for column in open.sorted() {
                        widths[column] = share + (extra > 0 ? 1 : 0)
                        extra -= 1
                    }
                    break
                }
                for column in fitting {
                    widths[column] = max(1, natural[column])
                    remaining -= widths[column]
                    open.remove(column)
                }
            }
        }
        var output: [StyledLine] = []
        for (rowIndex, row) in styled.enumerated() {
            let wrapped: [[StyledLine]] = row.enumerated().map { column, cell in
                cell.isEmpty ? [[]] : TextWrap.wrap(cell, width: widths[column])
            }
            let height = wrapped.map(\.count).max() ?? 1
            for lineIndex in 0..<height {
                var line: StyledLine = []
                for column in 0..<columnCount {
                    if column > 0 { line.append(Span(" │ ", .border)) }
                    let cellLine = lineIndex < wrapped[column].count ? wrapped[column][lineIndex] : []
                    line += cellLine
                    // Pad every column but the last, so the rules line up.
                    let padding = widths[column] - Self.width(of: cellLine)
                    if padding > 0 && column < columnCount - 1 { line.append(Span(String(repeating: " ", count: padding))) }
                }
                while let last = line.last, last.text.hasSuffix(" ") {
                    let trimmed = String(last.text.dropLast())
                    if trimmed.isEmpty { line.removeLast() } else { line[line.count - 1].text = trimmed }
                }
                output.append(line)
            }
            if hasHeader && rowIndex == 0 {
                let rule = widths.map { String(repeating: "─", count: $0) }.joined(separator: "─┼─")
                output.append([Span(rule, .border)])
            } else if rowIndex < styled.count - 1 && wrapped.contains(where: { $0.count > 1 }) {
                // Rows taller than one line are told apart by a light rule.
                let rule = widths.map { String(repeating: "╌", count: $0) }.joined(separator: "╌┼╌")
                output.append([Span(rule, .dim)])
            }
        }
        return output
    }
}
