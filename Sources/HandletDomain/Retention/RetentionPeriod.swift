import Foundation

/// How long a call recording is kept, in whole days (DESIGN §5). The only way to make one is
/// through validation, so an out-of-range period cannot reach the store.
public struct RetentionPeriod: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let validDays: ClosedRange<Int> = 1...730
    /// The processor agreement's default when a workspace has configured nothing else.
    public static let standard = RetentionPeriod(uncheckedDays: 30)
    public static let presets: [RetentionPeriod] = [7, 14, 30, 60, 90, 180, 365].map(RetentionPeriod.init(uncheckedDays:))

    public let days: Int

    public init(days: Int) throws {
        guard Self.validDays.contains(days) else { throw RetentionPeriodError.outOfRange(String(days)) }
        self.days = days
    }

    /// Parses what a person typed. Only plain decimal digits count: "30.5", "thirty", "-1",
    /// "+7" and "1e2" are all refused with the same message naming the valid range.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw RetentionPeriodError.notAWholeNumber(text)
        }
        // Digits only, so the sole failure left is overflow, which is out of range by definition.
        guard let days = Int(trimmed) else { throw RetentionPeriodError.outOfRange(text) }
        guard Self.validDays.contains(days) else { throw RetentionPeriodError.outOfRange(text) }
        self.days = days
    }

    private init(uncheckedDays: Int) { days = uncheckedDays }

    public var seconds: Int64 { Int64(days) * RecordingExpiry.secondsPerDay }
    public var isPreset: Bool { Self.presets.contains(self) }

    public static func < (lhs: RetentionPeriod, rhs: RetentionPeriod) -> Bool { lhs.days < rhs.days }

    public var description: String { days == 1 ? "1 day" : "\(days) days" }
}

public enum RetentionPeriodError: SysexitsError, Equatable, CustomStringConvertible {
    case notAWholeNumber(String)
    case outOfRange(String)

    static var rangeText: String {
        let presets = RetentionPeriod.presets.map { String($0.days) }.joined(separator: ", ")
        return "a whole number of days from \(RetentionPeriod.validDays.lowerBound) to "
            + "\(RetentionPeriod.validDays.upperBound) (presets: \(presets))"
    }

    /// Not a number at all is a malformed argument; a number outside 1...730 is well-formed but bad data.
    public var exitClass: ExitClass {
        switch self {
        case .notAWholeNumber: .usage
        case .outOfRange: .dataError
        }
    }

    public var description: String {
        switch self {
        case .notAWholeNumber(let text):
            "\"\(text)\" is not a retention period: give \(Self.rangeText)."
        case .outOfRange(let text):
            "\(text) days is outside the valid retention period: give \(Self.rangeText)."
        }
    }
}

extension RetentionPeriod: Codable {
    /// Encoded as its number of days; decoding validates like every other way in.
    public init(from decoder: Decoder) throws {
        try self.init(days: try decoder.singleValueContainer().decode(Int.self))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(days)
    }
}
