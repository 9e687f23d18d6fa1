/// What a piece of screen *means*, not what colour it is.
///
/// Widgets and screens only ever name a role; the active `Theme` decides colours and
/// attributes. That is what lets one screen work in 256 colours, 16 colours, monochrome
/// and under `NO_COLOR` without a single `if` in the screen code.
public enum Role: String, CaseIterable, Sendable, Hashable {
    case normal, dim, header, selection, accent, warning, error, success, border
    case tabActive, tabInactive, statusBar, chip, highlight
    /// Neutralised control characters from untrusted text (`␛`, `<RLO>`, …).
    case control
    case title, link, emphasis, strong, code, input, inputFocused, gauge, chart, overlay
}

/// Attribute bits that can be layered over a role (Markdown emphasis, a focused field).
public struct Modifiers: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let bold = Modifiers(rawValue: 1)
    public static let underline = Modifiers(rawValue: 2)
    public static let reverse = Modifiers(rawValue: 4)
    public static let dim = Modifiers(rawValue: 8)
}

/// A role plus optional extra attributes. Cells store this, so headless tests can assert
/// meaning (`.selection`) and the theme can still be switched at run time.
public struct Style: Sendable, Hashable {
    public var role: Role
    public var modifiers: Modifiers

    public init(_ role: Role, _ modifiers: Modifiers = []) {
        self.role = role
        self.modifiers = modifiers
    }

    public func adding(_ extra: Modifiers) -> Style { Style(role, modifiers.union(extra)) }

    public static let normal = Style(.normal)
    public static let dim = Style(.dim)
    public static let header = Style(.header)
    public static let selection = Style(.selection)
    public static let accent = Style(.accent)
    public static let warning = Style(.warning)
    public static let error = Style(.error)
    public static let success = Style(.success)
    public static let border = Style(.border)
    public static let tabActive = Style(.tabActive)
    public static let tabInactive = Style(.tabInactive)
    public static let statusBar = Style(.statusBar)
    public static let chip = Style(.chip)
    public static let highlight = Style(.highlight)
    public static let control = Style(.control)
    public static let title = Style(.title)
}
