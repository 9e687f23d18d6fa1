import ArgumentParser
import Foundation
import HandletDomain
import TerminalUI

/// `handlet compliance [--json]`: the business's duties under the DPA, each with the status the
/// workspace shows, and the processor's promises checked from its notices. Exit 1 when any duty is
/// failing or a promise was broken, so it can run from cron.
struct ComplianceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compliance", abstract: "The business's duties under the DPA, each with its status (exit 1 when any fails).",
        subcommands: [Report.self, Basis.self, CallerNotice.self], defaultSubcommand: Report.self)

    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report", abstract: "Print every duty and promise with its status (the default).")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var reader: ReadingUserOptions
        @Flag(name: .long, help: "Print JSON (fields in docs/json.md).") var json = false

        func run() throws {
            let session = try reader.session(in: workspace.openForReading())
            let report = try failing { try session.read(.compliance()) }
            if json {
                try JSONOutput.print(ComplianceEntry(report))
            } else {
                let rows = [["STATUS", "DUTY", "FOUND"]] + report.lines.map { [$0.status.label, $0.duty.title, $0.detail] }
                for line in NoticeCLI.columns(rows.map { $0.map(Sanitizer.clean) }) { print(line) }
                let failing = report.lines.filter { $0.status.isFailing }
                if !failing.isEmpty {
                    print("")
                    print("Where to fix:")
                    for line in failing { print("  \(line.duty.title): \(line.duty.fix)") }
                }
                if !report.promises.isEmpty {
                    print("")
                    print("The processor's promises, from its notices:")
                    for check in report.promises {
                        print("  \(check.kept ? "kept  " : "BROKEN") \(check.key) version \(check.version): \(check.detail)")
                    }
                }
            }
            if report.anyFailing {
                let duties = report.lines.filter { $0.status.isFailing }.count
                let promises = report.promises.filter { !$0.kept }.count
                // One line on standard error, for cron's mail: what failed, by number.
                throw CommandFailure("\(DisplayText.count(duties, "duty")) failing, \(DisplayText.count(promises, "processor promise")) broken", .failure)
            }
        }
    }

    struct Basis: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "basis",
            abstract: "Record the lawful basis for a processing purpose (owners and admins).",
            discussion: "PURPOSE: \(ProcessingPurpose.allCases.map(\.rawValue).joined(separator: ", ")). "
                + "BASIS: \(LawfulBasis.allCases.map(\.rawValue).joined(separator: ", ")).")
        @Argument(help: "What the data is used for.") var purpose: String
        @Argument(help: "The Art. 6(1) basis.") var basis: String
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var acting: ActingUserOptions

        func run() throws {
            guard let purpose = ProcessingPurpose(rawValue: purpose.lowercased().replacingOccurrences(of: "-", with: "_")) else {
                throw CommandFailure(ComplianceError.unknownPurpose(purpose))
            }
            guard let basis = LawfulBasis(rawValue: basis.lowercased().replacingOccurrences(of: "-", with: "_")) else {
                throw CommandFailure(ComplianceError.unknownBasis(basis))
            }
            let session = try acting.session(in: workspace.open())
            let changed = try session.carryOut(.setLawfulBasis(basis, for: purpose))
            print(changed ? "Recorded \(basis.rawValue) as the lawful basis for \(purpose.rawValue)."
                  : "\(purpose.rawValue) already has the basis \(basis.rawValue); nothing changed.")
        }
    }

    struct CallerNotice: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "caller-notice", abstract: "Set the notice callers are given (recording, AI assistant); \"\" clears it.")
        @Argument(help: "The notice text.") var text: String
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var acting: ActingUserOptions

        func run() throws {
            let session = try acting.session(in: workspace.open())
            let changed = try session.carryOut(.setCallerNotice(text))
            print(changed ? "Caller notice saved." : "The caller notice is already that; nothing changed.")
        }
    }
}

/// `compliance --json`.
struct ComplianceEntry: Encodable {
    struct Duty: Encodable { let duty: String; let title: String; let status: String; let detail: String; let count: Int?; let fix: String }
    struct Promise: Encodable {
        let rule: String; let noticeId: Int64; let name: String; let version: String; let kept: Bool; let detail: String
    }
    let failing: Bool
    let duties: [Duty]
    let promises: [Promise]
    let specialCategory: SpecialCategory.Counts

    init(_ report: ComplianceReport) {
        failing = report.anyFailing
        duties = report.lines.map {
            Duty(duty: $0.duty.rawValue, title: $0.duty.title, status: $0.status.rawValue, detail: $0.detail, count: $0.count,
                 fix: $0.duty.fix)
        }
        promises = report.promises.map {
            Promise(rule: $0.rule.rawValue, noticeId: $0.noticeId, name: $0.key, version: $0.version, kept: $0.kept, detail: $0.detail)
        }
        specialCategory = report.specialCategoryHits
    }
}
