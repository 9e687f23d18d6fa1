import Foundation
import HandletDomain
import XCTest
import HandletTestSupport

/// Issue 22: `handlet queue add` (a draft from an outside system, evaluated at once), `queue
/// trace`, and `messages show --json` carrying the correlation id the trace follows, run as the
/// real binary on a demo workspace.
final class QueueCLITests: XCTestCase {
    private static let now = "1795435200" // Monday 23 November 2026, 12:00 London
    private var folder: URL!
    private var database: String { folder.appendingPathComponent("workspace.sqlite").path }

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-queue-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let demo = try handlet(["demo", "--calls", "40", "--messages", "40"])
        XCTAssertEqual(demo.status, 0, demo.stderr)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    private func handlet(_ arguments: [String], user: String? = nil, input: Data? = nil) throws -> HandletBinary.Outcome {
        try HandletBinary.run(arguments + ["--db", database],
                              environment: ["HANDLET_TEST_NOW": Self.now, "HANDLET_USER": user ?? ""], input: input)
    }

    private func json(_ outcome: HandletBinary.Outcome) throws -> [String: Any] {
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any], outcome.stdout)
    }

    /// A thread whose newest message is the customer's.
    private func threadWithCustomerMessage() throws -> Int {
        let list = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try handlet(["messages", "list", "--json"]).stdout.utf8))
            as? [[String: Any]])
        return try XCTUnwrap(list.first { $0["last_direction"] as? String == "inbound" }?["id"] as? Int)
    }

    func testADraftFromStdinIsEvaluatedAtOnceAndItsTraceShowsEveryGateInOrder() throws {
        let thread = try threadWithCustomerMessage()
        let body = #"{"thread": \#(thread), "intent": "quote_request", "confidence": 0.97, "body": "It would be £95 fixed.\u001b[31m", "firm_price_available": false}"#
        let added = try json(try handlet(["queue", "add", "--stdin", "--json"], input: Data(body.utf8)))
        let correlation = try XCTUnwrap(added["correlation_id"] as? String)
        let draft = try XCTUnwrap(added["draft_id"] as? Int)
        // No firm price: a quote reply always waits for a person (or is blocked earlier by a veto).
        XCTAssertTrue(["hold", "blocked"].contains(added["outcome"] as? String), "\(added)")
        XCTAssertNil(added["outbox_id"])

        let trace = try json(try handlet(["queue", "trace", "draft:\(draft)", "--json"]))
        XCTAssertEqual(trace["correlation_id"] as? String, correlation)
        let evaluation = try XCTUnwrap((trace["evaluations"] as? [[String: Any]])?.first)
        XCTAssertEqual(evaluation["outcome"] as? String, added["outcome"] as? String)
        let gates = try XCTUnwrap(evaluation["gates"] as? [[String: Any]])
        XCTAssertEqual(gates.map { $0["gate"] as? String }, AutoSendGate.allCases.map(\.rawValue))
        XCTAssertEqual(gates.map { $0["order"] as? Int }, Array(1...17))
        let settings = try XCTUnwrap(evaluation["settings"] as? [String: String])
        XCTAssertNotNil(settings["master"])
        XCTAssertEqual((trace["draft"] as? [String: Any])?["body"] as? String, "It would be £95 fixed.\u{1b}[31m", "stored as given")

        // The text form: the deciding gate worded as its failure, the escape sequence made visible.
        let text = try handlet(["queue", "trace", correlation])
        XCTAssertEqual(text.status, 0, text.stderr)
        let gate = try XCTUnwrap(AutoSendGate(rawValue: evaluation["deciding_gate"] as? String ?? ""))
        XCTAssertTrue(text.stdout.contains(gate.failureReason), text.stdout)
        XCTAssertFalse(text.stdout.contains("\u{1b}"), "no raw escape reaches the terminal")
        XCTAssertTrue(text.stdout.contains("Settings in force: "), text.stdout)

        // The arrival is audited with identifiers only.
        let audit = try handlet(["audit", "list", "--action", "draft.arrived", "--json"], user: "owner@kestrelhomeservices.co.uk")
        XCTAssertEqual(audit.status, 0, audit.stderr)
        XCTAssertTrue(audit.stdout.contains(correlation), audit.stdout)
        XCTAssertFalse(audit.stdout.contains("£95"), audit.stdout)
    }

    func testFlagsTheSameAndBadInputIsRefusedWithNothingStored() throws {
        let thread = try threadWithCustomerMessage()
        let added = try handlet(["queue", "add", "--thread", "\(thread)", "--intent", "follow_up", "--confidence", "92%",
                                 "--body", "Thanks, see you Tuesday."])
        XCTAssertEqual(added.status, 0, added.stderr)
        XCTAssertTrue(added.stdout.hasPrefix("Draft "), added.stdout)
        let notJSON = try handlet(["queue", "add", "--stdin"], input: Data("not json".utf8))
        XCTAssertEqual(notJSON.status, 65, notJSON.stderr)
        let two = try handlet(["queue", "add", "--thread", "\(thread)", "--message", "1", "--intent", "follow_up",
                               "--confidence", "0.9", "--body", "Hi"])
        XCTAssertEqual(two.status, 64, two.stderr)
        let confidence = try handlet(["queue", "add", "--thread", "\(thread)", "--intent", "follow_up", "--confidence", "1.5",
                                      "--body", "Hi"])
        XCTAssertEqual(confidence.status, 65, confidence.stderr)
        // The drafting system's own id: kept, and a retry with it is refused rather than queued twice.
        let own = ["queue", "add", "--thread", "\(thread)", "--intent", "follow_up", "--confidence", "0.9",
                   "--body", "Hi", "--correlation-id", "crm-42", "--json"]
        let first = try handlet(own)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("\"correlation_id\" : \"crm-42\""), first.stdout)
        let retry = try handlet(own)
        XCTAssertEqual(retry.status, 65, retry.stderr)
        XCTAssertTrue(retry.stderr.contains("crm-42 is already stored"), retry.stderr)
        let malformed = try handlet(["queue", "add", "--thread", "\(thread)", "--intent", "follow_up", "--confidence", "0.9",
                                     "--body", "Hi", "--correlation-id", "two words"])
        XCTAssertEqual(malformed.status, 64, malformed.stderr)
    }

    func testMessagesShowJSONCarriesTheCorrelationIdAndTheTraceFollowsIt() throws {
        let list = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try handlet(["messages", "list", "--json"]).stdout.utf8))
            as? [[String: Any]])
        var traced = 0
        for thread in list.compactMap({ $0["id"] as? Int }) {
            let shown = try json(try handlet(["messages", "show", "\(thread)", "--json"]))
            for message in shown["messages"] as? [[String: Any]] ?? [] {
                guard let correlation = message["correlation_id"] as? String, let id = message["id"] as? Int else {
                    XCTAssertNotEqual(message["auto_sent"] as? Bool, true, "an auto-sent message carries its correlation id")
                    continue
                }
                let trace = try handlet(["queue", "trace", "\(id)", "--json"])
                guard trace.status == 0 else { continue }
                let body = try json(trace)
                XCTAssertEqual(body["correlation_id"] as? String, correlation)
                XCTAssertEqual((body["message"] as? [String: Any])?["id"] as? Int, id)
                traced += 1
            }
        }
        XCTAssertGreaterThan(traced, 0, "at least one sent message of the demo traces back to its draft")
        // A customer's message has nothing to trace.
        let inbound = try handlet(["queue", "trace", "1"])
        XCTAssertEqual(inbound.status, 65, inbound.stderr)
    }
}
