import Foundation
import GRDB
import HandletDemo
@testable import HandletDomain
import XCTest

/// Issue 26: the Overview's calls per day are summed from calls per quarter hour kept by triggers
/// (`call_quarter_counts`). Whatever writes the calls (the demo's bulk load with the triggers off,
/// inserts, deletes, a call moved in time, an import with and without the triggers set aside, a
/// killed import finished later, the purge, an erasure), the per-day counts equal a direct count
/// of the calls, in zones a quarter (Kathmandu, +5:45), a half (St John's, −3:30) and a few
/// seconds (a made-up offset: counted directly) away from whole hours.
final class CallDayCountsTests: XCTestCase {
    private static let owner = "owner@kestrelhomeservices.co.uk"
    private static let zones = [TimeZone(identifier: "Asia/Kathmandu")!, TimeZone(identifier: "America/St_Johns")!,
                                TimeZone(secondsFromGMT: 5 * 3_600 + 37)!]

    private func assertCountsMatch(_ test: TestWorkspace, _ step: String, file: StaticString = #filePath, line: UInt = #line) throws {
        try test.read { db in
            let stored = try Row.fetchAll(db, sql: "SELECT quarter, calls FROM call_quarter_counts WHERE calls <> 0 ORDER BY quarter")
                .map { [$0[0] as Int64, $0[1] as Int64] }
            let direct = try Row.fetchAll(db, sql: "SELECT started_at / 900, COUNT(*) FROM calls GROUP BY 1 ORDER BY 1")
                .map { [$0[0] as Int64, $0[1] as Int64] }
            XCTAssertFalse(direct.isEmpty, step, file: file, line: line)
            XCTAssertEqual(stored, direct, "\(step): the quarters", file: file, line: line)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM call_quarter_counts WHERE calls < 0"), 0, step, file: file, line: line)

            let first = try Int64.fetchOne(db, sql: "SELECT MIN(started_at) FROM calls")!
            let last = try Int64.fetchOne(db, sql: "SELECT MAX(started_at) FROM calls")!
            for zone in Self.zones {
                // Every local day from the first call's to the day after the last's.
                let clock = BrowseClock(now: Date(timeIntervalSince1970: TimeInterval(last)), timeZone: zone)
                let firstDay = LocalDate(containing: Date(timeIntervalSince1970: TimeInterval(first)), in: zone).adding(days: -1)
                var boundaries = [clock.startOfDay(firstDay)]
                while boundaries.last! <= last { boundaries.append(clock.startOfDay(firstDay.adding(days: boundaries.count))) }
                let summed = try CallDayCounts.count(between: boundaries, in: db)
                let counted = try (0..<boundaries.count - 1).map { day in
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM calls WHERE started_at >= ? AND started_at < ?",
                                     arguments: [boundaries[day], boundaries[day + 1]])!
                }
                XCTAssertEqual(summed, counted, "\(step), \(zone.identifier)", file: file, line: line)
                XCTAssertEqual(summed.reduce(0, +), try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM calls"), "\(step), \(zone.identifier)",
                               file: file, line: line)
                // And the Overview's own 90 days.
                let overview = try Overview.load(clock: clock, in: db)
                XCTAssertEqual(Array(overview.callsPerDay.suffix(counted.count)), Array(counted.suffix(Overview.histogramDays)),
                               "\(step), \(zone.identifier): the Overview", file: file, line: line)
            }
        }
    }

    private func jsonlCall(_ id: String, at time: Int64) -> String {
        let stamp = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(time)))
        return #"{"type":"call","id":"\#(id)","direction":"inbound","from":"+44 7700 900\#(id.suffix(3))","to":"0113 496 0000","started_at":"\#(stamp)","duration_seconds":60,"outcome":"booked_job","summary":"Imported"}"#
    }

    func testTheCountsEqualADirectCountWhateverWroteTheCalls() throws {
        let test = try TestWorkspace.make(calls: 300, messages: 200)
        try assertCountsMatch(test, "the demo's bulk load")
        let anchor = Int64(TestWorkspace.anchor.timeIntervalSince1970)

        // Inserts (one on a quarter's first second, one on its last), deletes, a call moved in time.
        try test.write { db in
            for (index, time) in [anchor - 900 * 40, anchor - 900 * 40 + 899, anchor - 86_400 * 3 + 17].enumerated() {
                var call = Call(externalId: "CA-Q\(index)", direction: .inbound, fromNumber: "+447700900001",
                                toNumber: "+441134960321", contactId: nil, startedAt: Date(timeIntervalSince1970: TimeInterval(time)),
                                durationSeconds: 5, handledBy: .aiAgent, outcome: .spam, summary: "", transcript: Transcript(turns: []),
                                recordingState: .notRecorded)
                try call.insert(db)
            }
            try db.execute(sql: "DELETE FROM calls WHERE id IN (SELECT id FROM calls ORDER BY started_at DESC LIMIT 5)")
            try db.execute(sql: "UPDATE calls SET started_at = started_at - 86400 * 2 WHERE id = (SELECT MIN(id) FROM calls)")
        }
        try assertCountsMatch(test, "inserts, deletes and a move")

        let session = try test.workspace.session(actingAs: Self.owner, otherwise: .refuse, clock: .fixed(TestWorkspace.anchor))
        // An import with the triggers on, then one with them set aside and the counts rebuilt.
        for (round, rebuild) in [false, true].enumerated() {
            let lines = (0..<40).map { jsonlCall("CA-IMP\(round)\(100 + $0)", at: anchor - Int64($0) * 5_400 - Int64(round) * 777) }
            let path = test.folder.appendingPathComponent("import\(round).jsonl")
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: path)
            let report = try session.importRecords(files: [path.path], format: .jsonl, options: ImportOptions(rebuildSearchAfter: rebuild))
            XCTAssertEqual(report.total.calls, 40)
            XCTAssertEqual(report.rebuiltSearch, rebuild)
            try assertCountsMatch(test, rebuild ? "an import with the triggers set aside" : "an import")
        }

        // An import killed with the triggers set aside: finished (and recounted) at the next import.
        try test.write { db in
            try ImportSearchSuspension.suspend(db)
            var call = Call(externalId: "CA-KILLED", direction: .inbound, fromNumber: "+447700900002",
                            toNumber: "+441134960321", contactId: nil, startedAt: TestWorkspace.anchor, durationSeconds: 5,
                            handledBy: .aiAgent, outcome: .spam, summary: "", transcript: Transcript(turns: []),
                            recordingState: .notRecorded)
            try call.insert(db)
        }
        let path = test.folder.appendingPathComponent("after-kill.jsonl")
        try Data((jsonlCall("CA-AFTER001", at: anchor - 123) + "\n").utf8).write(to: path)
        _ = try session.importRecords(files: [path.path], format: .jsonl, options: ImportOptions(rebuildSearchAfter: false))
        try assertCountsMatch(test, "a killed import finished")

        let purged = try session.purge(now: TestWorkspace.anchor.addingTimeInterval(90 * 86_400))
        XCTAssertGreaterThan(purged.thisRun.purged, 0)
        try assertCountsMatch(test, "the purge")

        let (contact, phone) = try test.read { db -> (Int64, String) in
            let row = try Row.fetchOne(db, sql: """
                SELECT contacts.id, contacts.phone FROM contacts JOIN calls ON calls.contact_id = contacts.id
                WHERE contacts.phone IS NOT NULL GROUP BY contacts.id ORDER BY COUNT(*) DESC LIMIT 1
                """)!
            return (row[0], row[1])
        }
        let erased = try session.erase([Contact.ID(contact)], typed: phone)
        XCTAssertGreaterThan(erased.preview.callsAnonymised, 0)
        try assertCountsMatch(test, "an erasure")
    }

    func testTheOverviewReadsOneStatementForItsNinetyDays() throws {
        let test = try TestWorkspace.make(calls: 120, messages: 60)
        let clock = BrowseClock(now: TestWorkspace.anchor, timeZone: TimeZone(identifier: "Asia/Kathmandu")!)
        let plan = try test.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + CallDayCounts.SQL.spanSums, arguments: ["[[1,2]]"])
                .map { $0["detail"] as String }.joined(separator: "\n")
        }
        XCTAssertTrue(plan.contains("USING INTEGER PRIMARY KEY"), plan)
        let statements = try test.read { db -> [String] in
            nonisolated(unsafe) var traced: [String] = []
            db.trace(options: .statement) { event in
                if case .statement(let statement) = event { traced.append(statement.expandedSQL) }
            }
            defer { db.trace(options: []) }
            _ = try Overview.load(clock: clock, in: db)
            return traced
        }
        XCTAssertEqual(statements.filter { $0.contains("call_quarter_counts") }.count, 1, statements.joined(separator: "\n"))
        XCTAssertFalse(statements.contains { $0.contains("started_at >= ") && $0.contains("started_at < ") }, statements.joined(separator: "\n"))
    }
}
