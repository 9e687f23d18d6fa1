import Foundation
import GRDB

/// The text a workspace may keep for a limited time, separately from the audio (DESIGN §5, last
/// point): call summaries with their transcripts, and message bodies. Each has its own optional
/// period, off by default (kept until someone deletes it).
public enum TextKind: String, CaseIterable, Sendable, Codable {
    /// A call's AI summary and transcript (the call's metadata stays).
    case transcripts
    /// A message's body and attachment names (the message row and its delivery metadata stay).
    case messages

    /// "call summaries and transcripts", "message bodies".
    public var label: String {
        switch self {
        case .transcripts: "call summaries and transcripts"
        case .messages: "message bodies"
        }
    }

    /// The workspace column holding the period in days (NULL: off).
    var column: String {
        switch self {
        case .transcripts: "transcript_retention_days"
        case .messages: "message_retention_days"
        }
    }

    /// "call", "message": what one item is.
    var item: String {
        switch self {
        case .transcripts: "call"
        case .messages: "message"
        }
    }
}

/// How long text is kept, in whole days: 30 to 3650 (ten years). Shorter than audio's minimum on
/// purpose: a business keeps what was said longer than the recording, and a period under a month
/// would erase the text before a complaint about the call could even arrive.
public struct TextRetentionPeriod: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public static let validDays: ClosedRange<Int> = 30...3650

    public let days: Int

    public init(days: Int) throws {
        guard Self.validDays.contains(days) else { throw TextRetentionError.outOfRange(String(days)) }
        self.days = days
    }

    /// Parses what a person typed: plain decimal digits only, like the audio period.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw TextRetentionError.notAWholeNumber(text)
        }
        guard let days = Int(trimmed), Self.validDays.contains(days) else { throw TextRetentionError.outOfRange(text) }
        self.days = days
    }

    public var seconds: Int64 { Int64(days) * RecordingExpiry.secondsPerDay }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.days < rhs.days }
    public var description: String { DisplayText.count(days, "day") }

    public init(from decoder: Decoder) throws { try self.init(days: try decoder.singleValueContainer().decode(Int.self)) }
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(days)
    }

    /// "365 days", or "off (kept until deleted)".
    public static func describe(_ period: TextRetentionPeriod?) -> String {
        period.map(\.description) ?? "off (kept until deleted)"
    }
}

public enum TextRetentionError: SysexitsError, Equatable, CustomStringConvertible {
    case notAWholeNumber(String)
    case outOfRange(String)
    /// Shortening (or turning on) removes text sooner; the caller must show the preview and get a yes first.
    case shorteningNeedsConfirmation(TextImpactPreview)

    static var rangeText: String {
        "a whole number of days from \(TextRetentionPeriod.validDays.lowerBound) to \(TextRetentionPeriod.validDays.upperBound), or off"
    }

    public var exitClass: ExitClass {
        switch self {
        case .notAWholeNumber, .shorteningNeedsConfirmation: .usage
        case .outOfRange: .dataError
        }
    }

    public var description: String {
        switch self {
        case .notAWholeNumber(let text): "\"\(text)\" is not a text retention period: give \(Self.rangeText)."
        case .outOfRange(let text): "\(text) days is outside the valid text retention period: give \(Self.rangeText)."
        case .shorteningNeedsConfirmation(let preview):
            "Setting the retention of \(preview.kind.label) to \(preview.to.map(\.description) ?? "off") removes "
                + "the text of \(DisplayText.count(preview.items, preview.kind.item)) at the next purge; confirm first."
        }
    }
}

/// What a new text period would remove at the next purge, shown before it is saved: the items
/// whose text is kept today (the period off, or long enough) but would be past the new one.
public struct TextImpactPreview: Equatable, Sendable, Codable {
    public let kind: TextKind
    /// nil: off.
    public let from: TextRetentionPeriod?
    public let to: TextRetentionPeriod?
    public let computedAt: Date
    public let items: Int
    public let oldest: Date?
    public let newest: Date?
    /// The workspace's zone, for the dates its text shows (not part of the JSON).
    public var zone = DataSubjectDue.london

    private enum CodingKeys: String, CodingKey {
        case kind, from, to, computedAt, items, oldest, newest
    }

    /// Removes text sooner than today's setting: turning a period on, or making it shorter.
    public var isShortening: Bool {
        guard let to else { return false }
        guard let from else { return true }
        return to < from
    }

    static func compute(_ db: Database, kind: TextKind, from: TextRetentionPeriod?, to: TextRetentionPeriod?,
                        now: Date) throws -> TextImpactPreview {
        let empty = TextImpactPreview(kind: kind, from: from, to: to, computedAt: now, items: 0, oldest: nil, newest: nil)
        guard let to, from.map({ to < $0 }) ?? true else { return empty }
        let nowSeconds = RecordingExpiry.epochSeconds(now)
        // Kept today: newer than the old cutoff (everything, when off). Past the new cutoff.
        let after = from.map { nowSeconds - $0.seconds } ?? Int64.min
        let through = nowSeconds - to.seconds
        let row = try Row.fetchOne(db, sql: TextPurge.windowSQL(kind), arguments: [after, through])!
        let count: Int = row[0]
        guard count > 0 else { return empty }
        var preview = TextImpactPreview(kind: kind, from: from, to: to, computedAt: now, items: count,
                                        oldest: (row[1] as Int64?).map { Date(timeIntervalSince1970: TimeInterval($0)) },
                                        newest: (row[2] as Int64?).map { Date(timeIntervalSince1970: TimeInterval($0)) })
        preview.zone = try BrowseClock.current(db, now: now).timeZone
        return preview
    }
}

/// The text periods as the workspace holds them.
public struct TextRetentionSettings: Equatable, Sendable, Codable {
    public let transcripts: TextRetentionPeriod?
    public let messages: TextRetentionPeriod?

    public subscript(kind: TextKind) -> TextRetentionPeriod? {
        switch kind {
        case .transcripts: transcripts
        case .messages: messages
        }
    }

    static func load(_ db: Database) throws -> TextRetentionSettings {
        let row = try Row.fetchOne(db, sql: "SELECT transcript_retention_days, message_retention_days FROM workspace WHERE id = 1")
        // A value outside the range (written before this validation) counts as off rather than failing every read.
        func period(_ days: Int?) -> TextRetentionPeriod? { days.flatMap { try? TextRetentionPeriod(days: $0) } }
        return TextRetentionSettings(transcripts: period(row?[0]), messages: period(row?[1]))
    }

    /// What a change of one period did.
    public struct Change: Equatable, Sendable, Codable {
        public let kind: TextKind
        public let from: TextRetentionPeriod?
        public let to: TextRetentionPeriod?
        public let impact: TextImpactPreview
        public let changed: Bool
    }

    /// The one question before text is removed sooner, for every front end.
    static func shortening(_ impact: TextImpactPreview) -> Confirmation {
        let to = impact.to.map(\.description) ?? "off"
        return Confirmation(title: "Keep \(impact.kind.label) \(to)",
                            question: "Keep \(impact.kind.label) for \(to) and remove older text at the next purge?",
                            confirmLabel: "Shorten",
                            declined: "Not confirmed; \(impact.kind.label) stay \(TextRetentionPeriod.describe(impact.from)).",
                            isDestructive: true)
    }
}

extension WorkspaceCommand where Result == TextRetentionSettings.Change {
    /// Sets (or, with nil, turns off) how long `kind` of text is kept. The text itself goes at the
    /// next purge, like audio. Turning a period on or shortening it previews what becomes due and
    /// asks first; lengthening or turning off asks nothing. The same value again is not audited.
    public static func setTextRetention(_ kind: TextKind, to period: TextRetentionPeriod?) -> Self {
        WorkspaceCommand(.changeRetention, audit: .textRetentionChanged, outline: { db, environment in
            let impact = try TextImpactPreview.compute(db, kind: kind, from: TextRetentionSettings.load(db)[kind], to: period,
                                                       now: environment.now)
            guard impact.isShortening else { return ChangeOutline() }
            return ChangeOutline(preview: .textRetention(impact), confirmation: TextRetentionSettings.shortening(impact))
        }) { db, environment in
            let current = try TextRetentionSettings.load(db)[kind]
            let impact = try TextImpactPreview.compute(db, kind: kind, from: current, to: period, now: environment.now)
            let change = TextRetentionSettings.Change(kind: kind, from: current, to: period, impact: impact, changed: current != period)
            guard current != period else { return .unchanged(change) }
            if impact.isShortening && !environment.confirmed { throw TextRetentionError.shorteningNeedsConfirmation(impact) }
            try db.execute(sql: "UPDATE workspace SET \(kind.column) = ? WHERE id = 1", arguments: [period?.days])
            return .changed(change, target: "workspace",
                            details: ["kind": .string(kind.rawValue), "from_days": .int(Int64(current?.days ?? 0)),
                                      "to_days": .int(Int64(period?.days ?? 0)),
                                      "newly_due": .int(Int64(impact.items))])
        }
    }
}

extension WorkspaceQuery where Value == TextImpactPreview {
    /// What setting `kind`'s period to `period` would remove; asked only by someone about to change it.
    public static func textImpactPreview(_ kind: TextKind, changingTo period: TextRetentionPeriod?, now: Date? = nil) -> Self {
        .reading(.changeRetention, at: now) { db, now in
            try TextImpactPreview.compute(db, kind: kind, from: TextRetentionSettings.load(db)[kind], to: period, now: now)
        }
    }
}

extension RetentionText {
    /// What a new text period does, as the confirmation (the tab's, the CLI's) shows it.
    public static func textImpact(_ preview: TextImpactPreview) -> String {
        guard preview.isShortening else { return "No text is removed sooner." }
        guard preview.items > 0 else {
            return "Nothing stored is old enough to go now; from now on \(preview.kind.label) older than "
                + "\(preview.to.map(\.description) ?? "-") go at each purge."
        }
        var range = ""
        if let oldest = preview.oldest, let newest = preview.newest {
            let clock = BrowseClock(now: preview.computedAt, timeZone: preview.zone)
            range = " (from \(DisplayText.zonedTimestamp(oldest, clock: clock)) to \(DisplayText.zonedTimestamp(newest, clock: clock)))"
        }
        let what = preview.kind == .transcripts ? "calls lose their summary and transcript" : "messages lose their text"
        return "\(DisplayText.count(preview.items, preview.kind.item))\(range): the \(what) at the next purge; "
            + "their dates, numbers and outcomes stay."
    }

    /// "Changing the retention of message bodies from off to 365 days".
    public static func textChange(_ preview: TextImpactPreview) -> String {
        "Changing the retention of \(preview.kind.label) from \(preview.from.map(\.description) ?? "off") to "
            + "\(preview.to.map(\.description) ?? "off")"
    }
}
