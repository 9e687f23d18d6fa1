/// Every action of DESIGN §4 that not every role may take. Checked in the domain, never in screens.
public enum Permission: String, CaseIterable, Sendable {
    case browse
    case exportRecording
    case changeRetention
    case legalHold
    case changeAutoSend
    case handleDrafts
    case acknowledgeNotice
    /// Load processor notices from files (`handlet notices import`).
    case importNotices
    case objectToSubprocessor
    case dataSubjectExportRectifyRestrict
    case dataSubjectErasure
    case manageUsers
    /// Add an owner, make someone an owner, or change, disable or enable an owner: the owner's part
    /// of "manage users and roles" (admins manage admins and below, DESIGN §4).
    case manageOwners
    case readAuditLog
    /// The business's own compliance settings: the lawful basis per purpose, the caller notice.
    case changeComplianceSettings
    /// Delete the audio the retention settings have made due. Every role may: the purge only
    /// carries out what an owner or admin already decided (the period, a release, "delete now"),
    /// and the console runs it as `system` whoever opened it; refusing a viewer would only delay
    /// a deletion the processor agreement requires.
    case purgeExpiredRecordings
    /// Take in what arrives from outside through the arrival step: a message a customer sent (its
    /// opt-out keyword acted on at once) or a drafted reply (evaluated at once, `handlet queue
    /// add`). The system does as things arrive; staff may, for what they were handed another way.
    case recordInboundMessages
    /// Run a delivery pass: hand due Auto-Send messages to the operator's gateway. The system does
    /// (cron, a timer, the console's background pass); owners and admins may run one by hand. It
    /// sends only what the Auto-Send settings already decided, but it sends to customers, so not
    /// agents or viewers.
    case deliverAutoSend
    /// Delete one message's text, or one call's summary and transcript (data minimisation: the
    /// special-category matches the compliance centre lists). Owners and admins, like the other
    /// decisions about what the workspace keeps.
    case minimiseData
    /// Export everything the workspace holds, or delete the whole workspace (end of service).
    case endOfService
    /// Bring records in from files (`handlet import`) and write every record out (`handlet
    /// export`): the whole history of the business at once, so owners and admins only.
    case importExportRecords

    /// Roles allowed, most powerful first.
    public var allowedRoles: [Role] {
        switch self {
        case .browse, .purgeExpiredRecordings: [.owner, .admin, .agent, .viewer]
        case .exportRecording: [.owner, .admin, .agent]
        case .changeRetention, .legalHold, .changeAutoSend, .acknowledgeNotice, .importNotices,
             .changeComplianceSettings, .dataSubjectExportRectifyRestrict, .deliverAutoSend, .minimiseData,
             .importExportRecords: [.owner, .admin]
        case .handleDrafts, .recordInboundMessages: [.owner, .admin, .agent]
        case .objectToSubprocessor, .dataSubjectErasure, .manageOwners, .endOfService: [.owner]
        case .manageUsers: [.owner, .admin]
        case .readAuditLog: [.owner, .admin, .viewer]
        }
    }

    public var summary: String {
        switch self {
        case .browse: "browse records"
        case .exportRecording: "export a recording"
        case .changeRetention: "change recording retention"
        case .legalHold: "place or release a legal hold"
        case .changeAutoSend: "change Auto-Send settings"
        case .handleDrafts: "approve, edit, discard or rate drafts"
        case .acknowledgeNotice: "acknowledge a notice"
        case .importNotices: "import notices"
        case .changeComplianceSettings: "change compliance settings"
        case .objectToSubprocessor: "object to a subprocessor change"
        case .dataSubjectExportRectifyRestrict: "export, rectify or restrict a person's data"
        case .dataSubjectErasure: "erase a person's data"
        case .manageUsers: "manage users"
        case .manageOwners: "add, promote, change or disable an owner"
        case .readAuditLog: "read the audit log"
        case .purgeExpiredRecordings: "purge expired recordings"
        case .recordInboundMessages: "record an inbound message or draft"
        case .deliverAutoSend: "deliver due Auto-Send messages"
        case .minimiseData: "delete a message's or a call's text"
        case .endOfService: "export or delete the whole workspace"
        case .importExportRecords: "import or export records"
        }
    }

    /// What the system actor (the scheduled purge, a background task, messages arriving) may do:
    /// read what it works on, purge what is due, take in what customers send (an opt-out
    /// keyword must act at once), and deliver what Auto-Send has already decided to send. Nothing a person decides (settings, holds, users) is in it.
    public static let systemPermissions: Set<Permission> = [.browse, .purgeExpiredRecordings, .recordInboundMessages,
                                                             .deliverAutoSend]

    /// Whether the system actor may do this.
    public var allowsSystem: Bool { Self.systemPermissions.contains(self) }
}

extension Role {
    public func allows(_ permission: Permission) -> Bool { permission.allowedRoles.contains(self) }

    public var label: String { rawValue.capitalized }
}

/// A refused action or read names the roles it needs, so the user knows whom to ask.
public struct PermissionDenied: SysexitsError, Equatable, CustomStringConvertible {
    public let permission: Permission
    /// The refused user's role; nil when the system actor was refused.
    public let role: Role?

    public init(permission: Permission, role: Role?) {
        self.permission = permission
        self.role = role
    }

    /// Most powerful first.
    public var rolesNeeded: [Role] { permission.allowedRoles }

    public var exitClass: ExitClass { .refused }

    public var description: String {
        let needed = rolesNeeded.map(\.rawValue)
        let roles = needed.count == 1 ? needed[0]
            : needed.dropLast().joined(separator: ", ") + " or " + needed.last!
        guard let role else { return "Only \(roles) may \(permission.summary); the system actor may not." }
        return "Only \(roles) may \(permission.summary); you are \(role.rawValue)."
    }
}
