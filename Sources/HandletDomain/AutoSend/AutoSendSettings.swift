import Foundation

/// Who confirmed one of Auto-Send's one-time acknowledgements, and when.
public struct AutoSendAcknowledgement: Hashable, Sendable, Codable {
    /// The acting user's email (an identifier, as in the audit log).
    public let by: String
    public let at: Date

    public init(by: String, at: Date) {
        self.by = by
        self.at = at
    }
}

/// The two one-time acknowledgements DESIGN §6 asks for.
public enum AutoSendAcknowledgementKind: String, CaseIterable, Sendable, Codable {
    /// That automatic replies go out in the business's name, say they are automated, and are logged.
    case transparency
    /// That low-severity complaints may be acknowledged automatically (high severity never is).
    case complaints

    public init(parsing text: String) throws {
        guard let kind = Self(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw AutoSendSettingError.unknownAcknowledgement(text)
        }
        self = kind
    }

    /// What the person confirms, in the product's own words.
    public var statement: String {
        switch self {
        case .transparency:
            "Automatic replies go out in the business's name, each says it is automated, and every "
                + "decision is logged and can be traced; people can still opt out at any time."
        case .complaints:
            "Low-severity complaints may get an automatic acknowledgement; medium and high severity "
                + "complaints, and anything the agent is unsure of, always wait for a person."
        }
    }
}

/// One channel's part of the settings.
public struct AutoSendChannelSettings: Hashable, Sendable, Codable {
    public let channel: Channel
    public var enabled: Bool
    public var wording: ChannelWording
}

/// Every Auto-Send setting of a workspace (DESIGN §6). Off by default; the defaults pass every check.
public struct AutoSendSettings: Hashable, Sendable, Codable {
    public var masterEnabled: Bool
    public var enabledIntents: Set<AutoSendIntent>
    public var threshold: ConfidenceThreshold
    public var transparency: AutoSendAcknowledgement?
    public var complaints: AutoSendAcknowledgement?
    /// One per channel, in `Channel.allCases` order.
    public var channels: [AutoSendChannelSettings]
    /// Nil only if someone cleared them; a check then refuses any automatic sending.
    public var quietHours: QuietHours?
    public var timeZone: BusinessTimeZone
    public var perContactCap: PerContactCap
    /// The delivery command's path; nil keeps due messages in the queue.
    public var gateway: String?

    public static let standard = AutoSendSettings(
        masterEnabled: false, enabledIntents: [], threshold: .floor, transparency: nil, complaints: nil,
        channels: Channel.allCases.map { AutoSendChannelSettings(channel: $0, enabled: true, wording: .standard(for: $0)) },
        quietHours: .standard, timeZone: .standard, perContactCap: .standard, gateway: nil)

    public func channel(_ channel: Channel) -> AutoSendChannelSettings {
        channels.first { $0.channel == channel }!
    }

    public func isEnabled(_ channel: Channel) -> Bool { self.channel(channel).enabled }

    public func acknowledgement(_ kind: AutoSendAcknowledgementKind) -> AutoSendAcknowledgement? {
        kind == .transparency ? transparency : complaints
    }

    mutating func update(_ channel: Channel, _ change: (inout AutoSendChannelSettings) -> Void) {
        let index = channels.firstIndex { $0.channel == channel }!
        change(&channels[index])
    }
}

/// Validated drafts per intent: approved, edited before sending, or answered "was this correct?"
/// with yes or no. "Not now" does not count.
public struct TrainingCounts: Hashable, Sendable, Codable {
    public private(set) var validated: [AutoSendIntent: Int]

    public init(validated: [AutoSendIntent: Int] = [:]) { self.validated = validated }

    public func count(_ intent: AutoSendIntent) -> Int { validated[intent] ?? 0 }

    /// Unlocked at exactly the number needed (30, or 50 for complaints).
    public func isUnlocked(_ intent: AutoSendIntent) -> Bool { count(intent) >= intent.validatedDraftsNeeded }

    public var unlocked: [AutoSendIntent] { AutoSendIntent.allCases.filter(isUnlocked) }

    /// "12 of 30 validated drafts; 18 more to unlock", or nil once unlocked.
    public func lockReason(_ intent: AutoSendIntent) -> String? {
        guard !isUnlocked(intent) else { return nil }
        let have = count(intent), need = intent.validatedDraftsNeeded
        return "\(have) of \(need) validated drafts; \(need - have) more to unlock"
    }
}

/// Why a setting was refused as given. Each refusal changes nothing.
public enum AutoSendSettingError: SysexitsError, Equatable, CustomStringConvertible {
    case thresholdNotANumber(String)
    case thresholdBelowFloor(String)
    case thresholdAboveMaximum(String)
    case unknownIntent(String)
    case unknownChannel(String)
    case unknownAcknowledgement(String)
    case notATime(String)
    case quietHoursEmpty(String)
    case capNotANumber(String)
    case capOutOfRange(String)
    case unknownTimeZone(String)
    case wordingNotPlainText(channel: Channel, part: String)
    case wordingTooLong(channel: Channel, part: String, limit: Int)
    case disclosureNotAutomated(Channel)
    case wordingDropsOptOut(Channel)
    case gatewayMissing(String)
    case gatewayNotExecutable(String)
    /// The change would leave settings that fail these checks.
    case checksFailed([AutoSendProblem])

    /// A change the checks refuse is a rule of the workspace; a malformed value is usage; a
    /// well-formed value out of its range is bad data (`ExitClass`, README "Exit statuses").
    public var exitClass: ExitClass {
        switch self {
        case .checksFailed: .refused
        case .thresholdBelowFloor, .thresholdAboveMaximum, .capOutOfRange, .wordingTooLong: .dataError
        case .thresholdNotANumber, .unknownIntent, .unknownChannel, .unknownAcknowledgement, .notATime, .quietHoursEmpty,
             .capNotANumber, .unknownTimeZone, .wordingNotPlainText, .disclosureNotAutomated, .wordingDropsOptOut,
             .gatewayMissing, .gatewayNotExecutable: .usage
        }
    }

    public var description: String {
        switch self {
        case .thresholdNotANumber(let text):
            "\"\(text)\" is not a confidence threshold: give a percentage from 85 to 100, e.g. 90 or 92.5."
        case .thresholdBelowFloor(let text):
            "A confidence threshold of \(text.hasSuffix("%") ? text : text + "%") is under the platform floor: give 85 to 100."
        case .thresholdAboveMaximum(let text):
            "A confidence threshold of \(text.hasSuffix("%") ? text : text + "%") is over 100%: give 85 to 100."
        case .unknownIntent(let text):
            "\"\(text)\" is not an Auto-Send intent: give one of "
                + AutoSendIntent.allCases.map(\.rawValue).joined(separator: ", ") + "."
        case .unknownChannel(let text):
            "\"\(text)\" is not a channel: give one of " + Channel.allCases.map(\.rawValue).joined(separator: ", ") + "."
        case .unknownAcknowledgement(let text):
            "\"\(text)\" is not an acknowledgement: give transparency or complaints."
        case .notATime(let text):
            "\"\(text)\" is not quiet hours: give START-END in 24-hour time, e.g. 21:00-08:00."
        case .quietHoursEmpty(let text):
            "Quiet hours \(text) start and end at the same time: give a START-END that differ, e.g. 21:00-08:00."
        case .capNotANumber(let text):
            "\"\(text)\" is not a per-contact cap: give a whole number of messages in 24 hours from 1 to 100."
        case .capOutOfRange(let text):
            "A per-contact cap of \(text) is out of range: give a whole number of messages in 24 hours from 1 to 100."
        case .unknownTimeZone(let text):
            "\"\(text)\" is not a time zone: give a region name such as Europe/London."
        case .wordingNotPlainText(let channel, let part):
            "The \(channel.label) \(part) wording must be one line of plain text (no line breaks or control characters)."
        case .wordingTooLong(let channel, let part, let limit):
            "The \(channel.label) \(part) wording may be at most \(limit) characters."
        case .disclosureNotAutomated(let channel):
            "The \(channel.label) disclosure must say the reply is automated (include the word \"automated\")."
        case .wordingDropsOptOut(let channel):
            "The \(channel.label) opt-out wording must tell people how to opt out by replying with a keyword the opt-out processing recognises (STOP, UNSUBSCRIBE …), e.g. \"Reply STOP to opt out.\""
        case .gatewayMissing(let path):
            "No gateway command at \(path): give the path of an executable file."
        case .gatewayNotExecutable(let path):
            "The gateway \(path) is not an executable file: give one with execute permission (chmod +x)."
        case .checksFailed(let problems):
            "Not saved: " + problems.map(\.description).joined(separator: " ")
        }
    }
}
