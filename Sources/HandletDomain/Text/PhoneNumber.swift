/// A UK phone number as people type it (`07940 887684`, `+44 7940 887684`, `0044…`, `(0113) 496 0000`)
/// in the E.164 form the workspace stores (`+447940887684`). Only what is clearly a number is
/// converted; anything else is nil, so a name is never mistaken for one.
public enum PhoneNumber {
    public static func e164(_ typed: String) -> String? {
        var digits = ""
        var leadingPlus = false
        for (index, character) in typed.trimmingCharacters(in: .whitespaces).enumerated() {
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
}
