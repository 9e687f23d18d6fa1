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
            ("Users", counts.users.grouped),
            ("Contacts", counts.contacts.grouped),
            ("Calls", counts.calls.grouped),
            ("Recordings", "\(counts.recordings.grouped) stored, \(counts.recordingsPurged.grouped) purged"),
            ("Threads", counts.threads.grouped),
            ("Messages", counts.messages.grouped),
            ("Reviews", counts.reviews.grouped),
            ("Drafts", counts.drafts.grouped),
            ("Notices", counts.notices.grouped),
            ("Data-subject requests", counts.dataSubjectRequests.grouped),
            ("Audit events", counts.auditEvents.grouped),
            ("Disk", "\(DisplayText.size(info.disk.totalBytes)) (database \(DisplayText.size(info.disk.databaseBytes)), "
                + "write-ahead log \(DisplayText.size(info.disk.walBytes)), audio \(DisplayText.size(info.disk.audioBytes)))"),
        ]
        let width = rows.map(\.0.count).max() ?? 0
        // The labels are ASCII: padded by count, not through NSString (`padding(toLength:)`).
        return rows.map { $0.0 + String(repeating: " ", count: width + 2 - $0.0.count) + $0.1 + "\n" }.joined()
    }
}

private extension Int {
    /// "1,000,000", as the console writes counts (by hand, not through ICU's number formatter).
    var grouped: String { DisplayText.count(self) }
}
