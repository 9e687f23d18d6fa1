import Foundation
import GRDB
@testable import HandletDemo
@testable import HandletDomain
import XCTest

/// Issue 27: the demo reads, looks and sounds like a real firm's records. The generator's parts
/// are exercised directly (fast, no database) for the wording and the calendar; a small generated
/// workspace for the audio, the audit history and the office hours.
final class DemoRealismTests: XCTestCase {
    private static let anchor = Int64(TestWorkspace.anchor.timeIntervalSince1970)
    private static let london = TimeZone(identifier: "Europe/London")!

    /// The composers of a demo of `calls` calls and `messages` messages, as the generator makes them.
    private struct Parts {
        let calendar: DemoCalendar
        let calls: CallComposer
        let messages: MessageComposer

        init(calls total: Int, messages: Int, seed: UInt64 = 3) {
            let options = DemoOptions(calls: total, messages: messages, seed: seed, anchor: TestWorkspace.anchor)
            calendar = DemoCalendar(anchor: DemoRealismTests.anchor, historyDays: options.historyDays, seed: seed)
            let people = DemoPeople(seed: seed, count: options.contacts)
            calls = CallComposer(seed: seed, total: total, calendar: calendar, people: people,
                                 history: DemoHistory(options: options, calendar: calendar))
            self.messages = MessageComposer(seed: seed, totalMessages: messages, calendar: calendar, people: people)
        }
    }

    private static func sentences(of text: String) -> [String] {
        var result: [String] = []
        for line in text.split(separator: "\n") {
            var current = ""
            for character in line {
                current.append(character)
                if ".?!".contains(character) {
                    result.append(current.trimmingCharacters(in: .whitespaces))
                    current = ""
                }
            }
            let rest = current.trimmingCharacters(in: .whitespaces)
            if !rest.isEmpty { result.append(rest) }
        }
        return result.filter { !$0.isEmpty }
    }

    /// What gives a template away: a doubled space, an empty slot, "for on", a stray space before
    /// punctuation, a quote or bracket left open, a Swift value printed as text.
    private static func flaw(in text: String) -> String? {
        let bad = ["  ", " for on ", " ,", " .", ",,", "()", "\"\"", "Optional(", " :", "£ ", "£-", "£0 "]
        if let found = bad.first(where: { text.contains($0) }) { return "contains \"\(found)\"" }
        if text.range(of: #"\bnil\b"#, options: .regularExpression) != nil { return "contains nil" }
        if text.filter({ $0 == "\"" }).count % 2 != 0 { return "unbalanced quotes" }
        if text.filter({ $0 == "(" }).count != text.filter({ $0 == ")" }).count { return "unbalanced brackets" }
        if text.hasPrefix(" ") || text.hasSuffix(" ") { return "loose space" }
        return nil
    }

    func testAHundredThousandGeneratedSentencesHaveNoTemplateFlaws() throws {
        let parts = Parts(calls: 12_000, messages: 30_000)
        var checked = 0
        var flaws: [String] = []
        func check(_ text: String) {
            for sentence in Self.sentences(of: text) {
                checked += 1
                if let flaw = Self.flaw(in: sentence), flaws.count < 10 { flaws.append(flaw + ": " + sentence) }
            }
        }
        for index in 0..<12_000 {
            let call = parts.calls.compose(index: index).call
            check(call.summary)
            check(call.transcript)
        }
        var position = 0
        while position < 30_000 {
            let thread = parts.messages.compose(index: position, threadSlot: 0, remaining: 30_000 - position)
            for message in thread.messages { check(message.body) }
            position += thread.messages.count
        }
        XCTAssertGreaterThanOrEqual(checked, 100_000)
        XCTAssertEqual(flaws, [])
    }

    func testNinetyFivePercentOfTenThousandSummariesAndRequestsAreDistinct() throws {
        let parts = Parts(calls: 10_000, messages: 60_000)
        let summaries = (0..<10_000).map { parts.calls.compose(index: $0).call.summary }
        XCTAssertGreaterThanOrEqual(Set(summaries).count, 9_500, "call summaries")
        // What customers first write, over every channel.
        var openings: [String] = []
        var position = 0
        while openings.count < 10_000 && position < 60_000 {
            let thread = parts.messages.compose(index: position, threadSlot: 0, remaining: 60_000 - position)
            if let first = thread.messages.first, first.direction == "inbound" { openings.append(first.body) }
            position += thread.messages.count
        }
        XCTAssertEqual(openings.count, 10_000)
        XCTAssertGreaterThanOrEqual(Set(openings).count, 9_500, "first messages of threads")
    }

    func testTranscriptsHangTogether() throws {
        let parts = Parts(calls: 6_000, messages: 100)
        var bookings = 0
        for index in 0..<6_000 {
            let call = parts.calls.compose(index: index).call
            let local = Date(timeIntervalSince1970: TimeInterval(call.startedAt))
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = Self.london
            let hour = calendar.component(.hour, from: local)
            let month = calendar.component(.month, from: local)
            let text = call.transcript
            // Greetings fit the hour.
            if text.contains("Good morning") { XCTAssertLessThan(hour, 12, text) }
            if text.contains("Good afternoon") { XCTAssertTrue((12..<18).contains(hour), "\(hour): \(text)") }
            if text.contains("Good evening") { XCTAssertGreaterThanOrEqual(hour, 18, text) }
            if text.hasPrefix("Morning, ") || text.contains("\nMorning, ") { XCTAssertLessThan(hour, 12) }
            // Seasonal remarks fit the date.
            if text.contains("before winter") { XCTAssertTrue((8...10).contains(month), "month \(month): before winter") }
            if text.contains("after the frost") || text.contains("with this cold") || text.contains("turned cold") {
                XCTAssertTrue(month >= 11 || month <= 3, "month \(month): cold")
            }
            if text.contains("not using the heating") { XCTAssertTrue((4...9).contains(month), "month \(month): warm") }
            // The summary's job is the job the caller asked about, and the details name it.
            guard call.outcome == CallOutcome.bookedJob.rawValue || call.outcome == CallOutcome.quoteRequested.rawValue,
                  call.direction == "inbound", let json = call.jobDetails else { continue }
            bookings += 1
            let details = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
            let title = try XCTUnwrap(details["title"] as? String)
            let job = try XCTUnwrap(DemoJobs.all.first { $0.title == title })
            let request = String(text.split(separator: "\n")[1])
            let problem = try XCTUnwrap(job.problems.first { request.contains($0.text) }, "\(title): \(request)")
            XCTAssertTrue(call.summary.contains(problem.noun), "\(call.summary) / \(problem.noun)")
            for other in DemoJobs.all where other.key != job.key {
                XCTAssertFalse(other.problems.contains { request.contains($0.text) }, request)
            }
            // Job details are labelled, formatted values: no internal keys.
            XCTAssertFalse(json.contains(job.key), json)
            for value in details.values { if let text = value as? String { XCTAssertFalse(text.contains("_"), json) } }
        }
        XCTAssertGreaterThan(bookings, 1_000)
    }

    func testCallLengthsFollowTheOutcomeAndTurnsAddUp() throws {
        let parts = Parts(calls: 8_000, messages: 100)
        var lengths: [String: [Int]] = [:]
        for index in 0..<8_000 {
            let composed = parts.calls.compose(index: index)
            let call = composed.call
            lengths[call.outcome, default: []].append(call.durationSeconds)
            let offsets = call.transcriptTiming.split(separator: "\n").map { Int($0.split(separator: " ")[1])! }
            XCTAssertEqual(offsets, offsets.sorted())
            XCTAssertEqual(offsets, composed.speech.map(\.startMs))
            if let last = composed.speech.last { XCTAssertGreaterThanOrEqual(call.durationSeconds * 1000, last.startMs + last.lengthMs) }
        }
        func median(_ values: [Int]) -> Int { values.sorted()[values.count / 2] }
        XCTAssertLessThanOrEqual(lengths["missed"]!.max()!, 30)
        XCTAssertLessThan(median(lengths["abandoned"]!), 30)
        for outcome in ["booked_job", "quote_requested"] {
            let values = lengths[outcome]!
            XCTAssertTrue((120...360).contains(median(values)), "\(outcome) median \(median(values))")
            XCTAssertGreaterThan(values.filter { $0 > 15 * 60 }.count, 0, "a long tail past 15 minutes")
        }
    }

    func testVolumeVariesByWeekSeasonAndBankHolidayAndTodayRunsToNow() throws {
        let parts = Parts(calls: 40_000, messages: 100)
        var perDay: [Int: Int] = [:]
        var latest: Int64 = 0
        for index in 0..<40_000 {
            let day = parts.calendar.day(forIndex: index, of: 40_000)
            perDay[day, default: 0] += 1
            if index % 97 == 0 || index > 39_800 { latest = max(latest, parts.calls.compose(index: index).call.startedAt) }
        }
        let last = parts.calendar.dayCount - 1
        XCTAssertGreaterThan(perDay[last] ?? 0, 0, "today has calls")
        XCTAssertLessThan(latest, Self.anchor)
        XCTAssertGreaterThan(latest, Self.anchor - 6 * 3600, "calls up to now")
        // Mondays differ week to week; no two weeks are the same.
        var mondays = Set<Int>()
        for day in 0..<last where CivilDate.weekday(daysSinceEpoch: (parts.calendar.dayStart(day) + 43_200) / 86_400) == 1 {
            mondays.insert(perDay[day] ?? 0)
        }
        XCTAssertGreaterThan(mondays.count, 20)
        // Cold months are busier than summer ones; bank holidays quieter than the weekdays around them.
        func month(_ day: Int) -> Int { parts.calendar.month(of: parts.calendar.dayStart(day) + 43_200) }
        let january = (0..<last).filter { month($0) == 1 }.map { perDay[$0] ?? 0 }.reduce(0, +)
        let july = (0..<last).filter { month($0) == 7 }.map { perDay[$0] ?? 0 }.reduce(0, +)
        XCTAssertGreaterThan(january, july * 13 / 10)
        let holidays = (0..<last).filter { parts.calendar.bankHolidays.contains((parts.calendar.dayStart($0) + 43_200) / 86_400) }
        XCTAssertFalse(holidays.isEmpty)
        for day in holidays where CivilDate.weekday(daysSinceEpoch: (parts.calendar.dayStart(day) + 43_200) / 86_400) == 1 && day + 1 < last {
            XCTAssertLessThan(perDay[day] ?? 0, perDay[day + 1] ?? 0, "a bank holiday Monday is quieter than the Tuesday after")
        }
        // Eight bank holidays, and Boxing Day on its Saturday as well as the Monday in lieu.
        XCTAssertEqual(CivilDate.bankHolidays(year: 2026).count, 9)
        XCTAssertTrue(CivilDate.bankHolidays(year: 2026).contains(CivilDate.dayNumber(year: 2026, month: 4, day: 3)), "Good Friday 2026")
        XCTAssertTrue(CivilDate.bankHolidays(year: 2026).contains(CivilDate.dayNumber(year: 2026, month: 12, day: 28)),
                      "Boxing Day 2026 is a Saturday: Monday 28 instead")
    }

    func testNamesAddressesAndNumbersHangTogether() throws {
        let people = DemoPeople(seed: 9, count: 20_000)
        var scripts = (cjk: 0, arabic: 0, accented: 0)
        var organisations: [String: Int] = [:]
        for index in 0..<20_000 {
            let person = people.person(index)
            if person.isOrganisation { organisations[person.displayName, default: 0] += 1; continue }
            let community = DemoVocabulary.communities[person.community]
            let all = community.male + community.female + community.last + (community.femaleLast ?? [])
            let names = Set(all.map(\.ascii) + all.map(\.shown))
            for part in person.spokenName.split(separator: " ") {
                XCTAssertTrue(names.contains(String(part)), "\(person.spokenName) mixes communities")
            }
            let area = try XCTUnwrap(DemoVocabulary.areas.first { $0.town == person.town && $0.streets.contains(person.street) },
                                     "\(person.street) is not in \(person.town)")
            XCTAssertTrue(area.districts.contains(String(person.postcodeDistrict)))
            if person.displayName.unicodeScalars.contains(where: { (0x4E00...0x9FFF).contains($0.value) }) { scripts.cjk += 1 }
            if person.displayName.unicodeScalars.contains(where: { (0x0600...0x06FF).contains($0.value) }) { scripts.arabic += 1 }
            if person.displayName.unicodeScalars.contains(where: { (0xC0...0x17F).contains($0.value) }) { scripts.accented += 1 }
            if person.phone.hasPrefix("+4420") { XCTAssertTrue("378".contains(person.phone.dropFirst(5).first!), person.phone) }
            if let email = person.email { XCTAssertTrue(email.allSatisfy(\.isASCII), email) }
        }
        XCTAssertGreaterThan(scripts.cjk, 20)
        XCTAssertGreaterThan(scripts.arabic, 10)
        XCTAssertGreaterThan(scripts.accented, 200)
        XCTAssertEqual(organisations.count, DemoVocabulary.organisations.count)
        XCTAssertTrue(organisations.values.allSatisfy { $0 == 1 }, "an organisation is one contact")
    }

    // MARK: A generated workspace

    nonisolated(unsafe) private static var shared: TestWorkspace?

    private func workspace() throws -> TestWorkspace {
        if Self.shared == nil { Self.shared = try TestWorkspace.make(calls: 4_000, messages: 8_000, seed: 13) }
        return Self.shared!
    }

    override class func tearDown() { shared = nil }

    func testRecordingsAreAsLongAsTheCallWithABurstPerTurn() throws {
        let test = try workspace()
        let rows = try test.read { db in
            try Row.fetchAll(db, sql: """
                SELECT c.duration_seconds, c.transcript_timing, r.duration_ms, r.file_path FROM calls c
                JOIN recordings r ON r.call_id = c.id WHERE r.file_path IS NOT NULL
                """)
        }
        XCTAssertGreaterThan(rows.count, 100)
        var longest = 0
        for row in rows {
            let seconds: Int = row["duration_seconds"]
            let durationMs: Int64 = row["duration_ms"]
            XCTAssertLessThanOrEqual(abs(Int64(seconds) * 1000 - durationMs), 1000)
            let url = test.audioFolder.appendingPathComponent(row["file_path"] as String)
            let data = try Data(contentsOf: url)
            let samples = Int64(data.count - 44)
            XCTAssertLessThanOrEqual(abs(samples * 1000 / Int64(WAVClip.sampleRate) - Int64(seconds) * 1000), 1000,
                                     "the audio is as long as the call")
            longest = max(longest, seconds)
            // Bursts in the waveform: runs of loud quarter seconds.
            let timing: String = row["transcript_timing"]
            let callerTurns = timing.split(separator: "\n").filter { $0.hasPrefix("caller ") }.count
            let peaks = try Waveform.peaks(ofWAVAt: url, buckets: max(1, Int(durationMs / 250)))
            var bursts = 0
            var loud = false
            for peak in peaks {
                if peak > 0.2 && !loud { bursts += 1 }
                loud = peak > 0.2
            }
            XCTAssertGreaterThanOrEqual(bursts, callerTurns, "\(row["file_path"] as String)")
        }
        XCTAssertGreaterThan(longest, 120)
    }

    func testAuditHistoryHasTheHoldsTheRecordingWeekAndThePromotion() throws {
        let test = try workspace()
        try test.read { db in
            let held = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM recordings WHERE legal_hold = 1")!
            XCTAssertGreaterThan(held, 0)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_events WHERE action = 'recording.hold_placed'"), held)
            let switches = try Row.fetchAll(db, sql: """
                SELECT action, at FROM audit_events WHERE action IN ('retention.recording_disabled', 'retention.recording_enabled') ORDER BY seq
                """)
            XCTAssertEqual(switches.map { $0["action"] as String }, ["retention.recording_disabled", "retention.recording_enabled"])
            let off = switches[0]["at"] as Int64, on = switches[1]["at"] as Int64
            XCTAssertEqual(on - off, 7 * 86_400)
            XCTAssertEqual(Set(try String.fetchAll(db, sql: "SELECT DISTINCT recording_state FROM calls WHERE started_at > ? AND started_at < ?",
                                                   arguments: [off, on])), ["recording_disabled"])
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM calls WHERE recording_state = 'recording_disabled' AND (started_at < ? OR started_at > ?)",
                                            arguments: [off, on]), 0)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_events WHERE action = 'user.role_changed'"), 1)
            let times = try Int64.fetchAll(db, sql: "SELECT at FROM audit_events ORDER BY seq")
            XCTAssertEqual(times, times.sorted())
        }
    }

    func testStaffWriteInOfficeHoursAndTheAssistantAnswersTheRest() throws {
        let test = try workspace()
        let outbound = try test.read { db in
            try Row.fetchAll(db, sql: "SELECT body, sent_at FROM messages WHERE direction = 'outbound' AND correlation_id IS NULL")
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Self.london
        var byAssistant = 0
        for row in outbound {
            let body: String = row["body"]
            let at = Date(timeIntervalSince1970: TimeInterval(row["sent_at"] as Int64))
            let hour = calendar.component(.hour, from: at)
            let assistant = body.contains("assistant")
            if assistant { byAssistant += 1; continue }
            XCTAssertFalse(hour < 7, "a person wrote at \(hour):00: \(body)")
        }
        XCTAssertGreaterThan(byAssistant, 0, "an out-of-hours tail answered by the assistant")
        XCTAssertLessThan(byAssistant, outbound.count / 3)
    }

    /// A person answers the phone (or rings back) only while the office is open, Monday to
    /// Saturday 08:00-18:00 London time and not on a bank holiday; the assistant takes the rest.
    func testStaffTakeCallsOnlyInOfficeHours() throws {
        let test = try workspace()
        let calls = try test.read { db in try Row.fetchAll(db, sql: "SELECT started_at, handled_by FROM calls") }
        let options = DemoOptions(calls: 4_000, messages: 8_000, seed: 13, anchor: TestWorkspace.anchor)
        let demoCalendar = DemoCalendar(anchor: Self.anchor, historyDays: options.historyDays, seed: 13)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Self.london
        var staff = 0
        var assistantOutOfHours = 0
        for row in calls {
            let at: Int64 = row["started_at"]
            let moment = Date(timeIntervalSince1970: TimeInterval(at))
            let hour = calendar.component(.hour, from: moment)
            let sunday = calendar.component(.weekday, from: moment) == 1
            let open = !sunday && (8..<18).contains(hour)
            switch row["handled_by"] as String {
            case HandledBy.staff.rawValue:
                staff += 1
                XCTAssertTrue(open && demoCalendar.isOfficeOpen(at), "a person took a call at \(moment) (hour \(hour))")
            case HandledBy.aiAgent.rawValue where !open:
                assistantOutOfHours += 1
            default:
                break
            }
        }
        XCTAssertEqual(calls.count, 4_000)
        XCTAssertGreaterThan(staff, 100)
        XCTAssertGreaterThan(assistantOutOfHours, 50, "the assistant answers out of hours")
    }
}
