import Foundation
import HandletDomain
import TerminalUI

/// Contacts and a contact's timeline as table rows: pure, so they are tested without a database.
extension ContactsTab {
    static let columns = [
        TableColumn("Name", width: .flexible(minimum: 16, weight: 2)),
        TableColumn("Phone", width: .fixed(16)),
        TableColumn("Email", width: .flexible(minimum: 16, weight: 2)),
        TableColumn("Messaging", width: .fixed(22)),
    ]

    static let timelineColumns = [
        TableColumn("When", width: .fixed(12)),
        TableColumn("What", width: .fixed(9)),
        TableColumn("Dir", width: .fixed(3)),
        TableColumn("Outcome or channel", width: .fixed(18)),
        TableColumn("Summary or message", width: .flexible(minimum: 20, weight: 1)),
    ]

    static func messagingState(optedOut: Bool, restricted: Bool) -> String {
        if restricted { return "restricted" }
        if optedOut { return "opted out" }
        return ""
    }

    static func tableRow(_ contact: ContactRow) -> TableRow {
        TableRow([contact.name, contact.phone ?? "", contact.email ?? "",
                  messagingState(optedOut: contact.optedOut, restricted: contact.restricted)],
                 style: contact.optedOut || contact.restricted ? .dim : nil)
    }

    static func timelineRow(_ entry: TimelineEntry, clock: BrowseClock) -> TableRow {
        TableRow([Formatting.shortTime(entry.at, clock: clock),
                  entry.kind == .call ? "call" : "message",
                  entry.direction == .inbound ? "in" : "out",
                  entry.outcome?.label ?? entry.channel?.label ?? "",
                  entry.text.replacingOccurrences(of: "\n", with: " ")],
                 style: entry.outcome == .missed ? .warning : nil)
    }
}
