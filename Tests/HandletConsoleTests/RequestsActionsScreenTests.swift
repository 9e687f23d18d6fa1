import Foundation
import GRDB
@testable import HandletDomain
@testable import HandletConsole
import TerminalUI
import XCTest

/// The Requests tab's actions added in session 10 (issue 23): export a person (the domain's
/// preview and question, then the files), record a request from the register or the person view
/// (the domain's due date in the type dialog), and pick or unpick the reviews a person wrote;
/// each at 80x24 and 200x50.
final class RequestsActionsScreenTests: ConsoleScreenTestCase {
    static let name = "Wenna Ostrogoth-Pyle"
    var person: PlantedPerson!

    override func setUpWithError() throws {
        try super.setUpWithError()
        person = try fixture.workspace.plantPerson(name: Self.name, phones: ["+447700900555"], email: "wenna@example.test",
                                                   at: ConsoleFixture.now.addingTimeInterval(-50 * 86_400))
    }

    func owner() throws -> WorkspaceSession {
        fixture.workspace.session(as: try fixture.workspace.actor(email: "owner@example.test"))
    }

    static let sizes = [Size(width: 80, height: 24), Size(width: 200, height: 50)]

    /// The person view of the planted person, opened from the register.
    func personDriver(size: Size, actor email: String = "owner@example.test") -> ScreenDriver<ConsoleScreen> {
        var driver = makeDriver(size: size, actor: email)
        driver.goTo(.requests)
        driver.press("open", in: "Requests")
        return driver
    }

    func testExportShowsTheDomainsPlanThenWritesTheFiles() throws {
        for (index, size) in Self.sizes.enumerated() {
            var driver = personDriver(size: size)
            XCTAssertTrue(driver.text.contains("Held: 3 calls"), driver.text)
            driver.press("export", in: "Person")
            XCTAssertTrue(driver.text.contains("To a new folder"), driver.text)
            // A folder that is not empty: the domain's refusal in the prompt, which stays open.
            let full = fixture.folder.appendingPathComponent("full-\(index)")
            try FileManager.default.createDirectory(at: full, withIntermediateDirectories: true)
            try Data("x".utf8).write(to: full.appendingPathComponent("keep.txt"))
            driver.type(full.path)
            driver.press("save", in: "Text prompt")
            XCTAssertTrue(driver.text.contains("not empty"), driver.text)
            XCTAssertTrue(driver.text.contains("To a new folder"), "the prompt stays open: \(driver.text)")
            driver.press("cancel", in: "Text prompt")

            let target = fixture.folder.appendingPathComponent("wenna-\(index).zip")
            driver.press("export", in: "Person")
            driver.type(target.path)
            driver.press("save", in: "Text prompt")
            XCTAssertTrue(driver.text.contains("Export Wenna"), "the domain's question: \(driver.text)")
            XCTAssertTrue(driver.text.contains("3 recordings"), driver.text)
            XCTAssertFalse(FileManager.default.fileExists(atPath: target.path), "nothing written before yes")
            driver.press("confirm", in: "Confirmation")
            XCTAssertTrue(driver.text.contains("Exported"), driver.text)
            XCTAssertTrue(FileManager.default.fileExists(atPath: target.path))
            XCTAssertEqual(try fixture.workspace.auditActions().last, "dsr.exported")
        }
    }

    func testExportCancelledWritesNothingAndAViewerMayNotExport() throws {
        var driver = personDriver(size: Size(width: 80, height: 24))
        let target = fixture.folder.appendingPathComponent("never.zip")
        driver.press("export", in: "Person")
        driver.type(target.path)
        driver.press("save", in: "Text prompt")
        driver.press("cancel", in: "Confirmation")
        XCTAssertTrue(driver.text.contains("nothing was written"), driver.text)
        XCTAssertFalse(FileManager.default.fileExists(atPath: target.path))

        var tab = makeTab(.requests, actor: "viewer@example.test")
        XCTAssertFalse(tab.open(.dataSubject(contacts: person.contactIDs)), "a viewer may not read what is held")
    }

    func testANewRequestFromThePersonViewAndFromTheRegister() throws {
        for size in Self.sizes {
            var driver = personDriver(size: size)
            let before = try fixture.workspace.session(as: .system).read(.dataSubjectRequests(.all, now: ConsoleFixture.now)).count
            driver.press("new_request", in: "Person")
            XCTAssertTrue(driver.text.contains("Which right?"), driver.text)
            XCTAssertTrue(driver.text.contains("due "), "the domain's due date: \(driver.text)")
            driver.press("next", in: "Question with several answers")
            driver.press("next", in: "Question with several answers")
            driver.press("choose", in: "Question with several answers")
            XCTAssertTrue(driver.text.contains("Recorded request"), driver.text)
            let entries = try fixture.workspace.session(as: .system).read(.dataSubjectRequests(.all, now: ConsoleFixture.now))
            XCTAssertEqual(entries.count, before + 1)
            let newest = try XCTUnwrap(entries.max { $0.id < $1.id })
            XCTAssertEqual(newest.type, .erasure)
            XCTAssertEqual(newest.contactId, person.contactIDs[0])

            // From the register: who first (a number standing for their contact), then the type.
            driver.press("back", in: "Person")
            driver.press("new", in: "Requests")
            XCTAssertTrue(driver.text.contains("Who asked"), driver.text)
            driver.type("Zoe")
            driver.press("save", in: "Text prompt")
            XCTAssertTrue(driver.text.contains("names no contact"), "a name is not a reference: \(driver.text)")
            driver.press("cancel", in: "Text prompt")
            driver.press("new", in: "Requests")
            driver.type("07700 900555")
            driver.press("save", in: "Text prompt")
            XCTAssertTrue(driver.text.contains("from \(Self.name)"), driver.text)
            driver.press("choose", in: "Question with several answers")
            let after = try fixture.workspace.session(as: .system).read(.dataSubjectRequests(.all, now: ConsoleFixture.now))
            XCTAssertEqual(after.count, before + 2)
            XCTAssertEqual(after.max { $0.id < $1.id }?.type, .access)
        }
        XCTAssertEqual(try fixture.workspace.auditActions().last, "dsr.opened")
    }

    func testPickAndUnpickAReviewTheyWrote() throws {
        let review = try fixture.workspace.dbPool.write { db in
            try Review(source: "google", author: "Wenna O.", stars: 5, text: "Lovely tidy engineer",
                       postedAt: ConsoleFixture.now.addingTimeInterval(-3 * 86_400)).inserted(db).id!
        }
        for size in Self.sizes {
            var driver = personDriver(size: size)
            XCTAssertTrue(driver.text.contains("may be theirs") || size.height < 30, driver.text)
            driver.press("pick_review", in: "Person")
            XCTAssertTrue(driver.text.contains("Wenna O."), driver.text)
            driver.press("choose", in: "Question with several answers")
            XCTAssertTrue(driver.text.contains("is held about them now"), driver.text)
            let held = try owner().read(.heldAbout(person.contactIDs))
            XCTAssertTrue(held.reviews.contains { $0.id == review })
            driver.press("pick_review", in: "Person")
            XCTAssertTrue(driver.text.contains("No review that may be theirs"), driver.text)

            driver.press("unpick_review", in: "Person")
            // The held reviews: the whole-name one, then the picked one.
            driver.press("next", in: "Question with several answers")
            driver.press("choose", in: "Question with several answers")
            XCTAssertTrue(driver.text.contains("no longer held"), driver.text)
            XCTAssertFalse(try owner().read(.heldAbout(person.contactIDs)).reviews.contains { $0.id == review })
        }
    }
}
