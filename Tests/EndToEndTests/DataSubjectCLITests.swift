import Foundation
@testable import HandletDomain
import XCTest
import HandletTestSupport

/// Issue 23: `handlet dsr …` end to end, and erasure killed with SIGKILL at every statement of its
/// transactions (HANDLET_TEST_ERASE_KILL=K:N, the purge's kill hook): after each kill the
/// workspace is sound and the person either whole or erased, and running the same command again
/// finishes the erasure.
final class DataSubjectCLITests: XCTestCase {
    static let name = "Yselda Marrowgate-Quinche"
    static let phones = ["+447700900321", "+447700900654"]
    static let email = "yselda.mq@example.test"
    static let owner = "owner@example.test"

    /// A workspace with one user per role, a few calls, the planted person and a second one.
    private func template(in root: URL) throws -> (folder: URL, person: PlantedPerson, other: PlantedPerson) {
        let fixture = try RolesWorkspace()
        for day in 0..<3 { try fixture.addCall(recordedAt: RolesWorkspace.at(days: Double(day))) }
        let person = try fixture.workspace.plantPerson(name: Self.name, phones: Self.phones, email: Self.email,
                                                       at: RolesWorkspace.at(days: 1), seed: 1)
        let other = try fixture.workspace.plantPerson(name: "Yselda Marrow", phones: ["+447700900987"], email: "ym@example.test",
                                                      at: RolesWorkspace.at(days: 2), seed: 2)
        try fixture.workspace.checkpointAndClose()
        let folder = root.appendingPathComponent("template")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: fixture.folder.appendingPathComponent("workspace.sqlite"),
                                         to: folder.appendingPathComponent("workspace.sqlite"))
        try FileManager.default.copyItem(at: fixture.workspace.audioDirectory, to: folder.appendingPathComponent("workspace-recordings"))
        return (folder, person, other)
    }

    private func root() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("handlet-dsr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        return root
    }

    func testFindShowExportEraseAndTheRegisterThroughTheCLI() throws {
        let root = try root()
        let (folder, person, other) = try template(in: root)
        let db = folder.appendingPathComponent("workspace.sqlite").path
        func dsr(_ arguments: [String], user: String? = DataSubjectCLITests.owner) throws -> HandletBinary.Outcome {
            try HandletBinary.run(["dsr"] + arguments + ["--db", db], environment: ["HANDLET_USER": user ?? ""])
        }

        let help = try HandletBinary.run(["dsr", "--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("USAGE: handlet dsr <subcommand>"), help.stdout)

        // Find: any UK format; a name prefix lists both people.
        let byPhone = try dsr(["find", "07700 900321", "--json"])
        XCTAssertEqual(byPhone.status, 0, byPhone.stderr)
        let found = try JSONSerialization.jsonObject(with: Data(byPhone.stdout.utf8)) as! [[String: Any]]
        XCTAssertEqual(found.map { ($0["id"] as! NSNumber).int64Value }, [person.contactIDs[0].rawValue])
        let byName = try dsr(["find", "yselda"])
        XCTAssertEqual(byName.status, 0, byName.stderr)
        XCTAssertEqual(byName.stdout.split(separator: "\n").count, 4, "three contacts and the hint: \(byName.stdout)")
        XCTAssertEqual(try dsr(["find", "nobody-at-all"]).status, 65)
        XCTAssertEqual(try dsr(["find", "yselda"], user: "agent@example.test").status, 77)

        // Show merges the contacts named by number and email.
        let show = try dsr(["show", Self.phones[0], Self.email, "--json"])
        XCTAssertEqual(show.status, 0, show.stderr)
        let held = try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as! [String: Any]
        XCTAssertEqual((held["contacts"] as! [Any]).count, 2)
        XCTAssertEqual((held["calls"] as! [Any]).count, person.callIDs.count)
        XCTAssertEqual((held["messages"] as! [Any]).count, person.messageIDs.count)
        XCTAssertFalse(show.stdout.contains("Yselda Marrow\""), "nothing of the other person")

        // Export: a folder, its manifest verifies; a non-empty folder is refused with 73.
        let exportFolder = root.appendingPathComponent("export")
        let ids = person.contactIDs.map { String($0.rawValue) }
        // What a killed export left (hidden, with a person's data, named by a process that is gone) goes.
        let leftover = root.appendingPathComponent(".export.partial-2147483000")
        try FileManager.default.createDirectory(at: leftover, withIntermediateDirectories: true)
        let export = try dsr(["export"] + ids + ["--to", exportFolder.path])
        XCTAssertEqual(export.status, 0, export.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: leftover.path), "a dead export's leftover is removed")
        XCTAssertEqual(try DataSubjectExportWriter.verify(folder: exportFolder), [])
        let again = try dsr(["export"] + ids + ["--to", exportFolder.path])
        XCTAssertEqual(again.status, 73, again.stderr)
        XCTAssertTrue(again.stderr.contains("not empty"), again.stderr)

        // Register: open (due one month later), extend once, close.
        let opened = try dsr(["open", "--type", "erasure", "--contact", ids[0], "--received", "2026-01-31", "--json"])
        XCTAssertEqual(opened.status, 0, opened.stderr)
        let entry = try JSONSerialization.jsonObject(with: Data(opened.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(entry["due_at"] as? String, "2026-02-28T00:00:00Z")
        let request = String((entry["id"] as! NSNumber).int64Value)
        XCTAssertEqual(try dsr(["extend", request, "--months", "2", "--reason", "Many recordings"]).status, 0)
        let twice = try dsr(["extend", request, "--months", "1", "--reason", "again"])
        XCTAssertEqual(twice.status, 77, twice.stderr)
        let list = try dsr(["list", "--json"])
        XCTAssertEqual(list.status, 0, list.stderr)
        let entries = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as! [[String: Any]]
        let extended = try XCTUnwrap(entries.first { ($0["id"] as! NSNumber).stringValue == request })
        XCTAssertEqual(extended["due_at"] as? String, "2026-04-29T23:00:00Z", "30 April, London midnight in summer time")
        XCTAssertEqual(extended["first_due_at"] as? String, "2026-02-28T00:00:00Z")

        // Erase: refused for an admin (77), without the typed name and no terminal (64), then done.
        XCTAssertEqual(try dsr(["erase"] + ids + ["--confirm", Self.name], user: "admin@example.test").status, 77)
        XCTAssertEqual(try dsr(["erase"] + ids).status, 64)
        let wrong = try dsr(["erase"] + ids + ["--confirm", "Yselda"])
        XCTAssertEqual(wrong.status, 65, "the wrong name: nothing erased")
        XCTAssertTrue(wrong.stderr.contains("not the person's name or number; nothing was erased"), wrong.stderr)
        let erased = try dsr(["erase"] + ids + ["--confirm", "07700 900654"])
        XCTAssertEqual(erased.status, 0, erased.stderr)
        XCTAssertEqual(try dsr(["find", "07700 900321"]).status, 65)
        let register = try dsr(["list", "--json"])
        XCTAssertTrue(register.stdout.contains("\"status\" : \"completed\""), "the erasure request is answered")
        XCTAssertFalse(register.stdout.contains("Marrowgate"), register.stdout)
        try assertErased(person, other: other, in: folder)
    }

    func testSigkillAtEveryStatementOfTheErasureLeavesThePersonWholeOrErased() throws {
        let root = try root()
        let (template, person, other) = try template(in: root)
        let ids = person.contactIDs.map { String($0.rawValue) }
        var kills = 0
        for step in [0, 1] {
            var statements = 0
            while true {
                let folder = root.appendingPathComponent("s\(step)-n\(statements)")
                try PurgeCrashTests.clone(template, to: folder)
                let db = folder.appendingPathComponent("workspace.sqlite").path
                let command = ["dsr", "erase"] + ids + ["--confirm", Self.name, "--db", db]
                let run = try HandletBinary.run(command, environment: ["HANDLET_USER": Self.owner,
                                                                      "HANDLET_TEST_ERASE_KILL": "\(step):\(statements)"], timeout: 60)
                let label = "kill after \(statements) statements of step \(step)"
                if run.reason == .exit {
                    XCTAssertEqual(run.status, 0, "\(label): \(run.stderr)")
                    try assertErased(person, other: other, in: folder, label)
                    try FileManager.default.removeItem(at: folder)
                    break
                }
                XCTAssertTrue(run.killed, "\(label): ended by \(run.reason) \(run.status)")
                kills += 1
                // Sound, and the person whole (nothing committed) or erased (the rows gone).
                let workspace = try Workspace.open(at: URL(fileURLWithPath: db))
                XCTAssertEqual(try workspace.integrityCheck(), "ok", label)
                let state = try workspace.erasureState(person.contactIDs)
                XCTAssertTrue(state.contacts == 2 || state.contacts == 0, "\(label): \(state.contacts) of 2 contacts left")
                if state.contacts == 2 {
                    XCTAssertEqual(state.pending, 0, label)
                    XCTAssertTrue(person.audioPaths.allSatisfy { workspace.audioFilesOnDisk().contains($0) }, "\(label): audio whole")
                    let held = try workspace.session(as: try workspace.localOwner()).read(.heldAbout(person.contactIDs))
                    XCTAssertEqual(held.messages.count, person.messageIDs.count, label)
                    XCTAssertEqual(held.calls.filter { !$0.call.summary.isEmpty }.count, person.callIDs.count, label)
                } else if step == 0 {
                    XCTAssertEqual(state.pending, 1, "\(label): the erasure is listed as unfinished")
                }
                if step == 1 { XCTAssertEqual(state.contacts, 0, label) }
                try workspace.dbPool.close()
                // The same command again finishes the job.
                let rerun = try HandletBinary.run(command, environment: ["HANDLET_USER": Self.owner], timeout: 60)
                XCTAssertEqual(rerun.status, 0, "\(label), run again: \(rerun.stderr)")
                try assertErased(person, other: other, in: folder, "\(label), run again")
                try FileManager.default.removeItem(at: folder)
                statements += 1
                if statements > 200 { return XCTFail("step \(step): the hook still fired after 200 statements") }
            }
            XCTAssertGreaterThanOrEqual(statements, 3, "step \(step) ran \(statements) statements")
        }
        XCTAssertGreaterThanOrEqual(kills, 30, "SIGKILL trials")
        print("DataSubjectCLITests: \(kills) SIGKILLs during erasure, every one sound and finished by running the command again")
    }

    /// Issue 23, session 12: an erasure running (its lock held, here by the test) is said to be
    /// running, and `--finish` is refused as busy in one line; once it stopped, it is owed.
    func testAnErasureStillRunningIsNotOwedAndFinishWaitsForIt() throws {
        let root = try root()
        let (folder, person, _) = try template(in: root)
        let url = folder.appendingPathComponent("workspace.sqlite")
        let workspace = try Workspace.open(at: url)
        try workspace.dbPool.write { db in try db.execute(sql: "INSERT INTO erasure_pending(erased_at) VALUES (1)") }
        try workspace.checkpointAndClose()
        let lock = try SearchRewriteLock.acquire(beside: url)
        let shown = try HandletBinary.run(["retention", "show", "--db", url.path])
        XCTAssertEqual(shown.status, 0, shown.stderr)
        XCTAssertTrue(shown.stdout.contains("an erasure is running (audio, search and -wal being scrubbed); it finishes by itself"), shown.stdout)
        XCTAssertFalse(shown.stdout.contains("--finish"), shown.stdout)
        for arguments in [["dsr", "erase", "--finish"], ["dsr", "erase", String(person.contactIDs[0].rawValue), "--confirm", Self.name]] {
            let refused = try HandletBinary.run(arguments + ["--db", url.path], environment: ["HANDLET_USER": Self.owner])
            XCTAssertEqual(refused.status, 75, "\(arguments): \(refused.stderr)")
            XCTAssertEqual(refused.stderr.split(separator: "\n").count, 1, refused.stderr)
            XCTAssertTrue(refused.stderr.contains("try again when it finishes"), refused.stderr)
        }
        lock.release()
        let stopped = try HandletBinary.run(["retention", "show", "--db", url.path])
        XCTAssertTrue(stopped.stdout.contains("Search debt:       an erasure stopped before finishing"), stopped.stdout)
        let finished = try HandletBinary.run(["dsr", "erase", "--finish", "--db", url.path], environment: ["HANDLET_USER": Self.owner])
        XCTAssertEqual(finished.status, 0, finished.stderr)
    }

    /// The person gone from every byte of the database file and its -wal, their audio gone, the
    /// other person's audio and rows still there, the file sound and nothing left unfinished.
    private func assertErased(_ person: PlantedPerson, other: PlantedPerson, in folder: URL, _ label: String = "",
                              file: StaticString = #filePath, line: UInt = #line) throws {
        let db = folder.appendingPathComponent("workspace.sqlite")
        let workspace = try Workspace.open(at: db)
        defer { try? workspace.dbPool.close() }
        XCTAssertEqual(try workspace.integrityCheck(), "ok", label, file: file, line: line)
        let state = try workspace.erasureState(person.contactIDs)
        XCTAssertEqual(state.contacts, 0, label, file: file, line: line)
        XCTAssertEqual(state.pending, 0, label, file: file, line: line)
        XCTAssertEqual(state.files, 0, label, file: file, line: line)
        let onDisk = Set(workspace.audioFilesOnDisk())
        XCTAssertTrue(onDisk.isDisjoint(with: person.audioPaths), "\(label): audio left", file: file, line: line)
        XCTAssertTrue(onDisk.isSuperset(of: other.audioPaths), "\(label): the other person's audio", file: file, line: line)
        XCTAssertEqual(try workspace.erasureState(other.contactIDs).contacts, 1, label, file: file, line: line)
        var secrets = [person.name, person.email, "Marrowgate", "marrowgate", "quinche"]
        for phone in person.phones { secrets += [phone, String(phone.dropFirst()), "0" + phone.dropFirst(3)] }
        for suffix in ["", "-wal"] {
            guard let bytes = FileManager.default.contents(atPath: db.path + suffix) else { continue }
            for secret in secrets {
                XCTAssertNil(bytes.range(of: Data(secret.utf8)), "\(label): \(secret) in workspace.sqlite\(suffix)", file: file, line: line)
            }
        }
    }
}
