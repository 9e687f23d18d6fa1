/// One entry of a screen's key table: the single source for dispatch *and* help.
public struct KeyBinding<Action: Sendable>: Sendable {
    public var keys: [Key]
    public var action: Action
    public var description: String
    /// Heading the help overlay groups this binding under ("Navigation", "Actions", …).
    public var group: String

    public init(_ keys: [Key], _ action: Action, _ description: String, group: String = "Keys") {
        self.keys = keys
        self.action = action
        self.description = description
        self.group = group
    }
}

/// A screen's key table. Dispatch and the `?` overlay both read it, so help can never
/// drift from what the keys actually do.
public struct KeyMap<Action: Sendable>: Sendable {
    public var bindings: [KeyBinding<Action>]

    public init(_ bindings: [KeyBinding<Action>]) { self.bindings = bindings }

    /// The action bound to `key`; the first binding wins, so screen tables can be
    /// prepended to shared ones to override them.
    public func action(for key: Key) -> Action? {
        bindings.first { $0.keys.contains(key) }?.action
    }

    /// Rows for the help overlay, in table order, keys joined as "↓ j".
    public var helpEntries: [HelpEntry] {
        bindings.map { HelpEntry(keys: $0.keys.map(\.label).joined(separator: " "), description: $0.description, group: $0.group) }
    }

    /// Keys bound to more than one binding; a test calls this to catch accidental clashes.
    public var conflictingKeys: [Key] {
        var seen = Set<Key>(), conflicts: [Key] = []
        for key in bindings.flatMap(\.keys) where !seen.insert(key).inserted { conflicts.append(key) }
        return conflicts
    }

    public static func + (lhs: KeyMap, rhs: KeyMap) -> KeyMap { KeyMap(lhs.bindings + rhs.bindings) }
}

/// One line of generated help.
public struct HelpEntry: Equatable, Sendable {
    public var keys: String
    public var description: String
    public var group: String
}

/// Movement every list shares; screens add their own actions on top.
public enum NavigationAction: Sendable, Equatable {
    case up, down, left, right, pageUp, pageDown, top, bottom
}

public extension KeyMap where Action == NavigationAction {
    /// Arrows and vim keys, PgUp/PgDn, g/G and Home/End.
    static let standardNavigation = KeyMap([
        KeyBinding([.up, .char("k"), .wheelUp], .up, "Move up", group: "Navigation"),
        KeyBinding([.down, .char("j"), .wheelDown], .down, "Move down", group: "Navigation"),
        KeyBinding([.left, .char("h")], .left, "Move left / previous", group: "Navigation"),
        KeyBinding([.right, .char("l")], .right, "Move right / next", group: "Navigation"),
        KeyBinding([.pageUp, .ctrl("b")], .pageUp, "Page up", group: "Navigation"),
        KeyBinding([.pageDown, .ctrl("f")], .pageDown, "Page down", group: "Navigation"),
        KeyBinding([.char("g"), .home], .top, "First row", group: "Navigation"),
        KeyBinding([.char("G"), .end], .bottom, "Last row", group: "Navigation"),
    ])
}
