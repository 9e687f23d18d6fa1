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
        /// Runs the retention purge and Auto-Send delivery in the background while the console is
        /// open (at start, then whenever recordings expire or messages fall due), through this
        /// session acting as `system`; nil for none.
        public var purge: WorkspaceSession?
        /// The actor is the local owner fallback (nobody was named); the status bar says so.
        public var actorIsFallback: Bool
        /// Over SSH or not, the client's address, and whether Ctrl-Z may suspend.
        public var origin: ConsoleOrigin
        public init(theme: String? = nil, startupMessage: String? = nil, purge: WorkspaceSession? = nil,
                    actorIsFallback: Bool = false, origin: ConsoleOrigin = .current()) {
            self.theme = theme
            self.startupMessage = startupMessage
            self.purge = purge
            self.actorIsFallback = actorIsFallback
            self.origin = origin
        }
    }

    /// How the session ended, and the stop signal to re-raise once everything is written (so
    /// the parent still sees "killed by SIGHUP/SIGTERM/SIGINT").
    public struct Ending: Sendable {
        public var reason: ConsoleSessionEnd
        public var signal: Int32?
    }

    /// Opens the console acting as `session`'s user and returns how it ended. Checks the terminal
    /// and theme before touching the screen, so a refusal is a plain one-line error on a normal
    /// terminal rather than a flash of a broken screen.
    @discardableResult
    public static func run(session: WorkspaceSession, options: Options = Options()) throws -> Ending {
        try NcursesBackend.checkTerminal()
        let theme = try options.theme.map { try Theme.load($0) } ?? .dark
        // Rebinding problems go to stderr before the screen opens (they stay readable after quitting)
        // and the first is flashed in the status bar.
        let keyConfig = KeyConfig.load()
        for problem in keyConfig.problems { FileHandle.standardError.write(Data("handlet: \(problem)\n".utf8)) }
        let keyProblem = keyConfig.problems.first.map {
            $0.shortDescription + (keyConfig.problems.count > 1 ? " (and \(keyConfig.problems.count - 1) more, on stderr)" : "")
        }
        // The session is audited at start and end (with the SSH client's address when there is one);
        // the start is written before the screen opens, so a refusal is still a plain line.
        let sessionID = String(UUID().uuidString.prefix(8)).lowercased()
        let clientAddress = options.origin.clientAddress
        // While another process writes, the console still opens (issue 11: only writes wait): the
        // start event is written in the background once the workspace is free, dated when it began.
        let started = Date()
        var pendingStart: Task<Void, Never>?
        do {
            try session.performIfFree(.consoleSessionStarted(session: sessionID, clientAddress: clientAddress), at: started)
        } catch WorkspaceError.locked {
            pendingStart = Task.detached {
                do {
                    _ = try await session.perform(.consoleSessionStarted(session: sessionID, clientAddress: clientAddress), at: started,
                                                  retryingFor: .seconds(60))
                } catch {
                    FileHandle.standardError.write(Data("handlet: the session start could not be recorded: \(Sanitizer.clean("\(error)"))\n".utf8))
                }
            }
        }
        var backendOptions = NcursesBackend.Options()
        backendOptions.gracefulStop = true
        backendOptions.suspendAllowed = options.origin.suspendAllowed
        let backend: NcursesBackend
        do { backend = try NcursesBackend(options: backendOptions) } catch {
            try? session.perform(.consoleSessionEnded(session: sessionID, reason: .terminalGone, clientAddress: clientAddress))
            throw error
        }
        StartupProfile.mark("terminal")
        let app = TerminalApp(backend: backend, theme: theme)
        app.tickInterval = .milliseconds(250)
        app.redrawKeys = ConsoleKeys.redrawKeys(keyConfig.bindings)
        if StartupProfile.isOn { app.afterFrame = { StartupProfile.mark("frame", endsStartUp: true) } }
        let mailbox = app.mailbox
        var starting = ConsoleContext(session: session, post: { mailbox.post($0) }, keys: keyConfig.bindings,
                                      actorIsFallback: options.actorIsFallback)
        starting.loadsInBackgroundAtStart = true
        let context = starting
        var screen = ConsoleScreen(context: context, startupMessage: options.startupMessage, startupProblem: keyProblem)
        let purge = options.purge.map { BackgroundPurge(session: $0, post: { mailbox.post($0) }) }
        let delivery = options.purge.map { BackgroundDelivery(session: $0, post: { mailbox.post($0) }) }
        app.run(&screen)
        // The loop returns between changes, never inside one; the purge stops at its own
        // transaction boundary, so a hang-up leaves nothing half-written.
        // A change still waiting for another process's writer is stopped: it writes nothing.
        waitSynchronously { await context.changes.stop() }
        if let purge { waitSynchronously { await purge.stop() } }
        if let delivery { waitSynchronously { await delivery.stop() } }
        // Quitting does not wait out another process's writer for the start event: it says so instead.
        if let pendingStart { pendingStart.cancel(); waitSynchronously { await pendingStart.value } }
        // A recording still playing stops with the console: nothing of it outlives the session.
        RecordingPlayer.stopAll()
        let ending = Self.ending(app.ending, signal: NcursesBackend.pendingSignal)
        // An erasure left running when the user quit holds the write lock while it puts the rewritten
        // search in place (seconds at 1M calls): the end waits for it rather than go unrecorded.
        let reason = ending.reason
        waitSynchronously {
            do {
                _ = try await session.perform(.consoleSessionEnded(session: sessionID, reason: reason, clientAddress: clientAddress),
                                              retryingFor: .seconds(60))
            } catch {
                FileHandle.standardError.write(Data("handlet: the session end could not be recorded: \(Sanitizer.clean("\(error)"))\n".utf8))
            }
        }
        return ending
    }

    static func ending(_ loopEnding: TerminalApp.Ending, signal: Int32?) -> Ending {
        switch (loopEnding, signal) {
        case (.quit, _): Ending(reason: .quit, signal: nil)
        case (.hangup, SIGHUP): Ending(reason: .hangup, signal: SIGHUP)
        case (.hangup, SIGTERM): Ending(reason: .terminated, signal: SIGTERM)
        case (.hangup, SIGINT): Ending(reason: .interrupted, signal: SIGINT)
        case (.hangup, let other): Ending(reason: .terminalGone, signal: other)
        }
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
