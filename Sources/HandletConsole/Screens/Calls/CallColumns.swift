import Foundation
import HandletDomain
import TerminalUI

/// One column the Calls list can show: the domain's columns, and at wide sizes the number, the
/// external id and the summary, so a wide terminal shows more instead of one very wide Contact
/// column. Every column but Summary sorts.
struct CallColumn: Sendable {
    let column: ListColumn<CallRow>
    /// What `s` sorts by on this column; nil: it does not sort.
    let sort: CallSort.Column?
    /// Shown only when the list is at least this wide (0: always, unless hidden).
    let minimumListWidth: Int

    var header: String { column.header }
}

extension CallsTab {
    /// Every column in order: the domain's (as the CLI prints them), with Number after the
    /// contact and External id and Summary at the end.
    static let allColumns: [CallColumn] = {
        let base = CallRow.columns.columns(for: .interactive)
        let sorts: [String: CallSort.Column] = ["When": .when, "Contact or number": .contact, "Dir": .direction, "Length": .length,
                                                "Handled by": .handledBy, "Outcome": .outcome, "Recording": .recording]
        var columns = base.map { CallColumn(column: $0, sort: sorts[$0.header], minimumListWidth: 0) }
        let number = CallColumn(column: ListColumn("Number", .fixed(14)) { row, _ in row.otherNumber }, sort: .number,
                                minimumListWidth: 120)
        columns.insert(number, at: min(2, columns.count))
        columns.append(CallColumn(column: ListColumn("External id", .flexible(minimum: 12, weight: 1)) { row, _ in row.externalId },
                                  sort: .externalId, minimumListWidth: 130))
        columns.append(CallColumn(column: ListColumn("Summary", .flexible(minimum: 24, weight: 5)) { row, _ in
            row.summary.replacingOccurrences(of: "\n", with: " ")
        }, sort: nil, minimumListWidth: 150))
        return columns
    }()

    /// The columns a list this wide shows, the hidden ones left out (at least one always shows).
    static func visibleColumns(width: Int, hidden: Set<String>) -> [CallColumn] {
        let shown = allColumns.filter { width >= $0.minimumListWidth && !hidden.contains($0.header) }
        return shown.isEmpty ? [allColumns[0]] : shown
    }

    /// The table columns for these call columns, a one-cell mark column first when calls are marked.
    static func tableColumns(_ columns: [CallColumn], marks: Bool) -> [TableColumn] {
        var table = ListColumns(columns.map(\.column)).tableColumns
        if columns.contains(where: { $0.header == "Summary" }) {
            // With the summary shown, the spare width goes to it rather than to a wide blank Contact column.
            for index in table.indices {
                guard case .flexible(let minimum, _) = table[index].width else { continue }
                table[index].width = .flexible(minimum: minimum, weight: columns[index].header == "Summary" ? 6 : 1)
            }
        }
        return marks ? [TableColumn("", width: .fixed(1))] + table : table
    }

    static func tableRow(_ call: CallRow, columns: [CallColumn], marked: Bool?, clock: BrowseClock) -> TableRow {
        var row = ListColumns(columns.map(\.column)).tableRow(call, clock: clock,
                                                              style: call.outcome == .missed ? .warning : (call.outcome == .spam ? .dim : nil))
        if let marked {
            row.cells.insert(marked ? "*" : "", at: 0)
            if marked && row.style == nil { row.style = .accent }
        }
        return row
    }
}
