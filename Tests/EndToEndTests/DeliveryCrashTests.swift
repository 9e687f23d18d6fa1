import Foundation
import GRDB
@testable import HandletDomain
import XCTest
import HandletTestSupport

/// Kills the real `handlet queue deliver` with SIGKILL between the gateway's exit and our record of
/// it (the delivery kill hook, at a random message and a random statement of the recording
/// transaction), then runs a normal pass, and checks DESIGN §6's promise with the sample gateway's
/// own log: every message delivered at least once, never under a second idempotency key, never
/// lost, and recorded sent exactly once. More trials: `HANDLET_CRASH_TRIALS=300`.
final class DeliveryCrashTests: XCTestCase {
    static let messages = 8
    /// Statements the recording transaction of the pass's first delivered message runs, COMMIT
    /// included (the hook counts as the purge's does); kills are drawn from 0 (nothing recorded) to
    /// this (just committed). Later messages run a few fewer (GRDB reads the schema once, on the
    /// first), so a draw past their end kills nobody: such runs are checked all the same, and
    /// trials go on until `trials` passes were really killed.
    static let recordingStatements = 17
    private let now = RolesWorkspace.start.addingTimeInterval(3_600)

    private var sampleGateway: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/gateway-sample.sh").path
    }

    private func prepare() throws -> (RolesWorkspace, log: String) {
        let fixture = try RolesWorkspace()
        var change = AutoSendChange()
        change.gateway = .set(sampleGateway)
        try fixture.workspace.session(as: fixture.owner).perform(.changeAutoSend(change))
        try fixture.workspace.queueAutoSendForDelivery(Self.messages, dueAt: now.addingTimeInterval(-60))
        return (fixture, fixture.folder.appendingPathComponent("gateway.jsonl").path)
    }

    private func deliver(_ fixture: RolesWorkspace, log: String, kill: String? = nil) throws -> ChildProcess.Outcome {
        var environment = ["HANDLET_TEST_NOW": String(Int64(now.timeIntervalSince1970)), "HANDLET_GATEWAY_LOG": log]
        environment["HANDLET_TEST_DELIVERY_KILL"] = kill
        return try HandletBinary.run(["queue", "deliver", "--db", fixture.workspace.databaseURL.path], environment: environment)
    }

    /// The gateway's log: the idempotency keys it was given, by correlation id.
    private func keysDelivered(_ log: String) throws -> [String: [String]] {
        guard FileManager.default.fileExists(atPath: log) else { return [:] }
        var keys: [String: [String]] = [:]
        for line in try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n") {
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            keys[object["correlation_id"] as! String, default: []].append(object["idempotency_key"] as! String)
        }
        return keys
    }

    func testSigkillBetweenTheGatewaysSuccessAndOurRecordNeverLosesNorRekeysAMessage() throws {
        let environment = ProcessInfo.processInfo.environment
        let trials = max(30, Int(environment["HANDLET_CRASH_TRIALS"] ?? "") ?? 32)
        let seed = UInt64(environment["HANDLET_CRASH_SEED"] ?? "") ?? UInt64(Date().timeIntervalSince1970)
        print("DeliveryCrashTests: \(trials) trials, seed \(seed) (HANDLET_CRASH_SEED to repeat)")
        var random = SplitMix(seed: seed)
        var killed = 0, offeredTwice = 0, killedAfterCommit = 0

        var trial = 0
        while killed < trials && trial < trials * 2 {
            defer { trial += 1 }
            let (fixture, log) = try prepare()
            let message = Int(random.next() % UInt64(Self.messages))
            let statement = Int(random.next() % UInt64(Self.recordingStatements + 1))
            let label = "trial \(trial) (kill at \(message):\(statement))"

            let crashed = try deliver(fixture, log: log, kill: "\(message):\(statement)")
            if crashed.killed { killed += 1 } else {
                XCTAssertEqual(crashed.status, 0, "\(label): \(crashed.stderr)")
                print("DeliveryCrashTests: \(label) was not killed: \(crashed.stdout)")
            }
            let states = try fixture.workspace.dbPool.read { db in
                try String.fetchAll(db, sql: "SELECT state FROM autosend_outbox ORDER BY id")
            }
            XCTAssertFalse(states.contains("failed"), label)
            if states.indices.contains(message) && states[message] == "sent" && crashed.killed { killedAfterCommit += 1 }

            let resumed = try deliver(fixture, log: log)
            XCTAssertEqual(resumed.status, 0, "\(label): \(resumed.stderr)")

            let rows = try fixture.workspace.dbPool.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT o.correlation_id, o.idempotency_key, o.state, o.message_id,
                        (SELECT COUNT(*) FROM messages m WHERE m.correlation_id = o.correlation_id AND m.auto_sent = 1) AS sent
                    FROM autosend_outbox o ORDER BY o.id
                    """)
            }
            let delivered = try keysDelivered(log)
            XCTAssertEqual(rows.count, Self.messages, label)
            for row in rows {
                let correlation: String = row["correlation_id"]
                let key: String = row["idempotency_key"]
                XCTAssertEqual(row["state"] as String, "sent", "\(label): \(correlation)")
                XCTAssertEqual(row["sent"] as Int, 1, "\(label): recorded sent exactly once")
                let keys = delivered[correlation] ?? []
                XCTAssertFalse(keys.isEmpty, "\(label): \(correlation) never reached the gateway")
                XCTAssertEqual(Set(keys), [key], "\(label): one idempotency key for \(correlation)")
                if keys.count > 1 { offeredTwice += 1 }
            }
            XCTAssertEqual(delivered.count, Self.messages, "\(label): nothing delivered that is not in the outbox")
            XCTAssertNil(try fixture.workspace.session(as: fixture.owner).read(.auditChainBreak), label)
            let events = try fixture.workspace.dbPool.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_events WHERE action = ?",
                                 arguments: [AuditAction.autoSendDelivered.rawValue])
            }
            XCTAssertEqual(events, Self.messages, "\(label): one event per message recorded sent")
        }
        print("DeliveryCrashTests: \(killed) of \(trial) passes killed (\(killedAfterCommit) just after the record "
              + "committed); \(offeredTwice) messages offered twice under their one key; none lost")
        XCTAssertEqual(killed, trials, "\(trials) passes killed between the gateway's exit and the record")
    }

    /// The hook's boundaries: a kill at statement 0 leaves the message `sending` and it is
    /// offered again; a kill after the last statement (COMMIT) leaves it sent and it is not.
    func testAKillBeforeTheRecordReoffersAndAKillAfterItDoesNot() throws {
        let (before, beforeLog) = try prepare()
        let first = try deliver(before, log: beforeLog, kill: "0:0")
        XCTAssertTrue(first.killed)
        let state = try before.workspace.dbPool.read { db in
            try String.fetchOne(db, sql: "SELECT state FROM autosend_outbox ORDER BY id LIMIT 1")
        }
        XCTAssertEqual(state, "sending")
        XCTAssertEqual(try deliver(before, log: beforeLog).status, 0)
        XCTAssertEqual(try keysDelivered(beforeLog).values.map(\.count).sorted(), Array(repeating: 1, count: Self.messages - 1) + [2])

        // Find the statement count by killing at each N until the message is recorded sent.
        var committedAt: Int?
        for statements in 1...30 {
            let (after, afterLog) = try prepare()
            let outcome = try deliver(after, log: afterLog, kill: "0:\(statements)")
            let sent = try after.workspace.dbPool.read { db in
                try String.fetchOne(db, sql: "SELECT state FROM autosend_outbox ORDER BY id LIMIT 1")
            }
            if outcome.killed && sent == "sent" {
                committedAt = statements
                XCTAssertEqual(try deliver(after, log: afterLog).status, 0)
                XCTAssertEqual(try keysDelivered(afterLog).values.map(\.count), Array(repeating: 1, count: Self.messages))
                break
            }
            XCTAssertTrue(outcome.killed, "killed inside the record at \(statements)")
            XCTAssertEqual(sent, "sending", "rolled back at \(statements)")
        }
        XCTAssertEqual(committedAt, Self.recordingStatements, "the crash trials draw over the record's whole length")
    }

    /// A gateway that is down makes the pass exit 75 after its summary (cron reports it); the
    /// messages stay due for the next pass. A working gateway exits 0.
    func testAPassWhoseGatewayFailsExitsTempfailAndKeepsTheMessagesDue() throws {
        let fixture = try RolesWorkspace()
        let failing = fixture.folder.appendingPathComponent("down.sh").path
        try "#!/bin/sh\ncat >/dev/null\necho 'connection refused' >&2\nexit 1\n".write(toFile: failing, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: failing)
        var change = AutoSendChange()
        change.gateway = .set(failing)
        try fixture.workspace.session(as: fixture.owner).perform(.changeAutoSend(change))
        try fixture.workspace.queueAutoSendForDelivery(3, dueAt: now.addingTimeInterval(-60))
        let outcome = try HandletBinary.run(["queue", "deliver", "--db", fixture.workspace.databaseURL.path],
                                            environment: ["HANDLET_TEST_NOW": String(Int64(now.timeIntervalSince1970))])
        XCTAssertEqual(outcome.status, 75, outcome.stderr)
        XCTAssertTrue(outcome.stdout.contains("3 failed and will be tried again"), outcome.stdout)
        XCTAssertEqual(outcome.stderr, "handlet: The gateway failed for 3 messages; see `handlet queue list --state failed` and the gateway's own log.\n")
        let due = try fixture.workspace.dbPool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM autosend_outbox WHERE state = 'due'")
        }
        XCTAssertEqual(due, 3)
        let (working, log) = try prepare()
        XCTAssertEqual(try deliver(working, log: log).status, 0)
    }

    /// Issue 28: a damaged page among those a pass is about to change (here the messages table,
    /// where the answered messages are and the sent ones go) stops the pass before any message is
    /// claimed or reaches the gateway, where otherwise the first would go out and then fail to be
    /// recorded. The console's start runs the same pass.
    func testDamageInThePagesAPassWillChangeStopsItBeforeTheGateway() throws {
        let (fixture, log) = try prepare()
        try fixture.workspace.dbPool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        let (pages, size) = try fixture.workspace.dbPool.read { db in
            (try Int.fetchAll(db, sql: "SELECT pageno FROM dbstat WHERE name = 'messages' AND pagetype = 'leaf'"),
             try Int.fetchOne(db, sql: "PRAGMA page_size")!)
        }
        XCTAssertFalse(pages.isEmpty)
        let path = fixture.workspace.databaseURL.path
        let handle = try XCTUnwrap(FileHandle(forUpdatingAtPath: path))
        for page in pages {
            try handle.seek(toOffset: UInt64((page - 1) * size))
            try handle.write(contentsOf: Data(repeating: 0xFF, count: size))
        }
        try handle.close()

        let outcome = try deliver(fixture, log: log)
        XCTAssertEqual(outcome.status, 65, outcome.stderr)
        XCTAssertTrue(outcome.stderr.contains("handlet check"), outcome.stderr)
        XCTAssertEqual(try keysDelivered(log), [:], "nothing reached the gateway")
        XCTAssertTrue(FileManager.default.fileExists(atPath: path + "-damaged"))
        var configuration = Configuration()
        configuration.readonly = true
        let reader = try DatabaseQueue(path: path, configuration: configuration)
        XCTAssertEqual(try reader.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT state FROM autosend_outbox") }, ["due"],
                       "no message was claimed")
        try reader.close()
    }
}
