import Foundation
import HandletDomain

/// The moment commands compute against: `--since 7d` and the day tables, what is due, the
/// purge's cut-off, the demo's anchor day.
///
/// Test hook: `HANDLET_TEST_NOW=SECONDS` (unix time) fixes it, so an end-to-end test gives the
/// binary the same clock as its fixture (a run crossing midnight would otherwise drop a call
/// from "the last 7 days") and two `handlet demo` runs can be compared byte for byte. Unset
/// (always, outside tests) it is the system clock; a malformed value stops the command.
enum CommandClock {
    static var now: Date {
        guard let text = ProcessInfo.processInfo.environment["HANDLET_TEST_NOW"] else { return Date() }
        guard let seconds = Int64(text) else {
            TerminalText.writeError("HANDLET_TEST_NOW must be whole unix seconds, not \(text).")
            exit(ExitClass.usage.rawValue)
        }
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }
}
