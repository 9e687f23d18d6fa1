import Foundation

/// The formats `handlet import FORMAT` reads from other systems (issue 24), by the name the
/// command line uses: one line for the CLI, `try ImportFormats.parser(named: format, options: options)`.
/// The project's own `jsonl` is the import path's, not listed here.
public enum ImportFormats {
    /// The names `parser(named:options:)` knows, in the order the help lists them.
    public static let names = ["twilio-calls", "twilio-messages", "asterisk-cdr", "whatsapp", "mbox"]

    public static func parser(named name: String, options: ImportFormatOptions = ImportFormatOptions()) throws -> any RecordParser {
        switch name {
        case "twilio-calls": return TwilioParser(kind: .calls)
        case "twilio-messages": return TwilioParser(kind: .messages)
        case "asterisk-cdr":
            return try AsteriskCDRParser(columns: options.columns, ownNumbers: options.me,
                                         outboundContexts: options.outboundContexts, timeZone: options.timeZone)
        case "whatsapp":
            return WhatsAppParser(me: options.me.first, dateOrder: options.dateOrder, timeZone: options.timeZone)
        case "mbox": return MboxParser(me: options.me)
        default: throw ImportFormatError.unknownFormat(name)
        }
    }
}

/// What the command line can tell a parser; each format uses the options that make sense for it.
public struct ImportFormatOptions: Sendable, Equatable {
    /// Who the business is: a WhatsApp participant's name (the first), email addresses (mbox),
    /// its own phone numbers or extensions (Asterisk). Its messages and calls are outbound.
    public var me: [String]
    /// WhatsApp: how a file's dates are written when the file itself cannot tell.
    public var dateOrder: DateOrder?
    /// Asterisk `cdr_custom`: the layout's column names (nil: `cdr_csv`'s standard order).
    public var columns: [String]?
    /// Asterisk: dialplan contexts whose calls are outbound (besides the built-in guesses).
    public var outboundContexts: [String]
    /// Where times written without a zone (Asterisk, WhatsApp) were written.
    public var timeZone: TimeZone

    public init(me: [String] = [], dateOrder: DateOrder? = nil, columns: [String]? = nil,
                outboundContexts: [String] = [], timeZone: TimeZone = .current) {
        self.me = me; self.dateOrder = dateOrder; self.columns = columns
        self.outboundContexts = outboundContexts; self.timeZone = timeZone
    }
}

/// The order of a written date's day, month and year.
public enum DateOrder: String, Sendable, CaseIterable, Equatable {
    case dmy, mdy, ymd
}

/// A format or an option the command line got wrong (before any line is read).
public enum ImportFormatError: SysexitsError, Equatable, CustomStringConvertible {
    case unknownFormat(String)
    case unknownColumn(String)
    case missingColumn(String)
    case unreadableInput(String)

    public var exitClass: ExitClass {
        switch self {
        case .unknownFormat, .unknownColumn, .missingColumn: .usage
        case .unreadableInput: .noInput
        }
    }

    public var description: String {
        switch self {
        case .unknownFormat(let name):
            "There is no import format \"\(name)\"; the formats are jsonl, \(ImportFormats.names.joined(separator: ", "))."
        case .unknownColumn(let name):
            "There is no CDR column \"\(name)\"; the columns are \(AsteriskCDRParser.standardColumns.joined(separator: ", "))."
        case .missingColumn(let name): "The column list has no \"\(name)\", which every call record needs."
        case .unreadableInput(let file): "Cannot read \(file)."
        }
    }
}
