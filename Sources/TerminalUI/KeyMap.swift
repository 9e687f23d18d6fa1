/// One entry of a screen's key table: the single source for dispatch *and* help.
public struct KeyBinding<Action: Sendable>: Sendable {
    public var keys: [Key]
    public var action: Action
    public var description: String
    /// Heading the help overlay groups this binding under ("Navigation", "Actions", …).
    public var group: String
    /// Stable name of the action within its table (`hold`, `next_tab`): what a user's rebinding
    /// file and the generated key reference call it. Never shown as help text.
    public var name: String
    /// An opaque tag for what the binding needs (the app decides: a permission, a mode). The
    /// terminal layer never interprets it; the app turns it into a disabled reason for help and a
    /// refusal on press.
    public var requirement: String?
    /// True when the binding deliberately takes a key that the app's outer (global) table also
    /// binds, so the outer action is out of reach while this table is active (`q` = back in a
    /// detail view, where `q` would otherwise quit). Conflict checks accept only these.
    public var shadowsOuter: Bool
    /// The table the binding was declared in, when tables are listed side by side (a mode of a
    /// screen shows its own table, then shared ones): lets messages say which table a key is in.
    public var table = ""

    public init(_ keys: [Key], _ action: Action, _ description: String, group: String = "Keys",
                name: String? = nil, requirement: String? = nil, shadowsOuter: Bool = false) {
        self.keys = keys
        self.action = action
        self.description = description
        self.group = group
        self.name = name ?? KeyBinding.derivedName(of: action)
        self.requirement = requirement
        self.shadowsOuter = shadowsOuter
    }

    /// `nextTab` → `next_tab`: a simple enum case's name, snake-cased.
    static func derivedName(of action: Action) -> String {
        var name = ""
        for character in String(describing: action) {
            guard character.isLetter || character.isNumber else { break }
            if character.isUppercase { name += "_" + character.lowercased() } else { name.append(character) }
        }
        return name
    }
}

/// A screen's key table. Dispatch and the `?` overlay both read it, in the same order, so help
/// can never drift from what the keys actually do.
public struct KeyMap<Action: Sendable>: Sendable {
    public var bindings: [KeyBinding<Action>]

    public init(_ bindings: [KeyBinding<Action>]) { self.bindings = bindings }

    /// The first binding (in table order, the order help shows) that has `key`, and where `key`
    /// is in its list (bindings like "go to tab 1…9" take their argument from the position).
    public func match(_ key: Key) -> (binding: KeyBinding<Action>, position: Int)? {
        for binding in bindings {
            if let position = binding.keys.firstIndex(of: key) { return (binding, position) }
        }
        return nil
    }

    /// The action bound to `key`; the first binding wins, so screen tables can be
    /// prepended to shared ones to override them.
    public func action(for key: Key) -> Action? { match(key)?.binding.action }

    /// Rows for the help overlay, in table order, keys joined as "↓ j".
    public var helpEntries: [HelpEntry] { helpEntries(disabledReason: { _ in nil }) }

    /// Rows for the help overlay; `disabledReason` says why a binding cannot be used now
    /// ("owner or admin"), and the overlay dims it.
    public func helpEntries(disabledReason: (KeyBinding<Action>) -> String?) -> [HelpEntry] {
        bindings.filter { !$0.keys.isEmpty }.map {
            HelpEntry(keys: Self.label($0.keys), description: $0.description, group: $0.group, disabledReason: disabledReason($0),
                      name: $0.name, firstKey: $0.keys[0].label, key: $0.keys[0])
        }
    }

    /// "↓ j"; a run of three or more consecutive digits reads "1–9".
    public static func label(_ keys: [Key]) -> String {
        var parts: [String] = []
        var index = 0
        while index < keys.count {
            var end = index
            while end + 1 < keys.count, let a = Self.digit(keys[end]), let b = Self.digit(keys[end + 1]), b == a + 1 { end += 1 }
            if end - index >= 2 {
                parts.append("\(keys[index].label)–\(keys[end].label)")
            } else {
                parts += keys[index...end].map(\.label)
            }
            index = end + 1
        }
        return parts.joined(separator: " ")
    }

    private static func digit(_ key: Key) -> Int? {
        if case .char(let c) = key, c.isASCII { return c.wholeNumberValue }
        return nil
    }

    /// Keys bound to more than one binding; a test calls this to catch accidental clashes.
    public var conflictingKeys: [Key] {
        var seen = Set<Key>(), conflicts: [Key] = []
        for key in bindings.flatMap(\.keys) where !seen.insert(key).inserted { conflicts.append(key) }
        return conflicts
    }

    /// The same table with the binding named `name` on other keys.
    public func rebinding(_ name: String, to keys: [Key]) -> KeyMap {
        KeyMap(bindings.map { binding in
            guard binding.name == name else { return binding }
            var changed = binding
            changed.keys = keys
            return changed
        })
    }

    /// The table with its actions replaced, everything else kept (for tables listed side by side).
    public func mapActions<Other: Sendable>(_ transform: (Action) -> Other) -> KeyMap<Other> {
        KeyMap<Other>(bindings.map {
            var binding = KeyBinding<Other>($0.keys, transform($0.action), $0.description, group: $0.group, name: $0.name,
                                            requirement: $0.requirement, shadowsOuter: $0.shadowsOuter)
            binding.table = $0.table
            return binding
        })
    }

    public static func + (lhs: KeyMap, rhs: KeyMap) -> KeyMap { KeyMap(lhs.bindings + rhs.bindings) }
}

/// One line of generated help.
public struct HelpEntry: Equatable, Sendable {
    public var keys: String
    public var description: String
    public var group: String
    /// Set when the binding cannot be used now; the overlay dims the row and shows the reason.
    public var disabledReason: String?
    /// The binding's stable name (`clear_filters`): a footer shows it as its short label.
    public var name: String
    /// The binding's first key alone ("Enter" of "Enter o"), for a footer's narrow room.
    public var firstKey: String
    /// That key, to press it on the user's behalf (the palette runs a screen's action this way).
    public var key: Key?

    public init(keys: String, description: String, group: String, disabledReason: String? = nil, name: String = "", firstKey: String? = nil,
                key: Key? = nil) {
        self.key = key
        self.keys = keys
        self.description = description
        self.group = group
        self.disabledReason = disabledReason
        self.name = name
        self.firstKey = firstKey ?? String(keys.split(separator: " ").first ?? "")
    }

    /// "clear filters" for `clear_filters`: short enough for a footer.
    public var shortLabel: String { name.isEmpty ? description : name.replacingOccurrences(of: "_", with: " ") }
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
