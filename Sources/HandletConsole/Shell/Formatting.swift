import Foundation
import HandletDomain

/// How the console writes times, lengths and sizes: short, fixed-width where it helps columns line up.
enum Formatting {
    /// "23 Nov 14:05" within this year, "23 Nov 2025" before it.
    static func shortTime(_ date: Date, clock: BrowseClock) -> String {
        let calendar = clock.calendar
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let month = monthNames[(parts.month ?? 1) - 1]
        let day = String(format: "%2d", parts.day ?? 1)
        if parts.year == calendar.component(.year, from: clock.now) {
            return "\(day) \(month) \(String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0))"
        }
        return "\(day) \(month) \(parts.year ?? 0)"
    }

    /// "Mon 23 Nov 2026 14:05:09": for detail views, where there is room.
    static func fullTime(_ date: Date, clock: BrowseClock) -> String {
        let calendar = clock.calendar
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let weekday = weekdayNames[(parts.weekday ?? 1) - 1]
        return "\(weekday) \(parts.day ?? 1) \(monthNames[(parts.month ?? 1) - 1]) \(parts.year ?? 0) "
            + String(format: "%02d:%02d:%02d", parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
    }

    /// "4m 05s", "1h 02m", "45s".
    static func duration(_ seconds: Int) -> String {
        if seconds >= 3600 { return String(format: "%dh %02dm", seconds / 3600, seconds % 3600 / 60) }
        if seconds >= 60 { return String(format: "%dm %02ds", seconds / 60, seconds % 60) }
        return "\(seconds)s"
    }

    /// "0:42" offsets inside a call.
    static func offset(_ seconds: Double) -> String {
        let whole = Int(seconds)
        return String(format: "%d:%02d", whole / 60, whole % 60)
    }

    /// "0 B", "16 KB", "1.2 GB".
    static func bytes(_ count: Int64) -> String {
        count == 0 ? "0 B" : ByteCountFormatter.string(fromByteCount: count, countStyle: .file)
    }

    static func count(_ value: Int) -> String { value.formatted(.number) }

    /// "1 recording", "2,400 recordings": English plurals by adding "s", which every noun here takes.
    static func counted(_ value: Int, _ noun: String) -> String {
        "\(count(value)) \(noun)\(value == 1 ? "" : "s")"
    }

    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    static let weekdayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
}
