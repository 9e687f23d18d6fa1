import ArgumentParser

/// `handlet queue ...`: the Auto-Send action queue (DESIGN §6). On this branch only `deliver`;
/// the other subcommands (list, show, approve, edit, discard, rate, trace) are built on another
/// and the two groups are merged into one.
struct QueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "The Auto-Send action queue: deliver due messages through the gateway.",
        subcommands: [QueueDeliverCommand.self]
    )
}
