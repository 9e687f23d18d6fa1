import HandletDomain

/// BSD `sysexits` codes (DESIGN §2): what a script can tell apart without reading the message.
enum ExitStatus {
    static let failure: Int32 = 1
    static let usage: Int32 = 64
    /// EX_DATAERR: the data is bad. A damaged database file; a purge that left recordings it could
    /// not delete (unsafe paths, something other than a file, a file that would not unlink), which
    /// stay stored for the next run; a malformed user.
    static let dataError: Int32 = 65
    static let noInput: Int32 = 66
    static let cannotCreate: Int32 = 73
    /// EX_TEMPFAIL: busy or locked by another process; the same command later may succeed.
    static let busy: Int32 = 75
    /// EX_NOPERM: the acting user's role (or a rule of the workspace) does not allow it.
    static let refused: Int32 = 77

    /// The code for a domain error; 1 for anything not listed.
    static func code(for error: Error) -> Int32 {
        switch error {
        case let failure as CommandFailure: return failure.exitCode
        case is PermissionDenied: return refused
        case let actor as ActorError: return actor == .noUserNamed ? usage : refused
        case let rule as UserRuleError: return rule.isRefusal ? refused : dataError
        case let notice as NoticeError:
            switch notice {
            // Rules of the workspace: not the latest version, already answered, the window closed.
            case .notLatest, .alreadyAnswered, .notObjectable, .windowClosed: return refused
            case .reasonRequired: return usage
            case .noFolder: return noInput
            case .noSuchNotice, .reasonTooLong, .changedText: return dataError
            }
        case is NoticeFileError: return dataError
        case let compliance as ComplianceError:
            if case .callerNoticeTooLong = compliance { return dataError }
            return usage
        case let workspace as WorkspaceError:
            switch workspace {
            case .damaged: return dataError
            case .locked, .stillLocked: return busy
            default: return failure
            }
        case let autoSend as AutoSendSettingError:
            // A change the checks refuse is a rule of the workspace; a malformed value is usage.
            if case .checksFailed = autoSend { return refused }
            return usage
        case is AutoSendPreviewError: return usage
        case let purge as PurgeError:
            switch purge {
            case .alreadyRunning: return busy
            case .cannotDelete: return dataError
            default: return failure
            }
        default: return failure
        }
    }
    }
