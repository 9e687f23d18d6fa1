/// One JSON string quoter for every file handlet writes as JSON by hand (a JSONL export, a
/// workspace export's JSON, a data-subject export's cells): RFC 8259's escapes, every C0 control
/// and DEL (U+007F) as `\u00XX` so that no control byte reaches a terminal that shows the file,
/// and U+2028/U+2029 escaped for readers that take them as line ends. Anything else is as it is.
public enum JSONString {
    public static func quoted(_ text: String) -> String {
        // Most text has nothing to escape: one pass over its bytes, then copied whole. 0xE2 leads
        // U+2028 and U+2029 (and other characters, which the slow path leaves as they are).
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F || $0 == 0xE2 }) {
            return "\"" + text + "\""
        }
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
