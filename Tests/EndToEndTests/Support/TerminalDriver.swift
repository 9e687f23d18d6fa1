import Foundation
import HandletTestSupport
import XCTest

/// Drives a real terminal program inside a private tmux server, for end-to-end tests and
/// benchmarks: start it at a size, send keys, wait for text, read the screen (with or
/// without attributes), resize, count the bytes it wrote, signal it, and read `stty -a` of
/// its terminal after it exits.
///
/// Every driver has its own tmux server (`tmux -L <unique>`), so tests run in parallel, in
/// CI with no terminal, and inside a developer's own tmux without touching it.
///
/// The pane runs a small generated wrapper script that
/// 1. waits until output recording is attached (so not one byte is missed),
/// 2. runs the program in the foreground under job control (Ctrl-Z works), recording its pid,
/// 3. after it ends, however it ends, writes `stty -a` of the same terminal and its exit status.
/// The pane stays on screen afterwards (`remain-on-exit`), so the last frame can be read.
///
///     let driver = try TerminalDriver(executable: TerminalDriver.product("handlet"), arguments: ["--db", path])
///     try driver.waitFor("Calls")
///     driver.press("Down", "Enter")
///     driver.resize(width: 60, height: 15)
///     let exit = try driver.waitForExit()
public final class TerminalDriver {
    public enum DriverError: Error, CustomStringConvertible {
        case tmuxFailed(arguments: [String], output: String)
        case timedOut(waitingFor: String, screen: String)
        case productNotFound(name: String, searched: [String])
        case tmuxMissing

        public var description: String {
            switch self {
            case .tmuxFailed(let arguments, let output): return "tmux \(arguments.joined(separator: " ")) failed: \(output)"
            case .timedOut(let what, let screen): return "timed out waiting for \(what); the screen was:\n\(screen)"
            case .tmuxMissing: return "tmux is not installed; the end-to-end terminal tests need it (.ci/run installs it)"
            case .productNotFound(let name, let searched):
                return "no built '\(name)' in \(searched.joined(separator: ", ")); run `swift build` first"
            }
        }
    }

    /// How the program ended, from the wrapper's `$?`.
    public struct ExitStatus: Equatable, CustomStringConvertible {
        /// The shell's status: the exit code, or 128 + signal number when killed.
        public var rawValue: Int32
        public var signal: Int32? { rawValue > 128 ? rawValue - 128 : nil }
        public var exitCode: Int32? { rawValue <= 128 ? rawValue : nil }
        public var description: String { signal.map { "killed by signal \($0)" } ?? "exit \(rawValue)" }
    }

    public let socketName: String
    public let workDirectory: URL
    public private(set) var width: Int
    public private(set) var height: Int
    private let tmuxPath: String
    private var closed = false

    private var outputFile: URL { workDirectory.appendingPathComponent("output.bytes") }
    private var pidFile: URL { workDirectory.appendingPathComponent("pid") }
    private var statusFile: URL { workDirectory.appendingPathComponent("status") }
    private var sttyFile: URL { workDirectory.appendingPathComponent("stty") }
    private var goFile: URL { workDirectory.appendingPathComponent("go") }

    // MARK: Finding things

    /// The tmux executable, or nil when it is not installed.
    public static var tmuxPath: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") + ["/usr/bin", "/usr/local/bin"] {
            let candidate = "\(directory)/tmux"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Fails the calling test when tmux is missing: `.ci/run` installs it, and a suite that
    /// skipped its terminal tests would pass without testing the terminal.
    public static func skipUnlessAvailable() throws {
        if tmuxPath == nil { throw DriverError.tmuxMissing }
    }

    /// A built executable of this package (`handlet`, `handlet-gallery`), found beside the test
    /// bundle, in `HANDLET_BUILD_DIR`, or in `.build/debug` and `.build/release`.
    public static func product(_ name: String) throws -> URL {
        do { return try BuiltProducts.url(name) } catch let error as BuiltProducts.NotFound {
            throw DriverError.productNotFound(name: name, searched: error.searched)
        }
    }

    // MARK: Starting

    /// Starts `executable` in a fresh tmux server at `width`x`height`.
    /// - Parameters:
    ///   - environment: the program's environment on top of a clean one (nothing inherited from
    ///     the test: `PATH`, `HOME` = the driver's own folder, so no user's keys.toml or theme
    ///     applies, `LC_ALL`/`LANG` = `C.UTF-8`, `TERM` = `tmux-256color`); these override.
    ///   - unset: variables removed from the program's environment (tmux adds `TMUX` and
    ///     `TMUX_PANE`; `HANDLET_USER`, `NO_COLOR` can never come from the caller).
    ///   - workingDirectory: where the program starts (default: the driver's own temp folder).
    public init(executable: URL, arguments: [String] = [], width: Int = 120, height: Int = 40,
                environment: [String: String] = [:], unset: [String] = [], workingDirectory: URL? = nil,
                blockHangup: Bool = false, startTimeout: Duration = .seconds(10)) throws {
        guard let tmuxPath = Self.tmuxPath else { throw DriverError.tmuxMissing }
        self.tmuxPath = tmuxPath
        self.width = width
        self.height = height
        socketName = "handlet-e2e-\(getpid())-\(UUID().uuidString.prefix(8))"
        workDirectory = FileManager.default.temporaryDirectory.appendingPathComponent(socketName)
        try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true)

        var variables = ["TERM": "tmux-256color", "LANG": "C.UTF-8"]
        variables.merge(environment) { _, new in new }
        let removed = unset + ["HANDLET_USER", "NO_COLOR", "HANDLET_TEST_NOW", "HANDLET_TEST_PURGE_KILL",
                               // Tests run over SSH must not make the program think it is served over SSH.
                               "SSH_CONNECTION", "SSH_TTY", "SSH_ORIGINAL_COMMAND", "SSH_CLIENT"]
            .filter { environment[$0] == nil }
        // blockHangup: the program starts with SIGHUP blocked (a blocked mask survives exec and
        // sigaction), so only its own dead-descriptor check can notice that the terminal went away.
        let blocker = ["/usr/bin/python3", "-c",
                       "import os, signal, sys; signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGHUP]); os.execv(sys.argv[1], sys.argv[1:])"]
        let script = Self.wrapperScript(executable: blockHangup ? blocker[0] : executable.path,
                                        arguments: blockHangup ? Array(blocker.dropFirst()) + [executable.path] + arguments : arguments,
                                        environment: variables,
                                        unset: removed, workingDirectory: (workingDirectory ?? workDirectory).path,
                                        directory: workDirectory.path)
        let scriptURL = workDirectory.appendingPathComponent("run.sh")
        try script.write(to: scriptURL, atomically: true, encoding: .utf8)

        // -f /dev/null: no user configuration may change key handling or sizes under test.
        try tmux(["-f", "/dev/null", "new-session", "-d", "-x", "\(width)", "-y", "\(height)", "/bin/sh " + Self.quote(scriptURL.path)])
        try tmux(["set-option", "-g", "remain-on-exit", "on"])
        try tmux(["set-option", "-g", "escape-time", "0"])
        try tmux(["pipe-pane", "-O", "cat >> " + Self.quote(outputFile.path)])
        _ = FileManager.default.createFile(atPath: goFile.path, contents: Data())
        try waitUntil("the program to start", timeout: startTimeout) { _ in self.programPID != nil }
    }

    deinit { close() }

    /// Stops the tmux server, kills the program and the wrapper shell if they outlived it, and
    /// removes the driver's files. Safe to call twice; runs from `deinit`, so a failing test
    /// (a thrown error drops the driver) leaves no server or process behind.
    public func close() {
        guard !closed else { return }
        closed = true
        let processes = [programPID, wrapperPID].compactMap { $0 }
        _ = try? tmux(["kill-server"])
        for pid in processes where kill(pid, 0) == 0 { kill(pid, SIGKILL) }
        try? FileManager.default.removeItem(at: workDirectory)
    }

    /// Kills only the tmux server, as a dropped SSH connection or a closed window would: the
    /// program loses its terminal and must end by itself. `close()` later kills whatever is left.
    public func killTerminal() {
        _ = try? tmux(["kill-server"])
    }

    /// The wrapper shell's pid (it traps hang-ups to record the terminal state).
    private var wrapperPID: Int32? {
        (try? String(contentsOf: workDirectory.appendingPathComponent("wrapper-pid"), encoding: .utf8))
            .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    private static func quote(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    private static func wrapperScript(executable: String, arguments: [String], environment: [String: String], unset: [String],
                                      workingDirectory: String, directory: String) -> String {
        let exports = environment.sorted { $0.key < $1.key }.map { "export \($0.key)=\(quote($0.value))" }.joined(separator: "\n")
        let unsets = unset.map { "unset \($0)" }.joined(separator: "\n")
        let command = ([executable] + arguments).map(quote).joined(separator: " ")
        let dir = quote(directory)
        return """
        # Generated by TerminalDriver.
        echo $$ > \(dir)/wrapper-pid
        \(exports)
        \(unsets)
        cd \(quote(workingDirectory)) || exit 97
        while [ ! -e \(dir)/go ]; do sleep 0.01; done
        # Job control, as in a login shell: the program runs in its own foreground process
        # group, so Ctrl-Z really suspends it (a stop signal to an orphaned group is dropped).
        set -m
        # A trap (not an ignore, which children would inherit) keeps this shell alive through
        # signals meant for the program, so it can still record the terminal state.
        trap 'true' INT QUIT TERM HUP
        sh -c 'echo $$ > "$0"; exec "$@"' \(dir)/pid \(command)
        status=$?
        # 148 = stopped by SIGTSTP: wait for resumeFromShell(), then `fg` as a user would.
        while [ "$status" -eq 148 ]; do
          while [ ! -e \(dir)/resume ]; do sleep 0.01; done
          rm -f \(dir)/resume
          fg > /dev/null
          status=$?
        done
        stty -a > \(dir)/stty.partial 2>&1
        mv \(dir)/stty.partial \(dir)/stty
        echo $status > \(dir)/status.partial
        mv \(dir)/status.partial \(dir)/status
        """
    }

    // MARK: Talking to tmux

    @discardableResult
    private func tmux(_ arguments: [String]) throws -> String {
        // Output goes to a file, not a pipe: the tmux server forked by `new-session` inherits
        // the descriptors and would hold a pipe open forever. For the same reason this uses
        // posix_spawn + waitpid rather than Foundation's Process, which waits for descriptors
        // it shares with the child to close.
        let captureURL = workDirectory.appendingPathComponent("tmux-\(UUID().uuidString).out")
        defer { try? FileManager.default.removeItem(at: captureURL) }
        // The server, and so every pane, inherits this environment: a clean one, so nothing of the
        // caller's (HANDLET_USER, NO_COLOR, TERM, XDG_*, a user's keys.toml under HOME) reaches the
        // program. A UTF-8 locale makes tmux keep wide characters in captures.
        var environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
                           "HOME": workDirectory.path, "LC_ALL": "C.UTF-8"]
        if let temporary = ProcessInfo.processInfo.environment["TMPDIR"] { environment["TMPDIR"] = temporary }
        let status = try Self.spawnAndWait(tmuxPath, ["tmux", "-L", socketName] + arguments,
                                           environment: environment, outputPath: captureURL.path)
        let output = (try? String(contentsOf: captureURL, encoding: .utf8)) ?? ""
        guard status == 0 else { throw DriverError.tmuxFailed(arguments: arguments, output: output) }
        return output
    }

    private static func spawnAndWait(_ path: String, _ arguments: [String], environment: [String: String], outputPath: String) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, nil, argv, envp)
        guard result == 0 else { throw DriverError.tmuxFailed(arguments: arguments, output: String(cString: strerror(result))) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS, which Swift cannot import as macros.
        return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }

    // MARK: Input

    /// Presses keys by tmux name: "Down", "PageDown", "Enter", "Escape", "Tab", "BTab", "F1",
    /// "C-c", "M-x", or a single character ("q", "?").
    public func press(_ keys: String...) { press(keys) }
    public func press(_ keys: [String]) {
        for key in keys { _ = try? tmux(["send-keys", "-t", "0", key]) }
    }

    /// Types text literally (no key-name interpretation).
    public func type(_ text: String) { _ = try? tmux(["send-keys", "-t", "0", "-l", text]) }

    /// Pastes `text` as a terminal does: tmux wraps it in ESC[200~ … ESC[201~ when the program
    /// has turned bracketed paste on, and sends it bare otherwise (`paste-buffer -p`).
    public func paste(_ text: String) throws {
        let file = workDirectory.appendingPathComponent("paste-\(UUID().uuidString)")
        try Data(text.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        try tmux(["load-buffer", file.path])
        try tmux(["paste-buffer", "-p", "-d", "-t", "0"])
    }

    // MARK: Reading the screen

    /// The visible screen as text, one line per row (trailing blanks trimmed by tmux).
    /// The pane's title as tmux has it: an OSC 0/2 in the output would change it.
    public func paneTitle() -> String {
        ((try? tmux(["display-message", "-p", "-t", "0", "#{pane_title}"])) ?? "").trimmingCharacters(in: .newlines)
    }
    public func screen() -> String { (try? tmux(["capture-pane", "-p", "-t", "0"])) ?? "" }
    public func screenLines() -> [String] { screen().components(separatedBy: "\n") }

    /// The screen with SGR escape sequences for colours and attributes (`capture-pane -e`).
    public func screenWithAttributes() -> String { (try? tmux(["capture-pane", "-p", "-e", "-t", "0"])) ?? "" }

    /// Waits until the screen contains `text`; returns that screen. Throws with the last
    /// screen on timeout, so a failure shows what was there instead.
    @discardableResult
    public func waitFor(_ text: String, timeout: Duration = .seconds(10)) throws -> String {
        try waitUntil("'\(text)'", timeout: timeout) { $0.contains(text) }
    }

    /// Waits until `text` is no longer on the screen.
    @discardableResult
    public func waitForAbsence(of text: String, timeout: Duration = .seconds(10)) throws -> String {
        try waitUntil("'\(text)' to disappear", timeout: timeout) { !$0.contains(text) }
    }

    /// Polls the screen until `condition` holds.
    @discardableResult
    public func waitUntil(_ description: String, timeout: Duration = .seconds(10), _ condition: (String) -> Bool) throws -> String {
        let deadline = ContinuousClock.now + timeout
        var last = ""
        while true {
            last = screen()
            if condition(last) { return last }
            if ContinuousClock.now >= deadline { throw DriverError.timedOut(waitingFor: description, screen: last) }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    // MARK: Output bytes

    /// Bytes the program has written to its terminal since it started.
    public var bytesWritten: Int {
        ((try? FileManager.default.attributesOfItem(atPath: outputFile.path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    /// Everything the program has written so far, raw.
    public func output() -> Data { (try? Data(contentsOf: outputFile)) ?? Data() }

    /// The output decoded as UTF-8: the place to look for a message printed before exiting
    /// (a refusal on standard error), which may be gone from the screen.
    public func outputText() -> String { String(decoding: output(), as: UTF8.self) }

    /// Waits until the program has written nothing for `quiet` (it has finished reacting).
    public func waitForIdle(quiet: Duration = .milliseconds(150), timeout: Duration = .seconds(10)) throws {
        let deadline = ContinuousClock.now + timeout
        var lastCount = bytesWritten
        var lastChange = ContinuousClock.now
        while ContinuousClock.now - lastChange < quiet {
            if ContinuousClock.now >= deadline { throw DriverError.timedOut(waitingFor: "output to settle", screen: screen()) }
            Thread.sleep(forTimeInterval: 0.01)
            let count = bytesWritten
            if count != lastCount { lastCount = count; lastChange = .now }
        }
    }

    /// Bytes written in reaction to `action` (keys, a resize), measured once output settles.
    public func bytesWritten(quiet: Duration = .milliseconds(150), during action: () throws -> Void) throws -> Int {
        try waitForIdle(quiet: quiet)
        let before = bytesWritten
        try action()
        try waitForIdle(quiet: quiet)
        return bytesWritten - before
    }

    // MARK: Size

    public func resize(width: Int, height: Int) {
        _ = try? tmux(["resize-window", "-t", "0", "-x", "\(width)", "-y", "\(height)"])
        self.width = width
        self.height = height
    }

    // MARK: Process

    /// The program's pid while it runs (nil before it starts).
    public var programPID: Int32? {
        guard let text = try? String(contentsOf: pidFile, encoding: .utf8) else { return nil }
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Sends a signal to the program itself (not to tmux or the wrapper).
    public func send(signal: Int32) {
        if let pid = programPID { kill(pid, signal) }
    }

    /// After Ctrl-Z has suspended the program: brings it back with the shell's `fg`.
    public func resumeFromShell() {
        _ = FileManager.default.createFile(atPath: workDirectory.appendingPathComponent("resume").path, contents: Data())
    }

    /// How the program ended, or nil while it has not (running or stopped).
    public var exitStatusIfEnded: ExitStatus? {
        (try? String(contentsOf: statusFile, encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            .map(ExitStatus.init(rawValue:))
    }

    /// The program's state letter from /proc (R, S, T for stopped, Z), or nil when it is gone.
    public var processState: Character? {
        guard let pid = programPID, let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(after: close)...].first { $0 != " " }
    }

    /// Waits until the program's /proc state is `state` ("T": stopped); throws with the screen after `timeout`.
    public func waitForProcessState(_ state: Character, _ description: String, timeout: Duration = .seconds(10)) throws {
        let deadline = ContinuousClock.now + timeout
        while processState != state {
            if ContinuousClock.now >= deadline { throw DriverError.timedOut(waitingFor: description, screen: screen()) }
            Thread.sleep(forTimeInterval: 0.01)
        }
    }

    /// Waits for the program to end and returns how it ended.
    @discardableResult
    public func waitForExit(timeout: Duration = .seconds(10)) throws -> ExitStatus {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let text = try? String(contentsOf: statusFile, encoding: .utf8),
               let value = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return ExitStatus(rawValue: value)
            }
            if ContinuousClock.now >= deadline { throw DriverError.timedOut(waitingFor: "the program to exit", screen: screen()) }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    /// `stty -a` of the program's terminal, taken right after it ended (call `waitForExit` first).
    public func terminalSettingsAfterExit() -> TerminalSettings? {
        (try? String(contentsOf: sttyFile, encoding: .utf8)).map { TerminalSettings(sttyOutput: $0) }
    }
}

/// Parsed `stty -a` output: which flags are on.
public struct TerminalSettings: CustomStringConvertible {
    public let text: String
    private let words: Set<String>

    public init(sttyOutput: String) {
        text = sttyOutput
        words = Set(sttyOutput.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init))
    }

    /// True when `flag` (say "echo", "icanon", "isig") is set; false for "-flag" or absent.
    public func isOn(_ flag: String) -> Bool { words.contains(flag) }
    /// Echo, canonical input and signals all on: what a shell expects back.
    public var isSane: Bool { isOn("echo") && isOn("icanon") && isOn("isig") }
    public var description: String { text }
}
