import Foundation
import GRDB

/// What `handlet info` shows: which workspace, its schema, how many of each record, and disk use.
///
/// Big tables' counts come from `record_counts` (kept by triggers), stored recordings and their
/// bytes from `recording_day_totals` plus the held ones, so reading this stays a few milliseconds
/// at millions of rows. The audio figure is the recorded size of stored recordings (from the
/// database, not a walk of a folder that may hold tens of thousands of files).
public struct WorkspaceInfo: Codable, Sendable, Equatable {
    public struct Counts: Codable, Sendable, Equatable {
        public var users: Int
        public var contacts: Int
        public var calls: Int
        /// Recordings whose audio is still stored (not purged).
        public var recordings: Int
        public var recordingsPurged: Int
        public var threads: Int
        public var messages: Int
        public var reviews: Int
        public var drafts: Int
        public var notices: Int
        public var dataSubjectRequests: Int
        public var auditEvents: Int
    }

    public struct Disk: Codable, Sendable, Equatable {
        public var databaseBytes: Int64
        public var walBytes: Int64
        /// Sum of `recordings.bytes` over recordings not purged.
        public var audioBytes: Int64
        public var totalBytes: Int64 { databaseBytes + walBytes + audioBytes }

        enum CodingKeys: String, CodingKey { case databaseBytes, walBytes, audioBytes, totalBytes }

        public init(databaseBytes: Int64, walBytes: Int64, audioBytes: Int64) {
            self.databaseBytes = databaseBytes; self.walBytes = walBytes; self.audioBytes = audioBytes
        }

        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            databaseBytes = try container.decode(Int64.self, forKey: .databaseBytes)
            walBytes = try container.decode(Int64.self, forKey: .walBytes)
            audioBytes = try container.decode(Int64.self, forKey: .audioBytes)
        }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(databaseBytes, forKey: .databaseBytes)
            try container.encode(walBytes, forKey: .walBytes)
            try container.encode(audioBytes, forKey: .audioBytes)
            try container.encode(totalBytes, forKey: .totalBytes)
        }
    }

    public var name: String
    public var businessName: String
    public var isDemo: Bool
    public var path: String
    public var audioPath: String
    public var schemaVersion: Int
    public var recordingEnabled: Bool
    public var retentionDays: Int
    public var counts: Counts
    public var disk: Disk

    static func read(_ db: Database, workspace: Workspace) throws -> WorkspaceInfo {
        do {
            let settings = try WorkspaceRecord.stored(db)!
            let big = try RecordCounts.read(db)
            // The small tables and the schema version in one statement (issue 26: one each before).
            let small = try Row.fetchOne(db, sql: """
                SELECT (SELECT COUNT(*) FROM users) AS users, (SELECT COUNT(*) FROM reviews) AS reviews,
                       (SELECT COUNT(*) FROM drafts) AS drafts, (SELECT COUNT(*) FROM notices) AS notices,
                       (SELECT COUNT(*) FROM data_subject_requests) AS requests,
                       (SELECT user_version FROM pragma_user_version) AS version
                """)!
            // Stored recordings not on hold are summed per day by the retention triggers; held
            // ones come from their own small partial index.
            let unheld = try Row.fetchOne(db, sql: "SELECT TOTAL(recordings) AS n, TOTAL(bytes) AS b FROM recording_day_totals")!
            let held = try Row.fetchOne(db, sql: """
                SELECT COUNT(*) AS n, TOTAL(bytes) AS b FROM recordings INDEXED BY recordings_held
                WHERE legal_hold = 1 AND purged_at IS NULL
                """)!
            let stored = Int(unheld["n"] as Double) + (held["n"] as Int)
            let audioBytes = Int64(unheld["b"] as Double) + Int64(held["b"] as Double)
            let counts = Counts(
                users: small["users"],
                contacts: big["contacts"] ?? 0,
                calls: big["calls"] ?? 0,
                recordings: stored,
                recordingsPurged: (big["recordings"] ?? 0) - stored,
                threads: big["threads"] ?? 0,
                messages: big["messages"] ?? 0,
                reviews: small["reviews"],
                drafts: small["drafts"],
                notices: small["notices"],
                dataSubjectRequests: small["requests"],
                auditEvents: big["audit_events"] ?? 0)
            let path = workspace.databaseURL.path
            return WorkspaceInfo(
                name: settings.name, businessName: settings.businessName, isDemo: settings.isDemo, path: path,
                audioPath: workspace.audioDirectory.path,
                schemaVersion: small["version"],
                recordingEnabled: settings.recordingEnabled, retentionDays: settings.retentionDays, counts: counts,
                disk: Disk(databaseBytes: fileSize(path), walBytes: fileSize(path + "-wal"), audioBytes: audioBytes))
        }
    }

    private static func fileSize(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }
}
