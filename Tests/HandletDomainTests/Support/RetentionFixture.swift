import Foundation
import GRDB
@testable import HandletDomain

/// A fresh workspace in a temporary folder, with one user of each role and helpers to add
/// calls with real audio files. Removed when released.
final class RetentionFixture {
    /// 2026-01-01 00:00 UTC: every test's clock starts here, so expiries are exact.
    static let start = Date(timeIntervalSince1970: 1_767_225_600)
    static let day: TimeInterval = 86_400

    let folder: URL
    let workspace: Workspace
    let owner: Actor
    let admin: Actor
    let agent: Actor
    let viewer: Actor
    private var sequence = 0

    init(retentionDays: Int = 30) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-retention-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let users = [("Olive Owner", "owner@example.test", Role.owner), ("Adam Admin", "admin@example.test", .admin),
                     ("Aggie Agent", "agent@example.test", .agent), ("Vic Viewer", "viewer@example.test", .viewer)]
            .map { User(name: $0.0, email: $0.1, role: $0.2, createdAt: Self.start) }
        workspace = try Workspace.create(
            at: folder.appendingPathComponent("workspace.sqlite"),
            workspace: WorkspaceRecord(name: "Test", businessName: "Test Plumbing Ltd",
                                       retentionDays: retentionDays, createdAt: Self.start),
            users: users)
        owner = try workspace.actor(email: "owner@example.test")
        admin = try workspace.actor(email: "admin@example.test")
        agent = try workspace.actor(email: "agent@example.test")
        viewer = try workspace.actor(email: "viewer@example.test")
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    static func at(days: Double) -> Date { start.addingTimeInterval(days * day) }

    /// A call recorded at `recordedAt` with `bytes` of distinct audio (nil audio: none captured).
    @discardableResult
    func addCall(recordedAt: Date, bytes: Int? = 100) throws -> RecordingImport.Stored {
        sequence += 1
        let number = sequence
        let call = Call(externalId: "CA\(String(format: "%06d", number))", direction: .inbound,
                        fromNumber: "+447700900\(String(format: "%03d", number % 1000))", toNumber: "+441632960000",
                        contactId: nil, startedAt: recordedAt, durationSeconds: 60, handledBy: .aiAgent,
                        outcome: .bookedJob, summary: "Boiler service booked for call \(number)",
                        transcript: Transcript(turns: [.init(speaker: .caller, offsetMs: 0, text: "My boiler is leaking")]),
                        recordingState: .recorded)
        let audio = bytes.map { Data((0..<$0).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ number &* 7) }) + Data("\(number)".utf8) }
        return try workspace.dbPool.write { db in
            try RecordingImport.add(call, audio: audio, recordedAt: recordedAt, in: db, audioFolder: workspace.audioDirectory)
        }
    }

    func recording(_ id: Recording.ID?) throws -> Recording {
        try workspace.dbPool.read { db in try Recording.fetchOne(db, key: id)! }
    }

    func call(_ id: Call.ID?) throws -> Call {
        try workspace.dbPool.read { db in try Call.fetchOne(db, key: id)! }
    }

    func fileExists(_ relativePath: String?) -> Bool {
        guard let relativePath else { return false }
        return FileManager.default.fileExists(atPath: workspace.audioDirectory.appendingPathComponent(relativePath).path)
    }

    func auditEvents(_ action: String) throws -> [AuditEvent] {
        try workspace.dbPool.read { db in
            try AuditEvent.filter(Column("action") == action).order(Column("seq")).fetchAll(db)
        }
    }

    func auditDetails(_ event: AuditEvent) throws -> [String: AuditValue] {
        try JSONDecoder().decode([String: AuditValue].self, from: Data(event.details.utf8))
    }

    func retentionDays() throws -> Int { try workspace.settings().retentionDays }
}
