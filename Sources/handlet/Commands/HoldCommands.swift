import ArgumentParser
import Foundation
import HandletDomain

/// `handlet hold CALL --reason TEXT`: a held recording never expires and no purge takes it.
struct HoldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hold", abstract: "Place a legal hold on a call's recording (owner or admin).")
    @Argument(help: "The call: its external id or its number in this workspace.") var call: String
    @Option(name: .long, help: "Why the recording must be kept (required; kept out of the audit log).")
    var reason: String
    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var acting: ActingUserOptions
    @Flag(name: .long, help: "Print the hold as JSON.") var json = false

    func run() throws {
        let session = try acting.session(in: workspace.open())
        let held = try session.carryOut(.placeLegalHold(onCallNamed: call, reason: reason))
        if json { return try JSONOutput.print(held) }
        print("The recording of call \(held.callExternalId) is on legal hold; no purge will delete it until released.")
    }
}

/// `handlet release CALL --reason TEXT [--yes]`: the recording's own expiry applies again, so it asks first.
struct ReleaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release", abstract: "Release the legal hold on a call's recording (owner or admin).")
    @Argument(help: "The call: its external id or its number in this workspace.") var call: String
    @Option(name: .long, help: "Why the hold ends (required; kept in the hold's history, out of the audit log).")
    var reason: String
    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var acting: ActingUserOptions
    @OptionGroup var confirmation: ConfirmationOptions
    @Flag(name: .long, help: "Print the release as JSON.") var json = false

    func run() throws {
        let session = try acting.session(in: workspace.open())
        let released = try session.carryOut(.releaseLegalHold(onCallNamed: call, reason: reason), asking: confirmation, json: json)
        if json { return try JSONOutput.print(released) }
        let clock = try failing { try session.read(.browseClock()) }
        let when = released.dueAtNextPurge ? "its expiry has passed, so the next purge deletes it"
            : "it expires \(DisplayText.zonedTimestamp(released.expiresAt, clock: clock))"
        print("Released the legal hold on the recording of call \(released.callExternalId); \(when).")
    }
}
