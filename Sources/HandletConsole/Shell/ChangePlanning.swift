import HandletDomain

/// A change as the domain planned it for the acting user: ready to show (its preview and
/// question) and perform, or refused with the domain's one-line reason. Tabs render this; they
/// never decide who may do what.
enum PlannedChange<Result: Sendable> {
    case ready(ChangePlan<Result>)
    case refused(String)
}

extension ConsoleContext {
    /// The domain's plan of `command` at the console's clock. A plan reads one snapshot (never
    /// waiting for another process's writer), so asking it on the UI thread is safe.
    func plan<Result>(_ command: WorkspaceCommand<Result>) -> PlannedChange<Result> {
        do {
            let plan = try session.plan(command, at: now())
            if let refusal = plan.refusal { return .refused(refusal) }
            return .ready(plan)
        } catch {
            return .refused("\(error)")
        }
    }

    /// Why the acting user may not make this change now, or nil: for dimming a key with the reason.
    func refusal<Result>(of command: WorkspaceCommand<Result>) -> String? {
        if case .refused(let reason) = plan(command) { return reason }
        return nil
    }
}
