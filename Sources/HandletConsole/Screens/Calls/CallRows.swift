import HandletDomain
import TerminalUI

/// A call as a row of the Calls list: pure, so it is tested without a database.
extension CallsTab {
    static let columns = [
        TableColumn("When", width: .fixed(12)),
        TableColumn("Contact or number", width: .flexible(minimum: 17, weight: 3)),
        TableColumn("Dir", width: .fixed(3)),
        TableColumn("Length", width: .fixed(7), alignRight: true),
        TableColumn("Handled by", width: .flexible(minimum: 9, weight: 1)),
        TableColumn("Outcome", width: .flexible(minimum: 15, weight: 1)),
        TableColumn("Recording", width: .fixed(10)),
    ]

    static func tableRow(_ call: CallRow, clock: BrowseClock) -> TableRow {
        let style: Style? = call.outcome == .missed ? .warning : (call.outcome == .spam ? .dim : nil)
        return TableRow([
            Formatting.shortTime(call.startedAt, clock: clock),
            call.party,
            call.direction == .inbound ? "in" : "out",
            Formatting.duration(call.durationSeconds),
            call.handledBy.label,
            call.outcome.label,
            call.recording.shortLabel,
        ], style: style)
    }
}
