import Foundation

/// What may be stored as one line of plain text (issue 28): no control character (C0, C1, DEL),
/// no line or paragraph separator, no bidi embedding, override, isolate or implicit mark, and no
/// invisible format character (`isInvisible`). The terminal side draws the same characters as
/// visible stand-ins (`TerminalUI.Sanitizer`, which `PlainTextAgreementTests` keeps in step).
public enum PlainText {
    /// Invisible format characters: they change nothing a reader sees, so they can make two
    /// different strings look the same. U+200B–U+200D (a zero-width joiner between two emoji is
    /// part of the emoji and allowed), U+2060–U+2064, U+FEFF, U+00AD, U+206A–U+206F, U+180E,
    /// U+FFF9–U+FFFB and the tag characters U+E0000–U+E007F.
    public static func isInvisible(_ value: UInt32) -> Bool {
        switch value {
        case 0x200B...0x200D, 0x2060...0x2064, 0xFEFF, 0x00AD, 0x206A...0x206F, 0x180E, 0xFFF9...0xFFFB, 0xE0000...0xE007F: true
        default: false
        }
    }

    /// Controls, separators and the bidi characters that reorder what a terminal shows.
    public static func isControlOrBidi(_ value: UInt32) -> Bool {
        switch value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069, 0x061C, 0x200E, 0x200F: true
        default: false
        }
    }

    /// A zero-width joiner with an emoji on both sides (👩‍🔧): part of one picture, not hidden.
    static func isEmojiJoiner(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        guard scalars[index].value == 0x200D, index > 0, index + 1 < scalars.count else { return false }
        func emoji(_ scalar: Unicode.Scalar) -> Bool {
            scalar.properties.isEmojiPresentation || (scalar.properties.isEmoji && scalar.value > 0xFF)
                || scalar.value == 0xFE0F || (0x1F3FB...0x1F3FF).contains(scalar.value)
        }
        return emoji(scalars[index - 1]) && emoji(scalars[index + 1])
    }

    /// The first scalar of `text` that plain one-line text may not hold, or nil: every control
    /// (Cc), line and paragraph separator, and format character (Cf: the bidi marks, overrides
    /// and isolates, and every invisible one above), but a zero-width joiner inside an emoji.
    /// Every stored one-line field is checked with this one rule: names, emails, the business
    /// name, the caller notice, Auto-Send wording.
    public static func forbiddenScalar(in text: String) -> Unicode.Scalar? {
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            if isControlOrBidi(scalar.value) || isInvisible(scalar.value) {
                if isEmojiJoiner(scalars, at: index) { continue }
                return scalar
            }
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator: return scalar
            default: continue
            }
        }
        return nil
    }

    /// The longest piece of input an error message repeats, in characters.
    public static let echoLimit = 80

    /// Input as a domain error repeats it: at most `echoLimit` characters, "…" when cut (the
    /// front ends also sanitise it, and the CLI cuts at as many columns). One rule for every echo.
    /// A line break or other control character in it is written as an escape (`\r`, `\n`,
    /// `\u{7}`), so an echo is always one line: a parser's refusal of "title\r\n" stays one line.
    public static func echo(_ input: String) -> String {
        // Scalars first: one character can carry thousands of combining marks.
        let head = String(String.UnicodeScalarView(input.unicodeScalars.prefix(echoLimit * 4)))
        guard head.count > echoLimit || head.unicodeScalars.count < input.unicodeScalars.count else { return oneLine(head) }
        return oneLine(String(head.prefix(echoLimit - 1))) + "…"
    }

    private static func oneLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isLineBreakOrControl) else { return text }
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where isLineBreakOrControl(scalar): escaped += "\\u{\(String(scalar.value, radix: 16))}"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    private static func isLineBreakOrControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator: true
        default: false
        }
    }

    /// "U+200B ZERO WIDTH SPACE", for a message naming what was refused.
    public static func describe(_ scalar: Unicode.Scalar) -> String {
        let code = "U+" + String(format: "%04X", scalar.value)
        return scalar.properties.name.map { "\(code) \($0)" } ?? code
    }

    /// One line of plain text as stored: trimmed, not empty (unless `allowEmpty`), at most
    /// `maximum` characters, and without any scalar `forbiddenScalar` finds. `field` names it in
    /// the error ("the caller notice", "a name").
    public static func validatedLine(_ text: String, field: String, maximum: Int, allowEmpty: Bool = false) throws -> String {
        let line = text.trimmingCharacters(in: .whitespaces)
        if line.isEmpty && !allowEmpty { throw PlainTextError.empty(field: field) }
        if let scalar = forbiddenScalar(in: line) { throw PlainTextError.forbidden(field: field, character: describe(scalar)) }
        if line.count > maximum { throw PlainTextError.tooLong(field: field, maximum: maximum) }
        return line
    }
}

/// One line of plain text refused: it names the field and, for a character, which one.
public enum PlainTextError: SysexitsError, Equatable, CustomStringConvertible {
    case empty(field: String)
    case forbidden(field: String, character: String)
    case tooLong(field: String, maximum: Int)

    public var exitClass: ExitClass { .dataError }

    public var description: String {
        switch self {
        case .empty(let field): "\(field.prefix(1).uppercased() + field.dropFirst()) cannot be empty."
        case .forbidden(let field, let character):
            "\(field.prefix(1).uppercased() + field.dropFirst()) is one line of plain text: it cannot hold \(character) "
                + "(no control, line-break, bidi or invisible formatting characters)."
        case .tooLong(let field, let maximum): "\(field.prefix(1).uppercased() + field.dropFirst()) is at most \(maximum) characters."
        }
    }
}

/// Look-alike strings (issue 28): the skeleton of UTS #39 ("Unicode Security Mechanisms", §4
/// confusable detection) over a compact table, a documented subset of Unicode's confusables.txt:
/// the Cyrillic and Greek letters that look like Latin ones, the Latin digits and letters that
/// look like each other (0/O, 1/l/I), and the pairs `rn`→`m`, `vv`→`w`. Two strings with the same
/// skeleton (compared ignoring case) can be told apart by no reader.
public enum Confusables {
    static let table: [Unicode.Scalar: String] = {
        var map: [Unicode.Scalar: String] = [:]
        let pairs: [(UInt32, String)] = [
            // Cyrillic small
            (0x0430, "a"), (0x0435, "e"), (0x043E, "o"), (0x0440, "p"), (0x0441, "c"), (0x0443, "y"), (0x0445, "x"),
            (0x0456, "i"), (0x0458, "j"), (0x0455, "s"), (0x0501, "d"), (0x051B, "q"), (0x051D, "w"), (0x04BB, "h"),
            (0x04CF, "l"), (0x0461, "w"), (0x0475, "v"), (0x044C, "b"), (0x0432, "b"), (0x043A, "k"), (0x043C, "m"),
            (0x043D, "h"), (0x0442, "t"), (0x0433, "r"),
            // Cyrillic capital
            (0x0410, "a"), (0x0412, "b"), (0x0415, "e"), (0x041A, "k"), (0x041C, "m"), (0x041D, "h"), (0x041E, "o"),
            (0x0420, "p"), (0x0421, "c"), (0x0422, "t"), (0x0425, "x"), (0x0423, "y"), (0x0405, "s"), (0x0406, "l"),
            (0x0408, "j"), (0x04C0, "l"), (0x0417, "3"),
            // Greek small
            (0x03B1, "a"), (0x03BF, "o"), (0x03C1, "p"), (0x03BD, "v"), (0x03C5, "u"), (0x03B9, "i"), (0x03BA, "k"),
            (0x03C4, "t"), (0x03C7, "x"), (0x03B3, "y"), (0x03C9, "w"), (0x03B5, "e"),
            // Greek capital
            (0x0391, "a"), (0x0392, "b"), (0x0395, "e"), (0x0396, "z"), (0x0397, "h"), (0x0399, "l"), (0x039A, "k"),
            (0x039C, "m"), (0x039D, "n"), (0x039F, "o"), (0x03A1, "p"), (0x03A4, "t"), (0x03A5, "y"), (0x03A7, "x"),
            // Latin look-alikes among themselves
            (0x0030, "o"), (0x0031, "l"), (0x0049, "l"), (0x007C, "l"), (0x0269, "i"), (0x0131, "i"), (0x0261, "g"),
            (0x01C0, "l"), (0x2113, "l"), (0x212E, "e"),
        ]
        for (value, skeleton) in pairs { map[Unicode.Scalar(value)!] = skeleton }
        return map
    }()

    /// The string's skeleton: compatibility-decomposed, invisible characters dropped, each
    /// character in the table replaced, lower-cased, and `rn`/`vv` folded.
    public static func skeleton(_ text: String) -> String {
        var mapped = ""
        for scalar in text.decomposedStringWithCompatibilityMapping.unicodeScalars {
            if PlainText.isInvisible(scalar.value) || PlainText.isControlOrBidi(scalar.value) { continue }
            // Combining marks are kept: é and e are different letters to a reader.
            if let replacement = table[scalar] { mapped += replacement } else { mapped.unicodeScalars.append(scalar) }
        }
        // The table maps capital I to l; lower-casing afterwards keeps that (i stays i).
        var folded = mapped.lowercased()
        for (pair, single) in [("rn", "m"), ("vv", "w")] { folded = folded.replacingOccurrences(of: pair, with: single) }
        return folded
    }

    /// Same skeleton: a reader cannot tell them apart.
    public static func areConfusable(_ first: String, _ second: String) -> Bool {
        skeleton(first) == skeleton(second)
    }
}
