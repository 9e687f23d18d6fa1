import Foundation
import HandletDomain

/// Where generated activity falls in time: a history of whole days ending at the anchor, busier on
/// weekdays and in working hours (Europe/London), with integer arithmetic only in the hot path.
struct DemoCalendar: Sendable {
    /// The end of history (exclusive), unix seconds; every generated event happens before it.
    let anchor: Int64
    let historyDays: Int
    /// Unix seconds of local midnight of each history day, oldest first.
    private let dayStarts: [Int64]
    /// Cumulative weekday weights: day `d` owns the share (cumulative[d-1], cumulative[d]].
    private let cumulative: [Int]

    static let secondsPerDay: Int64 = 86_400

    init(anchor: Int64, historyDays: Int) {
        self.anchor = anchor
        self.historyDays = historyDays
        let london = TimeZone(identifier: "Europe/London") ?? TimeZone(secondsFromGMT: 0)!
        var starts: [Int64] = []
        var cumulative: [Int] = []
        var running = 0
        let firstDay = anchor / DemoCalendar.secondsPerDay - Int64(historyDays)
        for offset in 0..<historyDays {
            let utcMidnight = (firstDay + Int64(offset)) * DemoCalendar.secondsPerDay
            let shift = Int64(london.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(utcMidnight))))
            starts.append(utcMidnight - shift)
            // Saturdays are half as busy, Sundays a quarter: trades still get weekend emergencies.
            let weekday = CivilDate.weekday(daysSinceEpoch: firstDay + Int64(offset))
            running += weekday == 6 ? 50 : weekday == 0 ? 25 : 100
            cumulative.append(running)
        }
        dayStarts = starts
        self.cumulative = cumulative
    }

    var historyStart: Int64 { dayStarts.first ?? anchor }

    /// The history day that holds position `index` of `count` evenly weighted events.
    func day(forIndex index: Int, of count: Int) -> Int {
        guard let total = cumulative.last, count > 0 else { return historyDays - 1 }
        let target = Int((Int64(index) * 2 + 1) * Int64(total) / (Int64(count) * 2))
        var low = 0, high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] > target { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// A moment on that day, drawn from working-hours weights, in unix seconds (before the anchor).
    func moment(onDay day: Int, random: inout DemoRandom) -> Int64 {
        let quarter = random.pick(DemoCalendar.quarterHourWeights)
        let seconds = Int64(quarter * 900 + random.below(900))
        return min(dayStarts[day] + seconds, anchor - 60)
    }

    func dayStart(_ day: Int) -> Int64 { dayStarts[day] }

    /// The first moment at or after `time` when the office is open (Monday to Saturday, 08:00 to
    /// 18:00 London time): a person handles the queue then, not at 01:38. Nil when that falls at or
    /// after the anchor (the work is still waiting).
    func officeOpen(atOrAfter time: Int64, random: inout DemoRandom) -> Int64? {
        let opens: Int64 = 8 * 3600, closes: Int64 = 18 * 3600
        let firstDay = anchor / DemoCalendar.secondsPerDay - Int64(historyDays)
        var day = max(0, (dayStarts.lastIndex { $0 <= time }) ?? 0)
        var local = time - dayStarts[day]
        while day < historyDays {
            if CivilDate.weekday(daysSinceEpoch: firstDay + Int64(day)) != 0, local < closes {
                // Before opening: someone gets to it in the first hour and a half.
                let at = dayStarts[day] + (local >= opens ? local : opens + Int64(random.below(5_400)))
                return at < anchor ? at : nil
            }
            day += 1
            local = 0
        }
        return nil
    }

    /// Calls and messages by quarter hour of the local day: quiet at night, a morning peak, steady
    /// through the afternoon, tailing off in the evening.
    static let quarterHourWeights: Weights = {
        var weights: [Int] = []
        for quarter in 0..<96 {
            let hour = quarter / 4
            switch hour {
            case 0..<6: weights.append(1)
            case 6: weights.append(4)
            case 7: weights.append(14)
            case 8..<11: weights.append(30)
            case 11..<13: weights.append(24)
            case 13..<17: weights.append(26)
            case 17..<19: weights.append(14)
            case 19..<22: weights.append(6)
            default: weights.append(2)
            }
        }
        return Weights(weights)
    }()
}

/// Proleptic Gregorian dates from day numbers, without Foundation (used per generated row).
enum CivilDate {
    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August",
                             "September", "October", "November", "December"]
    static let weekdayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// 0 = Sunday. 1970-01-01 was a Thursday.
    static func weekday(daysSinceEpoch days: Int64) -> Int {
        Int(((days % 7) + 7 + 4) % 7)
    }

    /// (year, month 1-12, day 1-31) of a day number; H. Hinnant's days-to-civil algorithm.
    static func ymd(daysSinceEpoch days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }

    /// "Tuesday 25 November" for the day holding that unix time (UTC day; close enough for prose).
    static func spokenDay(unix: Int64) -> String {
        let days = unix / 86_400
        let date = ymd(daysSinceEpoch: days)
        return weekdayNames[weekday(daysSinceEpoch: days)] + " " + String(date.day) + " " + monthNames[date.month - 1]
    }

    /// "2026-11" for folder names.
    static func yearMonth(unix: Int64) -> String {
        let date = ymd(daysSinceEpoch: unix / 86_400)
        return String(date.year) + (date.month < 10 ? "-0" : "-") + String(date.month)
    }

    /// "2026-11-25" for JSON details.
    static func isoDay(unix: Int64) -> String {
        let date = ymd(daysSinceEpoch: unix / 86_400)
        return String(date.year) + (date.month < 10 ? "-0" : "-") + String(date.month)
            + (date.day < 10 ? "-0" : "-") + String(date.day)
    }
}
