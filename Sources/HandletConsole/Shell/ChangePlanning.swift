import HandletDomain

/// A change as the domain planned it for the acting user: ready to show (its preview and
/// question) and perform, or refused with the domain's one-line reason. Tabs render this; they
/// never decide who may do what.
enum PlannedChange<Result: Sendable> {
    case ready(ChangePlan<Result>)
    case refused(String)
    /// The plan could not be made (the record is gone, the workspace is unreadable): an error to
    /// show, not a refusal, so it dims no key.
    case failed(String)
}

extension ConsoleContext {
    /// The domain's plan of `command` at the console's clock. A plan reads one snapshot (never
    /// waiting for another process's writer), so asking it on the UI thread is safe.
    func plan<Result>(_ command: WorkspaceCommand<Result>) -> PlannedChange<Result> {
        do {
            let plan = try session.plan(command, at: now())
            if let refusal = plan.refusal { return .refused(refusal) }
            return .ready(plan)
        } catch let error as any SysexitsError where error.exitClass == .refused {
            return .refused("\(error)")
        } catch {
            return .failed("\(error)")
        }
    }

    /// Why the acting user may not make this change now, or nil: for dimming a key with the reason.
    func refusal<Result>(of command: WorkspaceCommand<Result>) -> String? {
        if case .refused(let reason) = plan(command) { return reason }
        return nil
    }
}
