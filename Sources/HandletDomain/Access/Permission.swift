/// Every action of DESIGN §4 that not every role may take. Checked in the domain, never in screens.
public enum Permission: String, CaseIterable, Sendable {
    case browse
    case exportRecording
    case changeRetention
    case legalHold
    case changeAutoSend
    case handleDrafts
    case acknowledgeNotice
    case objectToSubprocessor
    case dataSubjectExportRectifyRestrict
    case dataSubjectErasure
    case manageUsers
    case readAuditLog

    /// Roles allowed, most powerful first.
    public var allowedRoles: [Role] {
        switch self {
        case .browse: [.owner, .admin, .agent, .viewer]
        case .exportRecording: [.owner, .admin, .agent]
        case .changeRetention, .legalHold, .changeAutoSend, .acknowledgeNotice,
             .dataSubjectExportRectifyRestrict: [.owner, .admin]
        case .handleDrafts: [.owner, .admin, .agent]
        case .objectToSubprocessor, .dataSubjectErasure: [.owner]
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
        case .objectToSubprocessor: "object to a subprocessor change"
        case .dataSubjectExportRectifyRestrict: "export, rectify or restrict a person's data"
        case .dataSubjectErasure: "erase a person's data"
        case .manageUsers: "manage users"
        case .readAuditLog: "read the audit log"
        }
    }
}

extension Role {
    public func allows(_ permission: Permission) -> Bool { permission.allowedRoles.contains(self) }

    public var label: String { rawValue.capitalized }
}

/// A refused action names what it needed, so the user knows whom to ask.
public struct PermissionDenied: Error, Equatable, CustomStringConvertible {
    public let permission: Permission
    public let role: Role

    public var description: String {
        let needed = permission.allowedRoles.map(\.rawValue)
        let roles = needed.count == 1 ? needed[0]
            : needed.dropLast().joined(separator: ", ") + " or " + needed.last!
        return "Only \(roles) may \(permission.summary); you are \(role.rawValue)."
    }
}
