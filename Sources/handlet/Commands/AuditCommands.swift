import ArgumentParser
import Foundation
import HandletDomain

/// `handlet audit list|verify|checkpoint`: the append-only, hash-chained audit log (owner, admin
/// and viewer; agents are refused).
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Read and verify the audit log (owner, admin or viewer).",
        subcommands: [List.self, Verify.self, Checkpoint.self], defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List audit events, newest first.")
        @Option(name: .long, help: ArgumentHelp("From this day (today, 7d, YYYY-MM-DD) or instant (ISO 8601).", valueName: "DATE"))
        var since: String?
        @Option(name: .long, help: ArgumentHelp("Up to this day, included (today, YYYY-MM-DD), or before this instant (ISO 8601).",
                                                valueName: "DATE"))
        var until: String?
        @Option(name: .long, help: ArgumentHelp("Only events by `system` or by users whose email or name holds this text (ignoring case).",
                                                valueName: "TEXT"))
        var actor: String?
        @Option(name: .long, help: ArgumentHelp("Only this action: \(AuditAction.allCases.map(\.rawValue).joined(separator: ", ")).",
                                                valueName: "NAME"))
        var action: String?
        @Option(name: .long, help: ArgumentHelp("Continue after this event (the last seq of the previous page).", valueName: "SEQ"))
        var after: Int64?
        @OptionGroup var limit: LimitOption
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var reader: ReadingUserOptions
        @Flag(name: .long, help: "Print JSON (fields in docs/json.md).") var json = false

        func validate() throws {
            if let action, AuditAction(rawValue: action) == nil {
                throw ValidationError("--action \(action): expected one of \(AuditAction.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            if let after, after < 1 { throw outOfRange("--after \(after): expected a sequence number from 1.") }
            _ = try Self.date(since, flag: "since", as: .start)
            _ = try Self.date(until, flag: "until", as: .end)
        }

        /// `--since`/`--until` in the domain's one date grammar, instants included.
        static func date(_ text: String?, flag: String, as end: DateInput.End) throws -> DateInput? {
            guard let text else { return nil }
            do { return try DateInput(parsing: text, as: end, allowingInstants: true) } catch {
                throw ValidationError("--\(flag) \(error)")
            }
        }

        func run() throws {
            let session = try BrowseSession(workspace, reader)
            let clock = session.clock
            let sinceDate = try Self.date(since, flag: "since", as: .start)?.start(clock)
            let untilDate = try Self.date(until, flag: "until", as: .end)?.end(clock)
            do { try DateInput.checkOrder(since: sinceDate, until: untilDate) } catch {
                throw CommandFailure("--since/--until: \(error)", .usage)
            }
            let list = AuditLogPage(action: action.flatMap(AuditAction.init(rawValue:)), actor: actor,
                                    since: sinceDate, until: untilDate)
            let pager = session.pager(list)
            let rows = try failing { try after.map { try pager.after($0, limit: limit.limit) } ?? pager.first(limit: limit.limit) }
            if json { return try JSONOutput.print(rows.map(AuditEventEntry.init)) }
            guard !rows.isEmpty else { return print(list.isFiltered ? "No audit events match the filters." : "No audit events.") }
            for line in session.output.table(AuditEvent.columns, rows) { print(line) }
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Recompute the hash chain; with --checkpoint, also prove an earlier head is still there.",
            discussion: "Exits 65 with a one-line reason naming the first broken event, a gap, a reordering, "
                + "or a checkpoint the log no longer holds.")
        @Option(name: .long, help: ArgumentHelp("A head printed earlier by `handlet audit checkpoint`.", valueName: "SEQ:HASH"))
        var checkpoint: String?
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var reader: ReadingUserOptions
        @Flag(name: .long, help: "Print the result as JSON (fields in docs/json.md).") var json = false

        func validate() throws {
            if let checkpoint, AuditCheckpoint(checkpoint) == nil {
                throw ValidationError("--checkpoint \(checkpoint): expected SEQ:HASH as `handlet audit checkpoint` prints it.")
            }
        }

        func run() throws {
            let session = try reader.session(in: workspace.openForReading())
            let result = try failing { try session.read(.auditVerification(checkpoint: checkpoint.flatMap(AuditCheckpoint.init))) }
            if json { try JSONOutput.print(VerificationEntry(result)) }
            if let problem = result.problem {
                throw CommandFailure("The audit log is broken: \(problem).", .dataError)
            }
            guard !json else { return }
            let anchor = result.checkpoint.map { "; event \($0.seq) still has the checkpoint's hash" } ?? ""
            print("The audit log is intact: \(DisplayText.count(result.eventsChecked, "event")) checked\(anchor); head \(result.head?.description ?? "none").")
        }
    }

    struct Checkpoint: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "checkpoint",
            abstract: "Print the log's head as SEQ:HASH, to keep outside the workspace (see README).")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var reader: ReadingUserOptions
        @Flag(name: .long, help: "Print JSON: seq, hash, checkpoint.") var json = false

        func run() throws {
            let session = try reader.session(in: workspace.openForReading())
            guard let head = try failing({ try session.read(.auditCheckpoint) }) else {
                throw CommandFailure("The audit log is empty: there is nothing to checkpoint.", .dataError)
            }
            if json { return try JSONOutput.print(CheckpointEntry(seq: head.seq, hash: head.hash, checkpoint: head.description)) }
            print(head.description)
        }
    }
}

/// One event of `audit list --json`.
struct AuditEventEntry: Encodable {
    let seq: Int64
    let at: Date
    let actor: String
    let action: String
    let target: String
    let details: [String: AuditValue]
    let previousHash: String
    let hash: String

    init(_ event: AuditEvent) {
        seq = event.seq ?? 0; at = event.at; actor = event.actor; action = event.action; target = event.target
        details = event.detailValues; previousHash = event.previousHash; hash = event.hash
    }
}

/// `audit verify --json`.
struct VerificationEntry: Encodable {
    struct Problem: Encodable { let kind: String; let seq: Int64; let message: String }
    let intact: Bool
    let eventsChecked: Int
    let head: CheckpointEntry?
    let checkpoint: CheckpointEntry?
    let problem: Problem?

    init(_ result: AuditVerification) {
        intact = result.isIntact
        eventsChecked = result.eventsChecked
        head = result.head.map(CheckpointEntry.init)
        checkpoint = result.checkpoint.map(CheckpointEntry.init)
        problem = result.problem.map { Problem(kind: $0.kind, seq: $0.seq, message: String(describing: $0)) }
    }
}

/// `audit checkpoint --json`, and a head or checkpoint inside `verify --json`.
struct CheckpointEntry: Encodable {
    let seq: Int64
    let hash: String
    let checkpoint: String

    init(seq: Int64, hash: String, checkpoint: String) { self.seq = seq; self.hash = hash; self.checkpoint = checkpoint }
    init(_ point: AuditCheckpoint) { self.init(seq: point.seq, hash: point.hash, checkpoint: point.description) }
}
