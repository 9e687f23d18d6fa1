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

/// Editable single-line text with a cursor, edited by grapheme cluster whatever joins with what.
///
/// A typed scalar may join the character before it (e then U+0301, the second half of a flag,
/// a skin tone, VS16, ZWJ, a Hangul vowel jamo) or after it, and a deletion may make its
/// neighbours join; so positions are UTF-8 offsets that are settled onto a cluster boundary
/// after every edit, never a count of characters that the edit may not have grown.
/// Every key works on the neighbourhood of the cursor only (the clusters around it and the
/// field's width), so a key costs the same at the end of a long text as in an empty one.
public struct TextInputState: Sendable, Equatable {
    public private(set) var text: String
    /// The cursor as a UTF-8 offset into `text`; always on a cluster boundary.
    public private(set) var cursorOffset: Int
    /// Where the visible part starts (UTF-8 offset); a cluster boundary at or before the cursor
    /// once the field has been drawn.
    public private(set) var scrollOffset = 0
    /// The most characters (grapheme clusters) the text may hold.
    public var maxLength: Int
    /// Clusters in `text`, kept up to date edit by edit rather than counted per key.
    public private(set) var characterCount: Int
    /// Goes up whenever `text` changes: lets a caller skip work (a search) for keys that only
    /// moved the cursor or were refused, without comparing texts.
    public private(set) var revision = 0
    /// Set when the last insertion was refused or cut short by the length cap, so the field can
    /// say so; cleared by the next edit that changes the text within the cap.
    public private(set) var lastRefusal: Refusal?
    /// The whole text is selected (a search reopened with its last query): typing or pasting
    /// replaces it, Backspace/Del clears it, a movement key keeps it and moves.
    public private(set) var isAllSelected = false

    /// Why typed or pasted text did not all go in.
    public struct Refusal: Sendable, Equatable {
        /// The field's `maxLength`.
        public var limit: Int
        /// Characters of the typed or pasted text that were left out.
        public var droppedCharacters: Int
        /// What the field shows beside itself.
        public var message: String { "limit \(Self.grouped(limit)) characters" }

        static func grouped(_ number: Int) -> String {
            let digits = String(number)
            var result = ""
            for (index, digit) in digits.enumerated() {
                if index > 0 && (digits.count - index) % 3 == 0 && digit.isNumber { result.append(",") }
                result.append(digit)
            }
            return result
        }
    }

    public init(_ text: String = "", maxLength: Int = 1000) {
        self.text = Self.singleLine(text)
        self.maxLength = maxLength
        cursorOffset = self.text.utf8.count
        characterCount = self.text.count
    }

    /// The cursor in clusters from the start (0...text.count). Counts the text: for tests and
    /// occasional callers, not for per-key work.
    public var cursor: Int { text[..<index(cursorOffset)].count }
    /// The first visible cluster, counted from the start (as `cursor`).
    public var scroll: Int { text[..<index(min(scrollOffset, text.utf8.count))].count }

    /// Bytes the text may hold: `maxLength` characters of up to 8 bytes each (a flag, an emoji
    /// with a skin tone), but not an endless pile of combining marks on one character.
    public var maxUTF8Length: Int { maxLength > Int.max / 8 ? Int.max : max(0, maxLength) * 8 }

    public mutating func setText(_ newText: String) {
        text = Self.singleLine(newText)
        cursorOffset = text.utf8.count
        scrollOffset = 0
        characterCount = text.count
        lastRefusal = nil
        isAllSelected = false
        revision += 1
    }

    /// Selects the whole text, so that what is typed next replaces it.
    public mutating func selectAll() { isAllSelected = !text.isEmpty }

    /// What a single-line field keeps of typed or pasted text: line breaks and tabs become
    /// spaces (CR LF one space); other controls, bidi overrides and isolates are dropped.
    public static func singleLine(_ text: String) -> String {
        func isSpaceLike(_ value: UInt32) -> Bool {
            switch value {
            case 0x09...0x0D, 0x85, 0x2028, 0x2029: return true
            default: return false
            }
        }
        guard text.unicodeScalars.contains(where: { Sanitizer.isDangerous($0) }) else { return text }
        var kept = String.UnicodeScalarView()
        var previous: UInt32 = 0
        for scalar in text.unicodeScalars {
            defer { previous = scalar.value }
            if isSpaceLike(scalar.value) {
                if !(scalar.value == 0x0A && previous == 0x0D) { kept.append(" ") }
            } else if !Sanitizer.isDangerous(scalar) {
                kept.append(scalar)
            }
        }
        return String(kept)
    }

    /// Editing keys: characters insert; a paste inserts in one edit; the other keys are looked
    /// up in `keys` (by default ←/→, Home/End, Ctrl-A/E move; Backspace/Del, Ctrl-D, Ctrl-U to
    /// the start, Ctrl-K to the end, Ctrl-W a word delete), so an app can let users rebind them.
    /// Returns true when used.
    public mutating func handle(_ key: Key, editing keys: KeyMap<TextEditAction> = .standardTextEditing) -> Bool {
        switch key {
        case .char(let c):
            clearSelection()
            insert(Self.singleLine(String(c)))
            return true
        case .paste(let pasted):
            clearSelection()
            insert(Self.singleLine(pasted))
            return true
        default:
            break
        }
        guard let action = keys.action(for: key) else { return false }
        if isAllSelected {
            isAllSelected = false
            switch action {
            case .deleteBackward, .deleteForward, .deleteToStart, .deleteToEnd, .deleteWord:
                replace(0, text.utf8.count, with: "")
                return true
            case .left, .right, .start, .end:
                break
            }
        }
        switch action {
        case .left:
            if cursorOffset > 0 { cursorOffset = offset(text.index(before: index(cursorOffset))) }
        case .right:
            if cursorOffset < text.utf8.count { cursorOffset = offset(text.index(after: index(cursorOffset))) }
        case .start: cursorOffset = 0
        case .end: cursorOffset = text.utf8.count
        case .deleteBackward:
            if cursorOffset > 0 { replace(offset(text.index(before: index(cursorOffset))), cursorOffset, with: "") }
        case .deleteForward:
            if cursorOffset < text.utf8.count { replace(cursorOffset, offset(text.index(after: index(cursorOffset))), with: "") }
        case .deleteToStart:
            if cursorOffset > 0 { replace(0, cursorOffset, with: "") }
        case .deleteToEnd:
            if cursorOffset < text.utf8.count { replace(cursorOffset, text.utf8.count, with: "") }
        case .deleteWord:
            var start = index(cursorOffset)
            while start > text.startIndex, text[text.index(before: start)] == " " { start = text.index(before: start) }
            while start > text.startIndex, text[text.index(before: start)] != " " { start = text.index(before: start) }
            if offset(start) < cursorOffset { replace(offset(start), cursorOffset, with: "") }
        }
        return true
    }

    /// What is typed next replaces a selected whole text.
    private mutating func clearSelection() {
        guard isAllSelected else { return }
        isAllSelected = false
        replace(0, text.utf8.count, with: "")
    }

    // MARK: Editing

    func index(_ offset: Int) -> String.Index { text.utf8.index(text.utf8.startIndex, offsetBy: offset) }
    func offset(_ index: String.Index) -> Int { text.utf8.distance(from: text.utf8.startIndex, to: index) }

    /// Inserts at the cursor. What does not fit the caps is left out: all of it when the
    /// typed character would not fit, the tail of a paste (cut between its own characters).
    private mutating func insert(_ insertion: String) {
        guard !insertion.isEmpty else { return }
        let at = cursorOffset
        let byteRoom = maxUTF8Length - text.utf8.count
        if insertion.utf8.count <= byteRoom {
            let whole = splice(at, at, with: insertion)
            if characterCount + whole.countDelta <= maxLength {
                apply(at, at, with: insertion, whole)
                return
            }
        }
        let total = insertion.count
        var kept = 0, keptBytes = 0
        let room = min(total - 1, maxLength - characterCount)
        for character in insertion {
            guard kept < room, keptBytes + character.utf8.count <= byteRoom else { break }
            kept += 1
            keptBytes += character.utf8.count
        }
        // Joins with the neighbours can make a head count differently inside the text than on
        // its own (a regional indicator re-pairs the flags after it); shorten until it fits.
        while kept > 0 {
            let head = String(insertion.prefix(kept))
            let piece = splice(at, at, with: head)
            let excess = characterCount + piece.countDelta - maxLength
            if excess <= 0 {
                apply(at, at, with: head, piece)
                break
            }
            kept -= excess
        }
        lastRefusal = Refusal(limit: maxLength, droppedCharacters: total - max(0, kept))
    }

    private mutating func replace(_ start: Int, _ end: Int, with replacement: String) {
        apply(start, end, with: replacement, splice(start, end, with: replacement))
    }

    private mutating func apply(_ start: Int, _ end: Int, with replacement: String, _ splice: Splice) {
        text.replaceSubrange(index(start)..<index(end), with: replacement)
        characterCount += splice.countDelta
        cursorOffset = splice.cursor
        revision += 1
        let shift = replacement.utf8.count - (end - start)
        // Text inserted right at the scroll position is shown, not scrolled past.
        if scrollOffset > end || (scrollOffset == end && end > start) {
            scrollOffset += shift
        } else if scrollOffset > start {
            scrollOffset = start
        }
        lastRefusal = nil
    }

    /// What an edit does, worked out before making it.
    struct Splice: Equatable {
        /// Change in `characterCount`.
        var countDelta: Int
        /// Where the cursor settles: the first cluster boundary at or after the end of the
        /// inserted text (an inserted scalar may have joined the cluster after it).
        var cursor: Int
    }

    /// The effect of replacing bytes `start..<end` (`start` on a cluster boundary) with
    /// `replacement`, from the neighbourhood of the edit only.
    ///
    /// Whether a cluster boundary falls before a scalar depends on the text before it and on
    /// that scalar, so every boundary before the last one preceding `start` (the anchor) stays,
    /// and segmenting can restart at any boundary. After the edit, old and new boundaries are
    /// compared from the anchor on; from the first one they share past the edit everything is
    /// the same again, so only the clusters between count. That is usually the next cluster;
    /// only a run of regional indicators re-paired by the edit reaches further.
    func splice(_ start: Int, _ end: Int, with replacement: String) -> Splice {
        let utf8 = text.utf8
        let anchor = start == 0 ? 0 : offset(text.index(before: index(start)))
        let oldHead = String(text[index(anchor)..<index(end)])
        let newHead = String(text[index(anchor)..<index(start)]) + replacement
        let oldHeadLength = oldHead.utf8.count, newHeadLength = newHead.utf8.count
        var window = 64
        while true {
            var tailEnd = min(utf8.count, end + window)
            // A UTF-8 continuation byte is 10xxxxxx: move to the next scalar's first byte.
            while tailEnd < utf8.count, utf8[index(tailEnd)] & 0xC0 == 0x80 { tailEnd += 1 }
            let complete = tailEnd == utf8.count
            let tail = text[index(end)..<index(tailEnd)]
            let tailLength = tailEnd - end
            let old = Self.boundaries(of: oldHead + tail)
            let new = Self.boundaries(of: newHead + tail)
            // Boundaries at the window's cut are artefacts of the cut, unless it is the end.
            func usable(_ tailPosition: Int) -> Bool { tailPosition >= 0 && (tailPosition < tailLength || complete) }
            var i = old.firstIndex { $0 >= oldHeadLength } ?? old.count
            var j = new.firstIndex { $0 >= newHeadLength } ?? new.count
            let cursor = j < new.count && usable(new[j] - newHeadLength) ? anchor + new[j] : nil
            while i < old.count, j < new.count, usable(old[i] - oldHeadLength), usable(new[j] - newHeadLength) {
                let a = old[i] - oldHeadLength, b = new[j] - newHeadLength
                if a == b {
                    // Boundaries up to here, not counting the anchor itself (index 0).
                    return Splice(countDelta: j - i, cursor: cursor!)
                }
                if a < b { i += 1 } else { j += 1 }
            }
            precondition(!complete, "the end of the text is a boundary of both")
            window *= 4
        }
    }

    /// Offsets of every cluster boundary of `text`, from 0 to its length.
    private static func boundaries(of text: String) -> [Int] {
        var result = [0]
        var position = 0
        for character in text {
            position += character.utf8.count
            result.append(position)
        }
        return result
    }

    /// Adjusts horizontal scroll so the cursor's cell stays inside `width` columns, walking
    /// back from the cursor at most a field's width of clusters.
    mutating func fit(width: Int) {
        guard width > 0 else { return }
        if scrollOffset >= cursorOffset {
            scrollOffset = cursorOffset
        } else {
            // Edits keep it on a scalar; joins may have put it inside a cluster.
            scrollOffset = offset(text.index(before: text.index(after: index(scrollOffset))))
        }
        // Room for the cursor itself: the cluster under it, or one cell after the end.
        var columns = cursorOffset < text.utf8.count ? max(1, TextWidth.width(of: text[index(cursorOffset)])) : 1
        let first = index(scrollOffset)
        var position = index(cursorOffset)
        var steps = 0
        while position > first {
            let previous = text.index(before: position)
            let w = TextWidth.width(of: text[previous])
            // Invisible clusters cost no column but still a step, so the walk stays short.
            if columns + w > width || steps == width { break }
            columns += w
            steps += 1
            position = previous
        }
        if position > first { scrollOffset = offset(position) }
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

    /// Draws the label, the visible part of the text (only the clusters that fit) and the
    /// cursor; when the cap refused text, "limit N characters" at the right.
    public func render(into grid: inout Grid, area: Rect, labelWidth: Int, state: inout TextInputState, focused: Bool) {
        var value = FormLayout.label(label, into: &grid, area: area, labelWidth: labelWidth, focused: focused)
        guard value.width > 0 else { return }
        if let refusal = state.lastRefusal {
            let hint = refusal.message
            let hintWidth = TextWidth.width(of: hint) + 1
            if value.width >= hintWidth + 8 {
                value.width -= hintWidth
                grid.put(hint, x: value.maxX + 1, y: value.y, style: .error, maxWidth: hintWidth - 1)
            }
        }
        let fieldStyle: Style = focused ? Style(.inputFocused) : Style(.input)
        grid.fill(value, style: fieldStyle)
        let textStyle = focused && state.isAllSelected ? Style(.selection) : fieldStyle
        state.fit(width: value.width)
        if state.text.isEmpty && !focused {
            grid.put(placeholder, x: value.x, y: value.y, style: Style(.input, .dim), maxWidth: value.width, overflow: .clip)
            return
        }
        let text = state.text
        let cursor = state.index(state.cursorOffset)
        var position = state.index(state.scrollOffset)
        var x = value.x
        var cursorX: Int?
        // fit() leaves at most a field's width of clusters before the cursor.
        var budget = 2 * value.width + 1
        while position < text.endIndex && budget > 0 {
            if position == cursor { cursorX = x }
            let cluster = text[position]
            let w = TextWidth.width(of: cluster)
            if x + w > value.maxX { break }
            if w > 0 { x += grid.put(String(cluster), x: x, y: value.y, style: textStyle, maxWidth: value.maxX - x, overflow: .clip) }
            position = text.index(after: position)
            budget -= 1
        }
        if position == cursor && cursorX == nil { cursorX = x }
        // The cursor is the reversed cell where the next character would go (an invisible
        // character under it shows as the cell after it).
        if focused, let cursorX, cursorX < value.maxX {
            let cellWidth = grid[cursorX, value.y].width == 2 ? 2 : 1
            grid.setStyle(Rect(x: cursorX, y: value.y, width: cellWidth, height: 1), style: fieldStyle.adding(.reverse))
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
        if case .paste(let pasted) = key { return state.handle(.paste(String(pasted.filter { $0.isASCII && $0.isNumber }))) }
        return state.handle(key)
    }

    public func render(into grid: inout Grid, area: Rect, labelWidth: Int, state: inout TextInputState, focused: Bool) {
        let inputWidth = max(1, min(8, area.width - labelWidth - 1))
        var fieldArea = area
        fieldArea.width = min(area.width, labelWidth + 1 + inputWidth)
        TextInputField(label).render(into: &grid, area: fieldArea, labelWidth: labelWidth, state: &state, focused: focused)
        let x = fieldArea.maxX + 1
        // The error names the range itself, so it takes the unit's place: the range shows once.
        if case .failure(let error) = validate(state) {
            grid.put(error.message, x: x, y: area.y, style: .error, maxWidth: area.maxX - x)
        } else {
            let hint = (unit.isEmpty ? "" : unit + " ") + "(\(range.lowerBound)–\(range.upperBound))"
            grid.put(hint, x: x, y: area.y, style: .dim, maxWidth: area.maxX - x)
        }
    }
}

public struct NumberFieldError: Error, Equatable, Sendable {
    public var message: String
}

/// What a text field's keys other than printable characters do: a table, so an app's help,
/// reference and rebinding cover them like any other key.
public enum TextEditAction: Sendable, Equatable {
    case left, right, start, end, deleteBackward, deleteForward, deleteToStart, deleteToEnd, deleteWord
}

public extension KeyMap where Action == TextEditAction {
    /// The readline keys most terminals users expect.
    static let standardTextEditing = KeyMap([
        KeyBinding([.left], .left, "Cursor left", group: "Text field", name: "left"),
        KeyBinding([.right], .right, "Cursor right", group: "Text field", name: "right"),
        KeyBinding([.home, .ctrl("a")], .start, "Cursor to the start", group: "Text field", name: "start"),
        KeyBinding([.end, .ctrl("e")], .end, "Cursor to the end", group: "Text field", name: "end"),
        KeyBinding([.backspace], .deleteBackward, "Delete the character before the cursor", group: "Text field", name: "delete_backward"),
        KeyBinding([.delete, .ctrl("d")], .deleteForward, "Delete the character at the cursor", group: "Text field", name: "delete_forward"),
        KeyBinding([.ctrl("u")], .deleteToStart, "Delete to the start", group: "Text field", name: "delete_to_start"),
        KeyBinding([.ctrl("k")], .deleteToEnd, "Delete to the end", group: "Text field", name: "delete_to_end"),
        KeyBinding([.ctrl("w")], .deleteWord, "Delete the word before the cursor", group: "Text field", name: "delete_word"),
    ])
}
