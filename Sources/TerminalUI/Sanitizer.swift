/// Makes untrusted text safe to put on the grid.
///
/// Message bodies, caller names and transcripts come from strangers. Written raw, an ESC
/// could recolour the screen, move the cursor or retitle the window, and a bidi override
/// could make "evil.txt" read as "txt.live". So every control character is *replaced by a
/// visible stand-in* (drawn in the `.control` role) rather than dropped: an auditor should
/// see that something was there.
///
/// Works on scalars, not `Character`s, because Swift folds "\r\n" into one cluster and a
/// control must never hide inside a cluster.
public enum Sanitizer {
    /// One run of display-safe text; `isControl` runs are stand-ins for neutralised characters.
    public struct Segment: Equatable, Sendable {
        public var text: String
        public var isControl: Bool
    }

    /// Splits text into safe runs. The concatenated `text` of the result contains no C0/C1
    /// control, DEL, bidi embedding/override/isolate character, nor ALM/LRM/RLM.
    public static func segments(_ text: String) -> [Segment] {
        var result: [Segment] = []
        var plain = String.UnicodeScalarView()
        func flushPlain() {
            if !plain.isEmpty {
                result.append(Segment(text: String(plain), isControl: false))
                plain = String.UnicodeScalarView()
            }
        }
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            if let standIn = visibleStandIn(for: scalar) ?? invisibleStandIn(scalars, at: index) {
                flushPlain()
                if let last = result.last, last.isControl {
                    result[result.count - 1].text += standIn
                } else {
                    result.append(Segment(text: standIn, isControl: true))
                }
            } else {
                plain.append(scalar)
            }
        }
        flushPlain()
        return result
    }

    /// The sanitised text as one string (stand-ins inline), for places without styling.
    public static func clean(_ text: String) -> String {
        // Printable ASCII has nothing to replace: most cells of a listing are (issue 26: `calls
        // list` spent 5M instructions splitting 400 such cells into segments).
        if text.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) { return text }
        return segments(text).map(\.text).joined()
    }

    /// The longest echo of untrusted input an error message may carry, in columns.
    public static let echoLimit = 80

    /// Untrusted input (an argument, a file name, a token) as an error message may repeat it:
    /// sanitised and at most `echoLimit` columns, ending in "…" when cut. Every error that quotes
    /// input goes through this, so a 100 KB argument or a hostile `TERM` stays one short line.
    public static func echo(_ input: String) -> String {
        // Scalars first: one cluster can carry thousands of combining marks.
        let scalarLimit = echoLimit * 4
        let scalars = input.unicodeScalars
        let head = String(String.UnicodeScalarView(scalars.prefix(scalarLimit)))
        let cut = scalars.dropFirst(scalarLimit).first != nil
        return TextWidth.truncate(clean(head) + (cut ? "…" : ""), to: echoLimit)
    }

    /// True for every scalar that must never reach the terminal raw.
    public static func isDangerous(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x202A...0x202E, 0x2066...0x2069: return true
        // The implicit marks ALM, LRM, RLM reorder neighbouring text without being seen.
        case 0x061C, 0x200E, 0x200F: return true
        case 0x2028, 0x2029: return true
        default: return false
        }
    }

    /// Invisible format characters (issue 28: they make two names look the same), shown as what
    /// they are: U+200B and U+200C (U+200D, the joiner, stays: see below), U+2060–U+2064, U+FEFF, U+00AD, U+206A–U+206F, U+180E, U+FFF9–U+FFFB and tag
    /// characters. The domain refuses the same set in emails and names (`PlainText.isInvisible`).
    public static func invisibleStandIn(_ scalars: [Unicode.Scalar], at index: Int) -> String? {
        let value = scalars[index].value
        switch value {
        case 0x200B: return "<ZWSP>"
        case 0x200C: return "<ZWNJ>"
        // U+200D ZERO WIDTH JOINER is left as it is: it joins emoji and the scripts that need it,
        // and text fields edit around it as a joining scalar (`TextFieldPropertyTests`). The domain
        // still refuses it outside an emoji in names and emails.
        case 0x2060: return "<WJ>"
        case 0xFEFF: return "<BOM>"
        case 0x00AD: return "<SHY>"
        case 0x180E: return "<MVS>"
        case 0x2061...0x2064, 0x206A...0x206F, 0xFFF9...0xFFFB: return "<U+" + String(value, radix: 16, uppercase: true) + ">"
        case 0xE0000...0xE007F: return "<TAG>"
        default: return nil
        }
    }

    /// The visible replacement for a dangerous scalar, or nil when the scalar is safe.
    public static func visibleStandIn(for scalar: Unicode.Scalar) -> String? {
        let value = scalar.value
        switch value {
        case 0x1B: return "␛"
        case 0x00...0x1F:
            // U+2400 Control Pictures mirror C0 one to one: ␀ ␁ … ␟.
            return String(Unicode.Scalar(0x2400 + value)!)
        case 0x7F: return "␡"
        case 0x80...0x9F:
            // A C1 control is ESC followed by the 7-bit character 0x40 less; showing it that
            // way (0x9B as "␛[") tells a reader what the sender was trying to do.
            return "␛" + String(Unicode.Scalar(value - 0x40)!)
        case 0x061C: return "<ALM>"
        case 0x200E: return "<LRM>"
        case 0x200F: return "<RLM>"
        case 0x2028: return "␤"
        case 0x2029: return "¶"
        case 0x202A: return "<LRE>"
        case 0x202B: return "<RLE>"
        case 0x202C: return "<PDF>"
        case 0x202D: return "<LRO>"
        case 0x202E: return "<RLO>"
        case 0x2066: return "<LRI>"
        case 0x2067: return "<RLI>"
        case 0x2068: return "<FSI>"
        case 0x2069: return "<PDI>"
        default: return nil
        }
    }
}
