import ArgumentParser
import Foundation
import HandletDomain

/// `handlet info`: which workspace, its schema version, how many records of each kind, disk use.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info", abstract: "Show the workspace's name, path, schema version, record counts and disk use.")

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var reader: ReadingUserOptions
    @Flag(name: .long, help: "Print JSON (fields in docs/json.md).") var json = false

    func run() throws {
        let session = try reader.session(in: workspace.openForReading())
        let info = try failing { try session.read(.workspaceInfo) }
        if json { return try JSONOutput.print(info) }
        print(WorkspaceSummary.text(info), terminator: "")
    }
}

/// The plain-text form of `WorkspaceInfo`, for `handlet info` and the first-run message.
enum WorkspaceSummary {
    static func text(_ info: WorkspaceInfo) -> String {
        let counts = info.counts
        let rows: [(String, String)] = [
            ("Workspace", info.name + (info.isDemo ? " — demo data" : "")),
            ("Business", info.businessName),
            ("Database", info.path),
            ("Recordings folder", info.audioPath),
            ("Schema version", String(info.schemaVersion)),
            ("Recording", info.recordingEnabled ? "on, kept \(DisplayText.count(info.retentionDays, "day"))" : "off"),
            ("Users", counts.users.formatted(.number)),
            ("Contacts", counts.contacts.formatted(.number)),
            ("Calls", counts.calls.formatted(.number)),
            ("Recordings", "\(counts.recordings.formatted(.number)) stored, \(counts.recordingsPurged.formatted(.number)) purged"),
            ("Threads", counts.threads.formatted(.number)),
            ("Messages", counts.messages.formatted(.number)),
            ("Reviews", counts.reviews.formatted(.number)),
            ("Drafts", counts.drafts.formatted(.number)),
            ("Notices", counts.notices.formatted(.number)),
            ("Data-subject requests", counts.dataSubjectRequests.formatted(.number)),
            ("Audit events", counts.auditEvents.formatted(.number)),
            ("Disk", "\(DisplayText.size(info.disk.totalBytes)) (database \(DisplayText.size(info.disk.databaseBytes)), "
                + "write-ahead log \(DisplayText.size(info.disk.walBytes)), audio \(DisplayText.size(info.disk.audioBytes)))"),
        ]
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0.padding(toLength: width + 2, withPad: " ", startingAt: 0) + $0.1 + "\n" }.joined()
    }
}
