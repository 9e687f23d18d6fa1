import HandletDomain
import TerminalUI

/// The domain's list columns as TerminalUI's table: the console draws what the CLI prints.
extension ListColumns {
    var tableColumns: [TableColumn] {
        columns(for: .interactive).map { column in
            let width: TableColumn.Width = switch column.width {
            case .fixed(let n): .fixed(n)
            case .flexible(let minimum, let weight): .flexible(minimum: minimum, weight: weight)
            }
            return TableColumn(column.header, width: width, alignRight: column.alignment == .trailing)
        }
    }

    func tableRow(_ row: Row, clock: BrowseClock, style: Style? = nil) -> TableRow {
        TableRow(cells(row, clock: clock, for: .interactive), style: style)
    }
}
