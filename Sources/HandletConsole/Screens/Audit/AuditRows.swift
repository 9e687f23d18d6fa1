import Foundation
import HandletDomain
import TerminalUI

/// Audit events as table rows and as a detail view (columns: `AuditEvent.columns`): pure, so
/// they are tested without a database. Targets and details are stored text: the grid sanitises them.
extension AuditTab {
    static let columns = AuditEvent.columns.tableColumns

    static func tableRow(_ event: AuditEvent, clock: BrowseClock) -> TableRow {
        AuditEvent.columns.tableRow(event, clock: clock)
    }

    /// The event's fields, each value wrapped to `width` under its label.
    static func detailLines(_ event: AuditEvent, clock: BrowseClock, width: Int) -> [StyledLine] {
        let values = event.detailValues
        let labelWidth = max(15, (values.keys.map(\.count).max() ?? 0) + 4)
        var lines: [StyledLine] = [[Span("Event \(event.seq ?? 0)", Style(.title, .bold))], []]
        func fact(_ label: String, _ value: String) {
            let label = Span(label.padding(toLength: labelWidth, withPad: " ", startingAt: 0), .dim)
            let wrapped = TextWrap.wrap(TextWrap.sanitizedSpans(value, style: .normal), width: max(1, width - labelWidth))
            for (index, line) in (wrapped.isEmpty ? [[]] : wrapped).enumerated() {
                lines.append([index == 0 ? label : Span(String(repeating: " ", count: labelWidth), .dim)] + line)
            }
        }
        fact("When", DisplayText.timestamp(event.at, clock: clock))
        fact("Actor", event.actor)
        fact("Action", event.action)
        fact("Target", event.target)
        lines.append([])
        lines.append([Span("Details", .header)])
        if values.isEmpty {
            fact("  (raw)", event.details)
        }
        for key in values.keys.sorted() {
            let text: String = switch values[key]! {
            case .string(let text): text
            case .int(let number): String(number)
            case .bool(let flag): String(flag)
            }
            fact("  " + key, text)
        }
        lines.append([])
        fact("Previous hash", event.previousHash)
        fact("Hash", event.hash)
        return lines
    }

    /// The verify result's line: green when intact, red naming the first broken event; when it
    /// was computed, and, once newer events were written, that it is stale (dimmed, with how many).
    static func verificationLine(_ result: AuditVerification, at: Date? = nil, clock: BrowseClock? = nil, newer: Int? = nil) -> StyledLine {
        let when = at.flatMap { at in clock.map { " (verified \(DisplayText.shortTime(at, clock: $0)))" } } ?? ""
        if let problem = result.problem {
            return [Span("Audit log broken at event \(problem.seq): ", Style(.error, .bold))]
                + TextWrap.sanitizedSpans(problem.description, style: .error) + [Span(when, .dim)]
        }
        // When it was computed comes before the head's hash, so a narrow screen still shows it.
        var text = "Audit log intact: \(DisplayText.count(result.eventsChecked, "event")) checked" + when
        if let head = result.head { text += ", head \(head.seq):\(head.hash.prefix(16))…" }
        if let checkpoint = result.checkpoint { text += ", checkpoint \(checkpoint.seq) holds" }
        guard let newer else { return [Span(text, .success)] }
        return [Span("Stale: \(DisplayText.count(newer, "newer event")) not checked · ", Style(.warning, .bold)),
                Span(text, .dim)]
    }
}
