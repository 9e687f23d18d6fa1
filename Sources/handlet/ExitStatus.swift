import HandletDomain

/// BSD `sysexits` codes (DESIGN §2): what a script can tell apart without reading the message.
enum ExitStatus {
    static let failure: Int32 = 1
    static let usage: Int32 = 64
    static let dataError: Int32 = 65
    static let noInput: Int32 = 66
    static let cannotCreate: Int32 = 73
    static let busy: Int32 = 75
    static let refused: Int32 = 77

    /// The code for a domain error; 1 for anything not listed.
    static func code(for error: Error) -> Int32 {
        switch error {
        case let failure as CommandFailure: failure.exitCode
        case is PermissionDenied: refused
        case let actor as ActorError: actor == .noUserNamed ? usage : refused
        case let rule as UserRuleError: rule.isRefusal ? refused : dataError
        default: failure
        }
    }
}
