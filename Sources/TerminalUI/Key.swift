/// A decoded key press, independent of ncurses and of the terminal's escape sequences.
public enum Key: Hashable, Sendable {
    /// A printable character (including space).
    case char(Character)
    /// Ctrl plus a letter, lower-cased: Ctrl-L is `.ctrl("l")`.
    case ctrl(Character)
    /// Alt (Meta) plus a character; terminals send it as ESC then the character.
    case alt(Character)
    case enter, escape, tab, backTab, backspace, delete, insert
    case up, down, left, right, home, end, pageUp, pageDown
    case shiftUp, shiftDown, shiftLeft, shiftRight
    case function(Int)
    case wheelUp, wheelDown

    /// How the key is written in help and the status bar.
    public var label: String {
        switch self {
        case .char(" "): return "Space"
        case .char(let c): return String(c)
        case .ctrl(let c): return "Ctrl-" + String(c).uppercased()
        case .alt(let c): return "Alt-" + String(c)
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .backspace: return "Backspace"
        case .delete: return "Del"
        case .insert: return "Ins"
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .home: return "Home"
        case .end: return "End"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .shiftUp: return "Shift-↑"
        case .shiftDown: return "Shift-↓"
        case .shiftLeft: return "Shift-←"
        case .shiftRight: return "Shift-→"
        case .function(let n): return "F\(n)"
        case .wheelUp: return "Wheel↑"
        case .wheelDown: return "Wheel↓"
        }
    }
}

/// One raw read from the terminal, before decoding (what the C shim reports).
public enum RawInput: Equatable, Sendable {
    case scalar(UInt32)
    case special(SpecialKey)
    case function(Int)
}

/// Keys ncurses recognised from terminfo, named independently of its numbering.
public enum SpecialKey: Equatable, Sendable {
    case up, down, left, right, home, end, pageUp, pageDown, insert, delete, backspace, enter, backTab
    case shiftLeft, shiftRight, shiftUp, shiftDown, resize, wheelUp, wheelDown, otherMouse, unknown
}

/// What the terminal said: a key, or that its size changed.
public enum InputEvent: Equatable, Sendable {
    case key(Key)
    case resize
    /// The terminal went away (an SSH connection dropped): the app must stop.
    case hangup
    /// Ctrl-Z while suspending is off (no job-control shell to return to); delivered to the
    /// screen as `AppEvent.message(SuspendRefused())`.
    case suspendRefused
}

/// Posted to the screen when Ctrl-Z was ignored because nothing could resume the process.
public struct SuspendRefused: Sendable, Equatable {
    public init() {}
}

/// Turns raw reads into keys. Pure, so every decoding rule is unit-tested without a terminal.
public enum KeyDecoder {
    /// Decodes one raw read. `next` performs a read that does not wait; it is only called
    /// after a lone ESC, to tell Esc (nothing follows within ESCDELAY) from Alt-x (ESC x).
    public static func decode(_ raw: RawInput, next: () -> RawInput?) -> [InputEvent] {
        switch raw {
        case .function(let n): return [.key(.function(n))]
        case .special(let special): return decodeSpecial(special).map { [$0] } ?? []
        case .scalar(27):
            guard let following = next() else { return [.key(.escape)] }
            if case .scalar(let value) = following, value >= 0x20, value != 0x7F,
               let scalar = Unicode.Scalar(value) {
                return [.key(.alt(Character(scalar)))]
            }
            // ESC followed by another key: deliver both rather than inventing a combination.
            return [.key(.escape)] + decode(following, next: { nil })
        case .scalar(let value):
            return decodeScalar(value).map { [.key($0)] } ?? []
        }
    }

    static func decodeScalar(_ value: UInt32) -> Key? {
        switch value {
        case 9: return .tab
        case 10, 13: return .enter
        case 8, 0x7F: return .backspace
        case 0: return .ctrl(" ")
        case 1...26: return .ctrl(Character(Unicode.Scalar(value + 0x60)!))
        case 28...31: return nil
        default:
            guard let scalar = Unicode.Scalar(value) else { return nil }
            if scalar.properties.generalCategory == .control { return nil }
            return .char(Character(scalar))
        }
    }

    static func decodeSpecial(_ special: SpecialKey) -> InputEvent? {
        switch special {
        case .up: return .key(.up)
        case .down: return .key(.down)
        case .left: return .key(.left)
        case .right: return .key(.right)
        case .home: return .key(.home)
        case .end: return .key(.end)
        case .pageUp: return .key(.pageUp)
        case .pageDown: return .key(.pageDown)
        case .insert: return .key(.insert)
        case .delete: return .key(.delete)
        case .backspace: return .key(.backspace)
        case .enter: return .key(.enter)
        case .backTab: return .key(.backTab)
        case .shiftLeft: return .key(.shiftLeft)
        case .shiftRight: return .key(.shiftRight)
        case .shiftUp: return .key(.shiftUp)
        case .shiftDown: return .key(.shiftDown)
        case .resize: return .resize
        case .wheelUp: return .key(.wheelUp)
        case .wheelDown: return .key(.wheelDown)
        case .otherMouse, .unknown: return nil
        }
    }
}
