import HandletDomain
import TerminalUI

/// Users as table rows (columns: `User.columns`): pure, so they are tested without a database.
extension UsersTab {
    static let columns = User.columns.tableColumns

    static func tableRow(_ user: User, clock: BrowseClock) -> TableRow {
        User.columns.tableRow(user, clock: clock, style: user.disabled ? .dim : nil)
    }
}
