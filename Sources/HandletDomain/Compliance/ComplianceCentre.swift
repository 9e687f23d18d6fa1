import Foundation
import GRDB

/// The business's own duties under the DPA (its section "customer responsibilities"), each with a
/// status computed from the workspace, and the processor's promises checked from its notices.
public struct ComplianceReport: Sendable, Equatable {
    public enum Duty: String, Sendable, Codable, CaseIterable {
        case lawfulBasis = "lawful_basis"
        case callerNotice = "caller_notice"
        case marketingConsent = "marketing_consent"
        case autoSend = "auto_send"
        case accountAccess = "account_access"
        case dataSubjectRequests = "data_subject_requests"
        case specialCategory = "special_category"

        public var title: String {
            switch self {
            case .lawfulBasis: "Lawful basis recorded for each purpose"
            case .callerNotice: "Callers told about recording and the AI assistant"
            case .marketingConsent: "Marketing only with consent"
            case .autoSend: "Auto-Send configured lawfully"
            case .accountAccess: "Account access limited"
            case .dataSubjectRequests: "Data-subject requests answered within one month"
            case .specialCategory: "No unnecessary special-category data"
            }
        }

        /// How to fix it, in the domain's words with the command that does it. Where the console
        /// fixes it is the console's business: the screen that does declares the duty.
        public var fix: String {
            switch self {
            case .lawfulBasis: "record a basis for each purpose: handlet compliance basis PURPOSE BASIS"
            case .callerNotice: "handlet compliance caller-notice TEXT, and the AI agent's greeting"
            case .marketingConsent: "record consent, or stop marketing to these contacts (handlet messages list to find them)"
            case .autoSend: "handlet autosend check lists each failing check with its fix; handlet autosend set changes the settings"
            case .accountAccess: "handlet users list / users disable / users role"
            case .dataSubjectRequests: "handlet dsr list --due-soon; answer each within one month (dsr close), or extend it once with the reason (dsr extend)"
            case .specialCategory: "handlet search with the words in docs/notices.md; delete what is not needed"
            }
        }
    }

    public enum Status: String, Sendable, Codable {
        case ok
        case failing
        /// Auto-Send switched off: nothing to configure lawfully, so the duty is met.
        case notInUse = "not_in_use"
        /// No data-subject request recorded.
        case noneRecorded = "none_recorded"

        public var isFailing: Bool { self == .failing }

        public var label: String {
            switch self {
            case .ok: "ok"
            case .failing: "FAILING"
            case .notInUse: "not in use"
            case .noneRecorded: "none recorded"
            }
        }
    }

    public struct Line: Sendable, Equatable {
        public let duty: Duty
        public let status: Status
        /// One line: what was found.
        public let detail: String
        /// A count behind the status, when there is one (messages, users, hits).
        public let count: Int?
    }

    public let lines: [Line]
    public let promises: [PromiseCheck]
    public let specialCategoryHits: SpecialCategory.Counts

    /// A duty failing or a processor promise broken: `handlet compliance` exits 1.
    public var anyFailing: Bool { lines.contains { $0.status.isFailing } || promises.contains { !$0.kept } }

    public func line(_ duty: Duty) -> Line? { lines.first { $0.duty == duty } }

    static let lookBack: TimeInterval = 90 * 86_400
    /// How many of the most recent AI-answered calls' greetings are checked.
    static let greetingSample = 200

    static func compute(now: Date, in db: Database) throws -> ComplianceReport {
        let settings = try ComplianceSettings.load(db)
        let nowSeconds = Int64(now.timeIntervalSince1970.rounded(.down))
        let since = nowSeconds - Int64(lookBack)
        var lines: [Line] = []

        // Lawful basis per purpose.
        let missing = ProcessingPurpose.allCases.filter { settings.bases[$0] == nil }
        lines.append(Line(duty: .lawfulBasis, status: missing.isEmpty ? .ok : .failing,
                          detail: missing.isEmpty ? "recorded for all \(ProcessingPurpose.allCases.count) purposes"
                              : "none recorded for: " + missing.map(\.rawValue).joined(separator: ", "),
                          count: missing.count))

        // Caller notice configured, and recent greetings say so.
        let recordingOn = try Bool.fetchOne(db, sql: "SELECT recording_enabled FROM workspace WHERE id = 1") ?? true
        let greetings = try Row.fetchAll(db, sql: """
            SELECT transcript, transcript_timing FROM calls INDEXED BY calls_by_time
            WHERE started_at >= ? AND started_at <= ? AND handled_by = 'ai_agent' AND transcript <> ''
            ORDER BY started_at DESC, id DESC LIMIT \(greetingSample)
            """, arguments: [nowSeconds - 30 * 86_400, nowSeconds])
        var silent = 0
        for row in greetings {
            let greeting = CallerDisclosure.greeting(transcript: row[0], timing: row[1])
            if !CallerDisclosure.mentionsAI(greeting) || (recordingOn && !CallerDisclosure.mentionsRecording(greeting)) { silent += 1 }
        }
        let noticeText = settings.callerNotice
        let callerStatus: Status
        let callerDetail: String
        if noticeText == nil {
            callerStatus = .failing
            callerDetail = "no caller notice configured"
        } else if silent > 0 {
            callerStatus = .failing
            callerDetail = "\(silent) of the last \(greetings.count) AI-answered calls' greetings do not mention "
                + (recordingOn ? "the recording and the AI assistant" : "the AI assistant")
        } else {
            callerStatus = .ok
            callerDetail = greetings.isEmpty ? "caller notice configured; no AI-answered calls in 30 days"
                : "caller notice configured; the last \(greetings.count) AI-answered greetings disclose "
                    + (recordingOn ? "recording and the AI assistant" : "the AI assistant")
        }
        lines.append(Line(duty: .callerNotice, status: callerStatus, detail: callerDetail, count: silent))

        // Marketing messages without consent for their channel at the time (or after an opt-out).
        let unconsented = try Int.fetchOne(db, sql: """
            SELECT COUNT(*) FROM messages m INDEXED BY messages_marketing
            LEFT JOIN contacts c ON c.id = m.contact_id
            WHERE m.is_marketing = 1 AND m.sent_at >= ? AND m.direction = 'outbound'
              AND (c.id IS NULL OR (c.opted_out_at IS NOT NULL AND c.opted_out_at <= m.sent_at)
                   OR NOT EXISTS (SELECT 1 FROM marketing_consents k WHERE k.contact_id = m.contact_id
                                  AND k.channel = m.channel AND k.given_at <= m.sent_at
                                  AND (k.withdrawn_at IS NULL OR k.withdrawn_at > m.sent_at)))
            """, arguments: [since]) ?? 0
        let marketing = try Int.fetchOne(db, sql: """
            SELECT COUNT(*) FROM messages INDEXED BY messages_marketing
            WHERE is_marketing = 1 AND sent_at >= ? AND direction = 'outbound'
            """, arguments: [since]) ?? 0
        lines.append(Line(duty: .marketingConsent, status: unconsented == 0 ? .ok : .failing,
                          detail: unconsented == 0 ? "\(DisplayText.count(marketing, "marketing message")) in 90 days, all to contacts with consent"
                              : "\(unconsented) of \(DisplayText.count(marketing, "marketing message")) in 90 days went to contacts without consent for that channel",
                          count: unconsented))

        lines.append(try autoSendLine(in: db))

        // Account access: users idle for 90 days, more than two owners.
        // Signing in is opening the console (its `console.session_started` event); a user who
        // never has counts from when they were added. Each user's newest session start is one
        // walk down `audit_by_actor_time` from the newest event.
        let idle = try String.fetchAll(db, sql: """
            SELECT u.email FROM users u
            WHERE u.disabled = 0 AND \(UserDirectory.lastActiveSQL("u")) < ?
            ORDER BY u.email
            """, arguments: [since])
        let owners = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM users WHERE disabled = 0 AND role = 'owner'") ?? 0
        var accessProblems: [String] = []
        if !idle.isEmpty { accessProblems.append("\(DisplayText.count(idle.count, "enabled user")) not signed in for 90 days (\(idle.joined(separator: ", ")))") }
        if owners > 2 { accessProblems.append("\(owners) owners (at most 2)") }
        lines.append(Line(duty: .accountAccess, status: accessProblems.isEmpty ? .ok : .failing,
                          detail: accessProblems.isEmpty ? "\(DisplayText.count(owners, "owner")); every enabled user signed in within 90 days"
                              : accessProblems.joined(separator: "; "),
                          count: idle.count + max(0, owners - 2)))

        // Data-subject requests against their one-month due date.
        let requests = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM data_subject_requests") ?? 0
        if requests == 0 {
            lines.append(Line(duty: .dataSubjectRequests, status: .noneRecorded, detail: "no data-subject request recorded", count: 0))
        } else {
            let overdue = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM data_subject_requests
                WHERE (status IN ('open', 'in_progress') AND due_at < ?) OR (completed_at IS NOT NULL AND completed_at > due_at)
                """, arguments: [nowSeconds]) ?? 0
            let open = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM data_subject_requests WHERE status IN ('open', 'in_progress')") ?? 0
            lines.append(Line(duty: .dataSubjectRequests, status: overdue == 0 ? .ok : .failing,
                              detail: overdue == 0 ? "\(requests) recorded, \(open) open, none past its due date"
                                  : "\(overdue) of \(DisplayText.count(requests, "request")) not answered within one month",
                              count: overdue))
        }

        // Special-category words in recent messages and transcripts, through the FTS indexes.
        let counts = try SpecialCategory.counts(since: since, in: db)
        lines.append(Line(duty: .specialCategory, status: counts.total == 0 ? .ok : .failing,
                          detail: counts.total == 0 ? "no recent message or call matches the special-category word list"
                              : "\(DisplayText.count(counts.messages, "message")) and \(DisplayText.count(counts.calls, "call")) in 90 days match the special-category word list; review them",
                          count: counts.total))

        return ComplianceReport(lines: lines, promises: PromiseCheck.checks(try NoticeCatalogue.stored(db)),
                                specialCategoryHits: counts)
    }
}

extension ComplianceReport {
    /// Auto-Send from its settings and the checks `handlet autosend check` runs: a check failing
    /// fails the duty, naming the check, on or off; off and passing is not in use (met); on and
    /// passing is met.
    static func autoSendLine(in db: Database) throws -> Line {
        // The very checks `handlet autosend check` runs and exits 65 on (`AutoSendOverview.problems`),
        // whatever the master switch: settings that fail them fail the duty even while off (switching
        // on would send under them), so the centre and the command never disagree.
        let overview = try AutoSendOverview.load(db)
        let problems = overview.problems
        let state = overview.settings.masterEnabled ? "on" : "off"
        if let first = problems.first {
            let more = problems.count > 1 ? " (and \(problems.count - 1) more \(DisplayText.plural("check", problems.count - 1)) failing)" : ""
            return Line(duty: .autoSend, status: .failing, detail: "Auto-Send is \(state) and a check fails: \(first.message)\(more)",
                        count: problems.count)
        }
        guard overview.settings.masterEnabled else {
            return Line(duty: .autoSend, status: .notInUse, detail: "Auto-Send is off: nothing is sent without a person", count: 0)
        }
        return Line(duty: .autoSend, status: .ok, detail: "Auto-Send is on and passes every check", count: 0)
    }
}

/// The AI agent's greeting: the first line the agent speaks in a transcript.
enum CallerDisclosure {
    static func greeting(transcript: String, timing: String) -> String {
        let lines = transcript.split(separator: "\n", omittingEmptySubsequences: false)
        let speakers = timing.split(separator: "\n", omittingEmptySubsequences: false).map { $0.first }
        for (index, line) in lines.enumerated() where index < speakers.count && speakers[index] == "A" { return String(line) }
        return lines.first.map(String.init) ?? ""
    }

    static func words(_ text: String) -> Set<String> {
        Set(text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init))
    }

    static func mentionsAI(_ greeting: String) -> Bool {
        let found = words(greeting)
        return found.contains("ai") || found.contains("automated") || found.contains("assistant") || found.contains("virtual")
    }

    static func mentionsRecording(_ greeting: String) -> Bool {
        words(greeting).contains { $0.hasPrefix("record") }
    }
}

extension WorkspaceQuery where Value == ComplianceReport {
    public static func compliance(now: Date? = nil) -> Self {
        .reading(.browse, at: now) { db, now in try ComplianceReport.compute(now: now, in: db) }
    }
}
