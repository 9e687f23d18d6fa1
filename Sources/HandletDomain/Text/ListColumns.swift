/// One column of a list, declared once in the domain: the console maps it to its table
/// (TerminalUI's `TableColumn`) and the CLI to its plain-text table. `--json` does not use it:
/// JSON fields are named in docs/json.md and stay as they are.
public struct ListColumn<Row>: Sendable {
    public enum Width: Sendable, Equatable {
        /// Exactly this many columns in the console (the CLI widens it for a longer cell).
        case fixed(Int)
        /// At least `minimum`, sharing what is left with the other flexible columns by `weight`.
        case flexible(minimum: Int, weight: Int)

        public var minimum: Int {
            switch self { case .fixed(let n), .flexible(let n, _): n }
        }
    }

    public enum Alignment: Sendable, Equatable { case leading, trailing }

    public let header: String
    public let width: Width
    public let alignment: Alignment
    /// The id a follow-up command takes (`messages show ID`): printed by the CLI, left out of a
    /// list that opens its rows with Enter.
    public let identifiesRow: Bool
    private let cell: @Sendable (Row, BrowseClock) -> String

    public init(_ header: String, _ width: Width, _ alignment: Alignment = .leading, identifiesRow: Bool = false,
                cell: @escaping @Sendable (Row, BrowseClock) -> String) {
        self.header = header
        self.width = width
        self.alignment = alignment
        self.identifiesRow = identifiesRow
        self.cell = cell
    }

    /// The cell's raw text (untrusted text is made safe by whoever draws it); times in the clock's zone.
    public func text(_ row: Row, clock: BrowseClock) -> String { cell(row, clock) }
}

/// The columns of one list, in order.
public struct ListColumns<Row>: Sendable {
    public enum Output: Sendable { case interactive, plainText }

    public let all: [ListColumn<Row>]

    public init(_ columns: [ListColumn<Row>]) { all = columns }

    /// What `output` shows: the interactive list leaves out the identifier columns.
    public func columns(for output: Output) -> [ListColumn<Row>] {
        output == .plainText ? all : all.filter { !$0.identifiesRow }
    }

    public func headers(for output: Output) -> [String] { columns(for: output).map(\.header) }

    public func cells(_ row: Row, clock: BrowseClock, for output: Output) -> [String] {
        columns(for: output).map { $0.text(row, clock: clock) }
    }
}
