import ArgumentParser
import Foundation
import HandletDomain

/// `handlet check`: SQLite's quick_check of the whole file, table by table with a progress bar.
/// Passing clears the damage a process remembered (`workspace.sqlite-damaged`); failing sets it.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the workspace file for damage (SQLite quick_check); a pass lets changes through again.",
        discussion: """
            Once any handlet process meets damage in the file (SQLite reports corruption), every later \
            change is refused with exit 65 until this check passes. Exit 0 when the file is whole, 65 when not.
            """)

    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
        try workspace.checkPath()
        let bar = ProgressBar()
        let report: WorkspaceCheck.Report
        do {
            report = try WorkspaceCheck.run(at: workspace.databaseURL) { step in
                bar.update(step.table.isEmpty ? "done" : step.table, fraction: step.total == 0 ? 1 : Double(step.done) / Double(step.total))
            }
            bar.finish()
        } catch {
            bar.finish()
            throw CommandFailure(error)
        }
        print("The workspace file is whole (quick_check of \(report.tables) tables passed)."
              + (report.clearedMarker ? " The damage an earlier process reported is cleared: changes are allowed again." : ""))
    }
}
