import Foundation

/// Form fields share one look: a label column, then the value; the focused field's value
/// uses `.inputFocused` so it is visible in monochrome too (reverse).
public enum FormLayout {
    /// Draws "label  " and returns where the value starts.
    static func label(_ label: String, into grid: inout Grid, area: Rect, labelWidth: Int, focused: Bool) -> Rect {
        let style: Style = focused ? Style(.accent, .bold) : .normal
        grid.put(label, x: area.x, y: area.y, style: style, maxWidth: min(labelWidth, area.width))
        return Rect(x: area.x + labelWidth + 1, y: area.y, width: area.width - labelWidth - 1, height: 1)
    }
}

/// An on/off setting ("Recording  [x] on").
public struct ToggleField: Sendable {
    public var label: String
    public var isOn: Bool
    public var isEnabled: Bool
    /// Why the toggle cannot change (a locked intent, a missing role); shown instead of hiding it.
    public var disabledReason: String?

    public init(_ label: String, isOn: Bool, isEnabled: Bool = true, disabledReason: String? = nil) {
        self.label = label
        self.isOn = isOn
        self.isEnabled = isEnabled
        self.disabledReason = disabledReason
    }

    /// Space or Enter flips it; returns true when the key was used.
    public mutating func handle(_ key: Key) -> Bool {
        guard isEnabled, key == .char(" ") || key == .enter else { return false }
        isOn.toggle()
        return true
    }

    public func render(into grid: inout Grid, area: Rect, labelWidth: Int, focused: Bool) {
        let value = FormLayout.label(label, into: &grid, area: area, labelWidth: labelWidth, focused: focused)
        let style: Style = !isEnabled ? .dim : (focused ? Style(.inputFocused) : (isOn ? .success : .normal))
        var used = grid.put(isOn ? "[x] on" : "[ ] off", x: value.x, y: value.y, style: style, maxWidth: value.width)
        if let disabledReason, !isEnabled {
            used += 1
            grid.put(disabledReason, x: value.x + used, y: value.y, style: .dim, maxWidth: value.width - used)
        }
    }
}

/// One of a fixed set of options ("Retention  ‹ 30 days ›"), changed with ←/→ or h/l.
public struct ChoiceField: Sendable {
    public var label: String
    public var options: [String]
    public var selectedIndex: Int

    public init(_ label: String, options: [String], selectedIndex: Int = 0) {
        self.label = label
        self.options = options
        self.selectedIndex = min(max(0, selectedIndex), max(0, options.count - 1))
    }

    public var selected: String? { options.indices.contains(selectedIndex) ? options[selectedIndex] : nil }

    public mutating func handle(_ key: Key) -> Bool {
        guard !options.isEmpty else { return false }
        switch key {
        case .left, .char("h"): selectedIndex = max(0, selectedIndex - 1)
        case .right, .char("l"), .char(" "): selectedIndex = min(options.count - 1, selectedIndex + 1)
        default: return false
        }
        return true
    }

    public func render(into grid: inout Grid, area: Rect, labelWidth: Int, focused: Bool) {
        let value = FormLayout.label(label, into: &grid, area: area, labelWidth: labelWidth, focused: focused)
        let left = selectedIndex > 0 ? "‹ " : "  "
        let right = selectedIndex < options.count - 1 ? " ›" : "  "
        grid.put(left + (selected ?? "") + right, x: value.x, y: value.y, style: focused ? Style(.inputFocused) : Style(.input), maxWidth: value.width)
    }
}

/// Editable single-line text with a cursor; the cursor counts grapheme clusters so it can
/// never land inside an emoji or between a letter and its accent.
public struct TextInputState: Sendable, Equatable {
    public private(set) var text: String
    /// Cursor position in clusters, 0...text.count.
    public private(set) var cursor: Int
    /// First cluster shown when the text is wider than the field.
    public private(set) var scroll = 0
    public var maxLength: Int

    public init(_ text: String = "", maxLength: Int = 1000) {
        self.text = text
        self.maxLength = maxLength
        cursor = text.count
    }

    public mutating func setText(_ newText: String) {
        text = newText
        cursor = newText.count
    }

    /// Editing keys: characters insert; ←/→, Home/End, Ctrl-A/E move; Backspace/Del,
    /// Ctrl-U (to start), Ctrl-K (to end), Ctrl-W (word) delete. Returns true when used.
    public mutating func handle(_ key: Key) -> Bool {
        var characters = Array(text)
        switch key {
        case .char(let c):
            guard characters.count < maxLength else { return true }
            characters.insert(c, at: cursor)
            cursor += 1
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(characters.count, cursor + 1)
        case .home, .ctrl("a"): cursor = 0
        case .end, .ctrl("e"): cursor = characters.count
        case .backspace:
            guard cursor > 0 else { return true }
            characters.remove(at: cursor - 1)
            cursor -= 1
        case .delete, .ctrl("d"):
            guard cursor < characters.count else { return true }
            characters.remove(at: cursor)
        case .ctrl("u"):
            characters.removeFirst(cursor)
            cursor = 0
        case .ctrl("k"):
            characters.removeLast(characters.count - cursor)
        case .ctrl("w"):
            var start = cursor
            while start > 0 && characters[start - 1] == " " { start -= 1 }
            while start > 0 && characters[start - 1] != " " { start -= 1 }
            characters.removeSubrange(start..<cursor)
            cursor = start
        default: return false
        }
        text = String(characters)
        return true
    }

    /// Adjusts horizontal scroll so the cursor stays inside `width` columns.
    mutating func fit(width: Int) {
        let characters = Array(text)
        if cursor < scroll { scroll = cursor }
        func columns(_ range: Range<Int>) -> Int { characters[range].reduce(0) { $0 + TextWidth.width(of: $1) } }
        // Reserve one column for the cursor cell after the last character.
        while scroll < cursor && columns(scroll..<cursor) + 1 > width { scroll += 1 }
        scroll = min(scroll, characters.count)
    }
}

/// A labelled text input.
public struct TextInputField {
    public var label: String
    public var placeholder: String

    public init(_ label: String, placeholder: String = "") {
        self.label = label
        self.placeholder = placeholder
    }

    public func render(into grid: inout Grid, area: Rect, labelWidth: Int, state: inout TextInputState, focused: Bool) {
        let value = FormLayout.label(label, into: &grid, area: area, labelWidth: labelWidth, focused: focused)
        guard value.width > 0 else { return }
        let fieldStyle: Style = focused ? Style(.inputFocused) : Style(.input)
        grid.fill(value, style: fieldStyle)
        state.fit(width: value.width)
        if state.text.isEmpty && !focused {
            grid.put(placeholder, x: value.x, y: value.y, style: Style(.input, .dim), maxWidth: value.width, overflow: .clip)
            return
        }
        let characters = Array(state.text)
        var x = value.x
        for index in state.scroll..<characters.count {
            let width = TextWidth.width(of: Sanitizer.clean(String(characters[index])))
            if x + width > value.maxX { break }
            let style = focused && index == state.cursor ? fieldStyle.adding(.reverse) : fieldStyle
            x += grid.put(String(characters[index]), x: x, y: value.y, style: style, maxWidth: value.maxX - x, overflow: .clip)
        }
        if focused && state.cursor == characters.count && x < value.maxX {
            grid.setCell(Cell(" ", style: fieldStyle.adding(.reverse)), x: x, y: value.y)
        }
    }
}

/// A whole number within a range (retention days 1–730, confidence 85–100).
public struct NumberField {
    public var label: String
    public var range: ClosedRange<Int>
    public var unit: String

    public init(_ label: String, range: ClosedRange<Int>, unit: String = "") {
        self.label = label
        self.range = range
        self.unit = unit
    }

    /// The number, or a message saying what is allowed.
    public func validate(_ state: TextInputState) -> Result<Int, NumberFieldError> {
        let text = state.text.trimmingCharacters(in: .whitespaces)
        guard let value = Int(text), range.contains(value) else {
            return .failure(NumberFieldError(message: "Enter a whole number from \(range.lowerBound) to \(range.upperBound)" + (unit.isEmpty ? "" : " \(unit)")))
        }
        return .success(value)
    }

    /// Only digits are typed into the field; editing keys behave as in a text input.
    public func handle(_ key: Key, state: inout TextInputState) -> Bool {
        if case .char(let c) = key, !(c.isASCII && c.isNumber) { return true }
        return state.handle(key)
    }

    public func render(into grid: inout Grid, area: Rect, labelWidth: Int, state: inout TextInputState, focused: Bool) {
        let inputWidth = max(1, min(8, area.width - labelWidth - 1))
        var fieldArea = area
        fieldArea.width = min(area.width, labelWidth + 1 + inputWidth)
        TextInputField(label).render(into: &grid, area: fieldArea, labelWidth: labelWidth, state: &state, focused: focused)
        var x = fieldArea.maxX + 1
        if !unit.isEmpty { x += grid.put(unit, x: x, y: area.y, style: .dim, maxWidth: area.maxX - x) + 1 }
        if case .failure(let error) = validate(state) {
            grid.put(error.message, x: x, y: area.y, style: .error, maxWidth: area.maxX - x)
        }
    }
}

public struct NumberFieldError: Error, Equatable, Sendable {
    public var message: String
}
