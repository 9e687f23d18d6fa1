import ArgumentParser

/// `handlet queue …`: the Auto-Send action queue (DESIGN §6): drafts arriving from outside, the
/// trace of any send, and delivery of due messages through the operator's gateway.
struct QueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "The Auto-Send action queue: drafts arriving from outside, the trace of any send, delivery through the gateway.",
        subcommands: [QueueAddCommand.self, QueueTraceCommand.self, QueueDeliverCommand.self]
    )
}
