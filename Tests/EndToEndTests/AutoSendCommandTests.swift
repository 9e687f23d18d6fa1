import Foundation
import GRDB
import HandletDomain
import XCTest
import HandletTestSupport

/// `handlet autosend show|set|check|preview|acknowledge`, run as the real binary with no terminal.
final class AutoSendCommandTests: XCTestCase {
    private var folder: URL!
    private var database: String { folder.appendingPathComponent("workspace.sqlite").path }

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-autosend-\(UUID().uuidString)")
        try PurgeWorkspace.build(in: folder, layout: .init(due: 2, live: 2, held: 0, missingFiles: 0))
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    private func handlet(_ arguments: [String], user: String? = "owner@example.test") throws -> HandletBinary.Outcome {
        try HandletBinary.run(["autosend"] + arguments + ["--db", database], environment: user.map { ["HANDLET_USER": $0] } ?? [:])
    }

    private func show() throws -> [String: Any] {
        let outcome = try handlet(["show", "--json"], user: nil)
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
    }

    func testShowListsTheStandardSettingsAsJSONAndText() throws {
        let settings = try show()
        XCTAssertEqual(settings["master"] as? Bool, false)
        XCTAssertEqual(settings["threshold_percent"] as? Double, 85)
        XCTAssertEqual(settings["quiet_hours"] as? String, "21:00-08:00")
        XCTAssertEqual(settings["time_zone"] as? String, "Europe/London")
        XCTAssertEqual(settings["per_contact_cap"] as? Int, 3)
        let intents = try XCTUnwrap(settings["intents"] as? [[String: Any]])
        XCTAssertEqual(intents.map { $0["intent"] as? String }, AutoSendIntent.allCases.map(\.rawValue))
        XCTAssertEqual(intents.last?["needed"] as? Int, 50)
        let channels = try XCTUnwrap(settings["channels"] as? [[String: Any]])
        XCTAssertEqual(channels.first?["footer"] as? String, "Automated reply from Harbour Electrics Ltd. Reply STOP to opt out.")
        XCTAssertEqual(channels.first?["sms_encoding"] as? String, "GSM-7")
        XCTAssertEqual((settings["problems"] as? [Any])?.count, 0)
        let text = try handlet(["show"], user: nil)
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("Auto-Send: off   threshold 85%   quiet hours 21:00-08:00 (Europe/London)"), text.stdout)
        XCTAssertTrue(text.stdout.contains("off complaint        [..........]  0/50  locked: 0 of 50 validated drafts"), text.stdout)
        XCTAssertEqual(try handlet(["check"], user: nil).stdout, "Every Auto-Send check passes.\n")
    }

    func testBadInputIsRefusedWithTheReasonAndNothingIsSaved() throws {
        let before = try show()
        let gatewayFile = folder.appendingPathComponent("plain.txt").path
        FileManager.default.createFile(atPath: gatewayFile, contents: Data("x".utf8), attributes: [.posixPermissions: 0o644])
        let refusals: [([String], Int32, String)] = [
            (["--threshold", "84"], 65, "A confidence threshold of 84% is under the platform floor: give 85 to 100."),
            (["--threshold", "101"], 65, "A confidence threshold of 101% is over 100%: give 85 to 100."),
            (["--threshold", "high"], 64, "\"high\" is not a confidence threshold"),
            (["--enable", "marketing"], 64, "\"marketing\" is not an Auto-Send intent"),
            (["--channel-on", "fax"], 64, "\"fax\" is not a channel"),
            (["--quiet-hours", "21:00-21:00"], 64, "start and end at the same time"),
            (["--quiet-hours", "late"], 64, "\"late\" is not quiet hours"),
            (["--cap", "0"], 65, "A per-contact cap of 0 is out of range"),
            (["--cap", "101"], 65, "A per-contact cap of 101 is out of range"),
            (["--cap", "three"], 64, "\"three\" is not a per-contact cap"),
            (["--opt-out", "sms=Thanks for your message"], 64, "The SMS opt-out wording must tell people how to opt out"),
            (["--gateway", "/nonexistent/gw"], 64, "No gateway command at /nonexistent/gw"),
            (["--gateway", gatewayFile], 64, "is not an executable file"),
            (["--enable", "quote_request"], 77, "Not saved: Quote requests is still locked: 0 of 30 drafts validated."),
            (["--master", "on"], 77, "Auto-Send is on but nobody has given the transparency acknowledgement."),
            (["--disclosure", "whatsapp=Automated reply."], 77, "WhatsApp is on but its texts do not name the business."),
            (["--master", "maybe"], 64, "\"maybe\" is not a master switch setting"),
            ([], 64, "Nothing to change"),
        ]
        for (arguments, status, message) in refusals {
            let outcome = try handlet(["set"] + arguments)
            XCTAssertEqual(outcome.status, status, "\(arguments): \(outcome.stderr)")
            XCTAssertTrue(outcome.stderr.hasPrefix("handlet: "), outcome.stderr)
            XCTAssertTrue(outcome.stderr.contains(message), "\(arguments): \(outcome.stderr)")
            XCTAssertEqual(outcome.stderr.split(separator: "\n").count, 1, "one line: \(outcome.stderr)")
        }
        XCTAssertEqual(NSDictionary(dictionary: try show()), NSDictionary(dictionary: before), "nothing saved")
        // Out of range is bad data (65); not a number is usage (64).
        let preview = try handlet(["preview", "--days", "0"], user: nil)
        XCTAssertEqual(preview.status, 65)
        XCTAssertTrue(preview.stderr.contains("give a whole number from 1 to 365"), preview.stderr)
        let malformed = try handlet(["preview", "--days", "week"], user: nil)
        XCTAssertEqual(malformed.status, 64)
        XCTAssertTrue(malformed.stderr.contains("is not a number of days"), malformed.stderr)
    }

    func testAcknowledgeThenSetSavesAuditsAndRolesAreEnforced() throws {
        let viewer = try handlet(["acknowledge", "transparency"], user: "viewer@example.test")
        XCTAssertEqual(viewer.status, 77)
        XCTAssertEqual(viewer.stderr, "handlet: Only owner or admin may change Auto-Send settings; you are viewer.\n")
        let anonymous = try handlet(["set", "--threshold", "90"], user: nil)
        XCTAssertEqual(anonymous.status, 64)
        let unknown = try handlet(["acknowledge", "everything"])
        XCTAssertEqual(unknown.status, 64, unknown.stderr)

        let ack = try handlet(["acknowledge", "transparency", "--json"], user: "admin@example.test")
        XCTAssertEqual(ack.status, 0, ack.stderr)
        let given = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(ack.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(given["by"] as? String, "admin@example.test")
        let again = try handlet(["acknowledge", "transparency"])
        XCTAssertTrue(again.stdout.contains("already given by admin@example.test"), again.stdout)

        let dry = try handlet(["set", "--master", "on", "--threshold", "92.5", "--dry-run"])
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertTrue(dry.stdout.contains("master: off -> on"), dry.stdout)
        XCTAssertTrue(dry.stdout.contains("nothing saved"), dry.stdout)
        XCTAssertEqual(try show()["master"] as? Bool, false)

        let set = try handlet(["set", "--master", "on", "--threshold", "92.5", "--quiet-hours", "20:30-07:30", "--cap", "5"])
        XCTAssertEqual(set.status, 0, set.stderr)
        XCTAssertEqual(set.stdout, """
            master: off -> on
            threshold: 85% -> 92.5%
            quiet hours: 21:00-08:00 -> 20:30-07:30
            per-contact cap: 3 in 24 hours -> 5 in 24 hours

            """)
        let settings = try show()
        XCTAssertEqual(settings["master"] as? Bool, true)
        XCTAssertEqual(settings["threshold_percent"] as? Double, 92.5)
        XCTAssertEqual(settings["per_contact_cap"] as? Int, 5)
        let clear = try handlet(["set", "--quiet-hours", "none"])
        XCTAssertEqual(clear.status, 77)
        XCTAssertTrue(clear.stderr.contains("Auto-Send is on with no quiet hours."), clear.stderr)

        let audit = try HandletBinary.run(["audit", "list", "--action", "autosend.settings_changed", "--json", "--db", database],
                                          environment: ["HANDLET_USER": "owner@example.test"])
        XCTAssertEqual(audit.status, 0, audit.stderr)
        XCTAssertTrue(audit.stdout.contains("master,threshold,quiet_hours,per_contact_cap"), audit.stdout)
        XCTAssertEqual(try handlet(["check"], user: nil).status, 0)
    }

    func testPreviewOfTheDemoCountsByGateAndFollowsTheSettingsGiven() throws {
        let demo = folder.appendingPathComponent("demo.sqlite").path
        let created = try HandletBinary.run(["demo", "--calls", "300", "--messages", "900", "--db", demo])
        XCTAssertEqual(created.status, 0, created.stderr)
        let settingsBefore = try HandletBinary.run(["autosend", "show", "--json", "--db", demo]).stdout
        let preview = try HandletBinary.run(["autosend", "preview", "--days", "60", "--json", "--db", demo])
        XCTAssertEqual(preview.status, 0, preview.stderr)
        let counts = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(preview.stdout.utf8)) as? [String: Any])
        let drafts = try XCTUnwrap(counts["drafts"] as? Int)
        XCTAssertGreaterThan(drafts, 0)
        XCTAssertEqual((counts["send"] as? Int ?? -1) + (counts["hold"] as? Int ?? -1) + (counts["blocked"] as? Int ?? -1), drafts)
        let byGate = try XCTUnwrap(counts["by_gate"] as? [[String: Any]])
        XCTAssertEqual(byGate.reduce(0) { $0 + ($1["drafts"] as? Int ?? 0) }, drafts - (counts["send"] as? Int ?? 0))
        // With the master switch off in the preview, nothing would be sent, and nothing is saved.
        let off = try HandletBinary.run(["autosend", "preview", "--days", "60", "--master", "off", "--json", "--db", demo])
        let offCounts = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(off.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(offCounts["send"] as? Int, 0)
        let show = try HandletBinary.run(["autosend", "show", "--json", "--db", demo])
        XCTAssertEqual(show.stdout, settingsBefore, "a preview saves nothing")
        let text = try HandletBinary.run(["autosend", "preview", "--days", "60", "--db", demo])
        XCTAssertTrue(text.stdout.hasPrefix("Over the last 60 days, \(drafts) drafts: would send"), text.stdout)
        // Each gate is worded as why it stopped the drafts, never as the condition it checks.
        XCTAssertFalse(byGate.isEmpty)
        for entry in byGate {
            let gate = try XCTUnwrap(AutoSendGate(rawValue: entry["gate"] as? String ?? ""))
            XCTAssertTrue(text.stdout.contains("\(gate.rawValue): \(gate.failureReason)"), text.stdout)
            XCTAssertFalse(text.stdout.contains(gate.summary), text.stdout)
        }
    }
    /// The compliance centre's Auto-Send duty and `autosend check` are one answer on the same
    /// workspace: off and passing, not in use and exit 0; off with a check failing (a locked
    /// intent switched on behind handlet's back), failing naming that check and exit 65.
    func testTheComplianceDutyAndAutoSendCheckAgree() throws {
        func duty() throws -> [String: Any] {
            let outcome = try HandletBinary.run(["compliance", "--json", "--db", database])
            let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any], outcome.stderr)
            let duties = try XCTUnwrap(report["duties"] as? [[String: Any]])
            return try XCTUnwrap(duties.first { $0["duty"] as? String == "auto_send" })
        }
        XCTAssertEqual(try handlet(["check"], user: nil).status, 0)
        XCTAssertEqual(try duty()["status"] as? String, ComplianceReport.Status.notInUse.rawValue)

        let queue = try DatabaseQueue(path: database)
        try queue.write { try $0.execute(sql: "UPDATE autosend_intents SET enabled = 1 WHERE intent = 'complaint'") }
        try queue.close()
        XCTAssertEqual(try show()["master"] as? Bool, false, "still off")
        let check = try handlet(["check"], user: nil)
        XCTAssertEqual(check.status, 65, check.stderr)
        let failing = try duty()
        XCTAssertEqual(failing["status"] as? String, ComplianceReport.Status.failing.rawValue)
        let named = try XCTUnwrap(check.stdout.split(separator: "\n").first { $0.hasPrefix("✗ ") }).dropFirst(2)
        XCTAssertTrue((failing["detail"] as? String ?? "").contains(named), "\(failing) names \(named)")
    }
}
