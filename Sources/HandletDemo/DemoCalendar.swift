import Foundation
import HandletDomain

/// Where generated activity falls in time: a history of whole days ending with today up to the
/// anchor (Europe/London), busier on weekdays, in cold months and in working hours, quieter on bank
/// holidays and over Christmas, and never the same two weeks running (each day and each week has
/// its own seeded swing). Integer arithmetic only in the hot path.
struct DemoCalendar: Sendable {
    /// The end of history (exclusive), unix seconds; every generated event happens before it.
    let anchor: Int64
    /// Whole days before today; today (up to the anchor) comes on top.
    let historyDays: Int
    /// Unix seconds of local midnight of each history day, oldest first; the last is today.
    private let dayStarts: [Int64]
    /// Day numbers (days since 1970-01-01) of each history day.
    private let dayNumbers: [Int64]
    /// Cumulative day weights: day `d` owns the share (cumulative[d-1], cumulative[d]].
    private let cumulative: [Int]
    /// Today's quarter-hour weights, cut off at the anchor.
    private let todayWeights: Weights
    /// England and Wales bank holidays over the history (day numbers).
    let bankHolidays: Set<Int64>

    static let secondsPerDay: Int64 = 86_400
    /// Monday is the busiest day (the weekend's problems), Sunday the quietest.
    static let weekdayWeights = [22, 100, 96, 94, 92, 88, 45]
    /// Per month, January first: boilers fail and pipes burst in the cold months.
    static let monthWeights = [128, 122, 108, 96, 90, 84, 82, 76, 92, 108, 122, 118]

    init(anchor: Int64, historyDays: Int, seed: UInt64 = 0) {
        self.anchor = anchor
        self.historyDays = historyDays
        let london = TimeZone(identifier: "Europe/London") ?? TimeZone(secondsFromGMT: 0)!
        func localMidnight(_ dayNumber: Int64) -> Int64 {
            let utcMidnight = dayNumber * DemoCalendar.secondsPerDay
            return utcMidnight - Int64(london.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(utcMidnight))))
        }
        var today = anchor / DemoCalendar.secondsPerDay
        if localMidnight(today) > anchor { today -= 1 }
        if localMidnight(today + 1) <= anchor { today += 1 }
        let firstDay = today - Int64(historyDays)
        let firstYear = CivilDate.ymd(daysSinceEpoch: firstDay).year
        let lastYear = CivilDate.ymd(daysSinceEpoch: today).year
        var holidays = Set<Int64>()
        for year in firstYear...lastYear { holidays.formUnion(CivilDate.bankHolidays(year: year)) }
        bankHolidays = holidays

        // Today runs up to the anchor: its quarters after the anchor weigh nothing.
        let todayStart = localMidnight(today)
        let elapsed = Int(anchor - todayStart)
        var cut = DemoCalendar.quarterHourWeights.values
        for quarter in 0..<96 {
            let from = quarter * 900
            if from >= elapsed { cut[quarter] = 0 }
            else if from + 900 > elapsed { cut[quarter] = cut[quarter] * (elapsed - from) / 900 }
        }
        todayWeights = Weights(cut)
        let todayShare = max(0, 1000 * todayWeights.total / DemoCalendar.quarterHourWeights.total)

        var starts: [Int64] = []
        var numbers: [Int64] = []
        var cumulative: [Int] = []
        var running = 0
        for offset in 0...historyDays {
            let dayNumber = firstDay + Int64(offset)
            starts.append(localMidnight(dayNumber))
            numbers.append(dayNumber)
            var weight = DemoCalendar.dayWeight(dayNumber, seed: seed, holidays: holidays)
            if offset == historyDays { weight = weight * todayShare / 1000 }
            running += weight
            cumulative.append(running)
        }
        dayStarts = starts
        dayNumbers = numbers
        self.cumulative = cumulative
    }

    /// A day's share of the activity, roughly 100 for an average weekday (times 10,000).
    static func dayWeight(_ dayNumber: Int64, seed: UInt64, holidays: Set<Int64>) -> Int {
        let date = CivilDate.ymd(daysSinceEpoch: dayNumber)
        var weight = weekdayWeights[CivilDate.weekday(daysSinceEpoch: dayNumber)] * monthWeights[date.month - 1]
        // Each day swings 75-130%, each week (a cold snap, a quiet spell) 85-120%.
        let daySwing = 75 + Int(DemoRandom.mix(seed ^ 0xDA7_5EED ^ UInt64(bitPattern: dayNumber)) % 56)
        let weekSwing = 85 + Int(DemoRandom.mix(seed ^ 0x3EE_C5EED ^ UInt64(bitPattern: (dayNumber + 3) / 7)) % 36)
        weight = weight * daySwing / 100 * weekSwing / 100
        if holidays.contains(dayNumber) { weight = weight * 30 / 100 }
        else if date.month == 12 && date.day >= 24 || date.month == 1 && date.day == 2 { weight = weight * 60 / 100 }
        return max(1, weight)
    }

    var historyStart: Int64 { dayStarts.first ?? anchor }
    /// History days and today.
    var dayCount: Int { dayStarts.count }

    /// The history day that holds position `index` of `count` evenly weighted events.
    func day(forIndex index: Int, of count: Int) -> Int {
        guard let total = cumulative.last, count > 0 else { return dayCount - 1 }
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
        let isToday = day == dayStarts.count - 1
        let quarter = isToday && todayWeights.total > 0 ? random.pick(todayWeights) : random.pick(DemoCalendar.quarterHourWeights)
        let seconds = Int64(quarter * 900 + random.below(900))
        return min(dayStarts[day] + seconds, anchor - 60)
    }

    func dayStart(_ day: Int) -> Int64 { dayStarts[day] }

    /// The history day holding `time` (the first or the last when outside).
    func dayIndex(of time: Int64) -> Int {
        var low = 0, high = dayStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if dayStarts[middle] <= time { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// Seconds since local midnight.
    func localSecond(of time: Int64) -> Int64 { time - dayStarts[dayIndex(of: time)] }

    /// Month (1-12) of the local day holding `time`.
    func month(of time: Int64) -> Int { CivilDate.ymd(daysSinceEpoch: dayNumbers[dayIndex(of: time)]).month }

    /// The office is open Monday to Saturday, 08:00 to 18:00, except bank holidays.
    func isOfficeOpen(_ time: Int64) -> Bool {
        let day = dayIndex(of: time)
        let local = time - dayStarts[day]
        let number = dayNumbers[day]
        return CivilDate.weekday(daysSinceEpoch: number) != 0 && !bankHolidays.contains(number)
            && local >= 8 * 3600 && local < 18 * 3600
    }

    /// The first moment at or after `time` when the office is open (Monday to Saturday, 08:00 to
    /// 18:00 London time, bank holidays closed): a person handles the queue then, not at 01:38.
    /// Nil when that falls at or after the anchor (the work is still waiting).
    func officeOpen(atOrAfter time: Int64, random: inout DemoRandom) -> Int64? {
        let opens: Int64 = 8 * 3600, closes: Int64 = 18 * 3600
        var day = max(0, (dayStarts.lastIndex { $0 <= time }) ?? 0)
        var local = time - dayStarts[day]
        while day < dayStarts.count {
            let number = dayNumbers[day]
            if CivilDate.weekday(daysSinceEpoch: number) != 0, !bankHolidays.contains(number), local < closes {
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

    /// Day number of a civil date (H. Hinnant's days-from-civil).
    static func dayNumber(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// England and Wales bank holidays of a year, with the weekend substitutes.
    static func bankHolidays(year: Int) -> Set<Int64> {
        var days = Set<Int64>()
        func weekday(_ number: Int64) -> Int { CivilDate.weekday(daysSinceEpoch: number) }
        let newYear = dayNumber(year: year, month: 1, day: 1)
        days.insert(weekday(newYear) == 6 ? newYear + 2 : weekday(newYear) == 0 ? newYear + 1 : newYear)
        // Easter Sunday (anonymous Gregorian algorithm).
        let a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4
        let f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30
        let i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7, m = (a + 11 * h + 22 * l) / 451
        let easter = dayNumber(year: year, month: (h + l - 7 * m + 114) / 31, day: (h + l - 7 * m + 114) % 31 + 1)
        days.insert(easter - 2)
        days.insert(easter + 1)
        func firstMonday(_ month: Int) -> Int64 {
            let first = dayNumber(year: year, month: month, day: 1)
            return first + Int64((8 - weekday(first)) % 7)
        }
        func lastMonday(_ month: Int) -> Int64 {
            let last = dayNumber(year: year, month: month + 1, day: 1) - 1
            return last - Int64((weekday(last) + 6) % 7)
        }
        days.insert(firstMonday(5))
        days.insert(lastMonday(5))
        days.insert(lastMonday(8))
        let christmas = dayNumber(year: year, month: 12, day: 25)
        days.insert(christmas)
        days.insert(christmas + 1)
        switch weekday(christmas) {
        case 5: days.insert(christmas + 3)                              // Boxing Day on Saturday
        case 6: days.insert(christmas + 2); days.insert(christmas + 3)  // both on the weekend
        case 0: days.insert(christmas + 2)                              // Christmas on Sunday
        default: break
        }
        return days
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
