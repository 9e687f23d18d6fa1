import HandletDomain

extension ConsoleContext {
    /// The one door into the workspace, acting as the console's user: every read and change of a
    /// tab goes through it.
    // TODO(session-phase-2): hold the session in the context instead of the workspace and actor.
    var session: WorkspaceSession { workspace.session(as: actor) }
}
