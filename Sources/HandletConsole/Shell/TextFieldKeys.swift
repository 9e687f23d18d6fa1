import TerminalUI

/// The keys of every text field (search, the palette, prompts, filter dates, custom days) other
/// than the printable characters it types: in a table like any other, so `?` help, `docs/keys.md`
/// and `keys.toml` cover Ctrl-A/E/U/K/W/D and Home/End too.
enum TextFieldKeys {
    static let table = KeyTable<TextEditAction>("text_field", title: "Text fields", typesText: true,
                                                scope: "Every text field (search, the palette, prompts, dates, custom days), after the keys of the box it is in",
                                                KeyMap.standardTextEditing.bindings)
}

extension TextInputState {
    /// Edits with the text-field keys as the user has them bound.
    mutating func handle(_ key: Key, keys: KeyBindings) -> Bool {
        handle(key, editing: TextFieldKeys.table.resolved(keys))
    }
}
