import Foundation

/// One failed check beside the settings: what is wrong and how to fix it. While any check fails,
/// a change that leads there is refused and nothing is saved (DESIGN §6).
public enum AutoSendProblem: Hashable, Sendable, Codable, CustomStringConvertible {
    case thresholdOutOfRange(hundredths: Int)
    case intentLocked(AutoSendIntent, validated: Int, needed: Int)
    case complaintsNotAcknowledged
    case transparencyNotAcknowledged
    case optOutWordingMissing(Channel)
    case businessNotNamed(Channel)
    case disclosureNotAutomated(Channel)
    case noQuietHours

    /// A stable name for scripts (`--json`).
    public var code: String {
        switch self {
        case .thresholdOutOfRange: "threshold_out_of_range"
        case .intentLocked: "intent_locked"
        case .complaintsNotAcknowledged: "complaints_not_acknowledged"
        case .transparencyNotAcknowledged: "transparency_not_acknowledged"
        case .optOutWordingMissing: "opt_out_wording_missing"
        case .businessNotNamed: "business_not_named"
        case .disclosureNotAutomated: "disclosure_not_automated"
        case .noQuietHours: "no_quiet_hours"
        }
    }

    public var message: String {
        switch self {
        case .thresholdOutOfRange(let hundredths):
            "The confidence threshold \(ConfidenceThreshold.format(hundredths)) is outside 85% to 100%."
        case .intentLocked(let intent, let validated, let needed):
            "\(intent.label) is still locked: \(validated) of \(needed) drafts validated."
        case .complaintsNotAcknowledged:
            "Complaints are on but their acknowledgement has not been given."
        case .transparencyNotAcknowledged:
            "Auto-Send is on but nobody has given the transparency acknowledgement."
        case .optOutWordingMissing(let channel):
            "\(channel.label) is on but its texts carry no opt-out wording."
        case .businessNotNamed(let channel):
            "\(channel.label) is on but its texts do not name the business."
        case .disclosureNotAutomated(let channel):
            "\(channel.label) is on but its texts do not say they are automated."
        case .noQuietHours:
            "Auto-Send is on with no quiet hours."
        }
    }

    public var fix: String {
        switch self {
        case .thresholdOutOfRange:
            "Set a threshold from 85 to 100 (--threshold 90)."
        case .intentLocked(let intent, let validated, let needed):
            "Validate \(needed - validated) more \(intent.rawValue) \(DisplayText.plural("draft", needed - validated)) in the queue (approve, edit, or answer "
                + "\"was this correct?\"), or leave it off."
        case .complaintsNotAcknowledged:
            "An owner or admin gives it with `handlet autosend acknowledge complaints`, or turn complaints off."
        case .transparencyNotAcknowledged:
            "An owner or admin gives it with `handlet autosend acknowledge transparency`, or leave Auto-Send off."
        case .optOutWordingMissing(let channel):
            "Set opt-out wording that says how to opt out with a keyword (--opt-out \(channel.rawValue)='Reply STOP to opt out.'), or turn \(channel.label) off."
        case .businessNotNamed(let channel):
            "Put {business} in the \(channel.rawValue) disclosure and make sure the workspace has a business name, "
                + "or turn \(channel.label) off."
        case .disclosureNotAutomated(let channel):
            "Say \"automated\" in the \(channel.rawValue) disclosure, or turn \(channel.label) off."
        case .noQuietHours:
            "Set quiet hours (--quiet-hours 21:00-08:00)."
        }
    }

    public var description: String { "\(message) \(fix)" }
}

/// The checks of DESIGN §6, in the order they are listed. Settings as shipped pass them all.
public enum AutoSendChecks {
    public static func problems(_ settings: AutoSendSettings, training: TrainingCounts,
                                businessName: String) -> [AutoSendProblem] {
        var problems: [AutoSendProblem] = []
        if !ConfidenceThreshold.validHundredths.contains(settings.threshold.hundredths) {
            problems.append(.thresholdOutOfRange(hundredths: settings.threshold.hundredths))
        }
        for intent in AutoSendIntent.allCases where settings.enabledIntents.contains(intent) && !training.isUnlocked(intent) {
            problems.append(.intentLocked(intent, validated: training.count(intent), needed: intent.validatedDraftsNeeded))
        }
        if settings.enabledIntents.contains(.complaint) && settings.complaints == nil {
            problems.append(.complaintsNotAcknowledged)
        }
        if settings.masterEnabled && settings.transparency == nil {
            problems.append(.transparencyNotAcknowledged)
        }
        for channel in settings.channels where channel.enabled {
            problems.append(contentsOf: wordingProblems(channel.channel, channel.wording, businessName: businessName))
        }
        if settings.masterEnabled && settings.quietHours == nil {
            problems.append(.noQuietHours)
        }
        return problems
    }

    /// What a channel's wording lacks for its texts to be lawful (empty when it would pass).
    /// The decision function refuses a send on a channel with any of these (the disclosure gate).
    public static func wordingProblems(_ channel: Channel, _ wording: ChannelWording,
                                       businessName: String) -> [AutoSendProblem] {
        var problems: [AutoSendProblem] = []
        if wording.disclosure.range(of: "automated", options: .caseInsensitive) == nil {
            problems.append(.disclosureNotAutomated(channel))
        }
        if channel.needsOptOutWording {
            if !ChannelWording.givesOptOutInstruction(wording.optOut) { problems.append(.optOutWordingMissing(channel)) }
            if !wording.namesBusiness(businessName) { problems.append(.businessNotNamed(channel)) }
        }
        return problems
    }
}
