import GRDB

/// The order of the calls list: a column and a direction. The default is newest first; any other
/// column sorts by its stored value, then by time and id, so every row has one place and the
/// list still pages by keyset (a cursor carries the column's value).
///
/// When, Length and Outcome walk an index (`calls_by_time`, `calls_by_duration`,
/// `calls_by_outcome`), so every page costs the same at any depth; the others sort the matching
/// calls on each page read, which is fine for a filtered list and slow over a million calls.
public struct CallSort: Hashable, Sendable {
    public enum Column: String, CaseIterable, Sendable {
        case when, contact, number, direction, length, handledBy = "handled-by", outcome, recording, externalId = "external-id"

        /// Read from a command line: the names above, plus `time` and `duration`.
        public init?(name: String) {
            switch name.lowercased() {
            case "time", "started", "date": self = .when
            case "duration": self = .length
            case "dir": self = .direction
            case "handled_by", "handledby", "handled": self = .handledBy
            case "external_id", "externalid", "external": self = .externalId
            default:
                guard let column = Column(rawValue: name.lowercased()) else { return nil }
                self = column
            }
        }

        /// True when an index serves the order (no sort of the matching rows per page).
        public var isIndexed: Bool { self == .when || self == .length || self == .outcome }

        /// The key's SQL before `started_at, id`; nil for the time order itself.
        var expression: String? {
            switch self {
            case .when: nil
            case .contact: "COALESCE(contacts.name, CASE calls.direction WHEN 'inbound' THEN calls.from_number ELSE calls.to_number END)"
            case .number: "CASE calls.direction WHEN 'inbound' THEN calls.from_number ELSE calls.to_number END"
            case .direction: "calls.direction"
            case .externalId: "calls.external_id"
            case .length: "calls.duration_seconds"
            case .handledBy: "calls.handled_by"
            case .outcome: "calls.outcome"
            case .recording: "calls.recording_state"
            }
        }

        var isNumeric: Bool { self == .length }

        /// The row's value of this key, as the cursor carries it.
        func value(of row: CallRow) -> CallCursor.SortValue? {
            switch self {
            case .when: nil
            case .contact: .text(row.contactName ?? row.otherNumber)
            case .number: .text(row.otherNumber)
            case .direction: .text(row.direction.rawValue)
            case .externalId: .text(row.externalId)
            case .length: .integer(Int64(row.durationSeconds))
            case .handledBy: .text(row.handledBy.rawValue)
            case .outcome: .text(row.outcome.rawValue)
            case .recording: .text(row.recordingState)
            }
        }
    }

    public var column: Column
    public var descending: Bool

    public init(_ column: Column, descending: Bool) {
        self.column = column
        self.descending = descending
    }

    /// Newest first: the list's order when nothing else is chosen.
    public static let newestFirst = CallSort(.when, descending: true)

    public var isDefault: Bool { self == .newestFirst }

    /// `COLUMN` (ascending) or `COLUMN:desc`, as `calls list --sort` takes it; nil when unreadable.
    public init?(argument: String) {
        let parts = argument.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2, let column = Column(name: String(parts[0])) else { return nil }
        var descending = false
        if parts.count == 2 {
            switch parts[1].lowercased() {
            case "desc", "descending": descending = true
            case "asc", "ascending": descending = false
            default: return nil
            }
        }
        self.init(column, descending: descending)
    }

    /// The argument form: `length:desc`.
    public var argument: String { column.rawValue + (descending ? ":desc" : "") }

    var keys: [String] { (column.expression.map { [$0] } ?? []) + ["calls.started_at", "calls.id"] }
    var order: KeysetDirection { descending ? .descending : .ascending }
}

extension CallSort {
    /// Migration list-sort-indexes. Outcome already has `calls_by_outcome (outcome, started_at,
    /// id)`; length gets the same shape. The other columns (contact, direction, handled by,
    /// recording) get none: each index is one more write per imported call, and those orders
    /// are mostly read filtered.
    static func createIndexes(_ db: Database) throws {
        try db.execute(sql: "CREATE INDEX calls_by_duration ON calls(duration_seconds, started_at, id)")
    }
}
