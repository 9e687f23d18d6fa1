// Built on the domain's test hooks, which only test builds have (Package.swift).
#if HANDLET_TEST_HOOKS
import Foundation
import HandletDomain

/// A fresh workspace in a temporary folder with one user of each role, and calls with real
/// audio files added on demand. Removed when released. (The domain tests know it by its old
/// name, `RetentionFixture`.)
package final class RolesWorkspace {
    /// 2026-01-01 00:00 UTC: every test's clock starts here, so expiries are exact.
    package static let start = Date(timeIntervalSince1970: 1_767_225_600)
    package static let day: TimeInterval = 86_400

    /// One user of each role: name, email, role.
    package static let users: [(String, String, Role)] = [
        ("Olive Owner", "owner@example.test", .owner), ("Adam Admin", "admin@example.test", .admin),
        ("Aggie Agent", "agent@example.test", .agent), ("Vic Viewer", "viewer@example.test", .viewer),
    ]

    package let folder: URL
    package let workspace: Workspace
    package let owner: Actor
    package let admin: Actor
    package let agent: Actor
    package let viewer: Actor
    private var sequence = 0

    package init(retentionDays: Int = 30) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-retention-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        workspace = try Workspace.create(
            at: folder.appendingPathComponent("workspace.sqlite"),
            workspace: WorkspaceRecord(name: "Test", businessName: "Test Plumbing Ltd",
                                       retentionDays: retentionDays, createdAt: Self.start),
            users: Self.users.map { User(name: $0.0, email: $0.1, role: $0.2, createdAt: Self.start) })
        owner = try workspace.actor(email: "owner@example.test")
        admin = try workspace.actor(email: "admin@example.test")
        agent = try workspace.actor(email: "agent@example.test")
        viewer = try workspace.actor(email: "viewer@example.test")
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    package static func at(days: Double) -> Date { start.addingTimeInterval(days * day) }

    /// A call recorded at `recordedAt` with `bytes` of distinct audio (nil audio: none captured).
    @discardableResult
    package func addCall(recordedAt: Date, bytes: Int? = 100) throws -> RecordingImport.Stored {
        sequence += 1
        let number = sequence
        let call = Call(externalId: "CA\(String(format: "%06d", number))", direction: .inbound,
                        fromNumber: "+447700900\(String(format: "%03d", number % 1000))", toNumber: "+441632960000",
                        contactId: nil, startedAt: recordedAt, durationSeconds: 60, handledBy: .aiAgent,
                        outcome: .bookedJob, summary: "Boiler service booked for call \(number)",
                        transcript: Transcript(turns: [.init(speaker: .caller, offsetMs: 0, text: "My boiler is leaking")]),
                        recordingState: .recorded)
        let audio = bytes.map { Data((0..<$0).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ number &* 7) }) + Data("\(number)".utf8) }
        return try workspace.importCall(call, audio: audio, recordedAt: recordedAt)
    }

    package func fileExists(_ relativePath: String?) -> Bool {
        guard let relativePath else { return false }
        return FileManager.default.fileExists(atPath: workspace.audioDirectory.appendingPathComponent(relativePath).path)
    }

    package func retentionDays() throws -> Int { try workspace.session(as: .system).read(.settings).retentionDays }
}
#endif
