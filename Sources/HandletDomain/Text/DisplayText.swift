import Foundation

/// How the console and the CLI write times, lengths, sizes and counts: one function per fact, so
/// both say the same thing the same way. Nothing here knows about terminals.
public enum DisplayText {
    /// "23 Nov 14:05" within this year, "23 Nov 2025" before it, in the clock's zone.
    public static func shortTime(_ date: Date, clock: BrowseClock) -> String {
        let calendar = clock.calendar
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let day = String(format: "%2d", parts.day ?? 1)
        if parts.year == calendar.component(.year, from: clock.now) {
            return "\(day) \(monthName(parts.month ?? 1)) \(String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0))"
        }
        return "\(day) \(monthName(parts.month ?? 1)) \(parts.year ?? 0)"
    }

    /// "Mon 23 Nov 2026 14:05:09": for detail views, where there is room.
    public static func fullTime(_ date: Date, clock: BrowseClock) -> String {
        let calendar = clock.calendar
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let weekday = weekdayNames[(parts.weekday ?? 1) - 1]
        return "\(weekday) \(parts.day ?? 1) \(monthName(parts.month ?? 1)) \(parts.year ?? 0) "
            + String(format: "%02d:%02d:%02d", parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
    }

    /// "2026-03-14 09:30 UTC": a stored instant without guessing a zone (retention, holds, purges).
    public static func instant(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d UTC", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!)
    }

    /// A call's or a recording's length: "4m 05s", "1h 02m", "45s".
    public static func duration(_ seconds: Int) -> String {
        if seconds >= 3600 { return String(format: "%dh %02dm", seconds / 3600, seconds % 3600 / 60) }
        if seconds >= 60 { return String(format: "%dm %02ds", seconds / 60, seconds % 60) }
        return "\(seconds)s"
    }

    /// "0:42": an offset inside a call (a transcript turn).
    public static func offset(_ seconds: Double) -> String {
        let whole = Int(seconds)
        return String(format: "%d:%02d", whole / 60, whole % 60)
    }

    /// "0 B", "812 KB", "3.4 MB", "1.2 GB" (powers of 1,000, as disks are sold; the same on every platform).
    public static func size(_ bytes: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000 && unit < units.count - 1 { value /= 1000; unit += 1 }
        if unit == 0 { return "\(bytes) B" }
        return value >= 100 ? "\(Int(value.rounded())) \(units[unit])" : String(format: "%.1f %@", value, units[unit])
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

    /// "1 recording", "2,400 recordings": English plurals by adding "s", which every noun here takes.
    public static func count(_ value: Int, _ noun: String) -> String {
        "\(count(value)) \(noun)\(value == 1 ? "" : "s")"
    }

    /// "Nov" for 11.
    public static func monthName(_ month: Int) -> String { monthNames[min(max(month, 1), 12) - 1] }

    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    static let weekdayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
}
