import Foundation
import GRDB

/// "With these settings, over the last N days, Auto-Send would have sent X, held Y, blocked Z
/// (by gate)": every stored draft of the period decided again, at the moment it was drafted,
/// under the settings given (saved or being edited). Nothing is written.
public struct AutoSendPreview: Hashable, Sendable, Codable {
    public static let validDays: ClosedRange<Int> = 1...365

    public let days: Int
    public let drafts: Int
    public let send: Int
    /// Of `send`, those that would have waited for quiet hours to end.
    public let deferred: Int
    public let hold: Int
    public let blocked: Int
    /// Held or blocked drafts by the gate that decided, in gate order; gates that decided none are left out.
    public let byGate: [GateCount]

    public struct GateCount: Hashable, Sendable, Codable {
        public let gate: AutoSendGate
        public let outcome: String
        public let drafts: Int
    }

    public static func parseDays(_ text: String) throws -> Int {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            throw AutoSendPreviewError.badDays(text)
        }
        guard trimmed.count <= 4, let days = Int(trimmed), validDays.contains(days) else {
            throw AutoSendPreviewError.daysOutOfRange(text)
        }
        return days
    }

    static func compute(_ db: Database, settings: AutoSendSettings, days: Int, now: Date) throws -> AutoSendPreview {
        let overview = try AutoSendOverview.load(db)
        let policy = AutoSendPolicy(settings: settings, training: overview.training, businessName: overview.businessName)
        let end = Int64(now.timeIntervalSince1970)
        let start = end - Int64(days) * 86_400
        // Automatic messages per contact from a day before the period: what the cap counts.
        var sends: [Int64: [Date]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT contact_id, sent_at FROM messages INDEXED BY messages_auto_sent_by_time
            WHERE auto_sent = 1 AND contact_id IS NOT NULL AND sent_at >= ? AND sent_at <= ?
            """, arguments: [start - 86_400, end]) {
            sends[row[0], default: []].append(Date(timeIntervalSince1970: TimeInterval(row[1] as Int64)))
        }
        var consents: [Int64: Set<Channel>] = [:]
        // Only the consents of contacts the period's drafts are for (not every consent ever given).
        for row in try Row.fetchAll(db, sql: """
            SELECT contact_id, channel FROM marketing_consents
            WHERE withdrawn_at IS NULL AND contact_id IN (SELECT contact_id FROM drafts WHERE created_at > ? AND created_at <= ?)
            """, arguments: [start, end]) {
            if let channel = Channel(rawValue: row[1]) { consents[row[0], default: []].insert(channel) }
        }
        var counts = [Int](repeating: 0, count: AutoSendGate.allCases.count)
        var send = 0, deferred = 0, hold = 0, blocked = 0, total = 0
        let rows = try Row.fetchCursor(db, sql: """
            SELECT d.intent, d.confidence, d.channel, d.is_marketing, d.firm_price_available, d.booking_fields_complete,
                   d.complaint_severity, d.review_stars, d.created_at, d.contact_id,
                   c.opted_out_at IS NOT NULL, c.restricted_at IS NOT NULL
            FROM drafts d LEFT JOIN contacts c ON c.id = d.contact_id
            WHERE d.created_at > ? AND d.created_at <= ?
            """, arguments: [start, end])
        while let row = try rows.next() {
            total += 1
            let createdAt = Date(timeIntervalSince1970: TimeInterval(row[8] as Int64))
            let contactId: Int64? = row[9]
            let draft = AutoSendDraftFacts(
                intent: DraftIntent(rawValue: row[0]) ?? .unknown, confidence: row[1],
                channel: (row[2] as String?).flatMap(Channel.init(rawValue:)), isMarketing: row[3],
                firmPriceAvailable: row[4], bookingFieldsComplete: row[5],
                complaintSeverity: (row[6] as String?).flatMap(ComplaintSeverity.init(rawValue:)), reviewStars: row[7])
            let contact = AutoSendContactFacts(optedOut: row[10] ?? false, restricted: row[11] ?? false,
                                               marketingConsent: contactId.flatMap { consents[$0] } ?? [])
            let recent = contactId.flatMap { sends[$0] }?.filter { $0 < createdAt } ?? []
            let decision = AutoSendDecider.decide(draft, policy: policy, contact: contact, recentSends: recent, now: createdAt)
            switch decision.outcome {
            case .send(let at):
                send += 1
                if at > createdAt { deferred += 1 }
            case .hold:
                hold += 1
                counts[AutoSendGate.index[decision.decidingGate!]!] += 1
            case .blocked:
                blocked += 1
                counts[AutoSendGate.index[decision.decidingGate!]!] += 1
            }
        }
        let byGate = AutoSendGate.allCases.enumerated().compactMap { index, gate -> GateCount? in
            guard counts[index] > 0 else { return nil }
            let outcome = [AutoSendGate.contactSuppressed, .marketingConsent, .disclosure].contains(gate) ? "blocked" : "hold"
            return GateCount(gate: gate, outcome: outcome, drafts: counts[index])
        }
        return AutoSendPreview(days: days, drafts: total, send: send, deferred: deferred, hold: hold, blocked: blocked,
                               byGate: byGate)
    }
}

public enum AutoSendPreviewError: SysexitsError, Equatable, CustomStringConvertible {
    case badDays(String)
    case daysOutOfRange(String)

    public var exitClass: ExitClass {
        switch self {
        case .badDays: .usage
        case .daysOutOfRange: .dataError
        }
    }

    public var description: String {
        switch self {
        case .badDays(let text):
            "\"\(text)\" is not a number of days to preview: give a whole number from 1 to 365."
        case .daysOutOfRange(let text):
            "\(text) days is out of the preview's range: give a whole number from 1 to 365."
        }
    }
}

extension WorkspaceQuery where Value == AutoSendPreview {
    /// The preview under the stored settings with `change` applied (validated, never saved).
    /// Everyone who may see the settings may preview them.
    public static func autoSendPreview(days: Int, applying change: AutoSendChange = AutoSendChange(),
                                       now: Date? = nil) -> Self {
        .reading(.browse, at: now) { db, now in
            let settings = try change.applied(to: try AutoSendSettings.load(db))
            return try AutoSendPreview.compute(db, settings: settings, days: days, now: now)
        }
    }
}
