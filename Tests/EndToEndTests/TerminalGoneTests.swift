import Foundation
import XCTest

/// When the terminal disappears (an SSH connection drops, tmux is killed), the program must end,
/// not spin on a dead descriptor.
final class TerminalGoneTests: XCTestCase {
    func testProgramEndsWhenItsTerminalDisappears() throws {
        try TerminalDriver.skipUnlessAvailable()
        let terminal = try TerminalDriver(executable: try TerminalDriver.product("handlet-gallery"), width: 100, height: 30)
        _ = try terminal.waitFor("handlet-gallery")
        let pid = try XCTUnwrap(terminal.programPID)
        terminal.close()
        let deadline = Date().addingTimeInterval(5)
        while kill(pid, 0) == 0 && Date() < deadline { usleep(50_000) }
        XCTAssertNotEqual(kill(pid, 0), 0, "process \(pid) still running after its terminal went away")
        if kill(pid, 0) == 0 { kill(pid, SIGKILL) }
    }
}
