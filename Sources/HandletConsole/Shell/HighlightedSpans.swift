import HandletDomain
import TerminalUI

extension HighlightedText {
    /// Spans for wrapping: search hits in `.highlight`, the rest in `style`; untrusted text is
    /// sanitised piece by piece so a hit never hides a control character.
    func spans(style: Style) -> StyledLine {
        let characters = Array(text)
        var spans: StyledLine = []
        var position = 0
        for range in highlights where range.lowerBound >= position && range.upperBound <= characters.count {
            if range.lowerBound > position {
                spans += TextWrap.sanitizedSpans(String(characters[position..<range.lowerBound]), style: style)
            }
            spans += TextWrap.sanitizedSpans(String(characters[range]), style: Style(.highlight, [.bold]))
            position = range.upperBound
        }
        if position < characters.count {
            spans += TextWrap.sanitizedSpans(String(characters[position...]), style: style)
        }
        return spans
    }
}
