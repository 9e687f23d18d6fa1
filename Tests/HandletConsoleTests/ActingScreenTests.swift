import Foundation
@testable import HandletConsole
@testable import HandletDomain
import TerminalUI
import XCTest

/// Issue 25, "Acting": releasing a hold asks why and confirms, the hold's history on the call,
/// holds acted on from Retention, playing and saving a recording, disabling asks, the role
/// dialog offers only what may be given, last active, audit targets, the actor filter and a
/// verify that says when it was computed and goes stale. Each at 80x24 and 200x50 where it draws.
final class ActingScreenTests: ConsoleScreenTestCase {
    private static let sizes = [Size(width: 80, height: 24), Size(width: 200, height: 50)]

    private func reason(_ name: String, _ driver: ScreenDriver<ConsoleScreen>) -> String? {
        driver.screen.currentTab.helpEntries.first { $0.name == name }?.disabledReason
    }

    private func holdFirstCall(reason: String = "Insurance claim 42") throws {
        let owner = fixture.workspace.session(as: try fixture.workspace.actor(email: "owner@example.test"))
        try owner.perform(.placeLegalHold(onCall: try owner.read(.callID(named: "CALL-0")), reason: reason), at: ConsoleFixture.now)
    }

    // MARK: Point 1: releasing a hold

    func testReleasingAHoldAsksWhyThenConfirmsAndTheCallShowsTheHistory() throws {
        try holdFirstCall()
        for size in Self.sizes {
            var driver = makeDriver(size: size)
            driver.goTo(.calls)
            driver.press("open", in: "Calls list")
            XCTAssertTrue(driver.text.contains("Held by"), "who placed the hold, and when: \(driver.text)")
            XCTAssertTrue(driver.text.contains("owner@example.test"), driver.text)
            driver.press("release", in: "Call detail")
            XCTAssertTrue(driver.text.contains("Release the legal hold on CALL-0"), driver.text)
            driver.press("save", in: "Text prompt")
            XCTAssertTrue(driver.text.contains("needs a reason"), "a blank reason is refused: \(driver.text)")
            driver.type("Claim settled")
            driver.press("save", in: "Text prompt")
            XCTAssertTrue(driver.text.contains("expires again"), "the domain's question: \(driver.text)")
            XCTAssertTrue(driver.text.contains("Reason: Claim"), "the reason beside it: \(driver.text)")
            if size.width == 80 {
                driver.press("cancel", in: "Confirmation")
                XCTAssertTrue(driver.grid.lines.last!.contains("Not released"), driver.grid.lines.last!)
                XCTAssertFalse(try fixture.workspace.session(as: .system).read(.legalHolds).isEmpty, "no means nothing changed")
                continue
            }
            driver.press("confirm", in: "Confirmation")
            XCTAssertTrue(driver.grid.lines.last!.contains("Legal hold released on CALL-0"), driver.grid.lines.last!)
            XCTAssertTrue(try fixture.workspace.session(as: .system).read(.legalHolds).isEmpty)
            XCTAssertTrue(driver.text.contains("Past hold"), driver.text)
            XCTAssertTrue(driver.text.contains("Claim settled"), "the release's reason in the history: \(driver.text)")
        }
        let released = try fixture.workspace.dbPool.read { db in
            try AuditEvent.filter(sql: "action = ?", arguments: [AuditAction.legalHoldReleased.rawValue]).fetchAll(db)
        }
        XCTAssertEqual(released.count, 1)
        XCTAssertTrue(released[0].details.contains("\"with_reason\":true"), released[0].details)
    }

    func testHoldKeysOnACallWithNoRecordingAreDimmedAndSaySoAtOnce() throws {
        var driver = makeDriver()
        driver.goTo(.calls)
        driver.press(.down)
        driver.press("open", in: "Calls list")
        XCTAssertTrue(driver.text.contains("CALL-1"), driver.text)
        for name in ["hold", "release"] {
            XCTAssertEqual(reason(name, driver).map { $0.contains("has no recording") }, true, "\(name): \(reason(name, driver) ?? "nil")")
        }
        driver.press("hold", in: "Call detail")
        XCTAssertFalse(driver.text.contains("Legal hold on CALL-1"), "no prompt opens")
        XCTAssertTrue(driver.grid.lines.last!.contains("has no recording"), driver.grid.lines.last!)
        driver.press("help", in: "Call detail")
        XCTAssertTrue(driver.text.contains("has no recording"), "help dims the key with the reason: \(driver.text)")
    }

    func testHoldRowsInRetentionCanBeSelectedOpenedAndReleased() throws {
        try holdFirstCall()
        for size in Self.sizes {
            var driver = makeDriver(size: size)
            driver.goTo(.retention)
            driver.press("next_field", in: "Retention")
            driver.press("next_field", in: "Retention")
            XCTAssertEqual(driver.screen.currentTab.helpEntries.first { $0.name == "release" }?.description,
                           "Release the hold (asks why, then confirms)", "the holds' keys are live")
            XCTAssertEqual(driver.style(of: "CALL-0")?.role, Style.selection.role, "the hold row is selected: \(driver.text)")
            if size.width == 80 {
                driver.press("open", in: "Retention: legal holds")
                XCTAssertTrue(driver.text.contains("Legal hold") && driver.text.contains("Transcript"), "the held call opened: \(driver.text)")
                continue
            }
            driver.press("release", in: "Retention: legal holds")
            driver.type("Claim settled")
            driver.press("save", in: "Text prompt")
            driver.press("confirm", in: "Confirmation")
            XCTAssertTrue(driver.grid.lines.last!.contains("Legal hold released on CALL-0"), driver.grid.lines.last!)
            XCTAssertTrue(driver.text.contains("On legal hold (0)"), driver.text)
        }
    }

    // MARK: Point 2: playing and saving

    private func driver(player: Result<RecordingPlayer, RecordingAccessError>, actor email: String = "owner@example.test",
                        size: Size = Size(width: 110, height: 32)) throws -> ScreenDriver<ConsoleScreen> {
        let fixture = self.fixture!
        let actor = try fixture.workspace.actor(email: email)
        var driver = ScreenDriver(size: size) { mailbox in
            ConsoleScreen(context: ConsoleContext(session: fixture.workspace.session(as: actor), now: { ConsoleFixture.now },
                                                  post: { mailbox.post($0) }, player: player))
        }
        driver.press()
        driver.goTo(.calls)
        driver.press("open", in: "Calls list")
        return driver
    }

    func testPlayingRunsThePlayerInTheBackgroundAndTheSameKeyStopsIt() throws {
        let script = fixture.folder.appendingPathComponent("player.sh")
        let heard = fixture.folder.appendingPathComponent("heard.txt")
        try "#!/bin/sh\necho \"$@\" > '\(heard.path)'\nexec sleep 30\n".write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        var driver = try driver(player: .success(RecordingPlayer(path: script.path, arguments: ["--quiet"])))
        XCTAssertNil(reason("play", driver))
        driver.press("play", in: "Call detail")
        XCTAssertTrue(driver.grid.lines.last!.contains("Playing CALL-0"), driver.grid.lines.last!)
        XCTAssertTrue(driver.text.contains("Transcript"), "the call stays on screen while it plays")
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: heard.path) && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        let arguments = try String(contentsOf: heard, encoding: .utf8)
        XCTAssertTrue(arguments.hasPrefix("--quiet ") && arguments.contains("call-0.wav"), arguments)
        driver.press("play", in: "Call detail")
        XCTAssertTrue(driver.grid.lines.last!.contains("Stopped playing CALL-0"), driver.grid.lines.last!)
        let played = try fixture.workspace.dbPool.read { db in
            try AuditEvent.filter(sql: "action = ?", arguments: [AuditAction.recordingPlayed.rawValue]).fetchCount(db)
        }
        XCTAssertEqual(played, 1)
    }

    func testPlayingIsNotOfferedOverSSHAndAViewerMayNeitherPlayNorSave() throws {
        var overSSH = try driver(player: RecordingPlayer.choose(environment: ["SSH_TTY": "/dev/pts/3", "PATH": "/usr/bin:/bin"]))
        XCTAssertEqual(reason("play", overSSH).map { $0.contains("SSH") }, true, reason("play", overSSH) ?? "nil")
        XCTAssertNil(reason("save", overSSH), "saving is still offered over SSH")
        overSSH.press("play", in: "Call detail")
        // A long flash wraps onto the line above the status bar's last.
        let flash = overSSH.grid.lines.suffix(2).joined(separator: " ")
        XCTAssertTrue(flash.contains("not offered over SSH"), flash)

        var viewer = try driver(player: .success(RecordingPlayer(path: "/bin/true", arguments: [])), actor: "viewer@example.test")
        for name in ["play", "save"] {
            XCTAssertEqual(reason(name, viewer).map { $0.contains("owner, admin or agent") }, true, "\(name): \(reason(name, viewer) ?? "nil")")
        }
        viewer.press("save", in: "Call detail")
        XCTAssertFalse(viewer.text.contains("Save the recording"), "no prompt for a viewer")
    }

    func testSavingWritesTheRecordingAndNeverOverwrites() throws {
        for size in Self.sizes {
            var driver = try driver(player: .success(RecordingPlayer(path: "/bin/true", arguments: [])), size: size)
            let out = fixture.folder.appendingPathComponent("saved-\(size.width).wav")
            for attempt in 0..<2 {
                driver.press("save", in: "Call detail")
                XCTAssertTrue(driver.text.contains("Save the recording of CALL-0"), driver.text)
                for _ in 0..<300 { driver.press(.backspace) }
                driver.type(out.path)
                driver.press("save", in: "Text prompt")
                if attempt == 0 {
                    let flash = driver.grid.lines.suffix(2).joined(separator: " ")
                    XCTAssertTrue(flash.contains("Saved the recording of CALL-0"), flash)
                } else {
                    XCTAssertTrue(driver.text.contains("Already exists"), "never overwritten: \(driver.text)")
                    driver.press("cancel", in: "Text prompt")
                }
            }
            let original = try Data(contentsOf: fixture.workspace.audioDirectory.appendingPathComponent("call-0.wav"))
            XCTAssertEqual(try Data(contentsOf: out), original)
        }
    }

    // MARK: Point 4: users

    private func addAdmin() throws {
        let owner = fixture.workspace.session(as: try fixture.workspace.actor(email: "owner@example.test"))
        try owner.perform(.addUser(name: "Adam Admin", email: "admin@example.test", role: .admin), at: ConsoleFixture.now)
    }

    func testDisablingAUserAsksFirst() throws {
        for size in Self.sizes {
            var driver = makeDriver(size: size)
            driver.goTo(.users)
            driver.press(.down)
            driver.press("disable", in: "Users")
            XCTAssertTrue(driver.text.contains("Disable viewer@example.test"), driver.text)
            if size.width == 80 {
                driver.press("cancel", in: "Confirmation")
                XCTAssertTrue(driver.grid.lines.last!.contains("Not disabled"), driver.grid.lines.last!)
                XCTAssertFalse(try fixture.workspace.session(as: .system).read(.users).first { $0.email == "viewer@example.test" }!.disabled)
                continue
            }
            driver.press("confirm", in: "Confirmation")
            XCTAssertTrue(driver.grid.lines.last!.contains("viewer@example.test is disabled"), driver.grid.lines.last!)
            XCTAssertTrue(try fixture.workspace.session(as: .system).read(.users).first { $0.email == "viewer@example.test" }!.disabled)
        }
    }

    func testTheRoleDialogOffersOnlyRolesTheActingUserMayGiveAndSaysWhatEachMayDo() throws {
        try addAdmin()
        var admin = makeDriver(size: Size(width: 80, height: 24), actor: "admin@example.test")
        admin.goTo(.users)
        admin.press("bottom", in: "Users")
        admin.press("role", in: "Users")
        XCTAssertTrue(admin.text.contains("Role of viewer@example.test"), admin.text)
        XCTAssertFalse(admin.text.contains("owner —"), "an admin is offered no owner: \(admin.text)")
        XCTAssertTrue(admin.text.contains("admin —") && admin.text.contains("agent —") && admin.text.contains("viewer —"), admin.text)
        XCTAssertTrue(admin.text.contains(HandletDomain.Role.viewer.mayDo.prefix(20)), "what the role may do, in one line: \(admin.text)")

        var owner = makeDriver(size: Size(width: 200, height: 50))
        owner.goTo(.users)
        owner.press("bottom", in: "Users")
        owner.press("role", in: "Users")
        XCTAssertTrue(owner.text.contains("owner — " + HandletDomain.Role.owner.mayDo), owner.text)
    }

    func testUsersShowWhenEachWasLastActive() throws {
        let viewer = fixture.workspace.session(as: try fixture.workspace.actor(email: "viewer@example.test"))
        try viewer.perform(.consoleSessionStarted(session: "s1", clientAddress: nil), at: ConsoleFixture.now.addingTimeInterval(-3 * 86_400))
        let clock = BrowseClock(now: ConsoleFixture.now, timeZone: TimeZone(identifier: "Europe/London")!)
        for size in Self.sizes {
            var driver = makeDriver(size: size)
            driver.goTo(.users)
            XCTAssertTrue(driver.text.contains("Last active"), driver.text)
            let shown = DisplayText.shortTime(ConsoleFixture.now.addingTimeInterval(-3 * 86_400), clock: clock)
            XCTAssertEqual(driver.grid.lines.first { $0.contains("viewer@example.test") }.map { $0.contains(shown) }, true,
                           "the viewer's last session, \(shown): \(driver.text)")
        }
    }

    // MARK: Point 5: audit

    func testAnAuditEventsTargetOpensWhatItNames() throws {
        try holdFirstCall()
        var driver = makeDriver()
        driver.goTo(.audit)
        driver.press("open", in: "Audit log")
        XCTAssertTrue(driver.text.contains("call:1"), driver.text)
        driver.press("open_target", in: "Audit event")
        XCTAssertTrue(driver.text.contains("CALL-0") && driver.text.contains("Transcript"), "the call opened: \(driver.text)")

        try addAdmin()
        var users = makeDriver()
        users.goTo(.audit)
        users.press("open", in: "Audit log")
        XCTAssertTrue(users.text.contains("user.added"), users.text)
        users.press("open_target", in: "Audit event")
        XCTAssertEqual(users.screen.currentTab.title, "Users")
        XCTAssertEqual(users.style(of: "admin@example.test")?.role, Style.selection.role, "the user is selected: \(users.text)")
    }

    func testTheActorFilterMatchesPartOfANameOrEmail() throws {
        try holdFirstCall()
        var driver = makeDriver()
        driver.goTo(.audit)
        driver.press("actor", in: "Audit log")
        driver.type("OLIV")
        driver.press("save", in: "Text prompt")
        XCTAssertTrue(driver.text.contains("recording.hold_placed"), "Olivia Owner's events: \(driver.text)")
        XCTAssertFalse(driver.text.contains("No audit events match"), driver.text)
    }

    func testTheVerifyBannerSaysWhenAndGoesStaleWhenEventsArrive() throws {
        for size in Self.sizes {
            var driver = makeDriver(size: size)
            driver.goTo(.audit)
            driver.press("verify", in: "Audit log")
            driver.settle { $0.lines.joined().contains("Audit log intact") }
            XCTAssertTrue(driver.text.contains("verified"), "when it was computed: \(driver.text)")
            XCTAssertFalse(driver.text.contains("Stale"))
            let owner = fixture.workspace.session(as: try fixture.workspace.actor(email: "owner@example.test"))
            try owner.perform(.addUser(name: "New \(size.width)", email: "new\(size.width)@example.test", role: .viewer), at: ConsoleFixture.now)
            driver.goTo(.calls)
            driver.goTo(.audit)
            XCTAssertTrue(driver.text.contains("Stale"), "new events make it stale: \(driver.text)")
            XCTAssertTrue(driver.text.contains("1 newer event"), driver.text)
            XCTAssertEqual(driver.style(of: "Stale")?.role, .warning)
        }
    }
}
