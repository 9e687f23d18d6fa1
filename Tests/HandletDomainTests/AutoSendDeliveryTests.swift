import Foundation
import GRDB
@testable import HandletDomain
import XCTest
import HandletTestSupport

/// Delivery through the operator's gateway (DESIGN §6, issue 22): success, failure with back-off,
/// the last try, a timeout, a gateway that prints megabytes or never reads, one that cannot start,
/// no gateway at all, who may run a pass, and a message a dead pass left `sending`.
final class AutoSendDeliveryTests: XCTestCase {
    private let now = RetentionFixture.start.addingTimeInterval(3_600)

    /// An executable shell script in the fixture's folder.
    private func gateway(_ fixture: RetentionFixture, _ name: String, _ script: String) throws -> String {
        let url = fixture.folder.appendingPathComponent(name)
        try ("#!/bin/sh\n" + script + "\n").write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        return url.path
    }

    private func configure(_ fixture: RetentionFixture, gateway path: String) throws {
        var change = AutoSendChange()
        change.gateway = .set(path)
        try fixture.workspace.session(as: fixture.owner).perform(.changeAutoSend(change))
    }

    // Synchronous reads: inside an async test GRDB and the session would pick their async overloads.
    private func query<T>(_ fixture: RetentionFixture, _ body: (Database) throws -> T) throws -> T {
        try fixture.workspace.dbPool.read(body)
    }

    private func update<T>(_ fixture: RetentionFixture, _ body: (Database) throws -> T) throws -> T {
        try fixture.workspace.dbPool.write(body)
    }

    private func sessionRead<T>(_ fixture: RetentionFixture, _ query: WorkspaceQuery<T>) throws -> T {
        try fixture.workspace.session(as: fixture.owner).read(query)
    }

    private func outbox(_ fixture: RetentionFixture) throws -> [Row] {
        try query(fixture) { db in try Row.fetchAll(db, sql: "SELECT * FROM autosend_outbox ORDER BY id") }
    }

    private func deliver(_ fixture: RetentionFixture, at: Date? = nil, policy: DeliveryPolicy = .standard,
                         as actor: Actor = .system) async throws -> DeliveryReport {
        try await fixture.workspace.session(as: actor).deliver(policy: policy, now: at ?? now)
    }

    func testDeliveredMessagesAreSentRecordedAndAuditedWithoutTheirText() async throws {
        let fixture = try RetentionFixture()
        let log = fixture.folder.appendingPathComponent("sent.jsonl").path
        try configure(fixture, gateway: try gateway(fixture, "gateway.sh", "cat >> '\(log)'"))
        // The third carries control characters and quotes: sent exactly as stored (JSON-escaped).
        let raw = "Secret reply \u{1B}[31m \"quoted\"\nnext\tline"
        try fixture.workspace.queueAutoSendForDelivery(3, dueAt: now.addingTimeInterval(-60)) { $0 == 2 ? raw : "Secret reply number \($0)" }
        try fixture.workspace.queueAutoSendForDelivery(1, dueAt: now.addingTimeInterval(600))

        let report = try await deliver(fixture)
        XCTAssertEqual(report.progress, DeliveryProgress(total: 3, delivered: 3, retrying: 0, failed: 0))
        XCTAssertEqual(report.waiting, 1, "the one due in ten minutes waits")

        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 3)
        let first = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        XCTAssertEqual(Set(first.keys), ["idempotency_key", "correlation_id", "channel", "to", "body", "business", "draft_id", "attempt"])
        XCTAssertEqual(first["body"] as? String, "Secret reply number 0")
        XCTAssertEqual(first["business"] as? String, "Test Plumbing Ltd")
        XCTAssertEqual(first["attempt"] as? Int, 1)
        XCTAssertEqual(first["channel"] as? String, "sms")
        let third = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(lines[2].utf8)) as? [String: Any])
        XCTAssertEqual(third["body"] as? String, raw, "one line of JSON, the text exactly as stored")

        let rows = try outbox(fixture)
        XCTAssertEqual(rows.map { $0["state"] as String }, ["sent", "sent", "sent", "due"])
        XCTAssertEqual(rows[0]["idempotency_key"] as String, first["idempotency_key"] as? String)
        let sent = try query(fixture) { db in
            try Row.fetchAll(db, sql: """
                SELECT m.*, o.id AS outbox_id FROM messages m JOIN autosend_outbox o ON o.message_id = m.id ORDER BY o.id
                """)
        }
        XCTAssertEqual(sent.count, 3)
        for (row, outboxRow) in zip(sent, rows) {
            XCTAssertEqual(row["auto_sent"] as Bool, true)
            XCTAssertEqual(row["direction"] as String, "outbound")
            XCTAssertEqual(row["correlation_id"] as String, outboxRow["correlation_id"] as String)
            XCTAssertEqual(row["body"] as String, outboxRow["body"] as String)
        }
        // The sent message is in the conversation its draft answers.
        let sameThread = try query(fixture) { db in
            try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM messages m JOIN autosend_outbox o ON o.message_id = m.id JOIN drafts d ON d.id = o.draft_id
                JOIN messages inbound ON inbound.id = d.target_id WHERE inbound.thread_id = m.thread_id
                """)
        }
        XCTAssertEqual(sameThread, 3)

        let events = try fixture.auditEvents(AuditAction.autoSendDelivered.rawValue)
        XCTAssertEqual(events.count, 3)
        XCTAssertEqual(events.map(\.actor), ["system", "system", "system"])
        for event in events { XCTAssertFalse(event.details.contains("Secret"), "identifiers only: \(event.details)") }
        XCTAssertTrue(events[0].details.contains(rows[0]["correlation_id"] as String))
        XCTAssertNil(try sessionRead(fixture, .auditChainBreak))

        // A second pass has nothing to offer until the last one is due.
        let again = try await deliver(fixture)
        XCTAssertEqual(again.progress.total, 0)
        XCTAssertEqual(try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").count, 3)

        // Deleting a sent message's text leaves no copy in its outbox row or the draft it came from.
        let firstMessage = Message.ID(sent[0]["id"] as Int64)
        let owner = fixture.workspace.session(as: fixture.owner)
        _ = try owner.perform(try owner.plan(.deleteMessageText(firstMessage), at: now), confirmed: true, at: now)
        let copies = try query(fixture) { db in
            try Row.fetchOne(db, sql: """
                SELECT o.body AS outbox_body, d.body AS draft_body FROM autosend_outbox o JOIN drafts d ON d.id = o.draft_id
                WHERE o.message_id = ?
                """, arguments: [firstMessage.rawValue])
        }
        XCTAssertEqual(copies?["outbox_body"] as String?, "")
        XCTAssertEqual(copies?["draft_body"] as String?, "")
        XCTAssertEqual(try outbox(fixture)[1]["body"] as String, "Secret reply number 1", "other messages keep theirs")
    }

    func testAFailureIsDueAgainAfterADoublingBackOffThenFailedAfterTheLastTry() async throws {
        let fixture = try RetentionFixture()
        let script = #"printf 'provider said \033[31mno\033]0;title\007 thanks\n' >&2; exit 3"#
        try configure(fixture, gateway: try gateway(fixture, "refusing.sh", script))
        try fixture.workspace.queueAutoSendForDelivery(1, dueAt: now)
        let policy = DeliveryPolicy(maxAttempts: 3)

        var report = try await deliver(fixture, policy: policy)
        XCTAssertEqual(report.progress.retrying, 1)
        var row = try outbox(fixture)[0]
        XCTAssertEqual(row["state"] as String, "due")
        XCTAssertEqual(row["attempts"] as Int, 1)
        XCTAssertEqual(row["next_attempt_at"] as Int64, Int64(now.timeIntervalSince1970) + 60)
        let reason: String = row["last_error"]
        XCTAssertTrue(reason.hasPrefix("exit status 3: provider said"), reason)
        XCTAssertFalse(reason.unicodeScalars.contains { $0.properties.generalCategory == .control }, "sanitised: \(reason)")
        let key: String = row["idempotency_key"]

        // Not yet due again: nothing offered.
        report = try await deliver(fixture, at: now.addingTimeInterval(59), policy: policy)
        XCTAssertEqual(report.progress.total, 0)
        XCTAssertEqual(report.waiting, 1)

        report = try await deliver(fixture, at: now.addingTimeInterval(61), policy: policy)
        XCTAssertEqual(report.progress.retrying, 1)
        row = try outbox(fixture)[0]
        XCTAssertEqual(row["attempts"] as Int, 2)
        // Second failure: twice the wait (the pass's clock plus the time it took, rounded to seconds).
        let retryAt: Int64 = row["next_attempt_at"]
        XCTAssertTrue((Int64(now.timeIntervalSince1970) + 61 + 120...Int64(now.timeIntervalSince1970) + 61 + 122).contains(retryAt))

        report = try await deliver(fixture, at: now.addingTimeInterval(61 + 121 + 5), policy: policy)
        XCTAssertEqual(report.progress.failed, 1)
        row = try outbox(fixture)[0]
        XCTAssertEqual(row["state"] as String, "failed")
        XCTAssertEqual(row["attempts"] as Int, 3)
        XCTAssertEqual(row["idempotency_key"] as String, key, "one key for every try")
        XCTAssertNil(row["next_attempt_at"] as Int64?)
        XCTAssertEqual(try fixture.auditEvents(AuditAction.autoSendDeliveryRetry.rawValue).count, 2)
        XCTAssertEqual(try fixture.auditEvents(AuditAction.autoSendDeliveryFailed.rawValue).count, 1)
        XCTAssertEqual(try sessionRead(fixture, .deliveryBacklog(now: now.addingTimeInterval(86_400))),
                       DeliveryBacklog(dueNow: 0, waiting: 0, failed: 1, sending: 0, gatewayConfigured: true))

        let problems = try sessionRead(fixture, .deliveryProblems())
        XCTAssertEqual(problems.map(\.state), ["failed"])
        XCTAssertEqual(problems.first?.attempts, 3)
        XCTAssertTrue(problems.first?.lastError.hasPrefix("exit status 3: provider said") == true)

        // A failed message is not offered again.
        report = try await deliver(fixture, at: now.addingTimeInterval(86_400), policy: policy)
        XCTAssertEqual(report.progress.total, 0)
    }

    func testTheBackOffDoublesAndIsCapped() {
        let policy = DeliveryPolicy.standard
        XCTAssertEqual((1...8).map { policy.retryDelay(afterAttempt: $0) }, [60, 120, 240, 480, 960, 1_920, 3_600, 3_600])
    }

    func testAHangingGatewayAndWhatItStartedAreKilledAfterTheTimeout() async throws {
        let fixture = try RetentionFixture()
        let marker = fixture.folder.appendingPathComponent("child-alive").path
        // The child keeps stderr open: only killing the whole group ends the pass.
        try configure(fixture, gateway: try gateway(fixture, "hanging.sh", "(sleep 30; touch '\(marker)') & sleep 30"))
        try fixture.workspace.queueAutoSendForDelivery(1, dueAt: now)
        let started = Date()
        let report = try await deliver(fixture, policy: DeliveryPolicy(timeout: .seconds(1)))
        let took = Date().timeIntervalSince(started)
        XCTAssertEqual(report.progress.retrying, 1)
        XCTAssertLessThan(took, 10, "killed at the timeout, not waited for")
        XCTAssertEqual(try outbox(fixture)[0]["last_error"] as String, "no answer within 1 s: killed")
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker))
    }

    func testAGatewayThatPrintsMegabytesOrNeverReadsItsInputNeitherHangsNorGrows() async throws {
        let fixture = try RetentionFixture()
        // 64 MB on stderr and on stdout, never reading standard input, then failing.
        let script = "head -c 67108864 /dev/zero | tr '\\0' x >&2; head -c 67108864 /dev/zero; exit 1"
        try configure(fixture, gateway: try gateway(fixture, "loud.sh", script))
        try fixture.workspace.queueAutoSendForDelivery(1, dueAt: now) { _ in String(repeating: "long body ", count: 20_000) }
        let report = try await deliver(fixture, policy: DeliveryPolicy(timeout: .seconds(60)))
        XCTAssertEqual(report.progress.retrying, 1)
        let reason: String = try outbox(fixture)[0]["last_error"]
        XCTAssertTrue(reason.hasPrefix("exit status 1: xxxx"), String(reason.prefix(40)))
        XCTAssertLessThanOrEqual(reason.count, GatewayCommand.reasonLength)

        // Exit 0 without reading a 200 kB message: delivered.
        try configure(fixture, gateway: try gateway(fixture, "deaf.sh", "exit 0"))
        let second = try await deliver(fixture, at: now.addingTimeInterval(120))
        XCTAssertEqual(second.progress.delivered, 1)
    }

    func testAGatewayThatCannotStartIsAFailureWithItsReason() async throws {
        let fixture = try RetentionFixture()
        let path = try gateway(fixture, "gone.sh", "exit 0")
        try configure(fixture, gateway: path)
        try FileManager.default.removeItem(atPath: path)
        try fixture.workspace.queueAutoSendForDelivery(1, dueAt: now)
        let report = try await deliver(fixture)
        XCTAssertEqual(report.progress.retrying, 1)
        let reason: String = try outbox(fixture)[0]["last_error"]
        XCTAssertTrue(reason.hasPrefix("could not run \(path)"), reason)
    }

    func testWithNoGatewayMessagesStayDueAndNothingIsWritten() async throws {
        let fixture = try RetentionFixture()
        try fixture.workspace.queueAutoSendForDelivery(2, dueAt: now)
        let report = try await deliver(fixture)
        XCTAssertFalse(report.gatewayConfigured)
        XCTAssertEqual(report.dueWithoutGateway, 2)
        XCTAssertEqual(try outbox(fixture).map { $0["state"] as String }, ["due", "due"])
        XCTAssertEqual(try outbox(fixture).map { $0["attempts"] as Int }, [0, 0])
    }

    func testTheSystemOwnersAndAdminsMayDeliverAgentsAndViewersMayNot() async throws {
        let fixture = try RetentionFixture()
        for actor in [fixture.agent, fixture.viewer] {
            do {
                _ = try await deliver(fixture, as: actor)
                XCTFail("\(actor) delivered")
            } catch {
                XCTAssertEqual((error as? PermissionDenied)?.permission, .deliverAutoSend)
            }
        }
        for actor in [Actor.system, fixture.owner, fixture.admin] { _ = try await deliver(fixture, as: actor) }
    }

    func testAMessageADeadPassLeftSendingIsOfferedAgainUnderTheSameKey() async throws {
        let fixture = try RetentionFixture()
        let log = fixture.folder.appendingPathComponent("sent.jsonl").path
        try configure(fixture, gateway: try gateway(fixture, "gateway.sh", "cat >> '\(log)'"))
        let ids = try fixture.workspace.queueAutoSendForDelivery(1, dueAt: now.addingTimeInterval(600))
        // A pass that died after the gateway's exit: the row is `sending`, its attempt counted.
        try update(fixture) { db in
            try db.execute(sql: "UPDATE autosend_outbox SET state = 'sending', attempts = 1 WHERE id = ?", arguments: [ids[0]])
        }
        let report = try await deliver(fixture)
        XCTAssertEqual(report.reoffered, 1)
        XCTAssertEqual(report.progress.delivered, 1)
        let line = try String(contentsOfFile: log, encoding: .utf8)
        XCTAssertTrue(line.contains(try outbox(fixture)[0]["idempotency_key"] as String))
        XCTAssertTrue(line.contains("\"attempt\":2"), line)
    }

    func testOnlyOnePassRunsAtATime() async throws {
        let fixture = try RetentionFixture()
        let lock = try JobLock.delivery(beside: fixture.workspace.databaseURL)
        defer { lock.release() }
        try configure(fixture, gateway: try gateway(fixture, "gateway.sh", "exit 0"))
        do {
            _ = try await deliver(fixture)
            XCTFail("a second pass ran")
        } catch {
            XCTAssertEqual((error as? DeliveryError)?.exitClass, .busy)
        }
    }

    func testTheGatewaysWordsAreSanitisedAndShort() {
        XCTAssertEqual(GatewayCommand.sanitised("a\u{1B}[2Jb\u{202E}c\r\n\u{0}d  e"), "a [2Jb c d e")
        let long = GatewayCommand.reason("exit status 1", Array(String(repeating: "é", count: 1_000).utf8))
        XCTAssertEqual(long.count, GatewayCommand.reasonLength)
    }
}
