/// The notices the product ships, written for handlet from the facts of the service's documents
/// (roles, duties, periods, Article numbers), never their sentences. Each is a notice file exactly
/// as `handlet notices import` reads one (format: docs/notices.md); `handlet notices import
/// --shipped` loads them, and the demo workspace has them.
public enum ShippedNotices {
    public struct File: Sendable {
        /// The file name it is imported under.
        public let name: String
        public let text: String
    }

    public static let all: [File] = [
        File(name: "handlet-dpa-v1.md", text: dpaVersion1),
        File(name: "handlet-dpa-v2.md", text: dpaVersion2),
        File(name: "subprocessors.md", text: subprocessors),
        File(name: "retention-table.md", text: retentionTable),
        File(name: "caller-privacy-template.md", text: callerPrivacyTemplate),
    ]
}
