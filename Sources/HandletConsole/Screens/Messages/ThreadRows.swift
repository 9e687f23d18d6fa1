import Foundation
import HandletDomain
import TerminalUI

/// A thread as a row of the Messages list (columns: `ThreadRow.columns`): pure, so it is tested without a database.
extension MessagesTab {
    static let columns = ThreadRow.columns.tableColumns

    static func tableRow(_ thread: ThreadRow, clock: BrowseClock) -> TableRow {
        ThreadRow.columns.tableRow(thread, clock: clock, style: thread.unreadCount > 0 ? Style(.normal, .bold) : nil)
    }
}
