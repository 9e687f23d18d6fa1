import HandletDomain
import TerminalUI

/// One key table as users and the reference see it: a section of `keys.toml` and of
/// `docs/keys.md`. Its bindings' names are the actions a user rebinds (`[call] hold = ["H"]`).
///
/// A screen's table lives in the screen's folder; dispatch and help of a screen's mode both read
/// the tables it lists, in one order (its own first, then shared ones such as navigation).
struct KeyTable<Action: Sendable>: Sendable {
    /// The `keys.toml` section: lower case, unique in the console.
    let section: String
    /// "Call detail": the reference's heading.
    let title: String
    /// Where the table applies, for the reference.
    let scope: String
    /// True for a table beside a text field: printable characters always type into the field, so
    /// the table binds none (rebinding one is refused).
    let typesText: Bool
    let defaults: KeyMap<Action>

    init(_ section: String, title: String, typesText: Bool = false, scope: String, _ bindings: [KeyBinding<Action>]) {
        self.section = section
        self.title = title
        self.typesText = typesText
        self.scope = scope
        defaults = KeyMap(bindings.map { binding in
            var stamped = binding
            stamped.table = section
            return stamped
        })
    }

    /// The table with the user's rebindings applied.
    func resolved(_ keys: KeyBindings) -> KeyMap<Action> { keys.apply(to: defaults, section: section) }

    /// The table with the user's rebindings applied, its actions wrapped for a mode's combined table.
    func resolved<Outer: Sendable>(_ keys: KeyBindings, _ wrap: (Action) -> Outer) -> KeyMap<Outer> {
        resolved(keys).mapActions(wrap)
    }

    var erased: AnyKeyTable {
        AnyKeyTable(section: section, title: title, scope: scope, typesText: typesText,
                    defaults: defaults.mapActions { String(describing: $0) })
    }
}

/// A key table without its action type: for the reference, rebinding and conflict checks.
struct AnyKeyTable: Sendable {
    let section: String
    let title: String
    let scope: String
    let typesText: Bool
    let defaults: KeyMap<String>
    var actionNames: [String] { defaults.bindings.map(\.name) }
}

/// What one state of a screen or overlay dispatches: its tables combined in dispatch order
/// (which is help's order), built for a set of rebindings so a rebinding can be checked first.
struct KeyModeDeclaration: Sendable {
    enum Scope: Sendable {
        /// A tab's state: keys it does not take fall through to the console's table, so taking a
        /// console key must be deliberate (`shadowsOuter`).
        case screen
        /// A dialog, prompt or overlay: takes every key while open; nothing falls through.
        case modal
    }

    let title: String
    let scope: Scope
    let keys: @Sendable (KeyBindings) -> KeyMap<String>

    init(_ title: String, _ scope: Scope, keys: @escaping @Sendable (KeyBindings) -> KeyMap<String>) {
        self.title = title
        self.scope = scope
        self.keys = keys
    }

    /// A mode whose combined table is `tables` in this order.
    init(_ title: String, _ scope: Scope, tables: [AnyKeyTable]) {
        self.init(title, scope) { keys in
            KeyMap(tables.flatMap { keys.apply(to: $0.defaults, section: $0.section).bindings })
        }
    }
}

/// The user's rebindings (from `keys.toml`), already checked: applying them never makes two
/// actions of a mode share a key. Empty by default.
public struct KeyBindings: Sendable, Equatable {
    /// Section → action name → keys.
    var overrides: [String: [String: [Key]]] = [:]

    public static let defaults = KeyBindings()

    func apply<Action>(to map: KeyMap<Action>, section: String) -> KeyMap<Action> {
        guard let rebound = overrides[section], !rebound.isEmpty else { return map }
        var result = map
        for (name, keys) in rebound { result = result.rebinding(name, to: keys) }
        return result
    }

    func setting(_ section: String, _ name: String, to keys: [Key]) -> KeyBindings {
        var copy = self
        copy.overrides[section, default: [:]][name] = keys
        return copy
    }
}

extension KeyMap {
    /// The same bindings with their actions as text: for conflict checks and the reference.
    var erasedActions: KeyMap<String> { mapActions { String(describing: $0) } }

    /// "Enter save · Esc cancel": the first key of each named binding and the first word of its
    /// description, lower-cased, for a box's title.
    func hint(_ names: [String]) -> String {
        names.compactMap { name in
            guard let binding = bindings.first(where: { $0.name == name }), let key = binding.keys.first else { return nil }
            let word = binding.description.split(separator: " ").first.map { $0.lowercased() } ?? name
            return "\(key.label) \(word)"
        }.joined(separator: " · ")
    }
}

extension Key {
    /// A character a text field types (printable), rather than a key it might hand to a table.
    var typesText: Bool {
        if case .char = self { return true }
        return false
    }
}

// MARK: Permissions

extension KeyBinding {
    /// A binding only some roles may use: help dims it for the others with the roles that may,
    /// and pressing it is refused with the domain's words before any prompt opens.
    init(_ keys: [Key], _ action: Action, _ description: String, group: String, name: String, needs permission: Permission,
         shadowsOuter: Bool = false) {
        self.init(keys, action, description, group: group, name: name, requirement: permission.rawValue, shadowsOuter: shadowsOuter)
    }

    var permission: Permission? { requirement.flatMap(Permission.init(rawValue:)) }
}

extension Permission {
    /// "owner or admin".
    var rolesText: String {
        let roles = allowedRoles.map(\.rawValue)
        return roles.count == 1 ? roles[0] : roles.dropLast().joined(separator: ", ") + " or " + roles.last!
    }
}

/// What a key press comes to for the acting user.
enum KeyPress<Action> {
    /// The binding's action; `position` is where the key is in its list (go to tab 1…9).
    case action(Action, position: Int)
    /// The binding needs a permission this actor lacks: the domain's refusal, to flash.
    case refused(String)
    /// No binding has the key.
    case unbound
}

extension KeyMap {
    /// Walks the table in order (help's order) for `key`, and checks the binding's permission.
    func press(_ key: Key, by actor: Actor) -> KeyPress<Action> {
        guard let (binding, position) = match(key) else { return .unbound }
        if let permission = binding.permission {
            do { try actor.require(permission) } catch { return .refused("\(error)") }
        }
        return .action(binding.action, position: position)
    }

    /// Help rows for this actor: bindings it may not use are dimmed with the roles that may.
    func help(for actor: Actor) -> [HelpEntry] {
        helpEntries { binding in
            guard let permission = binding.permission, (try? actor.require(permission)) == nil else { return nil }
            return permission.rolesText
        }
    }
}

// MARK: Conflicts

/// Two bindings one key reaches in the same mode, or a screen key that hides a console key.
struct KeyConflict: Equatable, CustomStringConvertible {
    var mode: String
    var key: Key
    /// "section.action" of each side.
    var first: String
    var second: String

    var description: String { "\(key.label) is bound to both \(first) and \(second) in \(mode)" }
}

enum KeyConflicts {
    /// Every conflict under `keys`: within each mode, two bindings with one key; and a screen
    /// mode's key that is also a console key, unless that binding says it shadows on purpose.
    ///
    /// The rule: a screen may reuse a console key only deliberately (`q`/Esc = back in a detail
    /// view), never by accident; dialogs and overlays take every key while open, so only their
    /// own table is checked.
    static func find(modes: [KeyModeDeclaration], console: KeyModeDeclaration, keys: KeyBindings) -> [KeyConflict] {
        var conflicts: [KeyConflict] = []
        let global = console.keys(keys)
        for mode in modes + [console] {
            let map = mode.keys(keys)
            var owner: [Key: KeyBinding<String>] = [:]
            for binding in map.bindings {
                for key in binding.keys {
                    if let earlier = owner[key] {
                        conflicts.append(KeyConflict(mode: mode.title, key: key, first: "\(earlier.table).\(earlier.name)",
                                                     second: "\(binding.table).\(binding.name)"))
                    } else {
                        owner[key] = binding
                    }
                }
            }
            guard mode.scope == .screen else { continue }
            for binding in map.bindings where !binding.shadowsOuter {
                for key in binding.keys {
                    guard let hidden = global.match(key)?.binding else { continue }
                    conflicts.append(KeyConflict(mode: mode.title, key: key, first: "\(binding.table).\(binding.name)",
                                                 second: "\(hidden.table).\(hidden.name)"))
                }
            }
        }
        return conflicts
    }
}

// MARK: Context rules

extension KeyMap {
    /// As `press(_:by:)`, then the binding's reason for the current context (the selected row):
    /// the domain's plan of the change the action would make, so a rule such as "only an owner
    /// touches an owner" is refused on the key, with the domain's words, before any prompt opens
    /// (lazygit's `GetDisabledReason`).
    func press(_ key: Key, by actor: Actor, disabledReason: (Action) -> String?) -> KeyPress<Action> {
        let pressed = press(key, by: actor)
        if case .action(let action, _) = pressed, let reason = disabledReason(action) { return .refused(reason) }
        return pressed
    }

    /// Help rows for this actor in the current context: a binding the role allows but the context
    /// refuses is dimmed with the domain's reason. `disabledReason` must not read the workspace
    /// (help is drawn every frame): screens ask their plans when the selection changes.
    func help(for actor: Actor, disabledReason: (Action) -> String?) -> [HelpEntry] {
        helpEntries { binding in
            if let permission = binding.permission, (try? actor.require(permission)) == nil { return permission.rolesText }
            return disabledReason(binding.action)
        }
    }
}
