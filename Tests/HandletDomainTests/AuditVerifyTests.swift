import Foundation
import GRDB
@testable import HandletDomain
import XCTest
import HandletTestSupport

/// `verify` over a tampered log: each way of tampering is named, at the right event. Tampering
/// needs the append-only triggers dropped first, as someone with the sqlite3 CLI would.
final class AuditVerifyTests: XCTestCase {
    private var fixture: RetentionFixture!
    private var db: WorkspaceDatabase { fixture.workspace.dbPool }

    /// 1 workspace.created, then 2...10 user events through the session.
    override func setUpWithError() throws {
        fixture = try RetentionFixture()
        let owner = fixture.workspace.session(as: fixture.owner)
        for index in 1...3 {
            let user = try owner.perform(.addUser(name: "User \(index)", email: "user\(index)@example.test", role: .agent)).user
            try owner.perform(.changeRole(of: user.id!, to: .viewer))
            try owner.perform(.disableUser(user.id!))
        }
        XCTAssertEqual(try head().seq, 10)
    }

    override func tearDown() { fixture = nil }

    private func head() throws -> AuditCheckpoint { try XCTUnwrap(try db.read { try AuditChain.head($0) }) }

    private func verify(_ checkpoint: AuditCheckpoint? = nil) throws -> AuditVerification {
        try fixture.workspace.session(as: fixture.viewer).read(.auditVerification(checkpoint: checkpoint))
    }

    private func tamper(_ sql: String...) throws {
        try db.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS audit_events_no_update; DROP TRIGGER IF EXISTS audit_events_no_delete")
            for statement in sql { try db.execute(sql: statement) }
        }
    }

    /// Rewrites events from `seq` on with hashes recomputed, as a careful forger would.
    private func rechain(from seq: Int64) throws {
        try db.writeWithoutTransaction { db in
            var previous = try String.fetchOne(db, sql: "SELECT hash FROM audit_events WHERE seq = ?", arguments: [seq - 1])!
            for event in try AuditEvent.filter(sql: "seq >= ?", arguments: [seq]).order(Column("seq")).fetchAll(db) {
                let hash = AuditLog.chainHash(seq: event.seq!, at: event.at, actor: event.actor, action: event.action,
                                              target: event.target, details: event.details, previousHash: previous)
                try db.execute(sql: "UPDATE audit_events SET previous_hash = ?, hash = ? WHERE seq = ?",
                               arguments: [previous, hash, event.seq])
                previous = hash
            }
        }
    }

    func testAnIntactLogVerifiesWithItsHeadAndItsCheckpoints() throws {
        let result = try verify()
        XCTAssertNil(result.problem)
        XCTAssertEqual(result.eventsChecked, 10)
        XCTAssertEqual(result.head, try head())
        XCTAssertNil(try verify(head()).problem)
        let early = try db.read { try AuditEvent.fetchOne($0, key: 4)! }
        XCTAssertNil(try verify(AuditCheckpoint(seq: 4, hash: early.hash)).problem)
    }

    func testTheTriggersRefuseUpdatesAndDeletes() throws {
        for sql in ["UPDATE audit_events SET details = '{}' WHERE seq = 3", "DELETE FROM audit_events WHERE seq = 3"] {
            XCTAssertThrowsError(try db.write { try $0.execute(sql: sql) }, sql) {
                XCTAssertTrue(String(describing: $0).contains("audit events are append-only"), "\($0)")
            }
        }
        XCTAssertNil(try verify().problem)
    }

    func testAChangedRowIsReportedAtExactlyItsSequence() throws {
        try tamper("UPDATE audit_events SET details = '{\"role\":\"owner\",\"user_id\":5}' WHERE seq = 5")
        XCTAssertEqual(try verify().problem, .changed(seq: 5))
        XCTAssertEqual(try verify().eventsChecked, 4)
        XCTAssertEqual(try db.read { try AuditLog.verify($0) }, 5)
        try tamper("UPDATE audit_events SET actor = 'system' WHERE seq = 3")
        XCTAssertEqual(try verify().problem, .changed(seq: 3), "the first break is named")
    }

    func testAChangedLinkIsReportedAtItsSequence() throws {
        try tamper("UPDATE audit_events SET previous_hash = '\(String(repeating: "a", count: 64))' WHERE seq = 7")
        XCTAssertEqual(try verify().problem, .changed(seq: 7))
    }

    func testARowRewrittenWithItsOwnHashRecomputedBreaksTheNextLink() throws {
        let (event, previous) = try db.read { (try AuditEvent.fetchOne($0, key: 6)!, try AuditEvent.fetchOne($0, key: 5)!.hash) }
        let forged = AuditLog.chainHash(seq: 6, at: event.at, actor: "system", action: event.action, target: event.target,
                                        details: event.details, previousHash: previous)
        try tamper("UPDATE audit_events SET actor = 'system', hash = '\(forged)' WHERE seq = 6")
        XCTAssertEqual(try verify().problem, .relinked(seq: 7), "6 is consistent in itself; 7 no longer links to it")
        XCTAssertEqual(try verify().eventsChecked, 6)
    }

    func testADeletedEventIsAGap() throws {
        try tamper("DELETE FROM audit_events WHERE seq = 4")
        XCTAssertEqual(try verify().problem, .missing(from: 4, through: 4))
        XCTAssertEqual(String(describing: try verify().problem!),
                       "event 4 is missing: the sequence jumps from 3 to 5 (an event was deleted)")
        try tamper("DELETE FROM audit_events WHERE seq IN (2, 3)")
        XCTAssertEqual(try verify().problem, .missing(from: 2, through: 4))
        try tamper("DELETE FROM audit_events WHERE seq = 1")
        XCTAssertEqual(try verify().problem, .missing(from: 1, through: 4))
    }

    func testAReorderingIsNamed() throws {
        try tamper("UPDATE audit_events SET seq = -4 WHERE seq = 4", "UPDATE audit_events SET seq = 4 WHERE seq = 3",
                   "UPDATE audit_events SET seq = 3 WHERE seq = -4")
        XCTAssertEqual(try verify().problem, .reordered(seq: 3, follows: 4))
        XCTAssertEqual(try db.read { try AuditLog.verify($0) }, 3)
    }

    func testARewrittenTailWithRecomputedHashesIsCaughtOnlyByACheckpoint() throws {
        let checkpoint = try head()
        let early = try db.read { try AuditEvent.fetchOne($0, key: 5)! }
        try tamper("UPDATE audit_events SET details = '{\"role\":\"owner\",\"user_id\":5}' WHERE seq = 8")
        try rechain(from: 8)
        XCTAssertNil(try verify().problem, "the chain alone cannot tell")
        XCTAssertEqual(try verify(checkpoint).problem, .checkpointMismatch(seq: 10))
        XCTAssertNil(try verify(AuditCheckpoint(seq: 5, hash: early.hash)).problem, "events up to 5 are as they were")
        // More events appended on the forged chain do not hide it.
        try fixture.workspace.session(as: fixture.owner).perform(.addUser(name: "Later", email: "later@example.test", role: .agent))
        XCTAssertEqual(try verify(checkpoint).problem, .checkpointMismatch(seq: 10))
    }

    func testATruncatedLogIsCaughtByACheckpointPastItsEnd() throws {
        let checkpoint = try head()
        try tamper("DELETE FROM audit_events WHERE seq > 7")
        XCTAssertNil(try verify().problem, "a shorter chain is still a chain")
        XCTAssertEqual(try verify(checkpoint).problem, .truncated(checkpoint: 10, lastSeq: 7))
    }

    func testCheckpointsParseOnlyAsSeqColonHash() {
        let hash = String(repeating: "ab", count: 32)
        XCTAssertEqual(AuditCheckpoint("12:\(hash)"), AuditCheckpoint(seq: 12, hash: hash))
        XCTAssertEqual(AuditCheckpoint(" 12:\(hash.uppercased()) "), AuditCheckpoint(seq: 12, hash: hash))
        XCTAssertEqual(AuditCheckpoint(seq: 12, hash: hash).description, "12:\(hash)")
        for text in ["", "12", "12:", ":\(hash)", "0:\(hash)", "-1:\(hash)", "12:\(hash.dropLast())", "12:\(hash)0",
                     "12:\(hash.dropLast())g", "x:\(hash)", "1:2:\(hash)"] {
            XCTAssertNil(AuditCheckpoint(text), text)
        }
    }

    func testTheChainIsTheOneAppendWrites() throws {
        // The streaming verifier and the appender agree byte for byte, including non-ASCII text.
        try db.write { db in
            try AuditLog.append(db, actor: .system, action: .purgeRun, target: "café:é",
                                details: ["note": "naïve – “quoted”", "count": 3, "ok": true])
            try AuditLog.appendBulk(db, count: 50) { index in
                AuditLog.BulkEvent(at: 1_700_000_000 + Int64(index), actor: "bulk@example.test", action: "user.added",
                                   target: "user:\(index)", details: "{\"user_id\":\(index)}")
            }
        }
        let result = try verify()
        XCTAssertNil(result.problem)
        XCTAssertEqual(result.eventsChecked, 61)
    }

    func testAgentsMayNotVerifyOrCheckpoint() throws {
        let agent = fixture.workspace.session(as: fixture.agent)
        XCTAssertThrowsError(try agent.read(.auditVerification())) {
            XCTAssertEqual($0 as? PermissionDenied, PermissionDenied(permission: .readAuditLog, role: .agent))
        }
        XCTAssertThrowsError(try agent.read(.auditCheckpoint))
    }
}
