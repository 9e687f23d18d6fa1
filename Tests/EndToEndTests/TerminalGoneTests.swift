import Foundation
import XCTest

/// When the terminal disappears (an SSH connection drops, tmux is killed), the program must end,
/// not spin on a dead descriptor.
final class TerminalGoneTests: XCTestCase {
    /// With SIGHUP blocked (as when the hang-up goes to another process group, or a wrapper blocks
    /// it) the signal handler never runs: only the read loop's dead-descriptor check can end the
    /// program, and it must end by itself with a clean exit, not be killed by the pending signal.
    func testProgramEndsWhenItsTerminalDisappearsEvenWithHangupBlocked() throws {
        try TerminalDriver.skipUnlessAvailable()
        let terminal = try TerminalDriver(executable: try TerminalDriver.product("handlet-gallery"), width: 100, height: 30,
                                          blockHangup: true)
        defer { terminal.close() }
        _ = try terminal.waitFor("handlet-gallery")
        let pid = try XCTUnwrap(terminal.programPID)
        let blocked = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
            .split(separator: "\n").first { $0.hasPrefix("SigBlk:") }.map { $0.split(separator: "\t").last.map(String.init) ?? "" }
        let mask = try XCTUnwrap(blocked.flatMap { UInt64($0, radix: 16) })
        XCTAssertNotEqual(mask & (1 << (UInt64(SIGHUP) - 1)), 0, "the gallery must run with SIGHUP blocked for this test to mean anything")

        terminal.killTerminal()
        XCTAssertTrue(Self.waitUntilGone(pid), "process \(pid) still running 10 s after its terminal went away")
    }

    /// The usual case: the hang-up signal's handler ends the program.
    func testProgramEndsOnHangup() throws {
        try TerminalDriver.skipUnlessAvailable()
        let terminal = try TerminalDriver(executable: try TerminalDriver.product("handlet-gallery"), width: 100, height: 30)
        defer { terminal.close() }
        _ = try terminal.waitFor("handlet-gallery")
        let pid = try XCTUnwrap(terminal.programPID)
        terminal.killTerminal()
        XCTAssertTrue(Self.waitUntilGone(pid), "process \(pid) still running 10 s after its terminal went away")
    }

    /// Polls until `pid` has ended (gone, or a zombie nobody reaped yet); false after 10 s.
    private static func waitUntilGone(_ pid: Int32) -> Bool {
        let deadline = Date().addingTimeInterval(10)
        while kill(pid, 0) == 0 && !isZombie(pid) {
            if Date() >= deadline { return false }
            usleep(10_000)
        }
        return true
    }

    private static func isZombie(_ pid: Int32) -> Bool {
        ((try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? "").contains(") Z ")
    }
}
