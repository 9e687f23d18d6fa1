import Foundation
import HandletDomain
import TerminalUI

/// A thread as a row of the Messages list: pure, so it is tested without a database.
extension MessagesTab {
    static let columns = [
        TableColumn("Last activity", width: .fixed(13)),
        TableColumn("Channel", width: .fixed(9)),
        TableColumn("Contact", width: .flexible(minimum: 14, weight: 2)),
        TableColumn("Unread", width: .fixed(6), alignRight: true),
        TableColumn("Last message", width: .flexible(minimum: 20, weight: 5)),
    ]

    static func tableRow(_ thread: ThreadRow, clock: BrowseClock) -> TableRow {
        let arrow = thread.lastDirection == .outbound ? "→ " : "← "
        return TableRow([
            Formatting.shortTime(thread.lastActivityAt, clock: clock),
            thread.channel.label,
            thread.party,
            thread.unreadCount > 0 ? String(thread.unreadCount) : "",
            arrow + thread.lastSnippet.replacingOccurrences(of: "\n", with: " "),
        ], style: thread.unreadCount > 0 ? Style(.normal, .bold) : nil)
    }
}
