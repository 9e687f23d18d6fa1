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

    static func detailLines(_ event: AuditEvent, clock: BrowseClock) -> [StyledLine] {
        let values = event.detailValues
        let width = max(15, (values.keys.map(\.count).max() ?? 0) + 4)
        func fact(_ label: String, _ value: String) -> StyledLine {
            [Span(label.padding(toLength: width, withPad: " ", startingAt: 0), .dim)] + TextWrap.sanitizedSpans(value, style: .normal)
        }
        var lines: [StyledLine] = [[Span("Event \(event.seq ?? 0)", Style(.title, .bold))], []]
        lines.append(fact("When", DisplayText.fullTime(event.at, clock: clock)))
        lines.append(fact("Actor", event.actor))
        lines.append(fact("Action", event.action))
        lines.append(fact("Target", event.target))
        lines.append([])
        lines.append([Span("Details", .header)])
        if values.isEmpty {
            lines.append(fact("  (raw)", event.details))
        }
        for key in values.keys.sorted() {
            let text: String = switch values[key]! {
            case .string(let text): text
            case .int(let number): String(number)
            case .bool(let flag): String(flag)
            }
            lines.append(fact("  " + key, text))
        }
        lines.append([])
        lines.append(fact("Previous hash", event.previousHash))
        lines.append(fact("Hash", event.hash))
        return lines
    }

    /// The verify result's line: green when intact, red naming the first broken event.
    static func verificationLine(_ result: AuditVerification) -> StyledLine {
        if let problem = result.problem {
            return [Span("Audit log broken at event \(problem.seq): ", Style(.error, .bold))] + TextWrap.sanitizedSpans(problem.description, style: .error)
        }
        var text = "Audit log intact: \(DisplayText.count(result.eventsChecked, "event")) checked"
        if let head = result.head { text += ", head \(head.seq):\(head.hash.prefix(16))…" }
        if let checkpoint = result.checkpoint { text += ", checkpoint \(checkpoint.seq) holds" }
        return [Span(text, .success)]
    }
}
