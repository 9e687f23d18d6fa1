import Foundation

/// A call's job or quote details, decoded from the JSON the call agent stored.
///
/// The agent's JSON has no fixed schema (a plumber's job and a clinic's appointment differ), so it
/// is shown as labelled fields: nested objects are flattened with dotted keys, in key order.
public struct JobDetails: Hashable, Sendable {
    public struct Field: Hashable, Sendable {
        public var key: String
        /// As shown: an amount in pounds (a key ending `_gbp`) with its £ and thousands separators.
        public var value: String
        /// "preferred_date" becomes "Preferred date"; "call_out_gbp" becomes "Call out" (its
        /// value says £).
        public var label: String {
            let stem = Self.isPounds(key) ? String(key.dropLast(4)) : key
            let words = stem.replacingOccurrences(of: "_", with: " ").replacingOccurrences(of: ".", with: " · ")
            return words.prefix(1).uppercased() + words.dropFirst()
        }

        init(key: String, value: JSONValue) {
            self.key = key
            if Self.isPounds(key), let pounds = value.pounds {
                self.value = pounds
            } else {
                self.value = value.text
            }
        }

        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }

        static func isPounds(_ key: String) -> Bool { key.hasSuffix("_gbp") && key.count > 4 }
    }

    public var fields: [Field]
    /// The stored text when it was not a JSON object: shown as it is rather than lost.
    public var unparsed: String?

    public init(json: String) {
        guard case .object(let dictionary)? = try? JSONDecoder().decode(JSONValue.self, from: Data(json.utf8)) else {
            fields = []
            unparsed = json
            return
        }
        var fields: [Field] = []
        Self.flatten(dictionary, prefix: "", into: &fields)
        self.fields = fields
        unparsed = nil
    }

    private static func flatten(_ dictionary: [String: JSONValue], prefix: String, into fields: inout [Field]) {
        for key in dictionary.keys.sorted() {
            let path = prefix.isEmpty ? key : "\(prefix).\(key)"
            if case .object(let nested) = dictionary[key]! {
                flatten(nested, prefix: path, into: &fields)
            } else {
                fields.append(Field(key: path, value: dictionary[key]!))
            }
        }
    }
}

/// Just enough JSON to show any value as text. Bool is tried before numbers so `true` is not `1`.
enum JSONValue: Decodable, Hashable {
    case null, bool(Bool), integer(Int64), number(Double), string(String)
    case array([JSONValue]), object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int64.self) { self = .integer(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    /// "£1,250" or "£12.50"; nil for anything but a number.
    var pounds: String? {
        let amount: Double
        switch self {
        case .integer(let value): amount = Double(value)
        case .number(let value): amount = value
        default: return nil
        }
        let whole = amount.rounded(.towardZero) == amount
        return "£" + amount.formatted(.number.grouping(.automatic).precision(.fractionLength(whole ? 0 : 2)).locale(Locale(identifier: "en_GB")))
    }

    var text: String {
        switch self {
        case .null: "—"
        case .bool(let value): value ? "yes" : "no"
        case .integer(let value): String(value)
        case .number(let value): String(value)
        case .string(let value): value
        case .array(let values): values.map(\.text).joined(separator: ", ")
        case .object(let object): object.keys.sorted().map { "\($0): \(object[$0]!.text)" }.joined(separator: ", ")
        }
    }
}
