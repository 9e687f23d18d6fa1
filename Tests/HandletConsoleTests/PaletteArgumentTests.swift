import Foundation
@testable import HandletConsole
@testable import HandletDomain
import TerminalUI
import XCTest

/// Issue 25: palette commands take arguments, declared once by the screen that runs them (the
/// registry): a key's prompt answered (`:hold REASON`, `:release REASON`, `:user add EMAIL`,
/// `:actor TEXT`) with its refusals and questions intact, or a command parsed (`:period 45`,
/// `:recording off`, `:filter outcome=missed`); `:verify` and `:theme NAME` from anywhere.
final class PaletteArgumentTests: ConsoleScreenTestCase {
    private func run(_ text: String, in mode: String, _ driver: inout ScreenDriver<ConsoleScreen>) {
        driver.press("palette", in: mode)
        driver.type(text)
        driver.press("run", in: "Command palette")
    }

    private func holds() throws -> [LegalHold.Held] { try fixture.workspace.session(as: .system).read(.legalHolds) }

    func testHoldAndReleaseTakeTheirReasonAndTheReleaseStillAsks() throws {
        var driver = makeDriver()
        driver.press("palette", in: "Overview")
        driver.type("hold")
        XCTAssertTrue(driver.text.contains("hold REASON — place a legal hold"), "the usage is listed: \(driver.text)")
        driver.press(.escape)
        run("hold Claim 42", in: "Overview", &driver)
        XCTAssertTrue(driver.grid.lines.last!.contains("works where its key does"), "not outside a call: \(driver.grid.lines.last!)")
        XCTAssertTrue(try holds().isEmpty)

        driver.goTo(.calls)
        driver.press("open", in: "Calls list")
        run("hold Insurance claim 42", in: "Call detail", &driver)
        XCTAssertEqual(try holds().map(\.reason), ["Insurance claim 42"])
        XCTAssertTrue(driver.text.contains("Held: Insurance claim 42"), driver.text)

        run("release Claim settled", in: "Call detail", &driver)
        XCTAssertTrue(driver.text.contains("Reason: Claim"), "the question is still asked: \(driver.text)")
        XCTAssertFalse(try holds().isEmpty)
        driver.press("confirm", in: "Confirmation")
        XCTAssertTrue(try holds().isEmpty)

        var viewer = makeDriver(actor: "viewer@example.test")
        viewer.goTo(.calls)
        viewer.press("open", in: "Calls list")
        run("hold Mine", in: "Call detail", &viewer)
        XCTAssertTrue(viewer.grid.lines.last!.contains("owner or admin"), "the key's refusal: \(viewer.grid.lines.last!)")
        XCTAssertTrue(try holds().isEmpty)
    }

    func testPeriodAndRecordingAreRetentionsCommands() throws {
        var driver = makeDriver()
        run("period 45", in: "Overview", &driver)
        XCTAssertEqual(driver.screen.currentTab.title, "Retention")
        XCTAssertEqual(try fixture.workspace.session(as: .system).read(.settings).retentionDays, 45)
        run("period 7", in: "Retention", &driver)
        XCTAssertTrue(driver.text.contains("Shorten retention to 7 days"), "a shortening still asks: \(driver.text)")
        driver.press("cancel", in: "Confirmation")
        XCTAssertEqual(try fixture.workspace.session(as: .system).read(.settings).retentionDays, 45)
        run("period 45x", in: "Retention", &driver)
        // One message saying why (the status bar wraps a long one onto the line above it).
        let flash = driver.grid.lines.suffix(2).joined(separator: " ")
        XCTAssertTrue(flash.contains("45x"), "one message saying why: \(flash)")
        run("recording off", in: "Retention", &driver)
        XCTAssertTrue(driver.text.contains("Turn recording off"), "its question: \(driver.text)")
        driver.press(.escape)
        run("recording maybe", in: "Retention", &driver)
        XCTAssertTrue(driver.grid.lines.last!.contains("say on or off"), driver.grid.lines.last!)
    }

    func testUserAddTakesTheEmailThenAsksTheRest() throws {
        var driver = makeDriver()
        run("user add jo@example.test", in: "Overview", &driver)
        XCTAssertTrue(driver.grid.lines.last!.contains("works where its key does"), driver.grid.lines.last!)
        driver.goTo(.users)
        run("user add jo@example.test", in: "Users", &driver)
        XCTAssertTrue(driver.text.contains("Add jo@example.test"), "the email answered, the name asked next: \(driver.text)")
    }

    func testFilterActorVerifyAndTheme() throws {
        var driver = makeDriver(size: Size(width: 200, height: 50))
        run("filter outcome=missed", in: "Overview", &driver)
        XCTAssertEqual(driver.screen.currentTab.title, "Calls")
        XCTAssertTrue(driver.text.contains("Missed"), driver.text)
        XCTAssertFalse(driver.text.contains("Booked job"), "only missed calls: \(driver.text)")
        run("filter colour=red", in: "Calls list", &driver)
        XCTAssertTrue(driver.grid.lines.last!.contains("colour is not a call filter"), driver.grid.lines.last!)

        run("verify", in: "Calls list", &driver)
        XCTAssertEqual(driver.screen.currentTab.title, "Audit")
        driver.settle { $0.lines.joined().contains("Audit log intact") }
        run("actor oliv", in: "Audit log", &driver)
        XCTAssertTrue(driver.text.contains("actor: oliv"), driver.text)

        run("theme light", in: "Audit log", &driver)
        XCTAssertTrue(driver.grid.lines.last!.contains("Theme: light"), driver.grid.lines.last!)
        XCTAssertEqual(driver.app.theme, try Theme.load("light"))
        run("theme nosuch", in: "Audit log", &driver)
        XCTAssertTrue(driver.grid.lines.last!.contains("unknown theme"), driver.grid.lines.last!)
    }
}
