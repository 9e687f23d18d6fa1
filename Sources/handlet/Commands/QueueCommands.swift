import ArgumentParser

/// `handlet queue …`: the Auto-Send action queue. This branch registers only `add` and `trace`;
/// the rest of the group (list, show, approve, edit, discard, rate, deliver) is merged in beside them.
struct QueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "The Auto-Send action queue: drafts arriving from outside, and the trace of any send.",
        subcommands: [QueueAddCommand.self, QueueTraceCommand.self]
    )
}
