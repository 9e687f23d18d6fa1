import Foundation

/// How the console and the CLI write times, lengths, sizes and counts: one function per fact, so
/// both say the same thing the same way. Nothing here knows about terminals.
public enum DisplayText {
    // MARK: Times and dates: one format per kind, in the workspace's zone (DESIGN §3, Europe/London
    // by default), which the console's status bar names and the CLI's plain output states. JSON
    // output keeps ISO 8601 in UTC and does not come through here.

    /// A timestamp: "7 Dec 2026 14:05", in the clock's zone. Every moment on a screen or in plain
    /// output reads this way (a list's narrow column shortens it: `shortTime`).
    public static func timestamp(_ date: Date, clock: BrowseClock) -> String {
        let parts = clock.calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return "\(parts.day ?? 1) \(monthName(parts.month ?? 1)) \(parts.year ?? 0) \(hoursMinutes(parts.hour ?? 0, parts.minute ?? 0))"
    }

    /// A timestamp that says its zone, for plain CLI output: "7 Dec 2026 14:05 GMT".
    public static func zonedTimestamp(_ date: Date, clock: BrowseClock) -> String {
        "\(timestamp(date, clock: clock)) \(zoneAbbreviation(clock, at: date))"
    }

    /// A date or a deadline: "27 Dec 2026" (the day containing `date` in the clock's zone).
    public static func date(_ date: Date, clock: BrowseClock) -> String {
        self.date(LocalDate(containing: date, in: clock.timeZone))
    }

    /// A calendar day: "27 Dec 2026".
    public static func date(_ day: LocalDate) -> String { "\(day.day) \(monthName(day.month)) \(day.year)" }

    /// "14:05": the time of day alone, where the day is plain from around it (the message log).
    public static func clockTime(_ date: Date, clock: BrowseClock) -> String {
        let parts = clock.calendar.dateComponents([.hour, .minute], from: date)
        return hoursMinutes(parts.hour ?? 0, parts.minute ?? 0)
    }

    /// "Europe/London": the zone every time on screen is in.
    public static func zoneName(_ clock: BrowseClock) -> String {
        ["UTC", "GMT"].contains(clock.timeZone.identifier) ? "UTC" : clock.timeZone.identifier
    }

    /// "London time": the zone in few columns, true in summer and winter alike (unlike "GMT").
    public static func zoneShortName(_ clock: BrowseClock) -> String {
        let name = zoneName(clock)
        guard let city = name.split(separator: "/").last, name.contains("/") else { return name }
        return city.replacingOccurrences(of: "_", with: " ") + " time"
    }

    /// "GMT" or "BST" for London; else the zone's abbreviation at that moment ("GMT+1").
    public static func zoneAbbreviation(_ clock: BrowseClock, at date: Date) -> String {
        if clock.timeZone.identifier == "Europe/London" { return clock.timeZone.isDaylightSavingTime(for: date) ? "BST" : "GMT" }
        if ["UTC", "GMT"].contains(clock.timeZone.identifier) { return "UTC" }
        return clock.timeZone.abbreviation(for: date) ?? clock.timeZone.identifier
    }

    /// A list's narrow (12-column) form of `timestamp`: "23 Nov 14:05" within this year,
    /// "23 Nov 2025" before it, in the clock's zone.
    public static func shortTime(_ date: Date, clock: BrowseClock) -> String {
        let calendar = clock.calendar
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let dayNumber = parts.day ?? 1
        let day = dayNumber < 10 ? " \(dayNumber)" : String(dayNumber)
        if parts.year == calendar.component(.year, from: clock.now) {
            return "\(day) \(monthName(parts.month ?? 1)) \(hoursMinutes(parts.hour ?? 0, parts.minute ?? 0))"
        }
        return "\(day) \(monthName(parts.month ?? 1)) \(parts.year ?? 0)"
    }

    /// "14 Mar 2026 09:30 UTC": a timestamp where no workspace clock is at hand, so it says its zone.
    public static func instant(_ date: Date) -> String {
        timestamp(date, clock: BrowseClock(now: date, timeZone: TimeZone(identifier: "UTC")!)) + " UTC"
    }

    /// A call's or a recording's length: "4m 05s", "1h 02m", "45s".
    public static func duration(_ seconds: Int) -> String {
        if seconds >= 3600 { return "\(seconds / 3600)h \(twoDigits(seconds % 3600 / 60))m" }
        if seconds >= 60 { return "\(seconds / 60)m \(twoDigits(seconds % 60))s" }
        return "\(seconds)s"
    }

    /// "0:42": an offset inside a call (a transcript turn).
    public static func offset(_ seconds: Double) -> String {
        let whole = Int(seconds)
        return "\(whole / 60):\(twoDigits(whole % 60))"
    }

    /// "09:05". These run for every row of a list on every frame: Foundation's `String(format:)`
    /// made a list's `j` spend 6% of its CPU formatting times (issue 26).
    static func hoursMinutes(_ hour: Int, _ minute: Int) -> String { "\(twoDigits(hour)):\(twoDigits(minute))" }

    /// "05" for 5; numbers of two digits or more as they are.
    static func twoDigits(_ value: Int) -> String { (0..<10).contains(value) ? "0\(value)" : String(value) }

    /// "0 B", "812 KB", "3.4 MB", "1.2 GB" (powers of 1,000, as disks are sold; the same on every platform).
    public static func size(_ bytes: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000 && unit < units.count - 1 { value /= 1000; unit += 1 }
        if unit == 0 { return "\(bytes) B" }
        return value >= 100 ? "\(Int(value.rounded())) \(units[unit])" : "\(oneDecimal(value)) \(units[unit])"
    }

    /// `%.1f` through C's formatter: the same digits as `String(format:)`, without Foundation's
    /// format parsing (~0.8M instructions a call; `info` writes four sizes). The console sets the
    /// user's locale (`setlocale`), whose decimal mark C would use ("1,5" in German): the digits
    /// are kept and the mark is always a point, as everything else here is written in English.
    static func oneDecimal(_ value: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        _ = withVaList([value]) { vsnprintf(&buffer, buffer.count, "%.1f", $0) }
        let digits = String(cString: buffer).unicodeScalars.filter { ("0"..."9").contains($0) }
        guard let tenth = digits.last else { return "0.0" }
        return String(String.UnicodeScalarView(digits.dropLast())) + "." + String(tenth)
    }

    /// "2,400": thousands grouped with commas, as everything else here is written in English.
    /// Done by hand, not by `formatted(.number)`: that goes through ICU's number formatter, whose
    /// first use costs milliseconds of start-up and every later one an allocation-heavy lookup, on
    /// the key path (a list's "1,204 of 1,000,000") and in every CLI listing.
    public static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        guard digits.utf8.count > 3 else { return value < 0 ? "-" + digits : digits }
        var grouped = [UInt8]()
        grouped.reserveCapacity(digits.utf8.count + digits.utf8.count / 3 + 1)
        if value < 0 { grouped.append(UInt8(ascii: "-")) }
        let count = digits.utf8.count
        for (index, digit) in digits.utf8.enumerated() {
            if index > 0 && (count - index) % 3 == 0 { grouped.append(UInt8(ascii: ",")) }
            grouped.append(digit)
        }
        return String(decoding: grouped, as: UTF8.self)
    }

    /// "1 recording", "2,400 recordings", "2 duties", "3 replies": the one place a count meets its noun.
    public static func count(_ value: Int, _ noun: String) -> String {
        "\(count(value)) \(plural(noun, value))"
    }

    /// The noun for `value` of it: "message" for 1, "messages" otherwise; "duty" → "duties",
    /// "address" → "addresses". `plural` names an irregular plural ("person", "people").
    public static func plural(_ noun: String, _ value: Int, plural: String? = nil) -> String {
        if value == 1 { return noun }
        if let plural { return plural }
        // The last word takes the plural: "expired recording" → "expired recordings".
        let lower = noun.lowercased()
        if lower.hasSuffix("y"), let before = lower.dropLast().last, !"aeiou".contains(before) {
            return noun.dropLast() + "ies"
        }
        if ["s", "x", "z", "ch", "sh"].contains(where: { lower.hasSuffix($0) }) { return noun + "es" }
        return noun + "s"
    }

    /// "Nov" for 11.
    public static func monthName(_ month: Int) -> String { monthNames[min(max(month, 1), 12) - 1] }

    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
}
