/// Escape sequences that ncurses passes through as plain characters because the terminfo entry
/// of `TERM` names other ones: inside tmux or screen with `TERM=xterm-256color`, Home arrives as
/// `ESC[1~` while xterm's entry says `ESC OH`. Without this, `ESC [` reads as Alt-[ and `1~` is
/// typed into the field. Each common form of the navigation and function keys is decoded here;
/// a complete sequence that names no key is swallowed, never typed.
enum EscapeSequence {
    /// Decodes what follows `ESC` when it is `[` (CSI) or `O` (SS3). Returns nil when `introducer`
    /// starts no sequence; otherwise the key (nil for a sequence naming no key we know).
    /// `next` reads without waiting, so a lone Alt-[ (nothing follows) stays Alt-[.
    static func decode(introducer: UInt32, next: () -> RawInput?) -> Decoded? {
        guard introducer == 0x5B || introducer == 0x4F else { return nil }
        var parameters: [UInt32] = []
        while let raw = next() {
            guard case .scalar(let value) = raw else { return .interrupted(raw) }
            switch value {
            case 0x30...0x3F where introducer == 0x5B, 0x20...0x2F where introducer == 0x5B:
                // Keys send a few parameter bytes; a longer run is read to its end and dropped
                // whole, so none of it is typed, but it is never buffered without bound.
                guard parameters.count < 256 else { return .unknown }
                parameters.append(value)
            case 0x40...0x7E:
                guard parameters.count <= 16 else { return .unknown }
                return key(introducer: introducer, parameters: parameters, final: value).map(Decoded.key) ?? .unknown
            default:
                return .unknown
            }
        }
        return parameters.isEmpty ? nil : .unknown
    }

    enum Decoded: Equatable {
        case key(Key)
        /// A complete sequence that names no key we know.
        case unknown
        /// Something other than a character arrived before the sequence ended (a key ncurses
        /// decoded itself): the sequence is dropped and that key delivered.
        case interrupted(RawInput)
    }

    private static func key(introducer: UInt32, parameters: [UInt32], final: UInt32) -> Key? {
        let fields = String(String.UnicodeScalarView(parameters.compactMap(Unicode.Scalar.init)))
            .split(separator: ";", omittingEmptySubsequences: false).map(String.init)
        // xterm's modifier parameter: 2 = Shift, 3 = Alt, 5 = Ctrl, … (1 + bit mask).
        let modifier = fields.count > 1 ? Int(fields[1]) ?? 1 : 1
        let shifted = modifier == 2
        switch final {
        case 0x41: return shifted ? .shiftUp : .up        // A
        case 0x42: return shifted ? .shiftDown : .down    // B
        case 0x43: return shifted ? .shiftRight : .right  // C
        case 0x44: return shifted ? .shiftLeft : .left    // D
        case 0x48: return .home                           // H
        case 0x46: return .end                            // F
        case 0x5A where introducer == 0x5B: return .backTab  // Z
        case 0x50...0x53 where introducer == 0x4F || fields.first == "1": return .function(Int(final) - 0x50 + 1)  // P-S: F1-F4
        case 0x4D where introducer == 0x4F: return .enter // keypad Enter in application mode
        case 0x7E where introducer == 0x5B:               // ~
            guard let code = fields.first.flatMap({ Int($0) }) else { return nil }
            return tildeKeys[code]
        default: return nil
        }
    }

    /// `ESC [ n ~` as xterm, the VT220 family, rxvt, the Linux console, tmux and screen send them.
    private static let tildeKeys: [Int: Key] = [
        1: .home, 7: .home, 4: .end, 8: .end, 2: .insert, 3: .delete, 5: .pageUp, 6: .pageDown,
        11: .function(1), 12: .function(2), 13: .function(3), 14: .function(4), 15: .function(5),
        17: .function(6), 18: .function(7), 19: .function(8), 20: .function(9), 21: .function(10),
        23: .function(11), 24: .function(12),
    ]
}
