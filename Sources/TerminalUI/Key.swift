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
    /// Text the user pasted, whole, exactly as the terminal sent it between the bracketed-paste
    /// markers (it may hold newlines, tabs and ESC): one event however long it is. Each receiver
    /// decides what of it to keep; a single-line field turns line breaks into spaces.
    case paste(String)

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
        case .paste: return "Paste"
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
    /// The bracketed-paste markers ESC[200~ and ESC[201~.
    case pasteStart, pasteEnd
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
    /// Decodes one raw read. `next` performs a read that does not wait; it is called after a
    /// lone ESC, to tell Esc (nothing follows within ESCDELAY) from Alt-x (ESC x). After a paste
    /// starts, the paste's characters are read with `nextInPaste` (default: `next`), which may
    /// wait a little for the rest of a long paste; nil from it means the paste stopped arriving.
    public static func decode(_ raw: RawInput, next: () -> RawInput?, nextInPaste: (() -> RawInput?)? = nil) -> [InputEvent] {
        switch raw {
        case .special(.pasteStart):
            if let nextInPaste { return [.key(.paste(collectPaste(next: nextInPaste)))] }
            return [.key(.paste(collectPaste(next: next)))]
        case .function(let n): return [.key(.function(n))]
        case .special(let special): return decodeSpecial(special).map { [$0] } ?? []
        case .scalar(27):
            guard let following = next() else { return [.key(.escape)] }
            if case .scalar(let introducer) = following,
               let sequence = EscapeSequence.decode(introducer: introducer, next: next) {
                switch sequence {
                case .key(let key): return [.key(key)]
                case .unknown: return []
                case .interrupted(let raw): return decode(raw, next: next)
                }
            }
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

    /// The end marker as the paste's raw characters show it: ESC [ 2 0 1 ~.
    static let pasteEndMarker: [UInt32] = [0x1B, 0x5B, 0x32, 0x30, 0x31, 0x7E]
    /// More than anyone pastes into a console on purpose; the rest is read and dropped, so it
    /// can neither fill memory nor spill out as keystrokes.
    public static let maximumPasteScalars = 1 << 20

    /// Reads a paste's characters up to its end marker. Everything before the marker is
    /// content, ESC bytes and all; a partial marker that turns out not to be one is content too.
    /// Ends early when `next` returns nil (the terminal never sent the end marker).
    static func collectPaste(next: () -> RawInput?) -> String {
        var text = String.UnicodeScalarView()
        var kept = 0
        func append(_ value: UInt32) {
            guard kept < maximumPasteScalars, let scalar = Unicode.Scalar(value) else { return }
            text.append(scalar)
            kept += 1
        }
        var matched = 0
        while let raw = next() {
            switch raw {
            case .scalar(let value):
                if value == pasteEndMarker[matched] {
                    matched += 1
                    if matched == pasteEndMarker.count { return String(text) }
                    continue
                }
                // The marker has no repeated prefix, so after a mismatch only its first
                // character can start it again.
                for pending in pasteEndMarker.prefix(matched) { append(pending) }
                matched = 0
                if value == pasteEndMarker[0] { matched = 1 } else { append(value) }
            case .special(.pasteEnd):
                for pending in pasteEndMarker.prefix(matched) { append(pending) }
                return String(text)
            case .special(.enter):
                // Only a reader that lets ncurses decode keys can report one: keep what it stands for.
                append(13)
            case .special, .function:
                continue
            }
        }
        for pending in pasteEndMarker.prefix(matched) { append(pending) }
        return String(text)
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
        case .otherMouse, .unknown, .pasteStart, .pasteEnd: return nil
        }
    }
}

/// A paste's raw bytes, read from the terminal in chunks, as scalars for `KeyDecoder`; keeps
/// what was read past the paste's end so it can be handed back and read as keys.
final class PasteByteReader {
    private let read: () -> [UInt8]?
    /// The first bytes of a UTF-8 sequence that the last chunk cut in two.
    private var partial: [UInt8] = []
    private var scalars: [UInt32] = []
    private var position = 0

    /// `read` returns the next chunk, or nil when the terminal sent nothing more in time.
    init(read: @escaping () -> [UInt8]?) { self.read = read }

    func next() -> RawInput? {
        while position == scalars.count {
            guard let chunk = read(), !chunk.isEmpty else { return nil }
            let bytes = partial + chunk
            let complete = Self.completePrefixLength(bytes)
            partial = Array(bytes[complete...])
            scalars = String(decoding: bytes[..<complete], as: UTF8.self).unicodeScalars.map(\.value)
            position = 0
        }
        defer { position += 1 }
        return .scalar(scalars[position])
    }

    /// What was read but not taken, as the bytes the terminal sent.
    var unconsumed: [UInt8] {
        var scalarsLeft = String.UnicodeScalarView()
        for value in scalars[position...] { if let scalar = Unicode.Scalar(value) { scalarsLeft.append(scalar) } }
        return Array(String(scalarsLeft).utf8) + partial
    }

    /// The length of `bytes` without a UTF-8 sequence cut off at its end.
    static func completePrefixLength(_ bytes: [UInt8]) -> Int {
        for index in stride(from: bytes.count - 1, through: max(0, bytes.count - 4), by: -1) where bytes[index] & 0xC0 != 0x80 {
            let lead = bytes[index]
            let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
            return index + length > bytes.count ? index : bytes.count
        }
        return bytes.count
    }
}
