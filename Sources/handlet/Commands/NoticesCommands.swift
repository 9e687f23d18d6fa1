import ArgumentParser
import Foundation
import HandletDomain
import TerminalUI

/// `handlet notices list|show|diff|ack|object|import`: the processor's notices (DESIGN §7).
struct NoticesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notices", abstract: "The processor's notices: read, compare, acknowledge, object, import.",
        subcommands: [List.self, Show.self, Diff.self, Ack.self, Object.self, Import.self], defaultSubcommand: List.self)

    static let referenceHelp: ArgumentHelp = "The notice: its id, its name (latest version) or NAME@VERSION."

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List notices with their state and the answer each needs.")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var reader: ReadingUserOptions
        @Flag(name: .long, help: "Print JSON (fields in docs/json.md).") var json = false

        func run() throws {
            let session = try reader.session(in: workspace.openForReading())
            let notices = try failing { try session.read(.notices()) }
            if json { return try JSONOutput.print(notices.map(NoticeEntry.init)) }
            guard !notices.isEmpty else { return print("No notices. Import some with `handlet notices import DIR` (or --shipped).") }
            let clock = try failing { try session.read(.browseClock()) }
            let rows = [["ID", "NAME", "VERSION", "KIND", "STATE", "ANSWER NEEDED", "TITLE"]] + notices.map { notice in
                [String(notice.id), notice.key, notice.version, notice.kind.label, notice.state.label,
                 notice.answer.label(formatDate: { NoticeDateText.day($0, in: clock) }), notice.title].map(Sanitizer.clean)
            }
            for line in NoticeCLI.columns(rows) { print(line) }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Print one notice: its header, answers and Markdown text.")
        @Argument(help: NoticesCommand.referenceHelp) var notice: String
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var reader: ReadingUserOptions
        @Flag(name: .long, help: "Print JSON (fields in docs/json.md).") var json = false

        func run() throws {
            let session = try reader.session(in: workspace.openForReading())
            let detail = try failing { () -> NoticeDetail in
                guard let detail = try session.read(.notice(session.read(.noticeID(named: notice)))) else {
                    throw NoticeError.noSuchNotice(notice)
                }
                return detail
            }
            if json { return try JSONOutput.print(NoticeDetailEntry(detail)) }
            let clock = try failing { try session.read(.browseClock()) }
            let summary = detail.summary
            if summary.tampered { print(NoticeSummary.tamperingWarning) }
            print("\(summary.title) — \(summary.key) version \(summary.version) (\(summary.kind.label))")
            print("Published \(NoticeDateText.day(summary.publishedAt, in: clock)), effective \(NoticeDateText.day(summary.effectiveAt, in: clock)); "
                  + "state: \(summary.state.label); answer needed: \(summary.answer.label(formatDate: { NoticeDateText.day($0, in: clock) }))")
            if let deadline = summary.objectionDeadline { print("Objection window closes \(NoticeDateText.day(deadline, in: clock)).") }
            print("SHA-256 \(summary.sha256)")
            if let breach = detail.breach {
                print("Breach: aware \(DisplayText.zonedTimestamp(breach.becameAwareAt, clock: clock)), notified \(DisplayText.zonedTimestamp(breach.notifiedAt, clock: clock))")
                for (label, value) in NoticeCLI.breachFields(breach) { print("  \(label): \(value)") }
            }
            for response in detail.responses {
                print("\(response.response.rawValue.capitalized) by \(response.userEmail) on \(DisplayText.zonedTimestamp(response.respondedAt, clock: clock)) "
                      + "(version \(response.version), SHA-256 \(response.sha256.prefix(12))…)"
                      + (response.reason.map { ": \($0)" } ?? ""))
            }
            print("")
            print(detail.body)
        }
    }

    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "diff",
            abstract: "Compare a version with the one before it (or --against another), line by line, as a unified diff.")
        @Argument(help: NoticesCommand.referenceHelp) var notice: String
        @Option(name: .long, help: "The version to compare against (id, NAME@VERSION or a version number).") var against: String?
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var reader: ReadingUserOptions
        @Flag(name: .long, help: "Colour even when standard output is not a terminal.") var color = false

        func run() throws {
            let session = try reader.session(in: workspace.openForReading())
            let diff = try failing { () -> NoticeDiff? in
                let id = try session.read(.noticeID(named: notice))
                var other: Int64?
                if let against {
                    let key = try session.read(.notice(id))?.summary.key ?? notice
                    other = try (try? session.read(.noticeID(named: against))) ?? session.read(.noticeID(named: "\(key)@\(against)"))
                }
                return try session.read(.noticeDiff(id, against: other))
            }
            guard let diff else { throw CommandFailure("\(notice) has no earlier version to compare with.", .dataError) }
            let environment = ProcessInfo.processInfo.environment
            let colour = color || (isatty(STDOUT_FILENO) == 1 && environment["NO_COLOR"].map(\.isEmpty) ?? true
                                   && environment["TERM"] != "dumb")
            for line in diff.lines {
                let text = Sanitizer.clean(line.unified)
                guard colour else { print(text); continue }
                let code: String? = switch line.kind {
                case .added: "32"
                case .removed: "31"
                case .hunk: "36"
                case .header: "1"
                case .context: nil
                }
                // Our own SGR around text already made safe: the only escapes that reach the terminal.
                Swift.print(code.map { "\u{1B}[\($0)m" + text + "\u{1B}[0m" } ?? text)
            }
        }
    }

    struct Ack: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ack", abstract: "Acknowledge the latest version of a notice (owners and admins).",
            discussion: "Asks first, naming the version and its SHA-256; without a terminal it needs --yes.")
        @Argument(help: NoticesCommand.referenceHelp) var notice: String
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var acting: ActingUserOptions
        @OptionGroup var confirmation: ConfirmationOptions
        @Flag(name: .long, help: "Print the answer as JSON.") var json = false

        func run() throws {
            let session = try acting.session(in: workspace.open())
            let record = try session.carryOut(.acknowledgeNotice(named: notice),
                                              asking: confirmation, json: json)
            if json { return try JSONOutput.print(NoticeAnswerEntry(record)) }
            print("Acknowledged \(record.key) version \(record.entry.version) (SHA-256 \(record.entry.sha256)) as \(record.entry.userEmail).")
        }
    }

    struct Object: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "object",
            abstract: "Object to a subprocessor change inside its window, with a reason (owners only).")
        @Argument(help: NoticesCommand.referenceHelp) var notice: String
        @Option(name: .long, help: "Why (kept with the objection, never in the audit log).") var reason: String
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var acting: ActingUserOptions
        @Flag(name: .long, help: "Print the answer as JSON.") var json = false

        func run() throws {
            let session = try acting.session(in: workspace.open())
            let record = try session.carryOut(.objectToNotice(named: notice, reason: reason))
            if json { return try JSONOutput.print(NoticeAnswerEntry(record)) }
            print("Objected to \(record.key) version \(record.entry.version) (SHA-256 \(record.entry.sha256)) as \(record.entry.userEmail).")
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import every *.md notice file of a folder (or the shipped notices); each file on its own.",
            discussion: "A refused file imports nothing and is named with the line at fault; the others still import. Exit 65 when any file was refused.")
        @Argument(help: "A folder of notice files (format: docs/notices.md).") var folder: String?
        @Flag(name: .long, help: "Import the notices handlet ships (DPA, subprocessors, retention table, caller template).")
        var shipped = false
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var acting: ActingUserOptions
        @Flag(name: .long, help: "Print the summary as JSON.") var json = false

        func validate() throws {
            guard (folder == nil) != !shipped else { throw ValidationError("Give a folder or --shipped (one of them).") }
        }

        func run() throws {
            let session = try acting.session(in: workspace.open())
            let summary = try failing { () -> NoticeImportSummary in
                if shipped { return try session.importShippedNotices() }
                return try session.importNotices(from: URL(fileURLWithPath: (folder! as NSString).expandingTildeInPath))
            }
            if json {
                try JSONOutput.print(ImportSummaryEntry(summary))
            } else {
                for entry in summary.imported { print("Imported \(entry.file): \(entry.key) version \(entry.version).") }
                for entry in summary.unchanged { print("Already present \(entry.file): \(entry.key) version \(entry.version).") }
                for failure in summary.failed { TerminalText.writeError(failure.reason) }
                print("\(summary.imported.count) imported, \(summary.unchanged.count) already present, \(summary.failed.count) refused"
                      + (summary.failed.isEmpty ? "." : ": " + summary.failed.map(\.file).joined(separator: ", ") + "."))
            }
            if !summary.failed.isEmpty {
                throw CommandFailure("\(DisplayText.count(summary.failed.count, "file")) refused: " + summary.failed.map(\.file).joined(separator: ", "), .dataError)
            }
        }
    }
}

enum NoticeCLI {
    /// Columns two spaces apart, each as wide as its widest cell; the last not padded.
    static func columns(_ rows: [[String]]) -> [String] {
        guard let first = rows.first else { return [] }
        let widths = first.indices.map { index in rows.map { TextWidth.width(of: $0[index]) }.max() ?? 0 }
        return rows.map { row in
            row.indices.map { index in index == row.count - 1 ? row[index] : TextWidth.pad(row[index], to: widths[index]) }
                .joined(separator: "  ")
        }
    }

    static func breachFields(_ breach: NoticeFile.Breach) -> [(String, String)] {
        [("Nature", breach.nature), ("People", "\(breach.peopleCategories) (\(breach.peopleCount))"),
         ("Records", "\(breach.recordCategories) (\(breach.recordCount))"), ("Contact", breach.contact),
         ("Likely consequences", breach.consequences), ("Measures", breach.measures)]
    }
}

/// One notice of `notices list --json`.
struct NoticeEntry: Encodable {
    let id: Int64
    let name: String
    let kind: String
    let title: String
    let version: String
    let publishedAt: Date
    let effectiveAt: Date
    let needsAcknowledgement: Bool
    let objectionDeadline: Date?
    let sha256: String
    let tampered: Bool
    let state: String
    let answerNeeded: String?
    let answerDeadline: Date?
    let superseded: Bool

    init(_ notice: NoticeSummary) {
        id = notice.id; name = notice.key; kind = notice.kind.rawValue; title = notice.title; version = notice.version
        publishedAt = notice.publishedAt; effectiveAt = notice.effectiveAt; needsAcknowledgement = notice.needsAcknowledgement
        objectionDeadline = notice.objectionDeadline; sha256 = notice.sha256; state = notice.state.rawValue
        tampered = notice.tampered
        superseded = notice.superseded
        switch notice.answer {
        case .none: answerNeeded = nil; answerDeadline = nil
        case .acknowledge(let effective): answerNeeded = "acknowledge"; answerDeadline = effective
        case .objectOrAccept(let deadline): answerNeeded = "object_or_accept"; answerDeadline = deadline
        }
    }
}

/// `notices show --json`.
struct NoticeDetailEntry: Encodable {
    struct Breach: Encodable {
        let becameAwareAt: Date, notifiedAt: Date, nature: String, peopleCategories: String, peopleCount: String
        let recordCategories: String, recordCount: String, contact: String, consequences: String, measures: String
    }
    struct Response: Encodable {
        let response: String, user: String, version: String, sha256: String, reason: String?, respondedAt: Date
    }
    let notice: NoticeEntry
    let body: String
    let breach: Breach?
    let responses: [Response]
    let versions: [String]

    init(_ detail: NoticeDetail) {
        notice = NoticeEntry(detail.summary)
        body = detail.body
        breach = detail.breach.map {
            Breach(becameAwareAt: $0.becameAwareAt, notifiedAt: $0.notifiedAt, nature: $0.nature, peopleCategories: $0.peopleCategories,
                   peopleCount: $0.peopleCount, recordCategories: $0.recordCategories, recordCount: $0.recordCount,
                   contact: $0.contact, consequences: $0.consequences, measures: $0.measures)
        }
        responses = detail.responses.map {
            Response(response: $0.response.rawValue, user: $0.userEmail, version: $0.version, sha256: $0.sha256, reason: $0.reason,
                     respondedAt: $0.respondedAt)
        }
        versions = detail.versions.map(\.version)
    }
}

/// `notices ack|object --json`.
struct NoticeAnswerEntry: Encodable {
    let noticeId: Int64, name: String, response: String, user: String, version: String, sha256: String, reason: String?
    let respondedAt: Date

    init(_ record: NoticeAnswerRecord) {
        noticeId = record.noticeId; name = record.key; response = record.entry.response.rawValue; user = record.entry.userEmail
        version = record.entry.version; sha256 = record.entry.sha256; reason = record.entry.reason
        respondedAt = record.entry.respondedAt
    }
}

/// `notices import --json`.
struct ImportSummaryEntry: Encodable {
    struct File: Encodable { let file: String; let name: String; let version: String; let id: Int64 }
    struct Failure: Encodable { let file: String; let reason: String }
    let imported: [File]
    let alreadyPresent: [File]
    let refused: [Failure]

    init(_ summary: NoticeImportSummary) {
        imported = summary.imported.map { File(file: $0.file, name: $0.key, version: $0.version, id: $0.outcome.id) }
        alreadyPresent = summary.unchanged.map { File(file: $0.file, name: $0.key, version: $0.version, id: $0.outcome.id) }
        refused = summary.failed.map { Failure(file: $0.file, reason: $0.reason) }
    }
}
