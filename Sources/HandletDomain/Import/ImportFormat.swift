import Foundation

/// The formats `handlet import` reads. Adding one is one case and one line in `makeParser`:
/// its `RecordParser`, built from the options the workspace gives every parser.
public enum ImportFormat: String, CaseIterable, Sendable {
    /// The project's own JSON Lines (docs/import.md); `handlet export jsonl` writes it.
    case jsonl
    case twilioCalls = "twilio-calls"
    case twilioMessages = "twilio-messages"
    case asteriskCDR = "asterisk-cdr"
    case whatsapp
    case mbox

    func makeParser(_ options: ImportParserOptions) throws -> any RecordParser {
        switch self {
        case .jsonl: return JSONLParser(options)
        default:
            var format = options.format
            // Times written without a zone are the business's unless the command line said otherwise.
            if !options.formatSetsTimeZone { format.timeZone = options.timeZone }
            return try ImportFormats.parser(named: rawValue, options: format)
        }
    }

    /// One line for `handlet import --help`.
    public var summary: String {
        switch self {
        case .jsonl: "handlet's own JSON Lines (docs/import.md), as `handlet export jsonl` writes it"
        case .twilioCalls: "Twilio Call resources: a list page ({\"calls\": [...]}) or one resource per line"
        case .twilioMessages: "Twilio Message resources: a list page ({\"messages\": [...]}) or one per line"
        case .asteriskCDR: "Asterisk Master.csv from cdr_csv (--columns for a cdr_custom layout)"
        case .whatsapp: "a WhatsApp chat export (.txt) from Android or iOS (--me NAME: the business)"
        case .mbox: "an mbox mail folder (--me ADDRESS: the business's addresses)"
        }
    }
}

/// What the workspace tells every parser.
public struct ImportParserOptions: Sendable {
    /// The business's time zone: a time written without a zone is read in it.
    public var timeZone: TimeZone
    /// What the command line told the formats from other systems (who the business is, a
    /// WhatsApp file's date order, an Asterisk layout).
    public var format: ImportFormatOptions
    /// The command line named a time zone for the file (else the business's is used).
    public var formatSetsTimeZone: Bool

    public init(timeZone: TimeZone, format: ImportFormatOptions = ImportFormatOptions(), formatSetsTimeZone: Bool = false) {
        self.timeZone = timeZone
        self.format = format
        self.formatSetsTimeZone = formatSetsTimeZone
    }
}

/// Times as the import formats write them, read and written without a formatter per value
/// (a million records parse in seconds): ISO 8601 `2026-03-01T09:30:00Z`, with `+01:00`-style
/// offsets, fractional seconds (dropped), a space for the `T`; or, without a zone, in `timeZone`.
public enum ImportTime {
    public static func parse(_ text: String, timeZone: TimeZone) -> Date? {
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for _ in 0..<count {
                let byte = bytes[index]
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
                index += 1
            }
            return value
        }
        func expect(_ characters: String) -> Bool {
            guard index < bytes.count, characters.utf8.contains(bytes[index]) else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        var hour = 0, minute = 0, second = 0
        if index < bytes.count {
            guard expect("Tt "), let h = number(2), expect(":"), let m = number(2) else { return nil }
            hour = h; minute = m
            if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
                index += 1
                guard let s = number(2) else { return nil }
                second = s
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ",") {
                index += 1
                let start = index
                while index < bytes.count, bytes[index] >= 48 && bytes[index] <= 57 { index += 1 }
                guard index > start else { return nil }
            }
            guard hour <= 23, minute <= 59, second <= 60 else { return nil }
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        guard civilFromDays(days) == (year, month, day) else { return nil }   // 31 February
        let local = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + min(second, 59))
        if index == bytes.count {
            // No zone: the business's own clock, with its summer time on that day.
            let guess = Date(timeIntervalSince1970: TimeInterval(local))
            var offset = timeZone.secondsFromGMT(for: guess)
            let adjusted = Date(timeIntervalSince1970: TimeInterval(local - Int64(offset)))
            offset = timeZone.secondsFromGMT(for: adjusted)
            return Date(timeIntervalSince1970: TimeInterval(local - Int64(offset)))
        }
        if bytes[index] == UInt8(ascii: "Z") || bytes[index] == UInt8(ascii: "z") {
            index += 1
            return index == bytes.count ? Date(timeIntervalSince1970: TimeInterval(local)) : nil
        }
        let sign: Int64
        switch bytes[index] {
        case UInt8(ascii: "+"): sign = 1
        case UInt8(ascii: "-"): sign = -1
        default: return nil
        }
        index += 1
        guard let offsetHours = number(2), offsetHours <= 18 else { return nil }
        var offsetMinutes = 0
        if index < bytes.count {
            if bytes[index] == UInt8(ascii: ":") { index += 1 }
            guard let m = number(2), m <= 59 else { return nil }
            offsetMinutes = m
        }
        guard index == bytes.count else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(local - sign * Int64(offsetHours * 3600 + offsetMinutes * 60)))
    }

    /// `2026-03-01T09:30:00Z` for whole seconds since 1970.
    public static func format(_ seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = Int(seconds - days * 86_400)
        let (year, month, day) = civilFromDays(Int(days))
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let yearText = String(year)
        return String(repeating: "0", count: max(0, 4 - yearText.count)) + yearText + "-" + two(month) + "-" + two(day)
            + "T" + two(rest / 3600) + ":" + two(rest / 60 % 60) + ":" + two(rest % 60) + "Z"
    }

    // Howard Hinnant's days-from-civil and its inverse (proleptic Gregorian, 1970-01-01 = 0).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
