import Foundation
@testable import HandletDomain
import XCTest
import HandletTestSupport

/// Issue 21: a session's clock is set once, when it is opened; its changes, their audit events and
/// its reads happen at that clock's time unless one names its own instant.
final class SessionClockTests: XCTestCase {
    private var folder: URL!
    private var workspace: Workspace!
    private let created = Date(timeIntervalSince1970: 1_767_225_600) // 2026-01-01 00:00 UTC

    override func setUpWithError() throws {
        folder = try StoreTestFolder.make()
        workspace = try Workspace.create(
            at: folder.appendingPathComponent("workspace.sqlite"),
            workspace: WorkspaceRecord(name: "Clock", businessName: "Clock Ltd", timeZone: "UTC", createdAt: created),
            users: [User(name: "Olive Owner", email: "owner@example.test", role: .owner, createdAt: created)], createdAt: created,
            batches: { nil }, progress: { _ in }, history: { _ in })
    }

    override func tearDownWithError() throws {
        try? workspace.dbPool.close()
        try? FileManager.default.removeItem(at: folder)
    }

    private func newestEvent(_ session: WorkspaceSession) throws -> AuditEvent {
        try XCTUnwrap(session.pager(AuditLogPage()).first(limit: 1).first)
    }

    func testAFixedClocksChangesReadsAndAuditEventsAllHappenAtItsInstant() throws {
        let instant = Date(timeIntervalSince1970: 1_770_000_000)
        let session = workspace.session(as: try workspace.actor(email: "owner@example.test"), clock: .fixed(instant))
        XCTAssertEqual(session.now, instant)
        XCTAssertEqual(try session.read(.browseClock()).now, instant, "a read without its own instant uses the session's")

        try session.perform(.setRetentionPeriod(try RetentionPeriod(days: 60), shorteningConfirmed: true))
        XCTAssertEqual(try newestEvent(session).at, instant)
        try session.perform(.setLawfulBasis(.consent, for: ProcessingPurpose.allCases[0]))
        XCTAssertEqual(try newestEvent(session).at, instant, "still the same instant: the clock does not move")

        let named = instant.addingTimeInterval(90)
        try session.perform(.setRetentionPeriod(try RetentionPeriod(days: 90), shorteningConfirmed: true), at: named)
        XCTAssertEqual(try newestEvent(session).at, named, "an instant the caller names wins")
        XCTAssertEqual(try session.read(.browseClock(now: named)).now, named)
    }

    func testTheSystemClockFollowsTheRealTime() throws {
        let session = workspace.session(as: try workspace.actor(email: "owner@example.test"))
        let before = Date()
        try session.perform(.setRetentionPeriod(try RetentionPeriod(days: 60), shorteningConfirmed: true))
        let at = try newestEvent(session).at
        XCTAssertGreaterThanOrEqual(at.timeIntervalSince1970, before.timeIntervalSince1970.rounded(.down))
        XCTAssertLessThanOrEqual(at, Date())
    }
}
