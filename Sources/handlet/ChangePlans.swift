import Foundation
import HandletDomain

extension WorkspaceSession {
    /// Every changing subcommand goes through here: it asks the domain for the change's plan and
    /// renders it, deciding nothing itself. A refused plan exits with its one-line reason (77 for
    /// a role or a rule, DESIGN §2) before anything is shown; a plan that asks prints its preview
    /// (to standard error when standard output carries JSON), then its question on a terminal, answered
    /// by `--yes`, and refused without it when standard input is not one. Plan and change use the
    /// session's clock (the command's one instant), so what was previewed is what is performed.
    func carryOut<Result>(_ command: WorkspaceCommand<Result>, asking confirming: ConfirmationOptions? = nil,
                          json: Bool = false) throws -> Result {
        let plan = try failing { try self.plan(command) }
        if let refusal = plan.refusalError { throw CommandFailure(refusal) }
        var confirmed = false
        if let confirmation = plan.confirmation {
            // What the question is about, first; a change that asks nothing prints what it did instead.
            if let preview = plan.preview { say(preview.lines, json: json) }
            guard let confirming else {
                throw CommandFailure("\(confirmation.question) This command cannot ask; nothing changed.", .failure)
            }
            guard try confirming.confirm(confirmation.question) else { throw CommandFailure(confirmation.declined, .failure) }
            confirmed = true
        }
        return try failing { try perform(plan, confirmed: confirmed) }
    }
}

/// Human lines go to standard error when standard output carries JSON.
func say(_ lines: [String], json: Bool) {
    for line in lines {
        // Plans name people and files (a contact being erased, a match being deleted): never raw.
        if json { FileHandle.standardError.write(Data((TerminalText.safeLines(line) + "\n").utf8)) } else { print(TerminalText.safeLines(line)) }
    }
}
