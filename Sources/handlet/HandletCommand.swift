import ArgumentParser

struct HandletCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "handlet",
        abstract: "Browse call and message records, manage recording retention, Auto-Send and processor notices.",
        subcommands: [RetentionCommand.self, HoldCommand.self, ReleaseCommand.self, PurgeCommand.self,
                      UsersCommand.self]
    )
    func run() throws {
        print("handlet")
    }
}
