import HandletDomain
import TerminalUI

/// Users as table rows (columns: `UserDirectory.Listed.columns`, the user and when they last
/// signed in): pure, so they are tested without a database.
extension UsersTab {
    static let columns = UserDirectory.Listed.columns.tableColumns

    static func tableRow(_ listed: UserDirectory.Listed, clock: BrowseClock) -> TableRow {
        UserDirectory.Listed.columns.tableRow(listed, clock: clock, style: listed.user.disabled ? .dim : nil)
    }

    /// A role as the role dialogs offer it: its name and, in one line, what it may do.
    static func roleOption(_ role: HandletDomain.Role) -> String { "\(role.rawValue) — \(role.mayDo)" }
}
