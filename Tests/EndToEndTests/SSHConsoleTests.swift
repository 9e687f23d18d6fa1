import Foundation
import XCTest
import HandletTestSupport

/// The console served by a real OpenSSH `sshd` (its own, on 127.0.0.1, with its own config, host
/// key and `authorized_keys` in a temporary folder) and reached with a real `ssh -tt` in tmux.
/// Skipped where sshd is not installed, except under CI (`CI` set), where that is a failure.
final class SSHConsoleTests: XCTestCase {
    private static let sshdPath = "/usr/sbin/sshd"
    private static let viewer = "viewer@kestrelhomeservices.co.uk"
    private static let owner = "owner@kestrelhomeservices.co.uk"

    private var folder: URL!
    /// Started with posix_spawn, not Foundation's Process: Process reaps its children one at a
    /// time with a blocking wait, so a long-lived sshd would keep every later child unreaped.
    private var sshd: pid_t?
    private var port = 0
    private var database: String { folder.appendingPathComponent("demo.sqlite").path }
    private var pinnedKey: String { folder.appendingPathComponent("pinned_key").path }
    private var unpinnedKey: String { folder.appendingPathComponent("unpinned_key").path }

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.sshdPath) else {
            if ProcessInfo.processInfo.environment["CI"].map({ !$0.isEmpty }) == true {
                throw SSHTestFailure(message: "\(Self.sshdPath) is missing under CI: .ci/run installs openssh-server")
            }
            throw XCTSkip("openssh-server is not installed (no \(Self.sshdPath)); the SSH end-to-end test needs it")
        }
        try TerminalDriver.skipUnlessAvailable()
        // Short: sshd and ssh put socket paths under it.
        folder = URL(fileURLWithPath: "/tmp/hl-ssh-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let made = try HandletBinary.run(["demo", "--calls", "60", "--messages", "120", "--seed", "7", "--db", database])
        XCTAssertEqual(made.status, 0, made.stderr)
        try startSSHD()
    }

    override func tearDown() {
        if let sshd {
            kill(sshd, SIGTERM)
            var status: Int32 = 0
            waitpid(sshd, &status, 0)
        }
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    // MARK: The tests

    func testAPinnedKeyGetsThatUserAndRoleAndHangingUpEndsTheSessionAndIsAudited() throws {
        let terminal = try connect(key: pinnedKey)
        var closed = false
        defer { if !closed { terminal.close() } }
        let first = try terminal.waitFor("Helen Okafor (viewer)", timeout: .seconds(20))
        XCTAssertFalse(first.contains("fallback"), first)

        // A viewer cannot change retention: the tab says so, and trying names the role needed.
        terminal.press("5")
        let retention = try terminal.waitFor("read only")
        XCTAssertTrue(retention.contains("Retention") || retention.contains("retention"), retention)
        terminal.press("Down", "Left", "Enter")
        let refused = try terminal.waitUntil("the refusal") { $0.contains("owner or admin") }
        XCTAssertTrue(refused.contains("viewer"), refused)
        XCTAssertFalse(try auditEvents().contains { ($0["action"] as? String ?? "").hasPrefix("retention.") }, "nothing changed")

        // Ctrl-Z under a forced command: no shell to return to, so it is ignored and says so.
        terminal.press("C-z")
        _ = try terminal.waitFor("Suspend is off")

        let console = try XCTUnwrap(handletProcess(), "the handlet started by sshd")
        // The connection drops: the ssh client is killed outright (as a closed laptop lid or a
        // dead network would end it), then its terminal goes too. (The driver's wrapper shell
        // traps SIGHUP, so closing tmux alone would leave ssh waiting on the remote side.)
        let client = try XCTUnwrap(terminal.programPID, "the ssh client")
        kill(client, SIGKILL)
        terminal.close()
        closed = true
        let deadline = Date().addingTimeInterval(5)
        while kill(console, 0) == 0 && Date() < deadline { usleep(50_000) }
        XCTAssertNotEqual(kill(console, 0), 0, "handlet \(console) still running after the connection closed")
        if kill(console, 0) == 0 { kill(console, SIGKILL) }

        let events = try auditEvents()
        let started = try XCTUnwrap(events.first { $0["action"] as? String == "console.session_started" }, "\(events)")
        let ended = try XCTUnwrap(events.first { $0["action"] as? String == "console.session_ended" }, "\(events)")
        XCTAssertEqual(started["actor"] as? String, Self.viewer)
        XCTAssertEqual(ended["actor"] as? String, Self.viewer)
        XCTAssertEqual(ended["target"] as? String, started["target"] as? String, "the same session")
        let startDetails = try XCTUnwrap(started["details"] as? [String: Any], "\(started)")
        let endDetails = try XCTUnwrap(ended["details"] as? [String: Any], "\(ended)")
        XCTAssertEqual(startDetails["transport"] as? String, "ssh")
        XCTAssertEqual(startDetails["client_address"] as? String, "127.0.0.1")
        XCTAssertTrue(["hangup", "terminal_gone"].contains(endDetails["reason"] as? String ?? ""), "\(endDetails)")
        let verified = try HandletBinary.run(["audit", "verify", "--db", database])
        XCTAssertEqual(verified.status, 0, verified.stdout + verified.stderr)
    }

    func testAKeyPinnedToNoUserIsRefusedWithHowToPinIt() throws {
        let before = try auditEvents().count
        let terminal = try connect(key: unpinnedKey)
        defer { terminal.close() }
        let status = try terminal.waitForExit(timeout: .seconds(20))
        let output = terminal.outputText()
        XCTAssertTrue(output.contains("pin this key to a user"), output)
        XCTAssertTrue(output.contains("command=\"handlet --user EMAIL --db PATH\""), output)
        XCTAssertEqual(status.exitCode, 77, "ssh passes on the console's status: \(output)")
        XCTAssertEqual(try auditEvents().count, before, "refused before anything opened")
    }

    // MARK: sshd

    private func run(_ path: String, _ arguments: [String]) throws -> Int32 {
        try ChildProcess.run(URL(fileURLWithPath: path), arguments).status
    }

    private static func freePort() throws -> Int {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, length) == 0 && getsockname(socketFD, $0, &length) == 0 }
        }
        guard bound else { throw XCTSkip("cannot bind a port on 127.0.0.1") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func accepts(port: Int) -> Bool {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    private func startSSHD() throws {
        let hostKey = folder.appendingPathComponent("host_key").path
        for key in [hostKey, pinnedKey, unpinnedKey] {
            XCTAssertEqual(try run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", key]), 0)
        }
        let handlet = HandletBinary.url.standardizedFileURL.path
        let pinned = try String(contentsOfFile: pinnedKey + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let unpinned = try String(contentsOfFile: unpinnedKey + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let authorized = folder.appendingPathComponent("authorized_keys").path
        try """
        restrict,pty,command="\(handlet) --user \(Self.viewer) --db \(database)" \(pinned)
        restrict,pty,command="\(handlet) --db \(database)" \(unpinned)

        """.write(toFile: authorized, atomically: true, encoding: .utf8)

        // sshd running as root insists on its privilege-separation directory (normally made by
        // its service unit); it is an empty directory, created only when missing.
        if getuid() == 0 && !FileManager.default.fileExists(atPath: "/run/sshd") {
            try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o755])
        }
        port = try Self.freePort()
        let config = folder.appendingPathComponent("sshd_config").path
        try """
        Port \(port)
        ListenAddress 127.0.0.1
        HostKey \(hostKey)
        PidFile \(folder.appendingPathComponent("sshd.pid").path)
        AuthorizedKeysFile \(authorized)
        StrictModes no
        UsePAM no
        PermitRootLogin prohibit-password
        PubkeyAuthentication yes
        PasswordAuthentication no
        KbdInteractiveAuthentication no
        AllowTcpForwarding no
        X11Forwarding no
        PrintMotd no
        LogLevel VERBOSE

        """.write(toFile: config, atomically: true, encoding: .utf8)
        let log = folder.appendingPathComponent("sshd.log").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let arguments: [String] = [Self.sshdPath, "-D", "-f", config, "-e"]
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, Self.sshdPath, &actions, nil, argv, environ) == 0 else {
            throw SSHTestFailure(message: "could not start \(Self.sshdPath)")
        }
        sshd = pid
        let deadline = Date().addingTimeInterval(10)
        while !Self.accepts(port: port) {
            var status: Int32 = 0
            let exited = waitpid(pid, &status, WNOHANG) == pid
            guard !exited, Date() < deadline else {
                if exited { sshd = nil }
                let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                throw SSHTestFailure(message: "sshd did not start: \(text)")
            }
            usleep(50_000)
        }
    }

    private func connect(key: String) throws -> TerminalDriver {
        try TerminalDriver(executable: URL(fileURLWithPath: "/usr/bin/ssh"),
                           arguments: ["-tt", "-p", "\(port)", "-i", key, "-F", "/dev/null",
                                       "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                                       "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "LogLevel=ERROR",
                                       "127.0.0.1"],
                           width: 120, height: 40)
    }

    // MARK: Reading back

    /// The handlet process sshd started for this test's workspace (found by its command line).
    private func handletProcess() -> Int32? {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = Int32(entry),
                  let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { continue }
            let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            if arguments.contains(database) && arguments.contains("--user") && !arguments.contains("audit") { return pid }
        }
        return nil
    }

    private func auditEvents() throws -> [[String: Any]] {
        let listed = try HandletBinary.run(["audit", "list", "--json", "--db", database, "--user", Self.owner])
        XCTAssertEqual(listed.status, 0, listed.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]], listed.stdout)
    }
}

struct SSHTestFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
