import Foundation
import GRDB
@testable import HandletDomain
import XCTest
import HandletTestSupport

/// Figures for BENCHMARKS.md `## Auto-Send delivery`, run by scripts/bench-delivery.sh: one
/// `handlet queue deliver` pass over 10,000 due messages with the sample gateway, and the same
/// pass with `/bin/true` as the gateway and with the gateway's start alone, to say what bounds it.
/// Compiled only with HANDLET_BENCHMARKS=1 (Package.swift), so never a skipped test.
final class DeliveryBenchmarks: XCTestCase {
    private let now = RolesWorkspace.start.addingTimeInterval(3_600)

    private var sampleGateway: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/gateway-sample.sh").path
    }

    private func pass(count: Int, gateway: String, label: String) throws -> Double {
        let fixture = try RolesWorkspace()
        var change = AutoSendChange()
        change.gateway = .set(gateway)
        try fixture.workspace.session(as: fixture.owner).perform(.changeAutoSend(change))
        try fixture.workspace.queueAutoSendForDelivery(count, dueAt: now.addingTimeInterval(-60))
        let log = fixture.folder.appendingPathComponent("sent.jsonl").path
        let started = Date()
        let outcome = try HandletBinary.run(["queue", "deliver", "--db", fixture.workspace.databaseURL.path, "--json"],
                                            environment: ["HANDLET_TEST_NOW": String(Int64(now.timeIntervalSince1970)),
                                                          "HANDLET_GATEWAY_LOG": log], timeout: 3_600)
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        XCTAssertTrue(outcome.stdout.contains("\"delivered\" : \(count)"), outcome.stdout)
        let rate = Double(count) / elapsed
        print("BENCH delivery (\(label)): \(count) messages in \(String(format: "%.2f", elapsed)) s = \(Int(rate)) messages/s "
              + "(\(String(format: "%.2f", elapsed * 1000 / Double(count))) ms each, whole process)")
        return elapsed
    }

    func testOnePassOverTenThousandDueMessages() throws {
        let count = Int(ProcessInfo.processInfo.environment["HANDLET_BENCH_DELIVERY"] ?? "") ?? 10_000
        let sample = try pass(count: count, gateway: sampleGateway, label: "sample gateway, /bin/sh + cat")
        let bare = try pass(count: count, gateway: "/bin/true", label: "/bin/true as the gateway")

        // The gateway's start alone, without handlet: fork/exec of the sample script reading one line.
        let message = Data(#"{"idempotency_key":"k","body":"x"}"#.utf8 + [10])
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("bench-gateway-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        let runs = min(count, 1_000)
        let started = Date()
        for _ in 0..<runs {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: sampleGateway)
            process.environment = ["HANDLET_GATEWAY_LOG": log, "PATH": "/usr/bin:/bin"]
            let input = Pipe()
            process.standardInput = input
            try process.run()
            input.fileHandleForWriting.write(message)
            try input.fileHandleForWriting.close()
            process.waitUntilExit()
        }
        let spawn = Date().timeIntervalSince(started) / Double(runs)
        print("BENCH delivery: the sample gateway alone (Foundation.Process, \(runs) runs) takes "
              + "\(String(format: "%.2f", spawn * 1000)) ms a run; handlet's own share per message is about "
              + "\(String(format: "%.2f", (bare / Double(count)) * 1000)) ms (the /bin/true pass)")
        _ = sample
    }
}
