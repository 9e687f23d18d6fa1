import ArgumentParser
import Dispatch
import Foundation
import HandletDomain
import TerminalUI

/// `handlet purge`: deletes expired recordings' audio, for cron or a systemd timer (README).
struct PurgeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge",
        abstract: "Delete the audio of expired recordings and mark them purged (calls keep their text).",
        discussion: """
            Safe to interrupt at any moment, even with kill -9: the next run finishes the work. \
            SIGINT or SIGTERM stop it cleanly after the batch in progress. Runs as the user named by \
            --user or HANDLET_USER when there is one, otherwise as `system` (a scheduled run); it \
            deletes only what the workspace's retention settings have made due, so no role is needed.
            """)
    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var acting: ActingUserOptions
    @Flag(name: .long, help: "List what would be deleted, changing nothing.") var dryRun = false
    @Option(name: .long, parsing: .unconditional, help: "Recordings per transaction (1 to 100000).")
    var batch: Int = Purge.defaultBatchSize
    @Flag(name: .long, help: "Print JSON (fields in docs/json.md).") var json = false

    func validate() throws {
        guard Purge.batchSizes.contains(batch) else {
            throw outOfRange("--batch \(batch): expected a whole number from \(Purge.batchSizes.lowerBound) to \(Purge.batchSizes.upperBound).")
        }
    }

    func run() throws {
        // A scheduled run names nobody and acts as `system`; a person's run is audited as theirs.
        let session = try acting.session(in: dryRun ? workspace.openForReading() : openOnAFullDisk(), otherwise: .system)
        if dryRun { return try printPlan(try failing { try session.read(.purgePlan()) }, session: session) }

        let cancellation = PurgeCancellation()
        let signals = [SIGINT, SIGTERM, SIGHUP].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { cancellation.cancel() }
            source.resume()
            return source
        }
        defer { signals.forEach { $0.cancel() } }

        let showProgress = !json && isatty(STDERR_FILENO) == 1
        let report = try failing {
            try session.purge(batchSize: batch, cancellation: cancellation) { progress in
                guard showProgress else { return }
                let line = "\rPurging recordings \(progress.purged.formatted(.number))/\(progress.total.formatted(.number))"
                    + " (\(DisplayText.size(progress.bytes)))"
                FileHandle.standardError.write(Data(line.utf8))
            }
        }
        if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
        let skipped = report.thisRun.skipped
        let notDeleted = CommandFailure(
            "\(DisplayText.count(skipped.total, "due recording")) could not be deleted and \(skipped.total == 1 ? "stays" : "stay") "
                + "stored; fix \(skipped.total == 1 ? "its path or file" : "their paths or files") and run `handlet purge` again.", .dataError)
        if json {
            try JSONOutput.print(report)
            if skipped.total > 0 { throw notDeleted }
            return
        }
        var summary = "Purged \(DisplayText.count(report.thisRun.purged, "recording")) "
            + "(\(DisplayText.size(report.thisRun.bytes)))"
        if report.thisRun.missingFiles > 0 {
            summary += "; \(report.thisRun.missingFiles) had no audio file left (recorded as missing)"
        }
        if let text = RetentionText.skipped(skipped) { summary += "; " + text + ", left stored for the next run" }
        if report.thisRun.callTexts > 0 || report.thisRun.messageTexts > 0 {
            summary += "; removed the text of \(DisplayText.count(report.thisRun.callTexts, "call")) and "
                + "\(DisplayText.count(report.thisRun.messageTexts, "message")) past their retention"
        }
        if report.resumedInterruptedRun {
            summary += "; finished an interrupted run (\(DisplayText.count(report.leftoverFilesDeleted, "file")) "
                + "it had left)"
        }
        print(summary + ".")
        if report.cancelled { throw CommandFailure("Stopped on request; run `handlet purge` again to finish.", .failure) }
        if !report.walTruncated {
            print("Note: another reader kept the write-ahead log from being emptied; the next run retries.")
        }
        if skipped.total > 0 { throw notDeleted }
    }

    private func printPlan(_ plan: PurgePlan, session: WorkspaceSession) throws {
        if json { return try JSONOutput.print(plan) }
        let clock = try failing { try session.read(.browseClock()) }
        // Whole call ids, however long (`calls show` takes them as printed): the column is as wide as the longest.
        let callWidth = max(20, plan.candidates.map { TextWidth.width(of: Sanitizer.clean($0.callExternalId)) }.max() ?? 0)
        let expiredWidth = max(7, plan.candidates.map { TextWidth.width(of: DisplayText.zonedTimestamp($0.expiresAt, clock: clock)) }.max() ?? 0)
        if !plan.candidates.isEmpty {
            print("RECORDING  \(TextWidth.pad("CALL", to: callWidth))  \(TextWidth.pad("EXPIRED", to: expiredWidth))  BYTES")
        }
        for candidate in plan.candidates {
            let call = TextWidth.pad(Sanitizer.clean(candidate.callExternalId), to: callWidth)
            let recording = candidate.recordingId.description.padding(toLength: 9, withPad: " ", startingAt: 0)
            print("\(recording)  \(call)  \(TextWidth.pad(DisplayText.zonedTimestamp(candidate.expiresAt, clock: clock), to: expiredWidth))  \(candidate.bytes)")
        }
        var summary = "Would purge \(DisplayText.count(plan.recordings, "recording")) (\(DisplayText.size(plan.bytes)))"
        if plan.unfinishedFromInterruptedRun > 0 {
            summary += " and finish deleting \(DisplayText.count(plan.unfinishedFromInterruptedRun, "file")) "
                + "an interrupted run left"
        }
        if plan.callTexts > 0 || plan.messageTexts > 0 {
            summary += ", and remove the text of \(DisplayText.count(plan.callTexts, "call")) and \(DisplayText.count(plan.messageTexts, "message"))"
        }
        print(summary + "; nothing was changed.")
    }
}

extension PurgeCommand {
    /// The purge frees space, so a full disk must not stop it at the door: when SQLite has no room
    /// even to open the workspace, the space reserve a previous purge left goes first (README).
    func openOnAFullDisk() throws -> Workspace {
        do {
            return try workspace.open()
        } catch let failure as CommandFailure where failure.exitClass == .cannotCreate && failure.description.contains(" is full") {
            guard Workspace.releaseSpaceReserve(beside: workspace.databaseURL) else { throw failure }
            return try workspace.open()
        }
    }
}
