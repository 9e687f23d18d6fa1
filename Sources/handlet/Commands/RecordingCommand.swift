import ArgumentParser
import Foundation
import HandletDomain

/// `handlet calls recording CALL --output FILE [--force]`: saves a call's recording to a file,
/// written whole or not at all (a temporary file beside it, renamed), audited as `recording.exported`.
struct CallRecordingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recording",
        abstract: "Save a call's recording to a file (owner, admin or agent; not a viewer).",
        discussion: "Refuses to replace an existing file unless --force. The file is written beside its final name and "
            + "renamed, so it is never left half-written; each save is in the audit log.")
    @Argument(help: "The call: its external id or its number in this workspace.") var call: String
    @Option(name: .long, help: ArgumentHelp("Where to write the audio (a WAV file).", valueName: "FILE")) var output: String
    @Flag(name: .long, help: "Replace FILE if it exists.") var force = false
    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var acting: ActingUserOptions
    @Flag(name: .long, help: "Print the result as JSON.") var json = false

    func run() throws {
        let session = try acting.session(in: workspace.open())
        let destination = URL(fileURLWithPath: output)
        let exported = try failing { try session.exportRecording(ofCallNamed: call, to: destination, overwrite: force) }
        if json { return try JSONOutput.print(exported) }
        print(TerminalText.safeLines("Saved the recording of call \(exported.callExternalId) to \(exported.path) "
                                     + "(\(DisplayText.size(exported.bytes)))."))
    }
}
