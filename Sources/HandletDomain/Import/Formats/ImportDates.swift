import Foundation

/// The date forms the importers meet, parsed by hand: fixed forms, a million rows, and
/// `DateFormatter` is both slow and locale-bound.
enum ImportDates {
    /// Seconds since 1970 of a proleptic Gregorian civil date (Howard Hinnant's days_from_civil).
    static func epochDays(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// A wall-clock time; `offset` in seconds east of UTC, or nil: read in `zone`.
    static func date(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, fraction: Double = 0,
                     offset: Int?, zone: TimeZone) -> Date? {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month),
              (0...24).contains(hour), (0...59).contains(minute), (0...60).contains(second) else { return nil }
        let local = Double(epochDays(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + min(second, 59)) + fraction
        if let offset { return Date(timeIntervalSince1970: local - Double(offset)) }
        // Local time in a zone: guess with the offset at that instant read as UTC, then correct once.
        let guess = local - Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: local)))
        return Date(timeIntervalSince1970: local - Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: guess))))
    }

    /// ISO 8601 and its SQL cousin: `2010-08-31T20:36:28Z`, `2010-08-31 20:36:28.123+01:00`,
    /// `2010-08-31 20:36:28` (no zone: read in `zone`), `2010-08-31` (midnight).
    static func iso8601(_ text: Substring, zone: TimeZone) -> Date? {
        var s = Scanner8(text)
        guard let year = s.digits(exactly: 4), s.take("-"), let month = s.digits(1...2), s.take("-"),
              let day = s.digits(1...2) else { return nil }
        if s.atEnd { return date(year: year, month: month, day: day, hour: 0, minute: 0, second: 0, offset: nil, zone: zone) }
        guard s.take("T") || s.take("t") || s.take(" ") else { return nil }
        guard let hour = s.digits(1...2), s.take(":"), let minute = s.digits(exactly: 2) else { return nil }
        var second = 0, fraction = 0.0
        if s.take(":") {
            guard let sec = s.digits(exactly: 2) else { return nil }
            second = sec
            if s.take(".") || s.take(",") {
                let start = s.index
                while let d = s.peekDigit() { _ = d; s.advance() }
                fraction = Double("0." + String(s.text[start..<s.index])) ?? 0
            }
        }
        s.skipSpaces()
        var offset: Int? = nil
        if !s.atEnd {
            guard let o = s.zoneOffset(), s.atEndAfterSpaces() else { return nil }
            offset = o
        }
        return date(year: year, month: month, day: day, hour: hour, minute: minute, second: second, fraction: fraction,
                    offset: offset, zone: zone)
    }

    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    static let namedZones: [String: Int] = [
        "ut": 0, "utc": 0, "gmt": 0, "z": 0, "bst": 3600, "cet": 3600, "cest": 7200,
        "est": -5 * 3600, "edt": -4 * 3600, "cst": -6 * 3600, "cdt": -5 * 3600,
        "mst": -7 * 3600, "mdt": -6 * 3600, "pst": -8 * 3600, "pdt": -7 * 3600,
    ]

    /// RFC 2822 (`Tue, 31 Aug 2010 20:36:28 +0000`, obsolete forms too: two-digit years, named
    /// zones, a trailing comment) and the asctime form of an mbox `From ` line
    /// (`Tue Aug 31 20:36:28 2010`). No zone: read in `zone`.
    static func rfc2822(_ text: Substring, zone: TimeZone = TimeZone(identifier: "UTC")!) -> Date? {
        var day: Int?, month: Int?, year: Int?, time: (Int, Int, Int)?, offset: Int?
        var cleaned = text
        if let paren = cleaned.firstIndex(of: "(") { cleaned = cleaned[..<paren] }
        for token in cleaned.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }) {
            let lower = token.lowercased()
            if token.contains(":"), time == nil {
                let parts = token.split(separator: ":", omittingEmptySubsequences: false)
                guard parts.count == 2 || parts.count == 3, let h = Int(parts[0]), let m = Int(parts[1]) else { return nil }
                let sec = parts.count == 3 ? Int(parts[2].prefix(2)) : 0
                guard let sec else { return nil }
                time = (h, m, sec)
            } else if let first = token.first, first == "+" || first == "-", token.count == 5, let value = Int(token.dropFirst()) {
                offset = (first == "-" ? -1 : 1) * ((value / 100) * 3600 + (value % 100) * 60)
            } else if let n = Int(token) {
                if token.count <= 2, day == nil { day = n }
                else if year == nil { year = token.count <= 2 ? (n < 50 ? 2000 + n : 1900 + n) : (token.count == 3 ? 1900 + n : n) }
                else { return nil }
            } else if lower.count >= 3, let m = months.firstIndex(of: String(lower.prefix(3))), month == nil,
                      lower.count == 3 || lower.hasPrefix(fullMonth(m)) {
                month = m + 1
            } else if let named = namedZones[lower] {
                offset = named
            } else if lower.count >= 3, ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].contains(String(lower.prefix(3))) {
                continue
            } else {
                return nil
            }
        }
        guard let day, let month, let year, let time else { return nil }
        return date(year: year, month: month, day: day, hour: time.0, minute: time.1, second: time.2, offset: offset, zone: zone)
    }

    private static func fullMonth(_ index: Int) -> String {
        ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"][index]
    }
}

/// A tiny cursor over a string's characters for the fixed date forms.
struct Scanner8 {
    let text: Substring
    var index: Substring.Index

    init(_ text: Substring) { self.text = text; self.index = text.startIndex }

    var atEnd: Bool { index == text.endIndex }

    mutating func advance() { index = text.index(after: index) }

    func peekDigit() -> Int? {
        guard !atEnd, let d = text[index].wholeNumberValue, text[index].isASCII else { return nil }
        return d
    }

    mutating func take(_ c: Character) -> Bool {
        guard !atEnd, text[index] == c else { return false }
        advance()
        return true
    }

    mutating func digits(_ range: ClosedRange<Int>) -> Int? {
        var value = 0, count = 0
        while count < range.upperBound, let d = peekDigit() { value = value * 10 + d; count += 1; advance() }
        return range.contains(count) ? value : nil
    }

    mutating func digits(exactly n: Int) -> Int? { digits(n...n) }

    mutating func skipSpaces() { while !atEnd, text[index] == " " { advance() } }

    mutating func atEndAfterSpaces() -> Bool { skipSpaces(); return atEnd }

    /// `Z`, `+01:00`, `+0100`, `-05`, `UTC`, `GMT`.
    mutating func zoneOffset() -> Int? {
        if take("Z") || take("z") { return 0 }
        let rest = text[index...].lowercased()
        if rest == "utc" || rest == "gmt" { index = text.endIndex; return 0 }
        let sign: Int
        if take("+") { sign = 1 } else if take("-") || take("\u{2212}") { sign = -1 } else { return nil }
        guard let hours = digits(exactly: 2) else { return nil }
        _ = take(":")
        let minutes = digits(exactly: 2) ?? 0
        return sign * (hours * 3600 + minutes * 60)
    }
}
