import Foundation
import GRDB
@testable import HandletDomain
import XCTest
import HandletTestSupport

/// Issue 13: notice files, import, states, answers bound to version and hash, and the processor's
/// promises checked from the notices themselves.
final class NoticeTests: XCTestCase {
    /// Found by the 10^7-input fuzz run: a carriage return before a CR LF leaves a line break inside
    /// a header field ("title\r\n" is one grapheme, so the split on "\n" keeps it), and the
    /// refusal echoed it raw across two lines. Every echo is one line (`PlainText.echo`).
    func testARefusalEchoesALineBreakAsAnEscapeOnOneLine() {
        for header in ["---\ntitle\r\r\n: x\n---\n", "---\nid\r\r\n\r\n: x\n---\n", "---\nob\u{7}ject: x\n---\n"] {
            do {
                _ = try NoticeFile.parse(Data(header.utf8), name: "n.md")
                XCTFail("accepted \(header.debugDescription)")
            } catch {
                let text = String(describing: error)
                XCTAssertFalse(text.contains("\n") || text.contains("\r") || text.contains("\u{7}"), text.debugDescription)
            }
        }
        XCTAssertEqual(PlainText.echo("a\r\nb\tc\u{1b}"), "a\\r\\nb\\tc\\u{1b}")
    }

    static let day: TimeInterval = 86_400

    /// A notice file; `extra` adds header lines, `body` replaces the body.
    static func file(id: String = "sub-change", kind: String = "subprocessor_change", version: String = "1",
                     published: String = "2026-01-01", effective: String = "2026-02-15", ack: String = "no",
                     extra: [String] = [], body: String = "# Change\n\nA new speech provider.") -> Data {
        var lines = ["---", "id: \(id)", "kind: \(kind)", "title: Notice \(id)", "version: \(version)",
                     "published: \(published)", "effective: \(effective)", "needs-acknowledgement: \(ack)"]
        lines += extra
        lines += ["---", body]
        return Data(lines.joined(separator: "\n").utf8)
    }

    static let breachFields = ["nature: Deletion job stopped", "people-categories: callers", "people-count: about 40",
                               "record-categories: call recordings", "record-count: 61", "contact: privacy@handlet.ai",
                               "consequences: recordings kept past their date", "measures: job restarted and monitored"]

    func imported(_ fixture: RetentionFixture, _ files: [(String, Data)], at now: Date = RetentionFixture.start) throws -> NoticeImportSummary {
        try fixture.workspace.session(as: fixture.owner).importNotices(files.map { (name: $0.0, data: $0.1) }, now: now)
    }

    // MARK: The file format

    func testBadHeadersAreRefusedWithFileAndLine() {
        func refusal(_ text: String) -> String {
            do { _ = try NoticeFile.parse(Data(text.utf8), name: "n.md"); return "accepted" } catch { return String(describing: error) }
        }
        XCTAssertEqual(refusal("# No header\nbody"), "n.md:1: missing header: a notice starts with a line \"---\", then the header fields")
        XCTAssertEqual(refusal(String(decoding: Self.file(kind: "memo"), as: UTF8.self)),
                       "n.md:3: unknown kind \"memo\" (one of: dpa, privacy_notice, subprocessor_list, subprocessor_change, breach_notification, policy_update, retention_table)")
        XCTAssertEqual(refusal(String(decoding: Self.file(effective: "15/02/2026"), as: UTF8.self)),
                       "n.md:7: effective \"15/02/2026\" is not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)")
        XCTAssertEqual(refusal(String(decoding: Self.file(effective: "2026-02-30"), as: UTF8.self)),
                       "n.md:7: effective \"2026-02-30\" is not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)")
        XCTAssertEqual(refusal("---\nid: x\nkind: dpa\ntitle: t\nversion: 1\neffective: 2026-01-01\n---\nbody"),
                       "n.md:7: missing header field \"needs-acknowledgement\"")
        XCTAssertEqual(refusal("---\nid: x\nthis line has no colon\n---\nbody"), "n.md:3: malformed header line: expected \"field: value\"")
        XCTAssertEqual(refusal("---\nid: x\nkind: dpa\n"), "n.md:4: the header is not closed by a line \"---\"")
        XCTAssertEqual(refusal(String(decoding: Self.file(kind: "breach_notification"), as: UTF8.self)),
                       "n.md:9: a breach notification needs the header field \"became-aware-at\"")
        XCTAssertEqual(refusal(String(decoding: Self.file(version: "two"), as: UTF8.self)),
                       "n.md:5: version \"two\" must be numbers separated by dots (1, 2, 1.1)")
    }

    func testAGoodFileParsesWithItsHashAndBreachFields() throws {
        let data = Self.file(kind: "breach_notification", extra: ["became-aware-at: 2026-01-01T09:00:00Z",
                                                                  "notified-at: 2026-01-04T10:30:00Z"] + Self.breachFields)
        let file = try NoticeFile.parse(data, name: "b.md")
        XCTAssertEqual(file.kind, .breachNotification)
        XCTAssertEqual(file.sha256, SHA256Hex.of(data))
        XCTAssertEqual(file.breach?.recordCount, "61")
        XCTAssertEqual(file.breach!.notifiedAt.timeIntervalSince(file.breach!.becameAwareAt), 73.5 * 3600)
        XCTAssertEqual(file.body, "# Change\n\nA new speech provider.")
    }

    // MARK: Import

    func testAFolderImportsEveryGoodFileAndListsEachFailure() throws {
        let fixture = try RetentionFixture()
        let folder = fixture.folder.appendingPathComponent("notices")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Self.file(id: "a").write(to: folder.appendingPathComponent("a.md"))
        try Data("---\nid: broken\n".utf8).write(to: folder.appendingPathComponent("b.md"))
        try Self.file(id: "c", kind: "dpa", ack: "yes").write(to: folder.appendingPathComponent("c.md"))
        try Data("not a notice".utf8).write(to: folder.appendingPathComponent("readme.txt"))
        let summary = try fixture.workspace.session(as: fixture.admin).importNotices(from: folder, now: RetentionFixture.start)
        XCTAssertEqual(summary.imported.map(\.key), ["a", "c"])
        XCTAssertEqual(summary.failed.map(\.file), ["b.md"])
        XCTAssertEqual(summary.failed.first?.reason, "b.md:3: the header is not closed by a line \"---\"")
        XCTAssertEqual(try fixture.auditEvents(AuditAction.noticeImported.rawValue).count, 2)

        // Again: nothing new, nothing audited.
        let again = try fixture.workspace.session(as: fixture.admin).importNotices(from: folder, now: RetentionFixture.start)
        XCTAssertEqual(again.imported.count, 0)
        XCTAssertEqual(again.unchanged.map(\.key), ["a", "c"])
        XCTAssertEqual(try fixture.auditEvents(AuditAction.noticeImported.rawValue).count, 2)

        XCTAssertThrowsError(try fixture.workspace.session(as: fixture.agent).importNotices(from: folder)) {
            XCTAssertEqual($0 as? PermissionDenied, PermissionDenied(permission: .importNotices, role: .agent))
        }
    }

    func testTheSameIdAndVersionWithOtherTextIsRefusedAtImport() throws {
        let fixture = try RetentionFixture()
        _ = try imported(fixture, [("v1.md", Self.file(id: "dpa", kind: "dpa", ack: "yes"))])
        let id = try fixture.workspace.session(as: fixture.owner).read(.noticeID(named: "dpa"))
        try fixture.workspace.session(as: fixture.owner).perform(.acknowledgeNotice(id), at: RetentionFixture.at(days: 1))
        let changed = try imported(fixture, [("v1-edited.md", Self.file(id: "dpa", kind: "dpa", ack: "yes", body: "Other words."))])
        XCTAssertEqual(changed.imported.count, 0)
        XCTAssertEqual(changed.failed.count, 1)
        XCTAssertTrue(changed.failed[0].reason.hasPrefix("v1-edited.md:5: notice dpa version 1 is already imported with other text"),
                      changed.failed[0].reason)
        let detail = try XCTUnwrap(try fixture.workspace.session(as: fixture.owner).read(.notice(id)))
        XCTAssertEqual(detail.body, "# Change\n\nA new speech provider.")
        // A new version needs a new answer.
        _ = try imported(fixture, [("v2.md", Self.file(id: "dpa", kind: "dpa", version: "2", ack: "yes", body: "Other words."))])
        let latest = try fixture.workspace.session(as: fixture.owner).read(.notices(now: RetentionFixture.at(days: 2)))
            .first { $0.key == "dpa" && $0.version == "2" }!
        XCTAssertEqual(latest.state, .new)
        XCTAssertEqual(latest.answer, .acknowledge(effective: NoticeDate.parse("2026-02-15")!))
    }

    // MARK: Answers

    func testAcknowledgementIsStoredWithUserTimeVersionAndHashAndAudited() throws {
        let fixture = try RetentionFixture()
        let data = Self.file(id: "dpa", kind: "dpa", ack: "yes")
        _ = try imported(fixture, [("dpa.md", data)])
        let session = fixture.workspace.session(as: fixture.admin)
        let id = try session.read(.noticeID(named: "dpa@1"))
        let at = RetentionFixture.at(days: 3)
        let record = try session.perform(.acknowledgeNotice(id), at: at)
        XCTAssertEqual(record.entry, NoticeResponseEntry(response: .acknowledged, userEmail: "admin@example.test", version: "1",
                                                         sha256: SHA256Hex.of(data), reason: nil, respondedAt: at))
        let stored = try fixture.workspace.dbPool.read { try NoticeResponse.fetchAll($0) }
        XCTAssertEqual(stored.count, 1)
        XCTAssertEqual(stored[0].sha256, SHA256Hex.of(data))
        XCTAssertEqual(stored[0].version, "1")
        XCTAssertEqual(stored[0].userId, fixture.admin.userId?.rawValue)
        XCTAssertEqual(stored[0].respondedAt, at)
        let event = try XCTUnwrap(fixture.auditEvents(AuditAction.noticeAcknowledged.rawValue).first)
        XCTAssertEqual(event.actor, "admin@example.test")
        XCTAssertEqual(event.target, "notice:\(id)")
        XCTAssertEqual(event.at, at)
        XCTAssertTrue(event.details.contains(SHA256Hex.of(data)), event.details)
        XCTAssertEqual(try session.read(.notice(id, now: at))?.summary.state, .acknowledged)
        XCTAssertThrowsError(try fixture.workspace.session(as: fixture.owner).perform(.acknowledgeNotice(id))) {
            XCTAssertEqual($0 as? NoticeError, .alreadyAnswered(version: "1", response: .acknowledged, by: "admin@example.test"))
        }
        XCTAssertThrowsError(try fixture.workspace.session(as: fixture.agent).perform(.acknowledgeNotice(id))) {
            XCTAssertEqual($0 as? PermissionDenied, PermissionDenied(permission: .acknowledgeNotice, role: .agent))
        }
    }

    func testAcknowledgingAVersionThatIsNotTheLatestIsRefused() throws {
        let fixture = try RetentionFixture()
        _ = try imported(fixture, [("1.md", Self.file(id: "dpa", kind: "dpa", ack: "yes")),
                                   ("2.md", Self.file(id: "dpa", kind: "dpa", version: "1.10", ack: "yes", body: "v2")),
                                   ("3.md", Self.file(id: "dpa", kind: "dpa", version: "1.9", ack: "yes", body: "v1.9"))])
        let session = fixture.workspace.session(as: fixture.owner)
        let old = try session.read(.noticeID(named: "dpa@1.9"))
        XCTAssertThrowsError(try session.perform(.acknowledgeNotice(old))) {
            XCTAssertEqual(String(describing: $0), "Version 1.9 of dpa is not the latest (1.10 is): answer the latest version.")
        }
        XCTAssertEqual(try session.read(.noticeID(named: "dpa")), try session.read(.noticeID(named: "dpa@1.10")))
        XCTAssertEqual(try fixture.auditEvents(AuditAction.noticeAcknowledged.rawValue).count, 0)
    }

    func testObjectionInsideTheWindowAfterItDeemedAcceptedAndOwnersOnly() throws {
        let fixture = try RetentionFixture()
        // Published 2026-01-01, no stated deadline: the window closes 30 days later, on 2026-01-31.
        _ = try imported(fixture, [("s.md", Self.file())])
        let owner = fixture.workspace.session(as: fixture.owner)
        let id = try owner.read(.noticeID(named: "sub-change"))
        let summary = try owner.read(.notices(now: RetentionFixture.at(days: 10)))[0]
        XCTAssertEqual(summary.objectionDeadline, RetentionFixture.at(days: 30))
        XCTAssertEqual(summary.answer, .objectOrAccept(deadline: RetentionFixture.at(days: 30)))
        XCTAssertEqual(summary.state, .new)

        XCTAssertThrowsError(try fixture.workspace.session(as: fixture.admin).perform(.objectToNotice(id, reason: "EU hosting"))) {
            XCTAssertEqual(String(describing: $0), "Only owner may object to a subprocessor change; you are admin.")
        }
        XCTAssertThrowsError(try owner.perform(.objectToNotice(id, reason: "  "), at: RetentionFixture.at(days: 10))) {
            XCTAssertEqual($0 as? NoticeError, .reasonRequired)
        }
        // After the window: deemed accepted, and objecting is refused with the date it closed.
        XCTAssertEqual(try owner.read(.notices(now: RetentionFixture.at(days: 31)))[0].state, .deemedAccepted)
        XCTAssertEqual(try owner.read(.notices(now: RetentionFixture.at(days: 31)))[0].answer, .none)
        XCTAssertThrowsError(try owner.perform(.objectToNotice(id, reason: "Too late"), at: RetentionFixture.at(days: 31))) {
            XCTAssertEqual(String(describing: $0), "The objection window closed on 31 Jan 2026; the change is deemed accepted.")
        }
        XCTAssertEqual(try fixture.workspace.dbPool.read { try NoticeResponse.fetchCount($0) }, 0)

        let at = RetentionFixture.at(days: 12)
        let record = try owner.perform(.objectToNotice(id, reason: "We need UK-only processing for a clinic client."), at: at)
        XCTAssertEqual(record.entry.response, .objected)
        XCTAssertEqual(record.entry.userEmail, "owner@example.test")
        XCTAssertEqual(record.entry.reason, "We need UK-only processing for a clinic client.")
        XCTAssertEqual(record.entry.respondedAt, at)
        XCTAssertEqual(try owner.read(.notices(now: RetentionFixture.at(days: 40)))[0].state, .objected)
        let event = try XCTUnwrap(fixture.auditEvents(AuditAction.noticeObjected.rawValue).first)
        XCTAssertFalse(event.details.contains("clinic"), "the reason never enters the audit log")
        XCTAssertTrue(event.details.contains(record.entry.sha256))
    }

    func testAStatedDeadlineWinsAndOnlySubprocessorChangesTakeObjections() throws {
        let fixture = try RetentionFixture()
        _ = try imported(fixture, [("s.md", Self.file(extra: ["objection-deadline: 2026-01-10"])),
                                   ("d.md", Self.file(id: "dpa", kind: "dpa", ack: "yes"))])
        let owner = fixture.workspace.session(as: fixture.owner)
        XCTAssertThrowsError(try owner.perform(.objectToNotice(try owner.read(.noticeID(named: "sub-change")), reason: "x"),
                                               at: RetentionFixture.at(days: 9))) {
            XCTAssertEqual($0 as? NoticeError, .windowClosed(closedOn: RetentionFixture.at(days: 9)))
        }
        XCTAssertNoThrow(try owner.perform(.objectToNotice(try owner.read(.noticeID(named: "sub-change")), reason: "x"),
                                           at: RetentionFixture.at(days: 8.5)))
        XCTAssertThrowsError(try owner.perform(.objectToNotice(try owner.read(.noticeID(named: "dpa")), reason: "x"))) {
            XCTAssertEqual($0 as? NoticeError, .notObjectable(kind: .dpa))
        }
    }

    func testStatesNewReadOverdue() throws {
        let fixture = try RetentionFixture()
        _ = try imported(fixture, [("d.md", Self.file(id: "dpa", kind: "dpa", effective: "2026-01-20", ack: "yes"))])
        let owner = fixture.workspace.session(as: fixture.owner)
        let id = try owner.read(.noticeID(named: "dpa"))
        XCTAssertEqual(try owner.read(.notice(id, now: RetentionFixture.at(days: 5)))?.summary.state, .new)
        XCTAssertTrue(try fixture.workspace.session(as: fixture.viewer).perform(.markNoticeRead(id), at: RetentionFixture.at(days: 5)))
        XCTAssertFalse(try owner.perform(.markNoticeRead(id)))
        XCTAssertEqual(try fixture.auditEvents(AuditAction.noticeRead.rawValue).count, 1)
        XCTAssertEqual(try owner.read(.notice(id, now: RetentionFixture.at(days: 5)))?.summary.state, .read)
        XCTAssertEqual(try owner.read(.notice(id, now: RetentionFixture.at(days: 20)))?.summary.state, .overdue)
    }

    // MARK: The processor's promises

    func testTheSeventyTwoHourThirtyDayAndPublicationChecks() throws {
        let fixture = try RetentionFixture()
        func breach(_ id: String, notified: String) -> Data {
            Self.file(id: id, kind: "breach_notification", extra: ["became-aware-at: 2026-01-01T09:00:00Z", "notified-at: \(notified)"]
                      + Self.breachFields)
        }
        _ = try imported(fixture, [
            ("b1.md", breach("on-time", notified: "2026-01-04T09:00:00Z")),   // exactly 72 h
            ("b2.md", breach("late", notified: "2026-01-04T09:01:00Z")),      // 72 h 1 min
            ("s1.md", Self.file(id: "sub-ok", published: "2026-01-01", effective: "2026-01-31")),   // 30 days
            ("s2.md", Self.file(id: "sub-short", published: "2026-01-01", effective: "2026-01-30")), // 29 days
            ("d1.md", Self.file(id: "dpa-ok", kind: "dpa", published: "2026-01-01", effective: "2026-01-01", ack: "yes")),
            ("d2.md", Self.file(id: "dpa-back", kind: "dpa", published: "2026-01-10", effective: "2026-01-09", ack: "yes")),
        ])
        let checks = try fixture.workspace.session(as: fixture.viewer).read(.processorPromises)
        let kept = Dictionary(uniqueKeysWithValues: checks.map { ($0.key, $0.kept) })
        XCTAssertEqual(kept, ["on-time": true, "late": false, "sub-ok": true, "sub-short": false, "dpa-ok": true, "dpa-back": false])
        XCTAssertEqual(checks.first { $0.key == "late" }?.detail, "notified 72 h after the processor became aware; the promise is 72 h")
        XCTAssertEqual(checks.first { $0.key == "sub-short" }?.detail, "published 29 days before it takes effect; the promise is 30 days")
        XCTAssertEqual(checks.first { $0.key == "dpa-back" }?.rule, .dpaEffectiveAfterPublication)
    }

    // MARK: Diff

    func testDiffIsUnifiedLineByLine() throws {
        let fixture = try RetentionFixture()
        _ = try imported(fixture, [("1.md", Self.file(id: "dpa", kind: "dpa", ack: "yes", body: "a\nb\nc\nd\ne\nf\ng\nh")),
                                   ("2.md", Self.file(id: "dpa", kind: "dpa", version: "2", ack: "yes", body: "a\nb\nc\nD\ne\nf\ng\nh\ni"))])
        let owner = fixture.workspace.session(as: fixture.owner)
        let diff = try XCTUnwrap(try owner.read(.noticeDiff(try owner.read(.noticeID(named: "dpa")))))
        XCTAssertEqual(diff.lines.map(\.unified), ["--- dpa version 1", "+++ dpa version 2", "@@ -1,8 +1,9 @@",
                                                   " a", " b", " c", "-d", "+D", " e", " f", " g", " h", "+i"])
        XCTAssertNil(try owner.read(.noticeDiff(try owner.read(.noticeID(named: "dpa@1")))))
    }

    func testTheShippedNoticesParseAndImport() throws {
        let fixture = try RetentionFixture()
        let summary = try fixture.workspace.session(as: fixture.owner).importShippedNotices(now: RetentionFixture.start)
        XCTAssertEqual(summary.failed.map(\.reason), [])
        XCTAssertEqual(Set(summary.imported.map(\.key)), ["handlet-dpa", "subprocessors", "retention-table", "caller-privacy-template"])
        XCTAssertEqual(summary.imported.filter { $0.key == "handlet-dpa" }.map(\.version), ["1", "2"])
        let owner = fixture.workspace.session(as: fixture.owner)
        let diff = try XCTUnwrap(try owner.read(.noticeDiff(try owner.read(.noticeID(named: "handlet-dpa")))))
        XCTAssertGreaterThan(diff.added, 5)
        XCTAssertTrue(try owner.read(.processorPromises).allSatisfy(\.kept))
    }
}
