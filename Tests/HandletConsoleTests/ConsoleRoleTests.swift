import Foundation
@testable import HandletDomain
@testable import HandletConsole
import TerminalUI
import XCTest

/// Every role × every changing key of the console (hold, release, recording on/off, the
/// retention period): a role the permission table allows gets the dialog or the change; any
/// other gets the domain's one-line refusal in the status bar, and nothing changes.
final class ConsoleRoleTests: ConsoleScreenTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        let owner = fixture.workspace.session(as: try fixture.workspace.localOwner())
        _ = try owner.perform(.addUser(name: "Adam Admin", email: "admin@example.test", role: .admin), at: ConsoleFixture.now)
        _ = try owner.perform(.addUser(name: "Aggie Agent", email: "agent@example.test", role: .agent), at: ConsoleFixture.now)
    }

    private func state() throws -> [String] {
        try fixture.workspace.snapshotRows(of: ["audit_events", "workspace", "recordings"])
    }

    private struct ChangingKey {
        let name: String
        let permission: Permission
        /// Opens the place where the key acts, then presses it.
        let press: (inout ScreenDriver<ConsoleScreen>) -> Void
        /// What an allowed role sees instead of a refusal.
        let allowedShows: String
    }

    private let keys: [ChangingKey] = [
        ChangingKey(name: "H on a recorded call", permission: .legalHold, press: { $0.goTo(.calls); $0.press("open", in: "Calls list"); $0.press("hold", in: "Call detail") },
                    allowedShows: "Reason"),
        ChangingKey(name: "U on a recorded call", permission: .legalHold, press: { $0.goTo(.calls); $0.press("open", in: "Calls list"); $0.press("release", in: "Call detail") },
                    allowedShows: "not on legal hold"),
        ChangingKey(name: "Enter on Recording", permission: .changeRetention, press: { $0.goTo(.retention); $0.press("apply", in: "Retention") },
                    allowedShows: "Turn recording off"),
        ChangingKey(name: "a shorter period", permission: .changeRetention, press: {
                        $0.goTo(.retention)
                        for action in ["next_field", "previous_period", "apply"] { $0.press(action, in: "Retention") }
                    },
                    allowedShows: "Shorten retention to 14 days"),
    ]

    func testEveryRoleAgainstEveryChangingKey() throws {
        var checked = 0
        for email in ["owner@example.test", "admin@example.test", "agent@example.test", "viewer@example.test"] {
            guard case .user(let user) = try fixture.workspace.actor(email: email) else { return XCTFail(email) }
            let role = user.role
            for key in keys {
                var driver = makeDriver(actor: email)
                let before = try state()
                key.press(&driver)
                let label = "\(key.name) as \(role.rawValue)"
                let refusal = PermissionDenied(permission: key.permission, role: role).description
                if role.allows(key.permission) {
                    XCTAssertFalse(driver.text.contains("Only "), "\(label): not refused:\n\(driver.text)")
                    XCTAssertTrue(driver.text.contains(key.allowedShows), "\(label): shows \(key.allowedShows):\n\(driver.text)")
                } else {
                    XCTAssertTrue(driver.grid.lines.last!.contains(refusal), "\(label): the status bar says \(refusal):\n\(driver.grid.lines.last!)")
                    XCTAssertEqual(driver.style(of: "Only ")?.role, .error, label)
                    XCTAssertFalse(driver.text.contains(key.allowedShows), "\(label): no dialog opened")
                }
                // Nothing is changed by the key alone (a dialog waits for its answer).
                driver.press(.escape)
                XCTAssertEqual(try state(), before, "\(label): nothing changed")
                checked += 1
            }
        }
        XCTAssertEqual(checked, 16)
    }
}
