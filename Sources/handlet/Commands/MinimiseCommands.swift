import ArgumentParser
import Foundation
import HandletDomain

/// `handlet messages delete ID`: deletes one message's text (data minimisation); the message's
/// time, addresses and delivery status stay, marked deleted.
struct DeleteMessageTextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete one message's text and attachment names for good (owner or admin); its metadata stays.",
        discussion: "Shows what goes and asks first; without a terminal it needs --yes. "
            + "The message's id is the number `handlet messages show THREAD` and `handlet compliance` list.")
    // Taken raw so "abc" and "-1" get the domain's one line, not argument-parser's.
    @Argument(parsing: .allUnrecognized, help: "The message's id in this workspace.") var id: [String] = []
    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var acting: ActingUserOptions
    @OptionGroup var confirmation: ConfirmationOptions
    @Flag(name: .long, help: "Print the result as JSON.") var json = false

    func run() throws {
        guard id.count == 1, let number = Int64(id[0]), number > 0 else {
            throw CommandFailure("Give one message id (a whole number), e.g. `handlet messages delete 1234`.", .usage)
        }
        let session = try acting.session(in: workspace.open())
        let deleted = try session.carryOut(.deleteMessageText(Message.ID(number)), asking: confirmation, json: json)
        if json { return try JSONOutput.print(deleted) }
        print("Deleted the text of message \(deleted.id) (\(DisplayText.count(deleted.characters, "character"))); "
              + "the message's time, addresses and delivery status stay.")
    }
}

/// `handlet calls delete-text CALL`: deletes one call's summary and transcript (data minimisation).
struct DeleteCallTextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete-text",
        abstract: "Delete one call's summary and transcript for good (owner or admin); the call and its recording stay.",
        discussion: "Shows what goes and asks first; without a terminal it needs --yes.")
    @Argument(help: "The call: its external id or its number in this workspace.") var call: String
    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var acting: ActingUserOptions
    @OptionGroup var confirmation: ConfirmationOptions
    @Flag(name: .long, help: "Print the result as JSON.") var json = false

    func run() throws {
        let session = try acting.session(in: workspace.open())
        let deleted = try session.carryOut(.deleteCallText(named: call), asking: confirmation, json: json)
        if json { return try JSONOutput.print(deleted) }
        print("Deleted the summary and transcript of call \(deleted.callExternalId ?? String(deleted.id)) "
              + "(\(DisplayText.count(deleted.characters, "character"))); the call's metadata and recording stay.")
    }
}
