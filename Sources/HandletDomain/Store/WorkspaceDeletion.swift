import Foundation
import GRDB

/// End of service, the last step: the workspace's database (with its `-wal` and `-shm`), every
/// recording and its folder, removed for good, and a certificate of what went, to keep. Owner
/// only, confirmed by typing the workspace's name. Nothing of the workspace is left to audit the
/// deletion in, so the certificate carries the audit log's last event (its sequence and hash):
/// with an earlier export it shows which log ended here.
public enum WorkspaceDeletion {
    /// What deleting would remove, and the name to type.
    public struct Plan: Sendable, Equatable, Codable {
        public let workspaceName: String
        public let businessName: String
        public let databasePath: String
        public let databaseFiles: Int
        public let databaseBytes: Int64
        public let recordingFiles: Int
        public let recordingBytes: Int64
        public let folder: String

        /// The lines a front end shows before asking.
        public var lines: [String] {
            ["Deleting the workspace \"\(workspaceName)\" (\(businessName)) for good:",
             "  \(DisplayText.count(databaseFiles, "database file")) (\(DisplayText.size(databaseBytes))) at \(databasePath)",
             "  \(DisplayText.count(recordingFiles, "recording file")) (\(DisplayText.size(recordingBytes)))",
             "  and the folder \(folder) when nothing else is in it.",
             "Nothing can be recovered afterwards; export it first (handlet workspace export) to keep a copy."]
        }
    }

    /// The deletion certificate.
    public struct Certificate: Sendable, Equatable, Codable {
        public let workspaceName: String
        public let businessName: String
        public let deletedAt: Date
        public let deletedBy: String
        public let databasePath: String
        /// The database, `-wal`, `-shm` and lock files removed.
        public let databaseFiles: [String]
        public let databaseBytes: Int64
        public let recordingFiles: Int
        public let recordingBytes: Int64
        /// The audit log's last event before deletion, "SEQ:HASH".
        public let lastAuditEvent: String
        public let folder: String
        /// False when files that are not the workspace's were left in the folder (listed).
        public let folderRemoved: Bool
        public let leftInFolder: [String]

        public var lines: [String] {
            var lines = [
                "Deletion certificate",
                "  Workspace:        \(workspaceName) (\(businessName))",
                "  Deleted at:       \(ISO8601DateFormatter().string(from: deletedAt))",
                "  Deleted by:       \(deletedBy)",
                "  Database:         \(databasePath)",
                "  Database files:   \(databaseFiles.count) (\(databaseBytes) bytes): \(databaseFiles.joined(separator: ", "))",
                "  Recording files:  \(recordingFiles) (\(recordingBytes) bytes)",
                "  Last audit event: \(lastAuditEvent)",
                "  Folder:           \(folder) \(folderRemoved ? "removed" : "kept")",
            ]
            if !leftInFolder.isEmpty {
                lines.append("  Left in the folder (not the workspace's): \(leftInFolder.joined(separator: ", "))")
            }
            return lines
        }
    }

    struct Inventory {
        var databaseFiles: [(name: String, bytes: Int64)] = []
        var recordingFiles = 0
        var recordingBytes: Int64 = 0
    }

    static func inventory(_ workspace: Workspace) -> Inventory {
        let files = FileManager.default
        var inventory = Inventory()
        for suffix in WorkspaceFiles.databaseSuffixes(of: workspace.databaseURL) {
            let path = workspace.databaseURL.path + suffix
            if let attributes = try? files.attributesOfItem(atPath: path) {
                inventory.databaseFiles.append(((path as NSString).lastPathComponent, (attributes[.size] as? NSNumber)?.int64Value ?? 0))
            }
        }
        if let walker = files.enumerator(at: workspace.audioDirectory, includingPropertiesForKeys: [.isRegularFileKey, .fileSizeKey]) {
            for case let url as URL in walker {
                let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey])
                guard values?.isRegularFile == true else { continue }
                inventory.recordingFiles += 1
                inventory.recordingBytes += Int64(values?.fileSize ?? 0)
            }
        }
        return inventory
    }

    static func plan(_ workspace: Workspace, record: WorkspaceRecord) -> Plan {
        let inventory = inventory(workspace)
        return Plan(workspaceName: record.name, businessName: record.businessName, databasePath: workspace.databaseURL.path,
                    databaseFiles: inventory.databaseFiles.count, databaseBytes: inventory.databaseFiles.reduce(0) { $0 + $1.bytes },
                    recordingFiles: inventory.recordingFiles, recordingBytes: inventory.recordingBytes,
                    folder: workspace.databaseURL.deletingLastPathComponent().path)
    }
}

public enum WorkspaceDeletionError: SysexitsError, Equatable, CustomStringConvertible {
    case nameNeeded
    case nameMismatch(typed: String)
    case cannotRemove(path: String, reason: String)

    public var exitClass: ExitClass {
        switch self {
        case .nameNeeded: .usage
        case .nameMismatch: .dataError
        case .cannotRemove: .failure
        }
    }

    public var description: String {
        switch self {
        case .nameNeeded: "Deleting the workspace needs its name typed to confirm (--confirm NAME with --yes); nothing was deleted."
        case .nameMismatch(let typed): "\"\(typed)\" is not this workspace's name; nothing was deleted."
        case .cannotRemove(let path, let reason): "Could not remove \(path): \(reason). Run the command again to finish."
        }
    }
}

extension WorkspaceSession {
    /// What deleting the workspace would remove and the name to type; refused (`PermissionDenied`)
    /// for anyone but an owner, before anything is read.
    public func workspaceDeletionPlan() throws -> WorkspaceDeletion.Plan {
        try actor.require(.endOfService)
        let record = try workspace.dbPool.read { db in try WorkspaceRecord.fetchOne(db, key: 1)! }
        try workspace.dbPool.read { db in _ = try actor.current(in: db).require(.endOfService) }
        return WorkspaceDeletion.plan(workspace, record: record)
    }

    /// Deletes the workspace for good once `typedName` is its name exactly: the database and its
    /// `-wal`, `-shm` and lock files, every recording and the recordings folder, then the folder
    /// that held them if nothing else is in it. The session is unusable afterwards.
    public func deleteWorkspace(typedName: String) throws -> WorkspaceDeletion.Certificate {
        try actor.require(.endOfService)
        let (record, head) = try workspace.dbPool.read { db in
            _ = try actor.current(in: db).require(.endOfService)
            let record = try WorkspaceRecord.fetchOne(db, key: 1)!
            let head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1")
            return (record, head.map { "\($0[0] as Int64):\($0[1] as String)" } ?? "none")
        }
        let typed = typedName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !typed.isEmpty else { throw WorkspaceDeletionError.nameNeeded }
        guard typed == record.name else { throw WorkspaceDeletionError.nameMismatch(typed: typedName) }
        let deletedAt = now
        let inventory = WorkspaceDeletion.inventory(workspace)
        // Close every connection first, so no -wal or -shm is recreated behind the deletion.
        _ = try? workspace.dbPool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        try workspace.dbPool.close()
        let files = FileManager.default
        func remove(_ url: URL) throws {
            guard files.fileExists(atPath: url.path) else { return }
            do { try files.removeItem(at: url) } catch {
                throw WorkspaceDeletionError.cannotRemove(path: url.path, reason: WorkspaceExport.reason(error))
            }
        }
        // Recordings first, the database last: an interruption leaves a workspace that still opens.
        try remove(workspace.audioDirectory)
        for suffix in WorkspaceFiles.databaseSuffixes(of: workspace.databaseURL).reversed() { try remove(URL(fileURLWithPath: workspace.databaseURL.path + suffix)) }
        let folder = workspace.databaseURL.deletingLastPathComponent()
        let left = ((try? files.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
        var folderRemoved = false
        if left.isEmpty { folderRemoved = (try? files.removeItem(at: folder)) != nil }
        return WorkspaceDeletion.Certificate(
            workspaceName: record.name, businessName: record.businessName, deletedAt: deletedAt, deletedBy: actor.auditName,
            databasePath: workspace.databaseURL.path, databaseFiles: inventory.databaseFiles.map(\.name),
            databaseBytes: inventory.databaseFiles.reduce(0) { $0 + $1.bytes }, recordingFiles: inventory.recordingFiles,
            recordingBytes: inventory.recordingBytes, lastAuditEvent: head, folder: folder.path,
            folderRemoved: folderRemoved, leftInFolder: left)
    }
}
