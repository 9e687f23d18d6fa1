import Foundation
import HandletDomain
import TerminalUI

/// Contacts and a contact's timeline as table rows (columns: `ContactRow.columns`, `TimelineEntry.columns`):
/// pure, so they are tested without a database.
extension ContactsTab {
    static let columns = ContactRow.columns.tableColumns
    static let timelineColumns = TimelineEntry.columns.tableColumns

    static func tableRow(_ contact: ContactRow, clock: BrowseClock) -> TableRow {
        ContactRow.columns.tableRow(contact, clock: clock, style: contact.optedOut || contact.restricted ? .dim : nil)
    }

    static func timelineRow(_ entry: TimelineEntry, clock: BrowseClock) -> TableRow {
        TimelineEntry.columns.tableRow(entry, clock: clock, style: entry.outcome == .missed ? .warning : nil)
    }
}
