// Built on the domain's test hooks, which only test builds have (Package.swift).
#if HANDLET_TEST_HOOKS
import Foundation
import HandletDomain

/// A workspace built through the domain for the purge's end-to-end tests: `due` recordings past
/// a 30-day expiry, `live` ones still within it, a few on hold and a few whose file is already
/// gone, each with its own small audio file. Times are relative to the real clock, because the
/// `handlet` binary purges as of now.
package enum PurgeWorkspace {
    package static let users = RolesWorkspace.users

    package struct Layout {
        package var due: Int
        package var live: Int
        package var held: Int = 5
        package var missingFiles: Int = 5

        package init(due: Int, live: Int, held: Int = 5, missingFiles: Int = 5) {
            self.due = due
            self.live = live
            self.held = held
            self.missingFiles = missingFiles
        }
    }

    /// Builds at `folder/workspace.sqlite`; returns the database URL.
    @discardableResult
    package static func build(in folder: URL, layout: Layout) throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent("workspace.sqlite")
        let now = Date()
        let workspace = try Workspace.create(
            at: url, workspace: WorkspaceRecord(name: "Purge test", businessName: "Harbour Electrics Ltd", createdAt: now),
            users: users.map { User(name: $0.0, email: $0.1, role: $0.2, createdAt: now) })
        let audio = workspace.audioDirectory
        var calls: [(call: Call, audio: Data?, recordedAt: Date)] = []
        for index in 0..<(layout.due + layout.live) {
            let isDue = index < layout.due
            // Due: 31 to 90 days old. Live: up to 20 days old.
            let age = isDue ? 31 + Double(index % 60) + 0.25 : Double(index % 20) + 0.25
            let recordedAt = now.addingTimeInterval(-age * 86_400)
            let call = Call(externalId: "CA-E2E-\(index)", direction: .inbound, fromNumber: "+447700900123",
                            toNumber: "+441632960000", contactId: nil, startedAt: recordedAt, durationSeconds: 42,
                            handledBy: .aiAgent, outcome: .messageTaken, summary: "Caller asked for a callback",
                            transcript: Transcript(turns: [.init(speaker: .caller, offsetMs: 0, text: "Please call me")]),
                            recordingState: .recorded)
            let audioBytes = Data("RIFF-e2e-\(index)-".utf8) + Data(repeating: UInt8(index % 251), count: 64)
            calls.append((call, audioBytes, recordedAt))
        }
        let dueFiles = try workspace.importCalls(calls).prefix(layout.due).compactMap { $0.recording?.filePath }
        for index in 0..<layout.held {
            let owner = workspace.session(as: try workspace.actor(email: "owner@example.test"))
            try owner.perform(.placeLegalHold(onCall: workspace.callID("CA-E2E-\(index)"), reason: "Dispute \(index)"))
        }
        for path in dueFiles.suffix(layout.missingFiles) {
            try FileManager.default.removeItem(at: audio.appendingPathComponent(path))
        }
        try workspace.checkpointAndClose()
        return url
    }
}
#endif
