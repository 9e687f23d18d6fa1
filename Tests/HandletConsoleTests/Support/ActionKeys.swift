@testable import HandletConsole
import TerminalUI

/// Tests press actions, not keys (as lazygit's integration tests do): "the key bound to `hold`
/// in the Call detail", looked up in the same key modes dispatch reads, under the same
/// `keys.toml` rebindings, so a rebinding cannot break a test that does not mean to test keys.
///
///     driver.press("open", in: "Calls list")
///     driver.press("hold", in: "Call detail")
///     driver.press("call.back", in: "Call detail")      // section-qualified, when two tables share a name
///     driver.goTo(.calls)                                // the console's go-to-tab key for that tab
///
/// `mode` is a key mode's title, as help and docs/keys.md name it ("Calls list", "Text prompt",
/// "Confirmation"). A screen mode falls through to the console's own table, as dispatch does, and
/// then only a key the screen does not take itself is pressed (`q` is "back" in a detail view).
enum ActionKeys {
    struct NotBound: Error, CustomStringConvertible {
        var description: String
    }

    static func key(_ action: String, in mode: String, keys: KeyBindings = .defaults, screens: ScreenRegistry = .standard,
                    position: Int? = nil) throws -> Key {
        let modes = ConsoleKeys.modes(screens) + [ConsoleKeys.consoleMode]
        guard let declaration = modes.first(where: { $0.title == mode }) else {
            throw NotBound(description: "no key mode \"\(mode)\"; the modes are \(modes.map(\.title).joined(separator: ", "))")
        }
        let map = declaration.keys(keys)
        func named(_ binding: KeyBinding<String>) -> Bool { binding.name == action || "\(binding.table).\(binding.name)" == action }
        // A key reaches the binding only if no earlier binding of the mode has it (dispatch takes the first).
        func reaching(_ binding: KeyBinding<String>, in map: KeyMap<String>) -> [Key] {
            binding.keys.filter { map.match($0).map { $0.binding.table == binding.table && $0.binding.name == binding.name } ?? false }
        }
        if let binding = map.bindings.first(where: named) {
            if let position { return binding.keys[position] }
            if let key = reaching(binding, in: map).first { return key }
        }
        if declaration.scope == .screen {
            let console = ConsoleKeys.consoleMode.keys(keys)
            if let binding = console.bindings.first(where: named) {
                let free = reaching(binding, in: console).filter { map.match($0) == nil }
                if let position, binding.keys.indices.contains(position), map.match(binding.keys[position]) == nil {
                    return binding.keys[position]
                }
                if position == nil, let key = free.first { return key }
            }
        }
        throw NotBound(description: "no key reaches \"\(action)\" in \(mode); its actions are "
                       + map.bindings.map { "\($0.table).\($0.name)" }.joined(separator: ", "))
    }

    /// The console's go-to-tab key for `screen` (its place in the registry), under `keys`.
    static func tabKey(_ screen: ScreenID, keys: KeyBindings = .defaults, screens: ScreenRegistry = .standard) throws -> Key {
        // The number keys count tabs only (a screen without a tab, the compliance centre, has none).
        guard let index = screens.index(of: screen), let position = screens.tabIndices.firstIndex(of: index) else {
            throw NotBound(description: "no tab \(screen) in the registry")
        }
        return try key("go_to_tab", in: "Console", keys: keys, screens: screens, position: position)
    }
}
