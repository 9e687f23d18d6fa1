import ArgumentParser
import Foundation
import HandletDomain

/// `handlet workspace export|verify-export|delete`: end of service (issue 23).
struct WorkspaceServiceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workspace",
        abstract: "End of service: export everything the workspace holds, check an export, or delete the workspace.",
        subcommands: [Export.self, VerifyExport.self, Delete.self])

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Export everything (records as JSON and CSV, audio, the audit log and its check) with a manifest (owner).",
            discussion: "DEST is a new or empty folder, or a file ending .zip. The export is built in DEST.partial and "
                + "takes its name only once manifest.json (each file's SHA-256) is written; run the same command again "
                + "to resume an interrupted one. Check it later with `handlet workspace verify-export DEST`.")
        @Argument(help: "A new or empty folder, or a new FILE.zip.") var destination: String
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var acting: ActingUserOptions
        @Flag(name: .long, help: "Print the result as JSON.") var json = false

        func run() throws {
            let session = try acting.session(in: workspace.openForReadingWithWrites())
            let showProgress = !json && isatty(STDERR_FILENO) == 1
            let target = URL(fileURLWithPath: (destination as NSString).expandingTildeInPath)
            let report = try failing {
                try session.exportWorkspace(to: target) { progress in
                    guard showProgress else { return }
                    FileHandle.standardError.write(Data("\rExporting \(progress.phase.rawValue): \(DisplayText.count(progress.files, "file")) (\(DisplayText.size(progress.bytes)))   ".utf8))
                }
            }
            if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
            if json { return try JSONOutput.print(report) }
            print("Exported \(DisplayText.count(report.files, "file")) (\(DisplayText.size(report.bytes))) to \(report.path)"
                  + (report.resumed ? ", finishing an interrupted export" : "") + ".")
            print("Records: \(report.records.values.reduce(0, +).formatted(.number)) rows in \(report.records.count) tables; "
                  + "\(DisplayText.count(report.audioFiles, "recording")); audit log \(report.auditIntact ? "intact" : "BROKEN (see audit/verification.json)").")
            print("manifest.json SHA-256: \(report.manifestSHA256)")
        }
    }

    struct VerifyExport: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify-export",
            abstract: "Check every file of an export against its manifest's SHA-256 (exit 65 when any differs).")
        @Argument(help: "The export: a folder or a .zip.") var path: String
        // Taken like every command's, and not needed: an export is checked on its own, without the workspace.
        @OptionGroup var workspace: WorkspaceOptions
        @Flag(name: .long, help: "Print the result as JSON.") var json = false

        func run() throws {
            let url = URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
            let result = try failing { try WorkspaceExport.verify(at: url) }
            if json { try JSONOutput.print(result) }
            if !json {
                for file in result.mismatched { print("changed: \(file)") }
                for file in result.missing { print("missing: \(file)") }
                for file in result.unlisted { print("not in the manifest: \(file)") }
            }
            guard result.isIntact else {
                throw CommandFailure("\(result.path) does not match its manifest: \(result.mismatched.count) changed, "
                                     + "\(result.missing.count) missing, \(result.unlisted.count) not listed.", .dataError)
            }
            if !json {
                print("All \(DisplayText.count(result.filesChecked, "file")) (\(DisplayText.size(result.bytes))) match the manifest.")
            }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "delete",
            abstract: "Delete the workspace for good: database, -wal, -shm, every recording and the folder (owner).",
            discussion: "Asks for the workspace's name on a terminal. Scripts give --yes with --confirm NAME; --yes alone "
                + "is refused. Prints a deletion certificate (what, when, by whom, file counts and bytes) to keep.")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var acting: ActingUserOptions
        @Option(name: .long, help: "The workspace's name, typed to confirm (needed with --yes).") var confirm: String?
        @Flag(name: .long, help: "Do not ask (needs --confirm NAME).") var yes = false
        @Flag(name: .long, help: "Print the certificate as JSON.") var json = false

        func run() throws {
            if yes && confirm == nil {
                throw CommandFailure("--yes needs --confirm NAME (the workspace's name); nothing was deleted.", .usage)
            }
            let session = try acting.session(in: workspace.open())
            let plan = try failing { try session.workspaceDeletionPlan() }
            say(plan.lines, json: json)
            var typed = confirm
            if !yes {
                guard isatty(STDIN_FILENO) == 1 else {
                    throw CommandFailure("Deleting the workspace needs its name typed; without a terminal give --yes --confirm NAME. "
                                         + "Nothing was deleted.", .usage)
                }
                FileHandle.standardError.write(Data("Type the workspace's name to delete it: ".utf8))
                typed = readLine() ?? ""
            }
            let certificate = try failing { try session.deleteWorkspace(typedName: typed ?? "") }
            if json { return try JSONOutput.print(certificate) }
            for line in certificate.lines { print(TerminalText.safeLines(line)) }
        }
    }
}

extension WorkspaceOptions {
    /// The export reads in one snapshot and then appends its audit event, so it opens for writing.
    func openForReadingWithWrites() throws -> Workspace { try open() }
}
