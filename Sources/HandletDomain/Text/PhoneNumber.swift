/// A UK phone number as people type it (`07940 887684`, `+44 7940 887684`, `0044…`, `(0113) 496 0000`)
/// in the E.164 form the workspace stores (`+447940887684`). Only what is clearly a number is
/// converted; anything else is nil, so a name is never mistaken for one.
public enum PhoneNumber {
    public static func e164(_ typed: String) -> String? {
        var digits = ""
        var leadingPlus = false
        // Trimmed only when it needs it: an importer normalises a number per record.
        let needsTrim = typed.first?.isWhitespace == true || typed.last?.isWhitespace == true
        for (index, character) in (needsTrim ? typed.trimmingCharacters(in: .whitespaces) : typed).enumerated() {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else if character == "+" && index == 0 {
                leadingPlus = true
            } else if !" -().".contains(character) {
                return nil
            }
        }
        let national: String
        if leadingPlus {
            // No country code starts with 0.
            guard digits.hasPrefix("44") else { return digits.count >= 8 && digits.count <= 15 && !digits.hasPrefix("0") ? "+" + digits : nil }
            national = String(digits.dropFirst(2))
        } else if digits.hasPrefix("0044") {
            national = String(digits.dropFirst(4))
        } else if digits.hasPrefix("44") && digits.count == 12 {
            national = String(digits.dropFirst(2))
        } else if digits.hasPrefix("0") {
            national = String(digits.dropFirst())
        } else {
            return nil
        }
        // UK numbers have 9 or 10 digits after the country code (a trunk 0 typed after +44 is dropped).
        let subscriber = national.hasPrefix("0") ? String(national.dropFirst()) : national
        // A second 0 (`000 6878…`, `00044…` with one 0 too many) is no UK number: found by
        // ParserFuzzTests (issue 28), where "+440687…" came out, which is not a number either.
        guard (9...10).contains(subscriber.count), !subscriber.hasPrefix("0") else { return nil }
        return "+44" + subscriber
    }

    /// The start of a number being typed (`0794`, `+44 79`, `0044 7940 8`), as the start of the
    /// E.164 form every number with it has (`+44794`): nil for anything but a number, and below
    /// four digits (too many numbers begin `07`). A whole number is its own start (a 9-digit UK
    /// number typed may be the start of a 10-digit one). Lists narrowing as a person types find
    /// the numbers beginning with it (issue 25).
    public static func e164Prefix(_ typed: String) -> String? {
        let trimmed = typed.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        var digits = ""
        for (index, character) in trimmed.enumerated() {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else if !(character == "+" && index == 0) && !" -().".contains(character) {
                return nil
            }
        }
        guard digits.count >= 4, digits.count <= 15 else { return nil }
        if trimmed.hasPrefix("+") { return "+" + digits }
        if digits.hasPrefix("00") { return digits.dropFirst(2).isEmpty || digits.hasPrefix("000") ? nil : "+" + digits.dropFirst(2) }
        if digits.hasPrefix("0") { return digits.hasPrefix("00") ? nil : "+44" + digits.dropFirst() }
        return nil
    }

    /// The half-open range of stored numbers beginning with `prefix` (digits sort below ":").
    static func range(startingWith prefix: String) -> (from: String, until: String) { (prefix, prefix + ":") }
}
