import Foundation

/// How a console session ended, as its `console.session_ended` event records it.
public enum ConsoleSessionEnd: String, Sendable, CaseIterable {
    /// The user quit.
    case quit
    /// SIGHUP: the SSH connection or the terminal window closed.
    case hangup
    /// The terminal vanished without a signal (its descriptor hung up or stopped being a tty).
    case terminalGone = "terminal_gone"
    /// SIGTERM.
    case terminated
    /// SIGINT (Ctrl-C).
    case interrupted
}

extension WorkspaceCommand where Result == Void {
    /// Records that a console opened for this actor: `console.session_started`, target
    /// `console:SESSION`, details `transport` (`ssh` or `local`) and `client_address` (the SSH
    /// client's IP, from `SSH_CONNECTION`) when there is one. Anyone who may browse may open one.
    public static func consoleSessionStarted(session: String, clientAddress: String?) -> Self {
        WorkspaceCommand(.browse, audit: .consoleSessionStarted) { _, _ in
            var details: [String: AuditValue] = ["transport": .string(clientAddress == nil ? "local" : "ssh")]
            if let clientAddress { details["client_address"] = .string(clientAddress) }
            return .changed((), target: "console:\(session)", details: details)
        }
    }

    /// Records that the console session `session` ended, and how (`reason`).
    public static func consoleSessionEnded(session: String, reason: ConsoleSessionEnd, clientAddress: String?) -> Self {
        WorkspaceCommand(.browse, audit: .consoleSessionEnded) { _, _ in
            var details: [String: AuditValue] = ["reason": .string(reason.rawValue),
                                                 "transport": .string(clientAddress == nil ? "local" : "ssh")]
            if let clientAddress { details["client_address"] = .string(clientAddress) }
            return .changed((), target: "console:\(session)", details: details)
        }
    }
}

/// Where the console runs: over SSH or locally, who is at the other end, and whether a
/// job-control shell is there to return to on Ctrl-Z. Read from the environment and the process
/// group, once, before anything opens.
public struct ConsoleOrigin: Sendable, Equatable {
    /// `SSH_CONNECTION` or `SSH_TTY` is set.
    public var overSSH: Bool
    /// The client's IP (the first field of `SSH_CONNECTION`), when valid.
    public var clientAddress: String?
    /// `SSH_ORIGINAL_COMMAND` is set: sshd ran a forced command (`command=` or `ForceCommand`).
    public var forcedCommand: Bool
    /// A job-control shell started this process in its own process group, so it can resume it.
    public var jobControlShell: Bool

    public init(overSSH: Bool, clientAddress: String?, forcedCommand: Bool, jobControlShell: Bool) {
        self.overSSH = overSSH
        self.clientAddress = clientAddress
        self.forcedCommand = forcedCommand
        self.jobControlShell = jobControlShell
    }

    /// Ctrl-Z suspends only when something can bring the console back; a forced command has no
    /// shell behind it, and nor does a process group the shell did not make for it.
    public var suspendAllowed: Bool { jobControlShell && !forcedCommand }

    public static func current(environment: [String: String] = ProcessInfo.processInfo.environment) -> ConsoleOrigin {
        let connection = environment["SSH_CONNECTION"].flatMap { $0.isEmpty ? nil : $0 }
        let tty = environment["SSH_TTY"].flatMap { $0.isEmpty ? nil : $0 }
        return ConsoleOrigin(overSSH: connection != nil || tty != nil,
                             clientAddress: connection.flatMap(clientAddress(fromSSHConnection:)),
                             forcedCommand: environment["SSH_ORIGINAL_COMMAND"] != nil,
                             jobControlShell: hasJobControlParent())
    }

    /// `SSH_CONNECTION` is "CLIENT_IP CLIENT_PORT SERVER_IP SERVER_PORT"; only a well-formed IPv4
    /// or IPv6 address is kept (it goes into the audit log, which holds identifiers only).
    public static func clientAddress(fromSSHConnection value: String) -> String? {
        guard let first = value.split(separator: " ").first.map(String.init), first.count <= 45 else { return nil }
        let allowed = Set("0123456789abcdefABCDEF.:%")
        guard !first.isEmpty, first.allSatisfy({ allowed.contains($0) }), first.contains(".") || first.contains(":") else { return nil }
        return first
    }

    /// A job-control shell puts each job in a process group of its own, in its own session, and
    /// stays in another group itself. Under sshd's `sh -c` (or any non-interactive runner) the
    /// console shares the parent's group or leads its own session, and a stop would be for ever.
    static func hasJobControlParent() -> Bool {
        let parent = getppid()
        guard parent > 1 else { return false }
        let ownGroup = getpgrp()
        let parentGroup = getpgid(parent)
        let ownSession = getsid(0)
        guard parentGroup >= 0, ownSession >= 0 else { return false }
        return parentGroup != ownGroup && getsid(parent) == ownSession && ownSession != getpid()
    }
}
