import Foundation
import GRDB

/// One audit event naming a person's records, as an export lists it (the log holds no content).
public struct AuditEventReference: Sendable, Equatable, Codable {
    public let seq: Int64
    public let at: Date
    public let actor: String
    public let action: String
    public let target: String
}

extension WorkspaceQuery where Value == [AuditEventReference] {
    static func auditEvents(_ seqs: [Int64]) -> Self {
        .reading(.dataSubjectExportRectifyRestrict) { db in
            try Row.fetchAll(db, sql: """
                SELECT seq, at, actor, action, target FROM audit_events WHERE seq IN (SELECT value FROM json_each(?)) ORDER BY seq
                """, arguments: [PersonHoldings.jsonIDs(seqs)]).map {
                AuditEventReference(seq: $0["seq"], at: Date(timeIntervalSince1970: TimeInterval($0["at"] as Int64)),
                                    actor: $0["actor"], action: $0["action"], target: $0["target"])
            }
        }
    }
}

extension WorkspaceCommand where Result == Void {
    /// The audit event of a data-subject export: which contacts, how many files and bytes.
    static func recordDataSubjectExport(_ ids: [Contact.ID], files: Int, bytes: Int64, zip: Bool) -> Self {
        WorkspaceCommand(.dataSubjectExportRectifyRestrict, audit: .dataSubjectExported) { _, _ in
            .changed((), target: "contact:\(ids.first?.rawValue ?? 0)",
                     details: ["contacts": .string(ids.map { String($0.rawValue) }.joined(separator: ",")),
                               "files": .int(Int64(files)), "bytes": .int(bytes), "zip": .bool(zip)])
        }
    }
}

extension WorkspaceSession {
    /// Exports everything held about the person whose contacts are `ids` (Art. 15 and 20): JSON
    /// and CSV per record type, the recordings' audio and a manifest of SHA-256 hashes, into a new
    /// folder or a `.zip` (`DataSubjectExportWriter`). Owner or admin; audited.
    @discardableResult
    public func exportPerson(_ ids: [Contact.ID], to target: URL) throws -> DataSubjectExportWriter.Written {
        try actor.require(.dataSubjectExportRectifyRestrict)
        let writer = DataSubjectExportWriter(target: target)
        try writer.check()
        let held = try read(.heldAbout(ids))
        let events = try read(.auditEvents(held.auditEventSeqs))
        typealias File = DataSubjectExportWriter.RecordFile
        let records = [
            File(name: "contacts", rows: held.contacts), File(name: "consents", rows: held.consents),
            File(name: "calls", rows: held.calls.map(\.call)), File(name: "recordings", rows: held.recordings),
            File(name: "threads", rows: held.threads), File(name: "messages", rows: held.messages),
            File(name: "drafts", rows: held.drafts), File(name: "reviews", rows: held.reviews),
            File(name: "requests", rows: held.requests), File(name: "audit_events", rows: events),
        ]
        let audio = held.storedRecordings.compactMap { recording -> DataSubjectExportWriter.AudioFile? in
            guard let path = recording.filePath, AudioFolder.isInside(path) else { return nil }
            return DataSubjectExportWriter.AudioFile(source: workspace.audioDirectory.appendingPathComponent(path),
                                                     name: (path as NSString).lastPathComponent)
        }
        let subject = "data-subject export of contact" + (ids.count == 1 ? " " : "s ")
            + held.contactIDs.map { String($0.rawValue) }.joined(separator: ", ")
        let written = try writer.write(records: records, audio: audio, subject: subject, createdAt: now)
        do {
            try perform(.recordDataSubjectExport(held.contactIDs, files: written.files, bytes: written.bytes, zip: written.isZip))
        } catch {
            // Not audited, so not kept: an export nobody can account for is what this must not leave.
            try? FileManager.default.removeItem(atPath: written.path)
            throw error
        }
        return written
    }
}

/// What a data-subject export will write, shown before it is written.
public struct DataSubjectExportPreview: Sendable, Equatable, Codable {
    public let name: String
    public let path: String
    public let isZip: Bool
    /// Rows across every record type (contacts, calls, messages …, the audit events naming them).
    public let records: Int
    public let recordings: Int
    public let recordingBytes: Int64

    /// One paragraph: a dialog's message.
    public var summary: String {
        "Everything held about \(name): \(DisplayText.count(records, "record")) as JSON and CSV, "
            + "\(DisplayText.count(recordings, "recording")) (\(DisplayText.size(recordingBytes))) and a manifest of SHA-256 hashes, "
            + (isZip ? "in one .zip file " : "in a new folder ") + "\(path). It holds their personal data: send it to them "
            + "safely and delete your copy once sent."
    }
}

/// The plan of a data-subject export: what it writes and the question to ask first.
public struct DataSubjectExportPlan: Sendable, Equatable {
    public let preview: DataSubjectExportPreview
    public let confirmation: Confirmation
}

extension WorkspaceSession {
    /// What exporting the person whose contacts are `ids` to `target` will write, and the question
    /// to ask before it (`exportPerson` writes it). Throws the permission's refusal, or the
    /// target's problem (a folder that is not empty, an existing file, a read-only place) before
    /// anything is written.
    public func exportPlan(_ ids: [Contact.ID], to target: URL) throws -> DataSubjectExportPlan {
        try actor.require(.dataSubjectExportRectifyRestrict)
        let writer = DataSubjectExportWriter(target: target)
        try writer.check()
        let held = try read(.heldAbout(ids))
        let records = held.contacts.count + held.consents.count + held.calls.count + held.recordings.count + held.threads.count
            + held.messages.count + held.drafts.count + held.reviews.count + held.requests.count + held.auditEventSeqs.count
        let name = held.names.first ?? ""
        let preview = DataSubjectExportPreview(name: name, path: target.path, isZip: writer.isZip, records: records,
                                               recordings: held.storedRecordings.count,
                                               recordingBytes: held.storedRecordings.reduce(0) { $0 + $1.bytes })
        return DataSubjectExportPlan(preview: preview, confirmation: Confirmation(
            title: "Export \(name)", question: "Write the export now?", confirmLabel: "Export",
            declined: "Not exported; nothing was written.", isDestructive: false))
    }
}
