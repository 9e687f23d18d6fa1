import GRDB

/// WHERE terms and their arguments, built side by side so that user values only ever travel as
/// bound arguments, never as SQL text.
struct SQLConditions {
    private(set) var terms: [String] = []
    private(set) var arguments = StatementArguments()

    mutating func add(_ sql: String, _ values: [(any DatabaseValueConvertible)?] = []) {
        terms.append(sql)
        arguments += StatementArguments(values)
    }

    mutating func add(_ sql: String, arguments: StatementArguments) {
        terms.append(sql)
        self.arguments += arguments
    }

    mutating func add(_ other: SQLConditions) {
        terms += other.terms
        arguments += other.arguments
    }

    /// `WHERE a AND b`, or an empty string when there is nothing to filter on.
    var whereClause: String {
        terms.isEmpty ? "" : "WHERE " + terms.map { "(\($0))" }.joined(separator: " AND ")
    }

    /// `AND a AND b` to extend an existing WHERE.
    var andClause: String {
        terms.isEmpty ? "" : "AND " + terms.map { "(\($0))" }.joined(separator: " AND ")
    }
}

/// Newest-first or oldest-first, and how to compare a keyset cursor in that order.
enum KeysetDirection {
    case descending, ascending

    var sql: String { self == .descending ? "DESC" : "ASC" }
    /// The row-value comparison that moves forward in this order.
    var forward: String { self == .descending ? "<" : ">" }
    var backward: String { self == .descending ? ">" : "<" }
    var forwardInclusive: String { self == .descending ? "<=" : ">=" }
    var reversed: KeysetDirection { self == .descending ? .ascending : .descending }
}
