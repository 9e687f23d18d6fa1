import Foundation
import HandletDomain
import TerminalUI

/// A change that takes a reason and asks first (releasing a legal hold): the reason is typed,
/// the domain plans the change with it (a blank or too long reason is its answer, shown under
/// the field), then the plan's question is asked with the reason beside it. The screen decides
/// nothing: it opens this after the key's own plan was not refused, and performs what comes back.
struct ReasonedChange<Result: Sendable>: Sendable {
    let command: @Sendable (String) -> WorkspaceCommand<Result>
    private(set) var prompt: TextPrompt
    /// The question, once a reason the domain accepts was typed.
    private(set) var question: (dialog: ConfirmDialog, plan: ChangePlan<Result>)?

    enum Outcome {
        case open
        /// Esc at the reason, or no to the question (with the plan's words for it).
        case cancelled(declined: String?)
        /// Refused or failed when planned with the reason: shown, nothing changed.
        case failed(String)
        /// Answered yes: the command to perform.
        case approved(WorkspaceCommand<Result>)
    }

    init(title: String, keys: KeyBindings, command: @escaping @Sendable (String) -> WorkspaceCommand<Result>) {
        self.command = command
        prompt = TextPrompt(title: title, label: "Reason ", keys: keys)
    }

    mutating func handle(_ key: Key, context: ConsoleContext) -> Outcome {
        if var current = question {
            switch current.dialog.handle(key, keys: ConsoleKeys.confirmTable.resolved(context.keys)) {
            case nil:
                question = current
                return .open
            case .cancelled?: return .cancelled(declined: current.plan.confirmation?.declined)
            case .confirmed?:
                do { return .approved(try current.plan.approved(confirmed: true)) } catch { return .failed("\(error)") }
            }
        }
        switch prompt.handle(key) {
        case .open: return .open
        case .cancelled: return .cancelled(declined: nil)
        case .answered(let reason): return answer(reason, context: context)
        }
    }

    /// Plans the change with `reason`: its question next, or the domain's problem with the reason.
    mutating func answer(_ reason: String, context: ConsoleContext) -> Outcome {
        switch context.plan(command(reason)) {
        case .refused(let refusal): return .failed(refusal)
        case .failed(let problem):
            prompt.problem = problem
            return .open
        case .ready(let plan):
            guard let confirmation = plan.confirmation else {
                do { return .approved(try plan.approved(confirmed: false)) } catch { return .failed("\(error)") }
            }
            let said = reason.trimmingCharacters(in: .whitespacesAndNewlines)
            question = (ConfirmDialog(title: confirmation.title, message: confirmation.question + " Reason: " + said,
                                      confirmLabel: confirmation.confirmLabel, isDestructive: confirmation.isDestructive), plan)
            return .open
        }
    }

    /// Types `text` into the reason field (the palette's `:release REASON`).
    mutating func type(_ text: String) {
        for character in text { _ = prompt.handle(.char(character)) }
    }

    func render(into grid: inout Grid, area: Rect) {
        if let question { question.dialog.render(into: &grid, area: area) } else { prompt.render(into: &grid, area: area) }
    }
}
