import Foundation
import HandletDomain

/// The demo business and its people. Phone numbers are in Ofcom's range reserved for drama, so the
/// demo never points at a real business line.
public enum DemoBusiness {
    public static let name = "Kestrel Home Services Ltd"
    public static let shortName = "Kestrel Home Services"
    public static let domain = "kestrelhomeservices.co.uk"
    public static let phone = "+441134960321"
    public static let whatsappNumber = "+447700900321"
    public static let email = "hello@kestrelhomeservices.co.uk"
    public static let address = "Unit 7, Airedale Trade Park, Kirkstall Road, Leeds LS4 2QN"
    public static let workspaceName = "Kestrel Home Services (demo)"
    public static let callOutPounds = 75

    /// One user per role; emails are what `--user` takes.
    public struct DemoUser: Sendable {
        public let name: String
        public let email: String
        public let role: Role
        public let title: String
    }

    public static let users: [DemoUser] = [
        DemoUser(name: "Gareth Holroyd", email: "owner@\(domain)", role: .owner, title: "owner and gas engineer"),
        DemoUser(name: "Priya Shah", email: "admin@\(domain)", role: .admin, title: "office manager"),
        DemoUser(name: "Tom Brennan", email: "agent@\(domain)", role: .agent, title: "electrician, answers the phones"),
        DemoUser(name: "Helen Okafor", email: "viewer@\(domain)", role: .viewer, title: "external bookkeeper"),
    ]

    /// User ids follow the order above (the workspace is created with them first).
    static let ownerUserId: Int64 = 1
    static let adminUserId: Int64 = 2
    static let agentUserId: Int64 = 3

    /// Staff who take calls themselves, with their user ids.
    static let staffOnPhones: [(firstName: String, userId: Int64)] = [("Gareth", 1), ("Tom", 3), ("Priya", 2)]
    /// Engineers named in transcripts and messages.
    static let engineers = ["Gareth", "Tom", "Dariusz", "Lewis"]

    static func record(seed: UInt64, createdAt: Date) -> WorkspaceRecord {
        WorkspaceRecord(name: workspaceName, businessName: name, businessPhone: phone, businessEmail: email,
                        businessAddress: address, timeZone: "Europe/London", isDemo: true,
                        demoSeed: Int64(bitPattern: seed), recordingEnabled: true, retentionDays: 30,
                        createdAt: createdAt)
    }

    static func userRecords(createdAt: Date) -> [User] {
        // The office manager joined as an agent; the replayed history promotes her (`DemoExtras`).
        users.map { User(name: $0.name, email: $0.email, role: $0.role == .admin ? .agent : $0.role, createdAt: createdAt) }
    }
}
