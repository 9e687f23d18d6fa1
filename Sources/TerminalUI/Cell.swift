/// One terminal column on the off-screen grid.
///
/// A wide cluster occupies its own cell (width 2) plus a *continuation* cell to its right
/// (empty symbol, width 0), so column arithmetic stays simple and the diff can tell when
/// half of a wide character was overwritten.
public struct Cell: Sendable, Hashable {
    /// One grapheme cluster, already sanitised; "" for a continuation cell.
    public var symbol: String
    /// Display columns of `symbol`: 1, 2, or 0 for a continuation.
    public var width: UInt8
    public var style: Style

    public init(_ symbol: String, width: UInt8 = 1, style: Style = .normal) {
        self.symbol = symbol
        self.width = width
        self.style = style
    }

    public static let blank = Cell(" ")
    public static func blank(_ style: Style) -> Cell { Cell(" ", width: 1, style: style) }
    static func continuation(_ style: Style) -> Cell { Cell("", width: 0, style: style) }

    public var isContinuation: Bool { width == 0 }
}
