import Foundation

/// What `handlet init` asks for: a real, empty workspace for one business, its first user the
/// owner. Everything else starts at the product's defaults (DESIGN §5, §6): recording on, kept
/// 30 days; Auto-Send off with every intent off.
public struct NewWorkspace: Sendable, Equatable {
    public static let maximumBusinessNameLength = 120

    public var businessName: String
    public var ownerEmail: String
    /// nil: the part of the email before the `@`.
    public var ownerName: String?
    /// An IANA time zone (quiet hours, "today" and the Overview's days are read in it).
    public var timeZone: String

    public init(businessName: String, ownerEmail: String, ownerName: String? = nil, timeZone: String = "Europe/London") {
        self.businessName = businessName
        self.ownerEmail = ownerEmail
        self.ownerName = ownerName
        self.timeZone = timeZone
    }

    /// The workspace and owner records to store, each value checked; the first problem is thrown.
    func records(now: Date) throws -> (WorkspaceRecord, User) {
        let business = businessName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !business.isEmpty else { throw NewWorkspaceError.emptyBusinessName }
        guard business.count <= Self.maximumBusinessNameLength else {
            throw NewWorkspaceError.businessNameTooLong(maximum: Self.maximumBusinessNameLength)
        }
        // The one rule for stored one-line text (`PlainText`).
        guard PlainText.forbiddenScalar(in: business) == nil else { throw NewWorkspaceError.businessNameNotPlainText }
        guard TimeZone(identifier: timeZone) != nil, timeZone.contains("/") || timeZone == "UTC" else {
            throw NewWorkspaceError.unknownTimeZone(timeZone)
        }
        let email = try UserManagement.validatedEmail(ownerEmail)
        let name = try UserManagement.validatedName(ownerName ?? String(email.split(separator: "@")[0]))
        let record = WorkspaceRecord(name: business, businessName: business, timeZone: timeZone, isDemo: false,
                                     recordingEnabled: true, retentionDays: RetentionPeriod.standard.days, createdAt: now)
        return (record, User(name: name, email: email, role: .owner, createdAt: now))
    }
}

public enum NewWorkspaceError: SysexitsError, Equatable, CustomStringConvertible {
    case emptyBusinessName
    case businessNameTooLong(maximum: Int)
    case businessNameNotPlainText
    case unknownTimeZone(String)

    public var exitClass: ExitClass {
        switch self {
        case .emptyBusinessName, .businessNameNotPlainText, .unknownTimeZone: .usage
        case .businessNameTooLong: .dataError
        }
    }

    public var description: String {
        switch self {
        case .emptyBusinessName: "The business name cannot be empty (--name \"Your Business Ltd\")."
        case .businessNameTooLong(let maximum): "The business name may be at most \(maximum) characters."
        case .businessNameNotPlainText: "The business name cannot hold control or formatting characters."
        case .unknownTimeZone(let zone): "\"\(zone)\" is not a time zone; give an IANA name such as Europe/London."
        }
    }
}

extension Workspace {
    /// Creates the empty workspace `new` describes at `url`, atomically (see `create(at:workspace:users:)`):
    /// refused with `alreadyExists` when anything is there.
    public static func create(at url: URL, _ new: NewWorkspace, now: Date = Date()) throws -> Workspace {
        let (record, owner) = try new.records(now: now)
        return try create(at: url, workspace: record, users: [owner], now: now, populate: { _ in }, history: { _ in })
    }
}
