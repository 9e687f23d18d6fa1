import Foundation
import GRDB
import HandletDomain
import XCTest
import HandletTestSupport

/// Issue 21: the CLI renders the domain's plan of each change, as the console does. A refusal
/// (the role, or a rule of what the change acts on) exits 77 with the plan's own one-line reason
/// before anything is shown; a plan that asks is asked on a terminal and refused without `--yes`
/// when standard input is not one, by the same rule the console follows.
final class ChangePlanCLITests: XCTestCase {
    private var folder: URL!
    private var database: String { folder.appendingPathComponent("workspace.sqlite").path }

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-plans-\(UUID().uuidString)")
        try PurgeWorkspace.build(in: folder, layout: .init(due: 4, live: 4, held: 1, missingFiles: 0))
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    private func handlet(_ arguments: String..., user: String) throws -> HandletBinary.Outcome {
        try HandletBinary.run(arguments + ["--db", database, "--user", user])
    }

    /// The domain's plan of `command` for `email`, computed in this process.
    private func plan<T>(_ command: (WorkspaceSession) throws -> WorkspaceCommand<T>, as email: String) throws -> ChangePlan<T> {
        let workspace = try Workspace.open(at: URL(fileURLWithPath: database))
        let session = workspace.session(as: try workspace.actor(email: email))
        return try session.plan(command(session))
    }

    private func audit() throws -> [String] {
        let queue = try DatabaseQueue(path: database)
        defer { try? queue.close() }
        return try queue.read { try String.fetchAll($0, sql: "SELECT hash FROM audit_events ORDER BY seq") }
    }

    private func assertRefused(_ outcome: HandletBinary.Outcome, with reason: String?, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(outcome.status, 77, outcome.stderr, file: file, line: line)
        XCTAssertEqual(outcome.stderr, "handlet: \(reason ?? "no refusal planned")\n", file: file, line: line)
        XCTAssertEqual(outcome.stdout, "", "refused before anything is shown", file: file, line: line)
    }

    func testContextRulesAreRefusedWithThePlansReasonAndSeventySeven() throws {
        let before = try audit()
        let ownerOnly = try plan({ .disableUser(try $0.read(.userID(email: "owner@example.test"))) }, as: "admin@example.test")
        XCTAssertEqual(ownerOnly.refusal, "Only owner may add, promote, change or disable an owner; you are admin.")
        assertRefused(try handlet("users", "disable", "owner@example.test", user: "admin@example.test"), with: ownerOnly.refusal)
        assertRefused(try handlet("users", "role", "owner@example.test", "agent", user: "admin@example.test"), with: ownerOnly.refusal)

        let lastOwner = try plan({ .changeRole(of: try $0.read(.userID(email: "owner@example.test")), to: .admin) }, as: "owner@example.test")
        XCTAssertEqual(lastOwner.refusal, UserRuleError.lastEnabledOwner.description)
        assertRefused(try handlet("users", "role", "owner@example.test", "admin", user: "owner@example.test"), with: lastOwner.refusal)
        assertRefused(try handlet("users", "disable", "owner@example.test", user: "owner@example.test"), with: lastOwner.refusal)

        let role = try plan({ _ in .setRetentionPeriod(try RetentionPeriod(days: 7)) }, as: "agent@example.test")
        assertRefused(try handlet("retention", "set", "7", "--yes", user: "agent@example.test"), with: role.refusal)
        XCTAssertEqual(try audit(), before, "nothing changed")
    }

    func testANoticeThatCannotBeObjectedToIsRefusedWithThePlansReason() throws {
        XCTAssertEqual(try handlet("notices", "import", "--shipped", user: "owner@example.test").status, 0)
        let workspace = try Workspace.open(at: URL(fileURLWithPath: database))
        let owner = workspace.session(as: try workspace.actor(email: "owner@example.test"))
        let notice = try XCTUnwrap(try owner.read(.notices()).first { $0.kind != .subprocessorChange })
        let planned = try owner.plan(.objectToNotice(notice.id, reason: "No"))
        XCTAssertNotNil(planned.refusal)
        assertRefused(try handlet("notices", "object", String(notice.id), "--reason", "No", user: "owner@example.test"), with: planned.refusal)
    }

    /// Acknowledging asks, as the console's dialog does: the same question, from the same plan.
    func testAcknowledgingAsksThePlansQuestionAndNeedsYesWithoutATerminal() throws {
        XCTAssertEqual(try handlet("notices", "import", "--shipped", user: "owner@example.test").status, 0)
        let workspace = try Workspace.open(at: URL(fileURLWithPath: database))
        let admin = workspace.session(as: try workspace.actor(email: "admin@example.test"))
        let summaries = try admin.read(.notices())
        let notice = try XCTUnwrap(summaries.first { (try? admin.plan(.acknowledgeNotice($0.id)))?.isRefused == false })
        let question = try XCTUnwrap(try admin.plan(.acknowledgeNotice(notice.id)).confirmation?.question)
        let refused = try handlet("notices", "ack", String(notice.id), user: "admin@example.test")
        XCTAssertEqual(refused.status, 64, "no --yes without a terminal is usage: \(refused.stderr)")
        XCTAssertEqual(refused.stderr, "handlet: \(question) Refusing without --yes because standard input is not a terminal.\n")
        let acknowledged = try handlet("notices", "ack", String(notice.id), "--yes", user: "admin@example.test")
        XCTAssertEqual(acknowledged.status, 0, acknowledged.stderr)
        XCTAssertTrue(acknowledged.stdout.hasPrefix("Acknowledged "), acknowledged.stdout)
    }

    /// The same rule as the console: any shortening asks, even one that makes nothing due.
    func testShorteningAsksThePlansQuestionAndNeedsYesWithoutATerminal() throws {
        XCTAssertEqual(try handlet("retention", "set", "365", user: "owner@example.test").status, 0, "lengthening asks nothing")
        let planned = try plan({ _ in .setRetentionPeriod(try RetentionPeriod(days: 300)) }, as: "owner@example.test")
        let question = try XCTUnwrap(planned.confirmation?.question)
        let refused = try handlet("retention", "set", "300", user: "owner@example.test")
        XCTAssertEqual(refused.status, 64, "no --yes without a terminal is usage: \(refused.stderr)")
        XCTAssertEqual(refused.stdout.split(separator: "\n").map(String.init), planned.preview?.lines, "the plan's preview")
        XCTAssertEqual(refused.stderr, "handlet: \(question) Refusing without --yes because standard input is not a terminal.\n")
        let confirmed = try handlet("retention", "set", "300", "--yes", user: "owner@example.test")
        XCTAssertEqual(confirmed.status, 0, confirmed.stderr)
        XCTAssertTrue(confirmed.stdout.contains("Retention period set to 300 days"), confirmed.stdout)
    }

    func testDeletingNowShowsWhatGoesAndAsks() throws {
        let planned = try plan({ _ in .disableRecording(existing: .deleteNow) }, as: "admin@example.test")
        let refused = try handlet("retention", "disable", "--delete-now", user: "admin@example.test")
        XCTAssertEqual(refused.status, 64, "no --yes without a terminal is usage: \(refused.stderr)")
        XCTAssertEqual(refused.stdout.split(separator: "\n").map(String.init), planned.preview?.lines)
        XCTAssertTrue(refused.stderr.contains(try XCTUnwrap(planned.confirmation?.question)), refused.stderr)
        let shown = try HandletBinary.run(["retention", "show", "--json", "--db", database])
        XCTAssertTrue(shown.stdout.contains("\"recording_enabled\" : true"), shown.stdout)
    }
}
