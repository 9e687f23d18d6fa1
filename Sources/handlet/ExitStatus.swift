import HandletDomain

/// Exit statuses (DESIGN §2: BSD sysexits). Anything not named here exits 1.
enum ExitStatus {
    static let failure: Int32 = 1
    /// EX_DATAERR: the workspace's data is bad. A damaged database file; a purge that left
    /// recordings it could not delete (their rows name unsafe paths, something other than a file,
    /// or a file that would not unlink), which stay stored for the next run.
    static let dataError: Int32 = 65
    /// EX_TEMPFAIL: busy or locked by another process; the same command later may succeed.
    static let busy: Int32 = 75
    /// EX_NOPERM: the acting user's role may not do it (a `PermissionDenied` from the session).
    static let permissionRefused: Int32 = 77

    static func code(for error: Error) -> Int32 {
        if let failure = error as? CommandFailure { return failure.exitCode }
        if error is PermissionDenied { return permissionRefused }
        switch error as? WorkspaceError {
        case .damaged?: return dataError
        case .locked?: return busy
        default: break
        }
        switch error as? PurgeError {
        case .alreadyRunning?: return busy
        case .cannotDelete?: return dataError
        default: break
        }
        return failure
    }
}
