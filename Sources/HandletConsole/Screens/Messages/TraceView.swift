import Foundation
import HandletDomain
import TerminalUI

/// A message's Auto-Send trace (the domain's `AutoSendTrace`): the draft, each evaluation with
/// the settings in force and every gate's verdict in order, the outbox row, who trained the intent.
struct TraceView {
    let trace: AutoSendTrace
    let clock: BrowseClock

    func lines(width: Int) -> [StyledLine] {
        var lines: [StyledLine] = [[Span("Auto-Send trace", Style(.title, .bold)),
                                    Span(trace.message.map { "  message \($0.id)" } ?? "  draft \(trace.draft.id)", .dim)]]
        let clock = self.clock
        for text in trace.lines(time: { DisplayText.timestamp($0, clock: clock) }) {
            let style: Style = text.hasPrefix("Evaluation") || text.hasPrefix("Draft") || text.hasPrefix("Outbox") || text.hasPrefix("Training")
                ? Style(.title) : Self.verdictStyle(text)
            if text.isEmpty { lines.append([]); continue }
            lines += TextWrap.wrap(TextWrap.sanitizedSpans(text, style: style), width: max(10, width))
        }
        return lines
    }

    /// A gate line that stopped the draft stands out; the rest read quietly.
    private static func verdictStyle(_ line: String) -> Style {
        let words = line.split(separator: " ")
        guard words.count >= 3, Int(words[0]) != nil else { return .normal }
        switch words[2] {
        case "block": return .error
        case "hold", "wait": return .warning
        default: return .dim
        }
    }
}
