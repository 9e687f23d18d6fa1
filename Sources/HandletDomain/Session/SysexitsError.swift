/// The BSD `sysexits` class of a failure (DESIGN §2): what a script can tell apart without
/// reading the message. The raw value is the process's exit status.
public enum ExitClass: Int32, Sendable, CaseIterable {
    /// Anything else.
    case failure = 1
    /// EX_USAGE: the command was given wrongly (a malformed value, a missing flag or argument).
    case usage = 64
    /// EX_DATAERR: well-formed but wrong data: a value out of range, a record that does not exist
    /// (every "no such call / notice / user / draft" is this class), a damaged workspace file.
    case dataError = 65
    /// EX_NOINPUT: the workspace (or a folder to read) is not there.
    case noInput = 66
    /// EX_CANTCREAT: something to be written cannot be (a workspace that already exists, a read-only file).
    case cannotCreate = 73
    /// EX_TEMPFAIL: busy or locked by another process; the same command later may succeed.
    case busy = 75
    /// EX_NOPERM: the acting user's role, or a rule of the workspace, does not allow it.
    case refused = 77
}

/// Every error the domain or the CLI throws says its exit class where it is defined. There is
/// deliberately no default implementation: a new error type that forgets would otherwise exit 1
/// unnoticed (and `ExitClassConformanceTests` fails for any `Error` type that does not conform).
public protocol SysexitsError: Error {
    var exitClass: ExitClass { get }
}
