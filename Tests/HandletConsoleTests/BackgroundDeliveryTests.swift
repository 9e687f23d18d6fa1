import Foundation
@testable import HandletConsole
@testable import HandletDomain
import XCTest

/// The console's own delivery passes: a due message goes out while the console is open, with
/// progress and a summary in the status bar, on the same background loop as the purge.
final class BackgroundDeliveryTests: XCTestCase {
    private final class Posted: @unchecked Sendable {
        private let lock = NSLock()
        private var activities: [BackgroundActivity] = []
        func append(_ message: any Sendable) {
            guard let activity = message as? BackgroundActivity else { return }
            lock.withLock { activities.append(activity) }
        }
        var all: [BackgroundActivity] { lock.withLock { activities } }
        var summaries: [String] { all.compactMap(\.finishedSummary) }
    }

    private func configureGateway(_ fixture: ConsoleFixture, script: String) throws -> String {
        let url = fixture.folder.appendingPathComponent("gateway.sh")
        try ("#!/bin/sh\n" + script + "\n").write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        var change = AutoSendChange()
        change.gateway = .set(url.path)
        try fixture.workspace.session(as: try fixture.workspace.actor(email: "owner@example.test")).perform(.changeAutoSend(change))
        return url.path
    }

    private func waitFor(_ posted: Posted, summaries count: Int) async throws {
        let deadline = Date().addingTimeInterval(15)
        while posted.summaries.count < count && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
    }

    func testDeliversDueMessagesWithProgressThenAgainWhenMoreFallDue() async throws {
        let fixture = try ConsoleFixture()
        defer { fixture.remove() }
        let log = fixture.folder.appendingPathComponent("sent.jsonl").path
        _ = try configureGateway(fixture, script: "cat >> '\(log)'")
        try fixture.workspace.queueAutoSendForDelivery(3, dueAt: Date().addingTimeInterval(-60))

        let posted = Posted()
        let delivery = BackgroundDelivery(session: fixture.workspace.session(as: .system), checkEvery: .milliseconds(100),
                                          post: { posted.append($0) })
        try await waitFor(posted, summaries: 1)
        try fixture.workspace.queueAutoSendForDelivery(2, dueAt: Date().addingTimeInterval(-1))
        try await waitFor(posted, summaries: 2)
        await delivery.stop()

        XCTAssertEqual(posted.summaries, ["Delivered 3 Auto-Send messages", "Delivered 2 Auto-Send messages"])
        let progress = posted.all.filter { !$0.isFinished }.map(\.progressText)
        XCTAssertEqual(progress.prefix(4), ["Delivering Auto-Send messages 0/3", "Delivering Auto-Send messages 1/3",
                                            "Delivering Auto-Send messages 2/3", "Delivering Auto-Send messages 3/3"])
        XCTAssertEqual(try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").count, 5)
    }

    func testWithNoGatewayNothingRunsAndFailuresAreCountedNotQuoted() async throws {
        let fixture = try ConsoleFixture()
        defer { fixture.remove() }
        try fixture.workspace.queueAutoSendForDelivery(1, dueAt: Date().addingTimeInterval(-60))
        let posted = Posted()
        var delivery = BackgroundDelivery(session: fixture.workspace.session(as: .system), checkEvery: .milliseconds(50),
                                          post: { posted.append($0) })
        try await Task.sleep(for: .milliseconds(300))
        await delivery.stop()
        XCTAssertEqual(posted.all, [], "no gateway: no pass, nothing in the status bar")

        _ = try configureGateway(fixture, script: #"printf '\033[2J secret provider words' >&2; exit 9"#)
        delivery = BackgroundDelivery(session: fixture.workspace.session(as: .system), checkEvery: .seconds(3600),
                                      post: { posted.append($0) })
        try await waitFor(posted, summaries: 1)
        await delivery.stop()
        let summary = try XCTUnwrap(posted.summaries.first)
        XCTAssertEqual(summary, "Delivered 0 Auto-Send messages, 1 to try again")
        XCTAssertTrue(posted.all.last?.failed == true)
    }

    func testStopWaitsForThePassToReachItsNextMessage() async throws {
        let fixture = try ConsoleFixture()
        defer { fixture.remove() }
        _ = try configureGateway(fixture, script: "sleep 0.3")
        try fixture.workspace.queueAutoSendForDelivery(20, dueAt: Date().addingTimeInterval(-60))
        let posted = Posted()
        let delivery = BackgroundDelivery(session: fixture.workspace.session(as: .system), checkEvery: .seconds(3600),
                                          post: { posted.append($0) })
        try await Task.sleep(for: .milliseconds(500))
        await delivery.stop()
        let backlog = try await fixture.workspace.session(as: .system).read(.deliveryBacklog())
        XCTAssertEqual(backlog.sending, 0, "stopped between messages, none left mid-send")
        XCTAssertGreaterThan(backlog.dueNow, 0, "stopped before the end")
        XCTAssertLessThan(backlog.dueNow, 20, "some went out first")
    }
}
