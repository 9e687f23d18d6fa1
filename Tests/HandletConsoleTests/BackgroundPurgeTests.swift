import Foundation
@testable import HandletConsole
@testable import HandletDomain
import XCTest

/// The console's own purge: at open, then again when a recording expires while it stays open.
final class BackgroundPurgeTests: XCTestCase {
    private final class Posted: @unchecked Sendable {
        private let lock = NSLock()
        private var activities: [BackgroundActivity] = []
        func append(_ message: any Sendable) {
            guard let activity = message as? BackgroundActivity else { return }
            lock.withLock { activities.append(activity) }
        }
        var summaries: [String] { lock.withLock { activities.compactMap(\.finishedSummary) } }
    }

    /// Counts the purge's checks: it reads the clock once at the start of each, so when the
    /// count reaches n + 1, n checks have completed.
    private final class CheckCounter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func now() -> Date { lock.withLock { count += 1 }; return Date() }
        var checks: Int { lock.withLock { count } }

        /// Waits until `n` checks have completed; fails loudly after 15 s.
        func waitForCompletedChecks(_ n: Int, file: StaticString = #filePath, line: UInt = #line) async throws {
            let deadline = Date().addingTimeInterval(15)
            while checks < n + 1 {
                if Date() >= deadline {
                    XCTFail("only \(max(0, checks - 1)) purge checks completed in 15 s, waited for \(n)", file: file, line: line)
                    throw CancellationError()
                }
                try await Task.sleep(for: .milliseconds(5))
            }
        }
    }

    func testPurgesAtOpenAndAgainWhenARecordingExpiresWhileOpen() async throws {
        let fixture = try ConsoleFixture()
        defer { fixture.remove() }
        let workspace = fixture.workspace
        let audio = workspace.audioDirectory
        // The fixture's one recording, made due now; a second one that expires a second later.
        let start = Date()
        try workspace.setRecordingExpiry(start.addingTimeInterval(-60))
        let first = try XCTUnwrap(workspace.recordingFilePaths().first), second = "later.wav"
        let callId = try XCTUnwrap(workspace.aCallWithoutRecording())
        try Data("RIFF-later".utf8).write(to: audio.appendingPathComponent(second))
        try workspace.attachRecording(toCall: callId, filePath: second, createdAt: start.addingTimeInterval(-86_400),
                                      expiresAt: start.addingTimeInterval(1))
        XCTAssertTrue(FileManager.default.fileExists(atPath: audio.appendingPathComponent(first).path))

        let posted = Posted()
        let purge = BackgroundPurge(session: workspace.session(as: .system), checkEvery: .milliseconds(200), post: { posted.append($0) })
        let deadline = Date().addingTimeInterval(10)
        while posted.summaries.count < 2 && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        await purge.stop()

        XCTAssertEqual(posted.summaries.count, 2, "\(posted.summaries)")
        XCTAssertTrue(posted.summaries.allSatisfy { $0.hasPrefix("Purged 1 expired recording (") }, "\(posted.summaries)")
        for path in [first, second] {
            XCTAssertFalse(FileManager.default.fileExists(atPath: audio.appendingPathComponent(path).path), path)
        }
        let runs = try workspace.auditDetails(.purgeRun).count
        XCTAssertEqual(runs, 2, "checks that find nothing due leave no audit event")
    }

    func testAFailureThatPersistsIsShownOnce() async throws {
        let fixture = try ConsoleFixture()
        defer { fixture.remove() }
        let workspace = fixture.workspace
        try workspace.setRecordingExpiry(Date().addingTimeInterval(-60))
        try FileManager.default.removeItem(at: workspace.audioDirectory)
        let posted = Posted()
        let counter = CheckCounter()
        let purge = BackgroundPurge(session: workspace.session(as: .system), checkEvery: .milliseconds(10),
                                    now: { counter.now() }, post: { posted.append($0) })
        // Five checks all met the same failure; it is shown once.
        try await counter.waitForCompletedChecks(5)
        await purge.stop()
        XCTAssertEqual(posted.summaries.count, 1, "\(posted.summaries)")
        XCTAssertTrue(posted.summaries.first?.contains("recordings folder") == true, "\(posted.summaries)")
    }

    /// Quitting the console calls `stop()` (ConsoleLauncher): a purge in progress stops at its
    /// next batch boundary, so what it purged is whole batches, its run is closed and audited as
    /// cancelled, and no row or file is left half done.
    func testQuittingStopsARunningPurgeAtABatchBoundary() async throws {
        let fixture = try ConsoleFixture(calls: 10)
        defer { fixture.remove() }
        let workspace = fixture.workspace
        let audio = workspace.audioDirectory
        let count = 9_000, batch = Purge.defaultBatchSize
        let past = ConsoleFixture.now.addingTimeInterval(-400 * 86_400)
        for index in 0..<count { try Data("RIFF-\(index)".utf8).write(to: audio.appendingPathComponent("bulk-\(index).wav")) }
        try workspace.addBulkRecordedCalls(count: count, from: past)
        let posted = Posted()
        let progress = ProgressSeen()
        // The fixture's clock: its own recording (made an hour before) is not due, the bulk ones are.
        let purge = BackgroundPurge(session: workspace.session(as: .system), checkEvery: .seconds(3600),
                                    now: { ConsoleFixture.now }, post: { posted.append($0); progress.note($0) })
        // Quit as soon as the first batch is in: the run is under way, with batches left.
        let deadline = Date().addingTimeInterval(30)
        while progress.maximum == 0 {
            if Date() >= deadline { return XCTFail("no batch of the background purge finished within 30 s") }
            try await Task.sleep(for: .milliseconds(2))
        }
        await purge.stop()

        let state = try workspace.purgeState()
        let (purged, runs, journal) = (state.purgedRecordings, state.runs, state.journalEntries)
        let details = try workspace.auditDetails(.purgeRun)
        let total = count
        XCTAssertGreaterThan(purged, 0)
        XCTAssertLessThan(purged, total, "stopped before the end: \(purged) of \(total)")
        XCTAssertEqual(purged % batch, 0, "\(purged) purged: whole batches of \(batch) only")
        XCTAssertEqual(runs, 0, "the stopped run is closed, not left to resume")
        XCTAssertEqual(journal, 0, "its files were all unlinked before it ended")
        XCTAssertEqual(details.count, 1)
        XCTAssertTrue(details.first?.contains("\"cancelled\":true") == true, "\(details)")
        let files = try FileManager.default.contentsOfDirectory(atPath: audio.path).filter { $0.hasPrefix("bulk-") }.count
        XCTAssertEqual(files, count - purged, "the files left are exactly those not purged")
    }

    /// The highest `done` a progress update has posted.
    private final class ProgressSeen: @unchecked Sendable {
        private let lock = NSLock()
        private var highest = 0
        func note(_ message: any Sendable) {
            guard let activity = message as? BackgroundActivity, activity.finishedSummary == nil else { return }
            lock.withLock { highest = max(highest, activity.done) }
        }
        var maximum: Int { lock.withLock { highest } }
    }

    func testStopReturnsPromptlyBetweenChecks() async throws {
        let fixture = try ConsoleFixture()
        defer { fixture.remove() }
        let counter = CheckCounter()
        let purge = BackgroundPurge(session: fixture.workspace.session(as: .system), checkEvery: .seconds(3600),
                                    now: { counter.now() }, post: { _ in })
        // The first check has begun (nothing is due): then the loop sleeps for an hour.
        try await counter.waitForCompletedChecks(0)
        let started = Date()
        await purge.stop()
        XCTAssertLessThan(Date().timeIntervalSince(started), 1, "a sleeping check must not hold the console's exit")
    }
}
