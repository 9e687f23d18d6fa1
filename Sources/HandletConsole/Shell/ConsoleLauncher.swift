import Foundation
import HandletDomain
import TerminalUI

/// Opens the console on a real terminal and returns when the user quits.
public enum ConsoleLauncher {
    public struct Options: Sendable {
        /// `--theme NAME|PATH`; nil for the default.
        public var theme: String?
        /// Shown in the status bar at start (e.g. "Created a demo workspace at …").
        public var startupMessage: String?
        /// Runs the retention purge in the background while the console is open (at start, then
        /// whenever recordings expire), through this session acting as `system`; nil for none.
        public var purge: WorkspaceSession?
        public init(theme: String? = nil, startupMessage: String? = nil, purge: WorkspaceSession? = nil) {
            self.theme = theme
            self.startupMessage = startupMessage
            self.purge = purge
        }
    }

    /// Opens the console acting as `session`'s user. Checks the terminal and theme before touching
    /// the screen, so a refusal is a plain one-line error on a normal terminal rather than a flash
    /// of a broken screen.
    public static func run(session: WorkspaceSession, options: Options = Options()) throws {
        try NcursesBackend.checkTerminal()
        let theme = try options.theme.map { try Theme.load($0) } ?? .dark
        // Rebinding problems go to stderr before the screen opens (they stay readable after quitting)
        // and the first is flashed in the status bar.
        let keyConfig = KeyConfig.load()
        for problem in keyConfig.problems { FileHandle.standardError.write(Data("handlet: \(problem)\n".utf8)) }
        let keyProblem = keyConfig.problems.first.map {
            $0.shortDescription + (keyConfig.problems.count > 1 ? " (and \(keyConfig.problems.count - 1) more, on stderr)" : "")
        }
        let backend = try NcursesBackend()
        let app = TerminalApp(backend: backend, theme: theme)
        app.tickInterval = .milliseconds(250)
        app.redrawKeys = ConsoleKeys.redrawKeys(keyConfig.bindings)
        let mailbox = app.mailbox
        let context = ConsoleContext(session: session, post: { mailbox.post($0) }, keys: keyConfig.bindings)
        // Opening the console is signing in: the compliance centre's access review reads it. Off the
        // UI thread, so another process's writer never delays the first frame; a workspace that
        // cannot take the write (locked, damaged) still opens.
        Task.detached { _ = try? session.perform(.recordSignIn) }
        var screen = ConsoleScreen(context: context, startupMessage: options.startupMessage, startupProblem: keyProblem)
        let purge = options.purge.map { BackgroundPurge(session: $0, post: { mailbox.post($0) }) }
        app.run(&screen)
        if let purge { waitSynchronously { await purge.stop() } }
    }
}

/// Blocks the calling (main) thread until async work ends; only at exit, after the UI loop.
private func waitSynchronously(_ work: @escaping @Sendable () async -> Void) {
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        await work()
        done.signal()
    }
    done.wait()
}
