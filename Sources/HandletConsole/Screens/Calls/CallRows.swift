import HandletDomain
import TerminalUI

/// A call as a row of the Calls list (columns: `CallRow.columns`): pure, so it is tested without a database.
extension CallsTab {
    static let columns = CallRow.columns.tableColumns

    static func tableRow(_ call: CallRow, clock: BrowseClock) -> TableRow {
        CallRow.columns.tableRow(call, clock: clock, style: call.outcome == .missed ? .warning : (call.outcome == .spam ? .dim : nil))
    }
}
