import Foundation
import GRDB

/// A change to the Auto-Send settings, as asked for: only what is set here changes. Applying it
/// validates every part, then the whole result must pass `AutoSendChecks`, or nothing is saved.
public struct AutoSendChange: Hashable, Sendable {
    public enum QuietHoursChange: Hashable, Sendable { case set(QuietHours), clear }
    public enum GatewayChange: Hashable, Sendable { case set(String), clear }

    public var master: Bool?
    public var enableIntents: Set<AutoSendIntent> = []
    public var disableIntents: Set<AutoSendIntent> = []
    public var threshold: ConfidenceThreshold?
    public var enableChannels: Set<Channel> = []
    public var disableChannels: Set<Channel> = []
    public var quietHours: QuietHoursChange?
    public var timeZone: BusinessTimeZone?
    public var perContactCap: PerContactCap?
    /// New disclosure or opt-out wording per channel (the other part stays as it is).
    public var disclosure: [Channel: String] = [:]
    public var optOut: [Channel: String] = [:]
    public var gateway: GatewayChange?

    public init() {}

    public var isEmpty: Bool { self == AutoSendChange() }

    /// The settings after this change, each part validated (wording against its channel's rules).
    public func applied(to current: AutoSendSettings) throws -> AutoSendSettings {
        var settings = current
        if let master { settings.masterEnabled = master }
        settings.enabledIntents.formUnion(enableIntents)
        settings.enabledIntents.subtract(disableIntents)
        if let threshold { settings.threshold = threshold }
        for channel in enableChannels { settings.update(channel) { $0.enabled = true } }
        for channel in disableChannels { settings.update(channel) { $0.enabled = false } }
        switch quietHours {
        case .set(let hours): settings.quietHours = hours
        case .clear: settings.quietHours = nil
        case nil: break
        }
        if let timeZone { settings.timeZone = timeZone }
        if let perContactCap { settings.perContactCap = perContactCap }
        for channel in Channel.allCases where disclosure[channel] != nil || optOut[channel] != nil {
            let old = settings.channel(channel).wording
            let wording = try ChannelWording(channel: channel, disclosure: disclosure[channel] ?? old.disclosure,
                                             optOut: optOut[channel] ?? old.optOut)
            settings.update(channel) { $0.wording = wording }
        }
        switch gateway {
        case .set(let path): settings.gateway = try AutoSendGateway.validatedPath(path)
        case .clear: settings.gateway = nil
        case nil: break
        }
        return settings
    }
}

/// The delivery command's path: it must exist and be executable when it is set.
public enum AutoSendGateway {
    public static func validatedPath(_ path: String) throws -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        var isDirectory: ObjCBool = false
        guard !path.isEmpty, FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory) else {
            throw AutoSendSettingError.gatewayMissing(path)
        }
        // Some execute bit as well as access(2): root may "execute" any file by access(2) alone.
        let mode = (try? FileManager.default.attributesOfItem(atPath: absolute)[.posixPermissions] as? Int) ?? 0
        guard !isDirectory.boolValue, mode & 0o111 != 0, FileManager.default.isExecutableFile(atPath: absolute) else {
            throw AutoSendSettingError.gatewayNotExecutable(path)
        }
        return absolute
    }
}

/// The three bulk actions of DESIGN §6; each is planned first (`plan`) so it can be shown.
public enum AutoSendBulkAction: String, CaseIterable, Sendable, Codable {
    /// Every training-ready intent on (complaints only once acknowledged); the master switch stays.
    case enableAllEligible = "enable-eligible"
    /// Every intent off; the master switch stays as it is.
    case disableAll = "disable-all"
    /// The master switch on, and every training-ready intent (complaints only once acknowledged).
    case automateReadyReplies = "automate-ready"

    /// What the action would change, given the settings and training now.
    public func plan(_ settings: AutoSendSettings, training: TrainingCounts) -> AutoSendChange {
        var change = AutoSendChange()
        let eligible = AutoSendIntent.allCases.filter {
            training.isUnlocked($0) && ($0 != .complaint || settings.complaints != nil)
        }
        switch self {
        case .enableAllEligible:
            change.enableIntents = Set(eligible).subtracting(settings.enabledIntents)
        case .disableAll:
            change.disableIntents = settings.enabledIntents
        case .automateReadyReplies:
            if !settings.masterEnabled { change.master = true }
            change.enableIntents = Set(eligible).subtracting(settings.enabledIntents)
        }
        return change
    }
}

/// A saved change: the settings before and after, and the names of what differs.
public struct AutoSendSettingsChange: Hashable, Sendable {
    public let before: AutoSendSettings
    public let after: AutoSendSettings
    public var changed: Bool { before != after }

    public init(before: AutoSendSettings, after: AutoSendSettings) {
        self.before = before
        self.after = after
    }

    /// Field names that differ, in a fixed order ("master", "intents", "threshold" …).
    public var changedFields: [String] {
        var fields: [String] = []
        if before.masterEnabled != after.masterEnabled { fields.append("master") }
        if before.enabledIntents != after.enabledIntents { fields.append("intents") }
        if before.threshold != after.threshold { fields.append("threshold") }
        if before.channels.map(\.enabled) != after.channels.map(\.enabled) { fields.append("channels") }
        if before.quietHours != after.quietHours { fields.append("quiet_hours") }
        if before.timeZone != after.timeZone { fields.append("time_zone") }
        if before.perContactCap != after.perContactCap { fields.append("per_contact_cap") }
        if before.channels.map(\.wording) != after.channels.map(\.wording) { fields.append("wording") }
        if before.gateway != after.gateway { fields.append("gateway") }
        if before.transparency != after.transparency { fields.append("transparency") }
        if before.complaints != after.complaints { fields.append("complaints") }
        return fields
    }

    /// One line per setting that differs ("threshold: 85% -> 90%"), or "No change.": what a plan
    /// previews and what `autosend set` prints once saved.
    public var lines: [String] {
        if changedFields.isEmpty { return ["No change."] }
        func list(_ items: [String]) -> String { items.isEmpty ? "none" : items.joined(separator: ",") }
        return changedFields.map { field in
            switch field {
            case "master": "master: \(before.masterEnabled ? "on" : "off") -> \(after.masterEnabled ? "on" : "off")"
            case "intents": "intents on: \(list(before.enabledIntents.sorted().map(\.rawValue))) -> \(list(after.enabledIntents.sorted().map(\.rawValue)))"
            case "threshold": "threshold: \(before.threshold) -> \(after.threshold)"
            case "channels": "channels on: \(list(before.channels.filter(\.enabled).map(\.channel.rawValue))) -> \(list(after.channels.filter(\.enabled).map(\.channel.rawValue)))"
            case "quiet_hours": "quiet hours: \(before.quietHours?.description ?? "none") -> \(after.quietHours?.description ?? "none")"
            case "time_zone": "time zone: \(before.timeZone) -> \(after.timeZone)"
            case "per_contact_cap": "per-contact cap: \(before.perContactCap) -> \(after.perContactCap)"
            case "wording": "wording: " + zip(before.channels, after.channels).filter { $0.wording != $1.wording }
                .map { "\($1.channel.rawValue) \"\($1.wording.disclosure)\" / \"\($1.wording.optOut)\"" }.joined(separator: "; ")
            case "gateway": "gateway: \(before.gateway ?? "none") -> \(after.gateway ?? "none")"
            default: field
            }
        }
    }

    /// Identifiers and numbers only (wording and the gateway's path are not logged, only that they changed).
    var auditDetails: [String: AuditValue] {
        var details: [String: AuditValue] = ["changed": .string(changedFields.joined(separator: ","))]
        let fields = Set(changedFields)
        if fields.contains("master") { details["master"] = .bool(after.masterEnabled) }
        if fields.contains("intents") {
            let on = after.enabledIntents.subtracting(before.enabledIntents).sorted()
            let off = before.enabledIntents.subtracting(after.enabledIntents).sorted()
            if !on.isEmpty { details["intents_on"] = .string(on.map(\.rawValue).joined(separator: ",")) }
            if !off.isEmpty { details["intents_off"] = .string(off.map(\.rawValue).joined(separator: ",")) }
        }
        if fields.contains("threshold") {
            details["threshold_from"] = .int(Int64(before.threshold.hundredths))
            details["threshold_to"] = .int(Int64(after.threshold.hundredths))
        }
        if fields.contains("channels") {
            details["channels_on"] = .string(after.channels.filter(\.enabled).map(\.channel.rawValue).joined(separator: ","))
        }
        if fields.contains("quiet_hours") { details["quiet_hours"] = .string(after.quietHours?.description ?? "none") }
        if fields.contains("time_zone") { details["time_zone"] = .string(after.timeZone.identifier) }
        if fields.contains("per_contact_cap") { details["per_contact_cap"] = .int(Int64(after.perContactCap.messages)) }
        if fields.contains("wording") {
            let channels = zip(before.channels, after.channels).filter { $0.wording != $1.wording }.map(\.0.channel.rawValue)
            details["wording_channels"] = .string(channels.joined(separator: ","))
        }
        if fields.contains("gateway") { details["gateway_set"] = .bool(after.gateway != nil) }
        return details
    }
}

/// Everything the settings screen and `autosend show|check` need, read in one snapshot.
public struct AutoSendOverview: Hashable, Sendable {
    public let settings: AutoSendSettings
    public let training: TrainingCounts
    public let businessName: String
    public var problems: [AutoSendProblem] {
        AutoSendChecks.problems(settings, training: training, businessName: businessName)
    }

    static func load(_ db: Database) throws -> AutoSendOverview {
        AutoSendOverview(settings: try AutoSendSettings.load(db), training: try TrainingCounts.load(db),
                         businessName: try String.fetchOne(db, sql: "SELECT business_name FROM workspace WHERE id = 1") ?? "")
    }
}

extension WorkspaceQuery where Value == AutoSendOverview {
    /// The settings, training counts and failing checks. Every role may look.
    public static var autoSendOverview: Self { .reading(.browse) { try AutoSendOverview.load($0) } }
}

extension WorkspaceCommand where Result == AutoSendSettingsChange {
    /// Applies `change` (each part validated), then refuses with `checksFailed` unless the result
    /// passes every check; the same settings again change nothing and are not audited.
    public static func changeAutoSend(_ change: AutoSendChange) -> Self {
        let transform: @Sendable (AutoSendOverview) throws -> AutoSendSettings = { try change.applied(to: $0.settings) }
        return WorkspaceCommand(.changeAutoSend, audit: .autoSendSettingsChanged,
                                rules: { db, _ in _ = try AutoSendSettings.checked(db, transform) },
                                outline: { db, _ in try AutoSendSettings.outline(db, transform) }) { db, _ in
            try AutoSendSettings.store(db, transform)
        }
    }

    /// Records that the acting user gave an acknowledgement, now. One already given stays as it
    /// was (who and when), and nothing is written.
    public static func acknowledgeAutoSend(_ kind: AutoSendAcknowledgementKind) -> Self {
        WorkspaceCommand(.changeAutoSend, audit: .autoSendAcknowledged) { db, environment in
            let current = try AutoSendSettings.load(db)
            guard current.acknowledgement(kind) == nil else {
                return .unchanged(AutoSendSettingsChange(before: current, after: current))
            }
            var after = current
            let acknowledgement = AutoSendAcknowledgement(
                by: environment.actor.auditName,
                at: Date(timeIntervalSince1970: environment.now.timeIntervalSince1970.rounded(.down)))
            if kind == .transparency { after.transparency = acknowledgement } else { after.complaints = acknowledgement }
            try after.save(db)
            return .changed(AutoSendSettingsChange(before: current, after: after), target: "autosend",
                            details: ["acknowledgement": .string(kind.rawValue)])
        }
    }

    /// Runs a bulk action as planned against the settings at the moment it commits.
    public static func applyAutoSendBulk(_ action: AutoSendBulkAction) -> Self {
        let transform: @Sendable (AutoSendOverview) throws -> AutoSendSettings = { overview in
            try action.plan(overview.settings, training: overview.training).applied(to: overview.settings)
        }
        return WorkspaceCommand(.changeAutoSend, audit: .autoSendBulkApplied,
                                rules: { db, _ in _ = try AutoSendSettings.checked(db, transform) },
                                outline: { db, _ in try AutoSendSettings.outline(db, transform) }) { db, _ in
            let outcome = try AutoSendSettings.store(db, transform)
            guard let audit = outcome.audit else { return outcome }
            var details = audit.details
            details["bulk"] = .string(action.rawValue)
            return .changed(outcome.result, target: audit.target, details: details)
        }
    }
}

extension AutoSendSettings {
    /// Computes the new settings from the stored ones, checks them, and saves them if they differ.
    static func store(_ db: Database,
                      _ transform: (AutoSendOverview) throws -> AutoSendSettings) throws -> CommandOutcome<AutoSendSettingsChange> {
        let change = try checked(db, transform)
        guard change.changed else { return .unchanged(change) }
        try change.after.save(db)
        return .changed(change, target: "autosend", details: change.auditDetails)
    }

    /// The change from the stored settings, refused with `checksFailed` when the new settings
    /// would fail a check (the command's rule, so its plan says so before anything is saved).
    static func checked(_ db: Database, _ transform: (AutoSendOverview) throws -> AutoSendSettings) throws -> AutoSendSettingsChange {
        let overview = try AutoSendOverview.load(db)
        let change = AutoSendSettingsChange(before: overview.settings, after: try transform(overview))
        guard change.changed else { return change }
        let problems = AutoSendChecks.problems(change.after, training: overview.training, businessName: overview.businessName)
        guard problems.isEmpty else { throw AutoSendSettingError.checksFailed(problems) }
        return change
    }

    /// The plan's preview: what differs, before and after.
    static func outline(_ db: Database, _ transform: (AutoSendOverview) throws -> AutoSendSettings) throws -> ChangeOutline {
        let overview = try AutoSendOverview.load(db)
        return ChangeOutline(preview: .autoSendSettings(AutoSendSettingsChange(before: overview.settings, after: try transform(overview))))
    }
}
