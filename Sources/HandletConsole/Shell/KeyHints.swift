import TerminalUI

/// On-screen hints name keys as the tables have them, with the user's rebindings: a hint typed by
/// hand would keep saying `c` after `[notices] compliance = "C"` (issue 21).
extension KeyMap where Action: Equatable {
    /// The first key bound to `action`, as help writes it ("Enter", "C"); nil when it has none.
    func keyLabel(_ action: Action) -> String? {
        bindings.first { $0.action == action && !$0.keys.isEmpty }?.keys[0].label
    }

    /// "c compliance centre": the key, then what it does; just what it does when the key is unbound.
    func hint(_ action: Action, _ does: String) -> String {
        keyLabel(action).map { "\($0) \(does)" } ?? does
    }
}
