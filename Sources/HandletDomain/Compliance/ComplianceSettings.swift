import Foundation
import GRDB

/// What the business processes its customers' data for, each needing a lawful basis (UK GDPR
/// Art. 6(1)); the DPA leaves choosing it to the business.
public enum ProcessingPurpose: String, CaseIterable, Sendable, Codable {
    case callHandling = "call_handling"
    case callRecording = "call_recording"
    case messaging
    case marketing

    public var label: String {
        switch self {
        case .callHandling: "Answering calls (AI agent, transcripts, summaries)"
        case .callRecording: "Recording calls"
        case .messaging: "Replying to messages"
        case .marketing: "Marketing messages"
        }
    }
}

/// The six lawful bases of Art. 6(1)(a)–(f).
public enum LawfulBasis: String, CaseIterable, Sendable, Codable {
    case consent
    case contract
    case legalObligation = "legal_obligation"
    case vitalInterests = "vital_interests"
    case publicTask = "public_task"
    case legitimateInterests = "legitimate_interests"

    public var label: String {
        switch self {
        case .consent: "Consent (6(1)(a))"
        case .contract: "Contract (6(1)(b))"
        case .legalObligation: "Legal obligation (6(1)(c))"
        case .vitalInterests: "Vital interests (6(1)(d))"
        case .publicTask: "Public task (6(1)(e))"
        case .legitimateInterests: "Legitimate interests (6(1)(f))"
        }
    }
}

/// The compliance settings as stored.
public struct ComplianceSettings: Sendable, Equatable {
    public var bases: [ProcessingPurpose: LawfulBasis]
    public var callerNotice: String?
    public var callerNoticeAt: Date?

    static func load(_ db: Database) throws -> ComplianceSettings {
        var bases: [ProcessingPurpose: LawfulBasis] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT purpose, basis FROM lawful_bases") {
            if let purpose = ProcessingPurpose(rawValue: row[0]), let basis = LawfulBasis(rawValue: row[1]) { bases[purpose] = basis }
        }
        let notice = try Row.fetchOne(db, sql: "SELECT caller_notice, caller_notice_at FROM workspace WHERE id = 1")
        return ComplianceSettings(bases: bases, callerNotice: notice?[0],
                                  callerNoticeAt: (notice?[1] as Int64?).map { Date(timeIntervalSince1970: TimeInterval($0)) })
    }
}

public enum ComplianceError: SysexitsError, Equatable, CustomStringConvertible {
    case callerNoticeTooLong(limit: Int)
    case unknownPurpose(String)
    case unknownBasis(String)

    public var exitClass: ExitClass {
        switch self {
        case .callerNoticeTooLong: .dataError
        case .unknownPurpose, .unknownBasis: .usage
        }
    }

    public var description: String {
        switch self {
        case .callerNoticeTooLong(let limit): "A caller notice may be at most \(limit) characters."
        case .unknownPurpose(let text):
            "Unknown purpose \"\(text)\" (one of: \(ProcessingPurpose.allCases.map(\.rawValue).joined(separator: ", ")))."
        case .unknownBasis(let text):
            "Unknown lawful basis \"\(text)\" (one of: \(LawfulBasis.allCases.map(\.rawValue).joined(separator: ", ")))."
        }
    }
}

extension WorkspaceQuery where Value == ComplianceSettings {
    public static var complianceSettings: Self { .reading(.browse) { try ComplianceSettings.load($0) } }
}

extension WorkspaceCommand where Result == Bool {
    /// Records the lawful basis for one purpose (true when it changed). Owners and admins.
    public static func setLawfulBasis(_ basis: LawfulBasis, for purpose: ProcessingPurpose) -> Self {
        WorkspaceCommand(.changeComplianceSettings, audit: .lawfulBasisRecorded) { db, environment in
            let current = try String.fetchOne(db, sql: "SELECT basis FROM lawful_bases WHERE purpose = ?", arguments: [purpose.rawValue])
            guard current != basis.rawValue else { return .unchanged(false) }
            try db.execute(sql: """
                INSERT INTO lawful_bases(purpose, basis, recorded_by, recorded_at) VALUES (?, ?, ?, ?)
                ON CONFLICT(purpose) DO UPDATE SET basis = excluded.basis, recorded_by = excluded.recorded_by,
                    recorded_at = excluded.recorded_at
                """, arguments: [purpose.rawValue, basis.rawValue, environment.actor.userId,
                                 Int64(environment.now.timeIntervalSince1970.rounded(.down))])
            return .changed(true, target: "purpose:\(purpose.rawValue)",
                            details: ["basis": .string(basis.rawValue), "previous": .string(current ?? "none")])
        }
    }

    public static let callerNoticeLimit = 2_000

    /// The notice callers are given (the greeting's disclosure and where the full notice is);
    /// blank clears it. Owners and admins.
    public static func setCallerNotice(_ text: String) -> Self {
        WorkspaceCommand(.changeComplianceSettings, audit: .callerNoticeSet) { db, environment in
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard trimmed.count <= callerNoticeLimit else { throw ComplianceError.callerNoticeTooLong(limit: callerNoticeLimit) }
            // The one rule for stored one-line text (issue 28): no ESC, line break, bidi or invisible character.
            if let scalar = PlainText.forbiddenScalar(in: trimmed) {
                throw PlainTextError.forbidden(field: "the caller notice", character: PlainText.describe(scalar))
            }
            let value: String? = trimmed.isEmpty ? nil : trimmed
            let current = try String.fetchOne(db, sql: "SELECT caller_notice FROM workspace WHERE id = 1")
            guard current != value else { return .unchanged(false) }
            try db.execute(sql: "UPDATE workspace SET caller_notice = ?, caller_notice_at = ? WHERE id = 1",
                           arguments: [value, value == nil ? nil : Int64(environment.now.timeIntervalSince1970.rounded(.down))])
            return .changed(true, target: "workspace", details: ["configured": .bool(value != nil)])
        }
    }
}
