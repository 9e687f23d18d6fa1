import Foundation

/// The seven intents Auto-Send may ever send for (DESIGN §6). Every other drafted intent
/// (unknown, noise, risk, unsupported) has no toggle at all: it is never sent automatically.
public enum AutoSendIntent: String, CaseIterable, Codable, Sendable, Comparable {
    case followUp = "follow_up"
    case quoteRequest = "quote_request"
    case bookingRequest = "booking_request"
    case newLead = "new_lead"
    case generalEnquiry = "general_enquiry"
    case reviewReply = "review_reply"
    case complaint

    /// Validated drafts the workspace needs for this intent before its toggle unlocks.
    public var validatedDraftsNeeded: Int { self == .complaint ? 50 : 30 }

    public var draftIntent: DraftIntent { DraftIntent(rawValue: rawValue)! }

    public var label: String {
        switch self {
        case .followUp: "Follow-ups"
        case .quoteRequest: "Quote requests"
        case .bookingRequest: "Booking requests"
        case .newLead: "New leads"
        case .generalEnquiry: "General enquiries"
        case .reviewReply: "Review replies"
        case .complaint: "Complaints (low severity)"
        }
    }

    /// Accepts the stored name (`quote_request`) or the same with a hyphen (`quote-request`).
    public init(parsing text: String) throws {
        let key = text.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "-", with: "_")
        guard let intent = AutoSendIntent(rawValue: key) else { throw AutoSendSettingError.unknownIntent(text) }
        self = intent
    }

    public static func < (lhs: AutoSendIntent, rhs: AutoSendIntent) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

extension DraftIntent {
    /// The Auto-Send intent this draft belongs to; nil for intents that are never sent automatically.
    public var autoSendIntent: AutoSendIntent? { AutoSendIntent(rawValue: rawValue) }
}

extension Channel {
    /// Accepts a channel's stored name (`sms`, `whatsapp`, `email`, `webchat`), any case.
    public init(parsing text: String) throws {
        let key = text.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "-", with: "")
        guard let channel = Channel(rawValue: key) else { throw AutoSendSettingError.unknownChannel(text) }
        self = channel
    }

    /// Channels whose texts must carry opt-out wording and name the business (PECR, DESIGN §6).
    public var needsOptOutWording: Bool { self == .sms || self == .whatsapp }
}

/// The confidence a draft needs before it may be sent automatically, in hundredths of a percent,
/// never under the platform floor of 85%.
public struct ConfidenceThreshold: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public static let floor = ConfidenceThreshold(uncheckedHundredths: 8500)
    public static let maximum = ConfidenceThreshold(uncheckedHundredths: 10000)
    public static let validHundredths: ClosedRange<Int> = 8500...10000

    /// 8500 is 85%, 8550 is 85.5%.
    public let hundredths: Int

    public init(hundredths: Int) throws {
        guard Self.validHundredths.contains(hundredths) else {
            throw hundredths < 8500 ? AutoSendSettingError.thresholdBelowFloor(Self.format(hundredths))
                : AutoSendSettingError.thresholdAboveMaximum(Self.format(hundredths))
        }
        self.hundredths = hundredths
    }

    /// A percentage as typed: "85", "90.5", "92.25%" (at most two decimals).
    public init(parsing text: String) throws {
        var trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasSuffix("%") { trimmed.removeLast() }
        let parts = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        let digits: (Substring) -> Bool = { !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }
        guard (parts.count == 1 && digits(parts[0]))
                || (parts.count == 2 && digits(parts[0]) && digits(parts[1]) && parts[1].count <= 2),
              parts[0].count <= 6 else {
            throw AutoSendSettingError.thresholdNotANumber(text)
        }
        let whole = Int(parts[0])!
        let fraction = parts.count == 2 ? Int(parts[1].padding(toLength: 2, withPad: "0", startingAt: 0))! : 0
        try self.init(hundredths: whole * 100 + fraction)
    }

    private init(uncheckedHundredths: Int) { hundredths = uncheckedHundredths }

    /// A draft's confidence (0...1) rounded to hundredths of a percent, then compared: 0.8499 is
    /// under 85%, 0.85 and 0.8501 are at or over it, with no binary-fraction surprises.
    @inline(__always)
    public func admits(_ confidence: Double) -> Bool {
        Int((confidence * 10000).rounded()) >= hundredths
    }

    static func format(_ hundredths: Int) -> String {
        let whole = hundredths / 100, fraction = abs(hundredths % 100)
        if fraction == 0 { return "\(whole)%" }
        return fraction % 10 == 0 ? "\(whole).\(fraction / 10)%" : "\(whole).\(String(format: "%02d", fraction))%"
    }

    public var percent: Double { Double(hundredths) / 100 }
    public var description: String { Self.format(hundredths) }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.hundredths < rhs.hundredths }
}

/// A wall-clock time of day in the business's time zone, to the minute.
public struct TimeOfDay: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Minutes after midnight, 0...1439.
    public let minutes: Int

    public init(minutes: Int) {
        precondition((0..<1440).contains(minutes))
        self.minutes = minutes
    }

    /// "HH:MM" in 24-hour time ("21:00", "8:30").
    public init(parsing text: String) throws {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false)
        let digits: (Substring) -> Bool = { !$0.isEmpty && $0.count <= 2 && $0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }
        guard parts.count == 2, digits(parts[0]), digits(parts[1]), parts[1].count == 2,
              let hour = Int(parts[0]), let minute = Int(parts[1]), hour < 24, minute < 60 else {
            throw AutoSendSettingError.notATime(text)
        }
        minutes = hour * 60 + minute
    }

    public var description: String { String(format: "%02d:%02d", minutes / 60, minutes % 60) }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.minutes < rhs.minutes }
}

/// When nothing is sent automatically: from `start` up to (not including) `end`, in the
/// business's time zone; crosses midnight when `start` is after `end` (21:00-08:00).
public struct QuietHours: Hashable, Sendable, Codable, CustomStringConvertible {
    public let start: TimeOfDay
    public let end: TimeOfDay

    public init(start: TimeOfDay, end: TimeOfDay) throws {
        guard start != end else { throw AutoSendSettingError.quietHoursEmpty("\(start)-\(end)") }
        self.start = start
        self.end = end
    }

    /// "21:00-08:00".
    public init(parsing text: String) throws {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw AutoSendSettingError.notATime(text) }
        let start = try TimeOfDay(parsing: String(parts[0])), end = try TimeOfDay(parsing: String(parts[1]))
        guard start != end else { throw AutoSendSettingError.quietHoursEmpty(text) }
        try self.init(start: start, end: end)
    }

    public static let standard = try! QuietHours(start: TimeOfDay(minutes: 21 * 60), end: TimeOfDay(minutes: 8 * 60))

    public var crossesMidnight: Bool { start > end }

    /// Whether a wall-clock minute of the day is inside the quiet hours.
    @inline(__always)
    public func contains(minuteOfDay minute: Int) -> Bool {
        crossesMidnight ? (minute >= start.minutes || minute < end.minutes)
            : (minute >= start.minutes && minute < end.minutes)
    }

    public var description: String { "\(start)-\(end)" }
}

/// Automatic messages allowed to one contact in any 24 hours: 1 to 100.
public struct PerContactCap: Hashable, Sendable, Codable, CustomStringConvertible {
    public static let valid: ClosedRange<Int> = 1...100
    public static let standard = PerContactCap(unchecked: 3)
    public let messages: Int

    public init(messages: Int) throws {
        guard Self.valid.contains(messages) else { throw AutoSendSettingError.capOutOfRange(String(messages)) }
        self.messages = messages
    }

    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 6, trimmed.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
              let messages = Int(trimmed) else { throw AutoSendSettingError.capNotANumber(text) }
        try self.init(messages: messages)
    }

    private init(unchecked: Int) { messages = unchecked }
    public var description: String { "\(messages) in 24 hours" }
}

/// A time zone by its IANA name; Europe/London unless the business says otherwise.
public struct BusinessTimeZone: Hashable, Sendable, Codable, CustomStringConvertible {
    public static let standard = BusinessTimeZone(unchecked: "Europe/London")
    public let identifier: String

    public init(identifier: String) throws {
        let trimmed = identifier.trimmingCharacters(in: .whitespaces)
        // Only region names: "GMT+1" style abbreviations would not follow the clock changes.
        guard trimmed.contains("/") || trimmed == "UTC", TimeZone(identifier: trimmed) != nil else {
            throw AutoSendSettingError.unknownTimeZone(identifier)
        }
        self.identifier = trimmed
    }

    private init(unchecked: String) { identifier = unchecked }
    public var timeZone: TimeZone { TimeZone(identifier: identifier)! }
    public var description: String { identifier }
}
