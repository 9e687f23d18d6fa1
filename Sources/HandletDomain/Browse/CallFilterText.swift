import Foundation

extension CallFilter {
    /// A filter written as words, `outcome=missed,callback_requested direction=inbound
    /// handled=staff recording=yes` (the console palette's `:filter`): each FIELD=VALUE sets one
    /// field, values as `handlet calls list` takes them; anything else is refused in one line.
    public init(parsing text: String) throws {
        self.init()
        let terms = text.split(whereSeparator: \.isWhitespace)
        guard !terms.isEmpty else { throw CallFilterTextError("Give FIELD=VALUE, e.g. outcome=missed") }
        for term in terms {
            let parts = term.split(separator: "=", maxSplits: 1).map { String($0).lowercased() }
            guard parts.count == 2, !parts[1].isEmpty else {
                throw CallFilterTextError("\(term) is not FIELD=VALUE (fields: outcome, direction, handled, recording)")
            }
            let (field, value) = (parts[0], parts[1])
            switch field {
            case "outcome":
                for name in value.split(separator: ",") {
                    guard let outcome = CallOutcome(rawValue: String(name)) else {
                        throw CallFilterTextError("\(name) is not an outcome (\(CallOutcome.allCases.map(\.rawValue).joined(separator: ", ")))")
                    }
                    outcomes.insert(outcome)
                }
            case "direction":
                guard let parsed = Direction(rawValue: value) else { throw CallFilterTextError("\(value) is not a direction (inbound, outbound)") }
                direction = parsed
            case "handled", "handled_by":
                guard let parsed = HandledBy(rawValue: value) else {
                    throw CallFilterTextError("\(value) is not who handled a call (\(HandledBy.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                handledBy = parsed
            case "recording":
                switch value {
                case "yes", "true", "on": hasRecording = true
                case "no", "false", "off": hasRecording = false
                default: throw CallFilterTextError("recording=\(value): say yes or no")
                }
            default:
                throw CallFilterTextError("\(field) is not a call filter (fields: outcome, direction, handled, recording)")
            }
        }
    }
}

/// A `:filter` text that is no call filter: bad input, nothing changed.
public struct CallFilterTextError: SysexitsError, Equatable, CustomStringConvertible {
    public let description: String
    public var exitClass: ExitClass { .usage }
    init(_ description: String) { self.description = description }
}
