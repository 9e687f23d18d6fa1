import ArgumentParser
import Foundation
import HandletDomain

/// `handlet autosend show|set|check|preview|acknowledge`: the Auto-Send settings of DESIGN §6.
struct AutoSendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "autosend",
        abstract: "Show, check, preview or change what Auto-Send may send on the business's behalf.",
        subcommands: [Show.self, SetSettings.self, Check.self, Preview.self, Acknowledge.self],
        defaultSubcommand: Show.self
    )

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "The master switch, each intent with its training, the threshold, acknowledgements, channels and wording.")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var reader: ReadingUserOptions
        @Flag(name: .long, help: "Print JSON (fields in docs/json.md).") var json = false

        func run() throws {
            let session = try reader.session(in: workspace.openForReading())
            let overview = try failing { try session.read(.autoSendOverview) }
            if json { return try JSONOutput.print(AutoSendJSON(overview)) }
            for line in AutoSendCommand.describe(overview) { print(line) }
        }
    }

    struct SetSettings: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Change Auto-Send settings; refused with the reason, and nothing saved, while any check fails.",
            discussion: "Only what is given changes. Wording: --opt-out sms='Reply STOP to opt out.' and "
                + "--disclosure sms='Automated reply from {business}.' ({business} is the business name). "
                + "--bulk enable-eligible|disable-all|automate-ready runs a bulk action (with --dry-run: shows what it would change).")
        @OptionGroup var change: ChangeOptions
        @Option(name: .long, help: "A bulk action: enable-eligible, disable-all or automate-ready.") var bulk: String?
        @Flag(name: .long, help: "Show what would change and save nothing.") var dryRun = false
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var acting: ActingUserOptions
        @Flag(name: .long, help: "Print the settings after the change as JSON.") var json = false

        func run() throws {
            let parsed = try change.parse()
            let action = try bulk.map { text in
                guard let action = AutoSendBulkAction(rawValue: text.lowercased()) else {
                    throw CommandFailure("\"\(text)\" is not a bulk action: give enable-eligible, disable-all or automate-ready.", .usage)
                }
                return action
            }
            if action != nil && !parsed.isEmpty {
                throw CommandFailure("Give either --bulk or settings to change, not both.", .usage)
            }
            if action == nil && parsed.isEmpty {
                throw CommandFailure("Nothing to change: give a setting (see `handlet autosend set --help`).", .usage)
            }
            let session = try acting.session(in: workspace.open())
            let command: WorkspaceCommand<AutoSendSettingsChange> = action.map { .applyAutoSendBulk($0) } ?? .changeAutoSend(parsed)
            if dryRun {
                // The domain's plan, rendered and not performed: what would change, and the checks
                // it would fail. A role refused is said alone, as the change itself would say it.
                let plan = try failing { try session.plan(command) }
                var failing: [AutoSendProblem]?
                if case .checksFailed(let problems)? = plan.refusalError as? AutoSendSettingError { failing = problems }
                if let refusal = plan.refusalError, failing == nil { throw CommandFailure(refusal) }
                for line in plan.preview?.lines ?? [] { print(line) }
                guard let problems = failing else { return print("Would pass every check; nothing saved (--dry-run).") }
                for problem in problems { print("  ✗ " + problem.description) }
                throw CommandFailure("Would be refused: \(DisplayText.count(problems.count, "check")) \(problems.count == 1 ? "fails" : "fail").", .refused)
            }
            let saved = try session.carryOut(command)
            if json {
                let overview = try failing { try session.read(.autoSendOverview) }
                return try JSONOutput.print(AutoSendJSON(overview))
            }
            if !saved.changed { return print("Auto-Send settings already so; nothing changed.") }
            for line in saved.lines { print(line) }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Run the checks beside the settings; exits 65 listing what is wrong and how to fix it.")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var reader: ReadingUserOptions
        @Flag(name: .long, help: "Print JSON.") var json = false

        func run() throws {
            let session = try reader.session(in: workspace.openForReading())
            let problems = try failing { try session.read(.autoSendOverview) }.problems
            if json {
                try JSONOutput.print(problems.map(ProblemJSON.init))
            } else if problems.isEmpty {
                print("Every Auto-Send check passes.")
            } else {
                for problem in problems { print("✗ " + problem.message + "\n  Fix: " + problem.fix) }
            }
            if !problems.isEmpty {
                throw CommandFailure("\(DisplayText.count(problems.count, "Auto-Send check")) failing"
                                     + (json ? "." : ", listed above."), .dataError)
            }
        }
    }

    struct Preview: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "preview",
            abstract: "What Auto-Send would have done over the last N days of drafts, with the settings given (not saved).",
            discussion: "Takes the same setting options as `autosend set`, so a change can be previewed before it is made.")
        @Option(name: .long, help: "Days of drafts to decide again (1 to 365).") var days = "30"
        @OptionGroup var change: ChangeOptions
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var reader: ReadingUserOptions
        @Flag(name: .long, help: "Print JSON.") var json = false

        func run() throws {
            let days = try failing { try AutoSendPreview.parseDays(self.days) }
            let parsed = try change.parse()
            let session = try reader.session(in: workspace.openForReading())
            let preview = try failing { try session.read(.autoSendPreview(days: days, applying: parsed)) }
            if json { return try JSONOutput.print(preview) }
            print("Over the last \(DisplayText.count(days, "day")), \(DisplayText.count(preview.drafts, "draft")): "
                  + "would send \(preview.send) (\(preview.deferred) after quiet hours), hold \(preview.hold), block \(preview.blocked).")
            for count in preview.byGate {
                print("  \(count.outcome == "blocked" ? "blocked" : "held   ") \(String(count.drafts).leftPadded(6))  "
                      + "\(count.gate.rawValue): \(count.gate.failureReason)")
            }
        }
    }

    struct Acknowledge: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "acknowledge",
            abstract: "Give the transparency or the complaints acknowledgement, as the acting user, now.")
        @Argument(help: "transparency or complaints.") var kind: String
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var acting: ActingUserOptions
        @Flag(name: .long, help: "Print the acknowledgement as JSON.") var json = false

        func run() throws {
            let kind = try failing { try AutoSendAcknowledgementKind(parsing: self.kind) }
            let session = try acting.session(in: workspace.open())
            let saved = try session.carryOut(.acknowledgeAutoSend(kind))
            let acknowledgement = saved.after.acknowledgement(kind)!
            if json { return try JSONOutput.print(AcknowledgementJSON(kind: kind.rawValue, by: acknowledgement.by, at: acknowledgement.at)) }
            if !saved.changed {
                let clock = try failing { try session.read(.browseClock()) }
                return print("The \(kind.rawValue) acknowledgement was already given by \(acknowledgement.by) on "
                             + "\(DisplayText.zonedTimestamp(acknowledgement.at, clock: clock)); nothing changed.")
            }
            print("Acknowledged (\(kind.rawValue)) by \(acknowledgement.by): \(kind.statement)")
        }
    }

    /// The settings as lines, for `show`.
    static func describe(_ overview: AutoSendOverview) -> [String] {
        let settings = overview.settings
        var lines = ["Auto-Send: " + (settings.masterEnabled ? "on" : "off") + "   threshold \(settings.threshold)"
                     + "   quiet hours \(settings.quietHours?.description ?? "none") (\(settings.timeZone))"
                     + "   cap \(settings.perContactCap) per contact"]
        // In the zone the line above states (the Auto-Send settings' own).
        let clock = BrowseClock(now: Date(), timeZone: TimeZone(identifier: settings.timeZone.identifier) ?? DataSubjectDue.london)
        lines.append("Transparency acknowledgement: " + acknowledged(settings.transparency, clock: clock))
        lines.append("Complaints acknowledgement:   " + acknowledged(settings.complaints, clock: clock))
        lines.append("Intents:")
        for intent in AutoSendIntent.allCases {
            let count = overview.training.count(intent), needed = intent.validatedDraftsNeeded
            let filled = min(10, count * 10 / needed)
            let bar = "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: 10 - filled) + "]"
            let state = settings.enabledIntents.contains(intent) ? "on " : "off"
            let lock = overview.training.isUnlocked(intent) ? "ready" : "locked: " + overview.training.lockReason(intent)!
            lines.append("  \(state) \(intent.rawValue.padded(16)) \(bar) \(String(count).leftPadded(2))/\(needed)  \(lock)")
        }
        lines.append("Channels:")
        for channel in settings.channels {
            let text = channel.wording.compose(body: "…", businessName: overview.businessName)
            lines.append("  \(channel.enabled ? "on " : "off") \(channel.channel.rawValue.padded(9)) "
                         + text.replacingOccurrences(of: "\n", with: " "))
        }
        lines.append("Gateway: " + (settings.gateway ?? "none (due messages stay in the queue)"))
        let problems = overview.problems
        lines.append(problems.isEmpty ? "Checks: all pass." : "Checks: \(problems.count) failing (see `handlet autosend check`).")
        return lines
    }

    static func acknowledged(_ acknowledgement: AutoSendAcknowledgement?, clock: BrowseClock) -> String {
        guard let acknowledgement else { return "not given" }
        return "given by \(acknowledgement.by) on \(DisplayText.zonedTimestamp(acknowledgement.at, clock: clock))"
    }
}

/// The setting options `set` and `preview` share; each value is validated as given.
struct ChangeOptions: ParsableArguments {
    @Option(name: .long, help: "The master switch: on or off.") var master: String?
    @Option(name: .long, help: "Turn an intent on (repeatable): follow_up, quote_request, booking_request, new_lead, general_enquiry, review_reply, complaint.")
    var enable: [String] = []
    @Option(name: .long, help: "Turn an intent off (repeatable).") var disable: [String] = []
    @Option(name: .long, help: "Confidence threshold in percent, 85 to 100.") var threshold: String?
    @Option(name: .long, help: "Turn a channel on (repeatable): sms, whatsapp, email, webchat.") var channelOn: [String] = []
    @Option(name: .long, help: "Turn a channel off (repeatable).") var channelOff: [String] = []
    @Option(name: .long, help: "Quiet hours START-END in the business's time zone, e.g. 21:00-08:00 (none: clear them).")
    var quietHours: String?
    @Option(name: .long, help: "The business's time zone, e.g. Europe/London.") var timeZone: String?
    @Option(name: .long, help: "Automatic messages to one contact in 24 hours, 1 to 100.") var cap: String?
    @Option(name: .long, help: "Disclosure wording, CHANNEL=TEXT (repeatable).") var disclosure: [String] = []
    @Option(name: .long, help: "Opt-out wording, CHANNEL=TEXT (repeatable).") var optOut: [String] = []
    @Option(name: .long, help: "The delivery command: an executable file (none: keep due messages queued).") var gateway: String?

    func parse() throws -> AutoSendChange {
        // Each malformed value is a usage error (64) by its own exit class.
        try failing {
            var change = AutoSendChange()
            if let master {
                switch master.lowercased() {
                case "on", "true", "yes": change.master = true
                case "off", "false", "no": change.master = false
                default: throw CommandFailure("\"\(master)\" is not a master switch setting: give on or off.", .usage)
                }
            }
            change.enableIntents = Set(try enable.map(AutoSendIntent.init(parsing:)))
            change.disableIntents = Set(try disable.map(AutoSendIntent.init(parsing:)))
            if !change.enableIntents.isDisjoint(with: change.disableIntents) {
                throw CommandFailure("An intent cannot be both enabled and disabled in one change.", .usage)
            }
            change.threshold = try threshold.map(ConfidenceThreshold.init(parsing:))
            change.enableChannels = Set(try channelOn.map(Channel.init(parsing:)))
            change.disableChannels = Set(try channelOff.map(Channel.init(parsing:)))
            if let quietHours {
                change.quietHours = quietHours.lowercased() == "none" ? .clear : .set(try QuietHours(parsing: quietHours))
            }
            change.timeZone = try timeZone.map(BusinessTimeZone.init(identifier:))
            change.perContactCap = try cap.map(PerContactCap.init(parsing:))
            for (option, values) in [("--disclosure", disclosure), ("--opt-out", optOut)] {
                for value in values {
                    guard let equals = value.firstIndex(of: "=") else {
                        throw CommandFailure("\(option) takes CHANNEL=TEXT, e.g. \(option) sms='…'.", .usage)
                    }
                    let channel = try Channel(parsing: String(value[..<equals]))
                    let text = String(value[value.index(after: equals)...])
                    if option == "--disclosure" { change.disclosure[channel] = text } else { change.optOut[channel] = text }
                }
            }
            if let gateway {
                change.gateway = gateway.lowercased() == "none" ? .clear : .set(gateway)
            }
            return change
        }
    }
}

private extension String {
    func padded(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}

struct ProblemJSON: Encodable {
    let code: String
    let message: String
    let fix: String
    init(_ problem: AutoSendProblem) { code = problem.code; message = problem.message; fix = problem.fix }
}

struct AcknowledgementJSON: Encodable {
    let kind: String
    let by: String
    let at: Date
}

/// `autosend show --json` (docs/json.md).
struct AutoSendJSON: Encodable {
    struct Intent: Encodable {
        let intent: String
        let enabled: Bool
        let validated: Int
        let needed: Int
        let unlocked: Bool
        let lockReason: String?
    }
    struct ChannelJSON: Encodable {
        let channel: String
        let enabled: Bool
        let disclosure: String
        let optOut: String
        /// The footer as it goes out, the business name filled in.
        let footer: String
        let smsEncoding: String
        let footerSmsUnits: Int
    }
    struct Acknowledged: Encodable {
        let by: String
        let at: Date
    }

    let master: Bool
    let thresholdPercent: Double
    let intents: [Intent]
    let transparency: Acknowledged?
    let complaints: Acknowledged?
    let channels: [ChannelJSON]
    let quietHours: String?
    let timeZone: String
    let perContactCap: Int
    let gateway: String?
    let problems: [ProblemJSON]

    init(_ overview: AutoSendOverview) {
        let settings = overview.settings
        master = settings.masterEnabled
        thresholdPercent = settings.threshold.percent
        intents = AutoSendIntent.allCases.map {
            Intent(intent: $0.rawValue, enabled: settings.enabledIntents.contains($0), validated: overview.training.count($0),
                   needed: $0.validatedDraftsNeeded, unlocked: overview.training.isUnlocked($0),
                   lockReason: overview.training.lockReason($0))
        }
        transparency = settings.transparency.map { Acknowledged(by: $0.by, at: $0.at) }
        complaints = settings.complaints.map { Acknowledged(by: $0.by, at: $0.at) }
        channels = settings.channels.map {
            let footer = $0.wording.footer(businessName: overview.businessName)
            let measured = SMSSegments.measure(footer)
            return ChannelJSON(channel: $0.channel.rawValue, enabled: $0.enabled, disclosure: $0.wording.disclosure,
                               optOut: $0.wording.optOut, footer: footer, smsEncoding: measured.encoding.rawValue,
                               footerSmsUnits: measured.units)
        }
        quietHours = settings.quietHours?.description
        timeZone = settings.timeZone.identifier
        perContactCap = settings.perContactCap.messages
        gateway = settings.gateway
        problems = overview.problems.map(ProblemJSON.init)
    }
}
