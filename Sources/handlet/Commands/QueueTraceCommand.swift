import ArgumentParser
import Foundation
import HandletDomain

/// `handlet queue trace ID`: why a message went out (or a draft did not): the settings in force,
/// each gate's verdict in order, the draft, the outbox row, who validated the intent's training.
struct QueueTraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Trace a send back to its evaluation: the settings in force, every gate's verdict, the draft.",
        discussion: "ID is a message id (42), a draft (draft:7) or a correlation id (from `messages show --json`).")

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var reader: ReadingUserOptions
    @Argument(help: "A message id, draft:ID, or a correlation id.") var id: String
    @Flag(name: .long, help: "Print JSON (fields in docs/json.md).") var json = false

    func run() throws {
        let reference = try failing { try AutoSendTraceReference(parsing: id) }
        let session = try BrowseSession(workspace, reader)
        let trace = try session.read(.autoSendTrace(reference))
        if json { return try JSONOutput.print(trace) }
        let output = session.output
        print(trace.lines(time: output.time).map(output.safe).joined(separator: "\n"))
    }
}
