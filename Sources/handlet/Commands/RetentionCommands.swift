import ArgumentParser
import Foundation
import HandletDomain

/// `handlet retention show|set|disable|enable`: the recording settings of DESIGN §5.
struct RetentionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention",
        abstract: "Show or change how long call recordings are kept, or turn recording off and on.",
        subcommands: [Show.self, SetPeriod.self, Disable.self, Enable.self],
        defaultSubcommand: Show.self
    )

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Recording on/off, the period, what is due, expiring soon, on hold, and the last purge.")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var reader: ReadingUserOptions
        @Flag(name: .long, help: "Print JSON (fields in docs/json.md).") var json = false

        func run() throws {
            let session = try reader.session(in: workspace.openForReading())
            let overview = try failing { try session.read(.retentionOverview()) }
            if json { return try JSONOutput.print(overview) }
            let clock = try failing { try session.read(.browseClock()) }
            for line in RetentionCommand.describe(overview, output: BrowseOutput(clock: clock)) { print(line) }
        }
    }

    struct SetPeriod: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Set the recordings' retention period in whole days (1 to 730; presets 7, 14, 30, 60, 90, 180, 365), "
                + "or how long call text and message text are kept (--transcripts, --messages, --off).",
            discussion: "Every stored recording is re-dated to its creation time plus the new period. "
                + "Shortening shows what becomes due and asks first; without a terminal it needs --yes. "
                + "Text periods are off by default (text kept until deleted); when set (30 to 3650 days), the purge removes "
                + "call summaries and transcripts, or message text, older than the period and keeps the calls' and messages' metadata.")
        // Taken raw so that "-1", "30.5" and "thirty" reach the period's own validation and its message.
        @Argument(parsing: .allUnrecognized, help: "Days to keep each recording.") var days: [String] = []
        @Option(name: .long, parsing: .unconditional, help: "Days to keep call summaries and transcripts (30 to 3650), or off.")
        var transcripts: String?
        @Option(name: .long, parsing: .unconditional, help: "Days to keep message text (30 to 3650), or off.")
        var messages: String?
        @Flag(name: .long, help: "Turn both text periods off: call and message text kept until deleted.") var off = false
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var acting: ActingUserOptions
        @OptionGroup var confirmation: ConfirmationOptions
        @Flag(name: .long, help: "Print the change as JSON.") var json = false

        /// The text periods asked for, parsed before anything is opened or changed.
        func textChanges() throws -> [(TextKind, TextRetentionPeriod?)] {
            if off {
                guard transcripts == nil, messages == nil else {
                    throw CommandFailure("--off turns both text periods off; give it without --transcripts or --messages.", .usage)
                }
                return [(.transcripts, nil), (.messages, nil)]
            }
            func parse(_ text: String?) throws -> TextRetentionPeriod?? {
                guard let text else { return .none }
                if text.trimmingCharacters(in: .whitespaces).lowercased() == "off" { return .some(nil) }
                return .some(try failing { try TextRetentionPeriod(parsing: text) })
            }
            var changes: [(TextKind, TextRetentionPeriod?)] = []
            if let period = try parse(transcripts) { changes.append((.transcripts, period)) }
            if let period = try parse(messages) { changes.append((.messages, period)) }
            return changes
        }

        func run() throws {
            let text = try textChanges()
            if !text.isEmpty {
                guard days.isEmpty else {
                    throw CommandFailure("Set the recordings' period and the text periods in separate commands.", .usage)
                }
                return try setText(text)
            }
            guard days.count == 1 else {
                throw CommandFailure("Give exactly one retention period in days, e.g. `handlet retention set 30`, "
                                     + "or --transcripts DAYS, --messages DAYS or --off.", .usage)
            }
            let period = try failing { try RetentionPeriod(parsing: days[0]) }
            let session = try acting.session(in: workspace.open())
            let change = try session.carryOut(.setRetentionPeriod(period), asking: confirmation, json: json)
            if json { return try JSONOutput.print(change) }
            if !change.changed { return print("The retention period is already \(period); nothing changed.") }
            print("Retention period set to \(change.to) (was \(change.from)); "
                  + "\(DisplayText.count(change.recordingsRedated, "stored recording")) re-dated.")
            if change.impact.recordings > 0 {
                print("Run `handlet purge` (or let the timer run it) to delete the recordings now due.")
            }
        }

        /// Every plan first (a refusal changes nothing), every question next, then the changes.
        func setText(_ changes: [(TextKind, TextRetentionPeriod?)]) throws {
            let session = try acting.session(in: workspace.open())
            var approved: [WorkspaceCommand<TextRetentionSettings.Change>] = []
            for (kind, period) in changes {
                let plan = try failing { try session.plan(.setTextRetention(kind, to: period)) }
                if let refusal = plan.refusalError { throw CommandFailure(refusal) }
                var confirmed = false
                if let question = plan.confirmation {
                    if let preview = plan.preview { say(preview.lines, json: json) }
                    guard try confirmation.confirm(question.question) else { throw CommandFailure(question.declined, .failure) }
                    confirmed = true
                }
                approved.append(try failing { try plan.approved(confirmed: confirmed) })
            }
            let results = try approved.map { command in try failing { try session.perform(command) } }
            if json { return try JSONOutput.print(results) }
            for change in results {
                guard change.changed else {
                    print("The retention of \(change.kind.label) is already \(TextRetentionPeriod.describe(change.to)); nothing changed.")
                    continue
                }
                print("Retention of \(change.kind.label) set to \(TextRetentionPeriod.describe(change.to)) "
                      + "(was \(TextRetentionPeriod.describe(change.from))).")
                if change.impact.items > 0 {
                    print("Run `handlet purge` (or let the timer run it) to remove the text now due.")
                }
            }
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "disable",
            abstract: "Stop recording calls; existing recordings stay until they expire unless --delete-now.",
            discussion: "With --delete-now every stored recording not on legal hold is deleted at once "
                + "(a purge runs straight away); this asks first, and without a terminal needs --yes.")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var acting: ActingUserOptions
        @OptionGroup var confirmation: ConfirmationOptions
        @Flag(name: .long, help: "Also delete every stored recording not on legal hold, now.") var deleteNow = false
        @Flag(name: .long, help: "Print the result as JSON.") var json = false

        struct Output: Encodable {
            let recording: RetentionSettings.RecordingSwitch
            let purge: PurgeReport?
        }

        func run() throws {
            let session = try acting.session(in: workspace.open())
            let change = try session.carryOut(.disableRecording(existing: deleteNow ? .deleteNow : .keepUntilExpiry),
                                              asking: confirmation, json: json)
            let report = deleteNow ? try failing { try session.purge() } : nil
            if json { return try JSONOutput.print(Output(recording: change, purge: report)) }
            print(change.changed ? "Recording is off: calls taken from now on keep no audio."
                                 : "Recording was already off; nothing changed.")
            if let report {
                print("Deleted \(DisplayText.count(report.thisRun.purged, "recording")) "
                      + "(\(DisplayText.size(report.thisRun.bytes))); "
                      + "\(DisplayText.count(change.keptOnHold, "recording")) on legal hold kept.")
            } else if change.changed {
                print("Stored recordings stay until they expire (`handlet retention show` lists what is due).")
            }
        }
    }

    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "enable", abstract: "Record calls again from now on.")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var acting: ActingUserOptions
        @Flag(name: .long, help: "Print the result as JSON.") var json = false

        func run() throws {
            let session = try acting.session(in: workspace.open())
            let change = try session.carryOut(.enableRecording)
            if json { return try JSONOutput.print(change) }
            print(change.changed ? "Recording is on for calls taken from now on."
                                 : "Recording was already on; nothing changed.")
        }
    }

    static func describe(_ overview: RetentionOverview, output: BrowseOutput) -> [String] {
        var lines = [
            "Recording:         \(overview.recordingEnabled ? "on" : "off (calls keep no audio)")",
            "Retention period:  \(overview.period)\(overview.period.isPreset ? "" : " (custom)")",
        ]
        if overview.dueNow.recordings > 0 {
            lines.append("Due now:           \(RetentionText.dueNow(overview.dueNow))")
        } else if let next = overview.nextExpiry {
            lines.append("Next expiry:       \(output.time(next))")
        } else {
            lines.append("Next expiry:       none (nothing stored can expire)")
        }
        let soon = overview.expiringSoon
        lines.append("Expiring in \(DisplayText.count(soon.days, "day")): \(RetentionText.recordings(soon.recordings, bytes: soon.bytes))")
        lines.append("On legal hold:     \(DisplayText.count(overview.onHold.count, "recording"))")
        if !overview.onHold.isEmpty { lines += output.table(LegalHold.Held.columns, overview.onHold).map { "  " + $0 } }
        lines.append("Call text kept:    \(TextRetentionPeriod.describe(overview.textRetention.transcripts))"
                     + (overview.textDue.calls > 0 ? "; \(DisplayText.count(overview.textDue.calls, "call")) due" : ""))
        lines.append("Message text kept: \(TextRetentionPeriod.describe(overview.textRetention.messages))"
                     + (overview.textDue.messages > 0 ? "; \(DisplayText.count(overview.textDue.messages, "message")) due" : ""))
        lines.append("Last purge:        \(RetentionText.lastPurge(overview.lastPurge, when: output.time))")
        if let owed = overview.searchDebt.what(clock: output.clock) {
            lines.append("\(overview.searchDebt.isEmpty ? "Search:            " : "Search debt:       ")\(owed); \(overview.searchDebt.pays)")
        }
        return lines
    }
}

/// Runs domain work, turning its refusals into one-line command failures.
func failing<T>(_ work: () throws -> T) throws -> T {
    do { return try work() } catch { throw CommandFailure(error) }
}
