import Foundation
import HandletDomain
import TerminalUI

/// A thread as a conversation: each message with its direction, time, delivery status and
/// attachments; replies from the business indented, auto-sent ones marked.
struct ConversationView {
    let detail: ThreadDetail
    /// Messages shown, oldest first (a window around the opened message, or the newest ones).
    let messages: [MessageRow]
    let hasEarlier: Bool
    /// The key that loads them, as the user has it bound (nil: unbound).
    var loadEarlierKey: String? = nil
    /// The key that opens a sent draft's trace, as the user has it bound (nil: unbound).
    var traceKey: String? = nil
    let clock: BrowseClock
    /// The message to scroll to, with the search words marked.
    let focusMessageId: Message.ID?
    let focusHighlight: HighlightedText?

    /// The lines at `width`, the opened message's first line, and where each message with a
    /// trace (a correlation id) starts, top to bottom: the trace key traces the one in view.
    func lines(width: Int) -> (lines: [StyledLine], focusLine: Int?, traceable: [(line: Int, id: Message.ID)]) {
        var lines: [StyledLine] = []
        var focusLine: Int?
        var traceable: [(line: Int, id: Message.ID)] = []
        let party = detail.contact?.name ?? detail.thread.subject ?? "Unknown"
        lines.append([Span(party, Style(.title, .bold)), Span("  \(detail.thread.channel.label) · \(DisplayText.count(detail.thread.messageCount, "message"))", .dim)])
        if let subject = detail.thread.subject, detail.contact != nil {
            lines.append(TextWrap.sanitizedSpans("Subject: \(subject)", style: .dim))
        }
        if detail.contact?.optedOutAt != nil {
            lines.append([Span("Opted out", Style(.warning, .bold)), Span(": no automatic messages go to this contact", .dim)])
        }
        if hasEarlier {
            lines.append([Span("… earlier messages are not shown" + (loadEarlierKey.map { " (press \($0) to load them)" } ?? ""), .dim)])
        }
        for message in messages {
            lines.append([])
            let outbound = message.direction == .outbound
            let indent = outbound ? 6 : 0
            let pad = Span(String(repeating: " ", count: indent))
            var header: StyledLine = [pad,
                                      Span(outbound ? "→ " : "← ", outbound ? .accent : Style(.title)),
                                      Span(DisplayText.shortTime(message.sentAt, clock: clock), .dim),
                                      Span("  " + (outbound ? "Business" : party), outbound ? .accent : Style(.title, .bold)),
                                      Span("  " + message.deliveryStatus.rawValue, message.deliveryStatus == .failed ? .error : .dim)]
            if message.autoSent { header += [Span("  "), Span(" auto-sent ", .chip)] }
            if message.correlationId != nil {
                traceable.append((lines.count, message.id))
                if let traceKey { header.append(Span("  \(traceKey): trace", .dim)) }
            }
            if message.id == focusMessageId { focusLine = lines.count }
            lines.append(header)
            let body = message.id == focusMessageId ? (focusHighlight ?? HighlightedText(text: message.body, highlights: []))
                : HighlightedText(text: message.body, highlights: [])
            let bodyIndent = indent + 2
            // Line breaks inside a body (emails) stay breaks; split before sanitising, which would show them as ␊.
            for paragraph in body.lines() {
                for line in TextWrap.wrap(paragraph.spans(style: .normal), width: max(10, width - bodyIndent)) {
                    lines.append([Span(String(repeating: " ", count: bodyIndent))] + line)
                }
            }
            if let note = TextDeletion.removedNote(reason: message.textRemoved, at: message.textRemovedAt, clock: clock) {
                lines.append([Span(String(repeating: " ", count: bodyIndent)), Span("[\(note)]", .dim)])
            }
            for attachment in message.attachments {
                lines.append([Span(String(repeating: " ", count: bodyIndent)),
                              Span("📎 ", .dim)] + TextWrap.sanitizedSpans(attachment.name, style: .accent) + [Span("  \(DisplayText.size(attachment.bytes))", .dim)])
            }
        }
        return (lines, focusLine, traceable)
    }
}
