import Foundation
import GRDB
@testable import HandletDomain
import XCTest
import HandletTestSupport

/// Issue 23, data-subject requests: the register and its due dates, finding a person, everything
/// held about them, the person commands, the export and the erasure that leaves no trace.
final class DataSubjectTests: XCTestCase {
    private static let planted = "Zoë Quillfeather-Brannagh"
    private static let plantedPhones = ["+447700900123", "+447700900456"]
    private static let plantedEmail = "zqb.quillfeather@example.test"
    /// A second person with a similar name and a number of the same format.
    private static let similar = "Zoe Quillfeathers"

    private func workspace() throws -> (RolesWorkspace, PlantedPerson, PlantedPerson) {
        let fixture = try RolesWorkspace()
        for day in 0..<3 { try fixture.addCall(recordedAt: RolesWorkspace.at(days: Double(day))) }
        let person = try fixture.workspace.plantPerson(name: Self.planted, phones: Self.plantedPhones, email: Self.plantedEmail,
                                                       at: RolesWorkspace.at(days: 1), seed: 1)
        let other = try fixture.workspace.plantPerson(name: Self.similar, phones: ["+447700900789"], email: "zoe.q@example.test",
                                                      at: RolesWorkspace.at(days: 2), seed: 2)
        return (fixture, person, other)
    }

    private func refusal(_ work: () throws -> Void) -> (any Error)? {
        do { try work(); return nil } catch { return error }
    }

    // MARK: Due dates

    func testDueIsOneCalendarMonthAcrossMonthEndsAndLeapYears() throws {
        let london = DataSubjectDue.london
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = london
        func at(_ y: Int, _ m: Int, _ d: Int, _ h: Int = 10) -> Date { calendar.date(from: DateComponents(year: y, month: m, day: d, hour: h))! }
        XCTAssertEqual(DataSubjectDue.due(received: at(2026, 1, 31)), at(2026, 2, 28))
        XCTAssertEqual(DataSubjectDue.due(received: at(2028, 1, 31)), at(2028, 2, 29), "leap year")
        XCTAssertEqual(DataSubjectDue.due(received: at(2026, 3, 15)), at(2026, 4, 15))
        XCTAssertEqual(DataSubjectDue.due(received: at(2026, 12, 31)), at(2027, 1, 31))
        XCTAssertEqual(DataSubjectDue.due(received: at(2026, 3, 31)), at(2026, 4, 30))
        // Across the clocks going forward (29 March 2026): the same wall-clock time.
        XCTAssertEqual(DataSubjectDue.due(received: at(2026, 3, 10)), at(2026, 4, 10))
        // Extensions count from receipt: 31 Jan + 1 + 2 months is 30 April, not 28 April.
        XCTAssertEqual(DataSubjectDue.extended(firstDue: at(2026, 2, 28), received: at(2026, 1, 31), months: 2), at(2026, 4, 30))
        XCTAssertEqual(DataSubjectDue.extended(firstDue: at(2026, 2, 28), received: at(2026, 1, 31), months: 1), at(2026, 3, 31))
    }

    func testRegisterOpenExtendOnceCloseAndOverdue() throws {
        let (fixture, person, _) = try workspace()
        // 12 March 2026: past the planted requests' and this one's first due date, before its extended one.
        let owner = fixture.workspace.session(as: fixture.owner, clock: .fixed(RolesWorkspace.at(days: 70)))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = DataSubjectDue.london
        let received = calendar.date(from: DateComponents(year: 2026, month: 1, day: 31, hour: 9))!
        let opened = try owner.perform(.openDataSubjectRequest(type: .erasure, contact: person.contactIDs[0], received: received,
                                                                notes: "Called from \(Self.plantedPhones[0])"))
        XCTAssertEqual(opened.dueAt, calendar.date(from: DateComponents(year: 2026, month: 2, day: 28, hour: 9)))
        XCTAssertEqual(opened.contactName, Self.planted)
        XCTAssertTrue(opened.overdue, "12 March is past 28 February")
        let planted = try owner.read(.dataSubjectRequests(.all)).filter { $0.id != opened.id }
        XCTAssertEqual(planted.count, 2)
        XCTAssertEqual(Set(try owner.read(.dataSubjectRequests(.overdue)).map(\.id)), Set(planted.map(\.id) + [opened.id]))
        XCTAssertEqual(try owner.read(.dataSubjectRequestCounts()).overdue, 3)

        // The agent may not; a third month is refused; a reason is needed.
        let agent = fixture.workspace.session(as: fixture.agent)
        XCTAssertEqual((refusal { try agent.perform(.extendDataSubjectRequest(opened.id, months: 1, reason: "complex")) } as? PermissionDenied)?.exitClass, .refused)
        XCTAssertEqual(refusal { try owner.perform(.extendDataSubjectRequest(opened.id, months: 3, reason: "complex")) } as? DataSubjectError, .extensionMonths(3))
        XCTAssertEqual(refusal { try owner.perform(.extendDataSubjectRequest(opened.id, months: 2, reason: "  ")) } as? DataSubjectError, .reasonRequired)

        let extended = try owner.perform(.extendDataSubjectRequest(opened.id, months: 2, reason: "Many recordings to review"))
        XCTAssertEqual(extended.dueAt, calendar.date(from: DateComponents(year: 2026, month: 4, day: 30, hour: 9)))
        XCTAssertEqual(extended.firstDueAt, opened.dueAt)
        XCTAssertFalse(extended.overdue)
        XCTAssertEqual(try owner.read(.dataSubjectRequestCounts()).overdue, 2)
        let second = refusal { try owner.perform(.extendDataSubjectRequest(opened.id, months: 1, reason: "again")) }
        XCTAssertEqual(second as? DataSubjectError, .alreadyExtended(opened.id))
        XCTAssertEqual((second as? any SysexitsError)?.exitClass, .refused)

        let closed = try owner.perform(.closeDataSubjectRequest(opened.id, note: "done"))
        XCTAssertEqual(closed.status, .completed)
        XCTAssertEqual(closed.completedByEmail, "owner@example.test")
        XCTAssertEqual(closed.completedAt, RolesWorkspace.at(days: 70))
        XCTAssertEqual(refusal { try owner.perform(.closeDataSubjectRequest(opened.id)) } as? DataSubjectError, .requestClosed(opened.id))

        // The audit log names the request and what happened, never the notes or the reason.
        let details = try fixture.workspace.auditDetails(.dataSubjectRequestOpened) + fixture.workspace.auditDetails(.dataSubjectRequestExtended)
            + fixture.workspace.auditDetails(.dataSubjectRequestClosed)
        XCTAssertEqual(details.count, 3)
        for text in details { XCTAssertFalse(text.contains("7700") || text.contains("Many") || text.contains("Zo"), text) }
    }

    // MARK: Find and show

    func testFindByAnyPhoneFormatEmailAndAccentFreeNamePrefix() throws {
        let (fixture, person, other) = try workspace()
        let admin = fixture.workspace.session(as: fixture.admin)
        for typed in ["07700 900123", "+44 7700 900123", "0044 7700 900123", "(07700) 900-123", "447700900123"] {
            XCTAssertEqual(try admin.read(.findPerson(typed)).map(\.id), [person.contactIDs[0]], typed)
        }
        XCTAssertEqual(try admin.read(.findPerson("ZQB.Quillfeather@EXAMPLE.test")).map(\.id), [person.contactIDs[1]])
        // Accents and case ignored; every match listed (both of the person's contacts, and the other person).
        XCTAssertEqual(Set(try admin.read(.findPerson("zoe quill")).map(\.id)), Set(person.contactIDs + other.contactIDs))
        XCTAssertEqual(Set(try admin.read(.findPerson("ZOË brann")).map(\.id)), Set(person.contactIDs), "a later word of the name")
        XCTAssertEqual(try admin.read(.findPerson("quillfeathers")).map(\.id), other.contactIDs)
        XCTAssertEqual(try admin.read(.findPerson("nobody-like-this")), [])
        XCTAssertEqual(refusal { _ = try admin.read(.findPerson("   ")) } as? DataSubjectError, .nothingToFind)
        // Agents and viewers may not read what is held about a person.
        XCTAssertNotNil(refusal { _ = try fixture.workspace.session(as: fixture.viewer).read(.findPerson("zoe")) } as? PermissionDenied)
    }

    func testShowMergesThePickedContactsAndListsEverythingHeld() throws {
        let (fixture, person, other) = try workspace()
        let owner = fixture.workspace.session(as: fixture.owner)
        try owner.perform(.restrictContact(person.contactIDs[0], reason: "asked on the phone"))
        let held = try owner.read(.heldAbout(person.contactIDs))
        XCTAssertEqual(held.contactIDs, person.contactIDs)
        XCTAssertEqual(held.names, [Self.planted])
        XCTAssertEqual(held.phones, Self.plantedPhones)
        XCTAssertEqual(held.emails, [Self.plantedEmail])
        XCTAssertEqual(held.calls.map { $0.call.id! }, person.callIDs)
        XCTAssertEqual(held.storedRecordings.count, person.audioPaths.count)
        XCTAssertEqual(Set(held.messages.map { $0.id! }), Set(person.messageIDs))
        XCTAssertEqual(held.threads.count, 2)
        XCTAssertEqual(held.drafts.count, 2)
        XCTAssertEqual(held.reviews.map(\.author), [Self.planted])
        XCTAssertEqual(held.consents.count, 2)
        XCTAssertEqual(held.requests.count, 1)
        XCTAssertTrue(held.isRestricted)
        let restrictEvent = try XCTUnwrap(fixture.workspace.dbPool.read { db in
            try Int64.fetchOne(db, sql: "SELECT seq FROM audit_events WHERE action = 'contact.restricted'")
        })
        XCTAssertEqual(held.auditEventSeqs, [restrictEvent])
        // Nothing of the other person.
        let otherHeld = try owner.read(.heldAbout(other.contactIDs))
        XCTAssertTrue(Set(held.messages.map { $0.id! }).isDisjoint(with: otherHeld.messages.map { $0.id! }))
        XCTAssertEqual(otherHeld.reviews.map(\.author), [Self.similar])
        // Named on the command line by number or email: every contact with it.
        XCTAssertEqual(try owner.read(.personContacts(["07700 900456", "\(person.contactIDs[0].rawValue)"])), [person.contactIDs[1], person.contactIDs[0]])
        XCTAssertEqual(refusal { _ = try owner.read(.personContacts(["Zoe"])) } as? DataSubjectError, .notAReference("Zoe"))
    }

    // MARK: Person commands

    func testRectifyRestrictObjectAreAuditedWithoutValues() throws {
        let (fixture, person, _) = try workspace()
        let admin = fixture.workspace.session(as: fixture.admin)
        let id = person.contactIDs[0]
        let done = try admin.perform(.rectifyContact(id, name: "Zoë Quillfeather", email: "new.address@example.test", phone: "07700 900999"))
        XCTAssertEqual(done.fields, ["name", "email", "phone"])
        let contact = try XCTUnwrap(fixture.workspace.dbPool.read { db in try Contact.fetchOne(db, key: id) })
        XCTAssertEqual(contact.phone, "+447700900999")
        XCTAssertEqual(contact.email, "new.address@example.test")
        XCTAssertEqual(refusal { try admin.perform(.rectifyContact(id, phone: "not a number")) } as? DataSubjectError, .invalidPhone("not a number"))
        XCTAssertEqual(refusal { try admin.perform(.rectifyContact(id, email: "nope")) } as? DataSubjectError, .invalidEmail("nope"))
        XCTAssertEqual(refusal { try admin.perform(.rectifyContact(id)) } as? DataSubjectError, .nothingToRectify)
        XCTAssertEqual(try admin.perform(.rectifyContact(id, name: "Zoë Quillfeather")).fields, [], "same value: nothing changed")

        // Restricted: suppressed (the Auto-Send gate reads it), marked in the contacts list.
        let mark = try admin.perform(.restrictContact(id, reason: "Asked us to stop"))
        XCTAssertEqual(mark.contactId, id)
        let restricted = try XCTUnwrap(fixture.workspace.dbPool.read { db in try Contact.fetchOne(db, key: id) })
        XCTAssertTrue(restricted.isSuppressed)
        XCTAssertNotNil(restricted.restrictedAt)
        XCTAssertEqual(refusal { try admin.perform(.restrictContact(id)) } as? DataSubjectError, .alreadyRestricted("Zoë Quillfeather"))
        try admin.perform(.unrestrictContact(id))
        XCTAssertEqual(refusal { try admin.perform(.unrestrictContact(id)) } as? DataSubjectError, .notRestricted("Zoë Quillfeather"))
        try admin.perform(.recordObjection(id))
        let objected = try XCTUnwrap(fixture.workspace.dbPool.read { db in try Contact.fetchOne(db, key: id) })
        XCTAssertNotNil(objected.objectedAt)
        XCTAssertNotNil(objected.optedOutAt, "an objection stops marketing")
        XCTAssertNotNil(refusal { try fixture.workspace.session(as: fixture.agent).perform(.restrictContact(id)) } as? PermissionDenied)

        let events = try fixture.workspace.auditDetails(.contactRectified) + fixture.workspace.auditDetails(.contactRestricted)
            + fixture.workspace.auditDetails(.contactUnrestricted) + fixture.workspace.auditDetails(.contactObjectionRecorded)
        XCTAssertEqual(events.count, 4)
        XCTAssertEqual(try fixture.workspace.auditDetails(.contactRectified), [#"{"fields":"name,email,phone"}"#])
        for text in events {
            for secret in ["Zo", "7700", "example.test", "Asked", "Quill"] { XCTAssertFalse(text.contains(secret), text) }
        }
    }

    // MARK: Export

    func testExportHoldsEverythingFoundAndNothingOfTheSimilarPerson() throws {
        let (fixture, person, other) = try workspace()
        let owner = fixture.workspace.session(as: fixture.owner)
        let held = try owner.read(.heldAbout(person.contactIDs))
        let target = fixture.folder.appendingPathComponent("export-one")
        let written = try owner.exportPerson(person.contactIDs, to: target)
        XCTAssertFalse(written.isZip)
        let names = try FileManager.default.contentsOfDirectory(atPath: target.path).sorted()
        for type in ["contacts", "consents", "calls", "recordings", "threads", "messages", "drafts", "reviews", "requests", "audit_events"] {
            XCTAssertTrue(names.contains("\(type).json") && names.contains("\(type).csv"), type)
        }
        XCTAssertTrue(names.contains("manifest.json"))
        XCTAssertEqual(try DataSubjectExportWriter.verify(folder: target), [])
        let audio = try FileManager.default.contentsOfDirectory(atPath: target.appendingPathComponent("recordings").path)
        XCTAssertEqual(audio.count, held.storedRecordings.count)

        // Every record `show` listed is in the export, by id; the CSV has a row per record.
        func ids(_ file: String) throws -> Set<Int64> {
            let rows = try JSONSerialization.jsonObject(with: Data(contentsOf: target.appendingPathComponent(file))) as! [[String: Any]]
            return Set(rows.compactMap { ($0["id"] as? NSNumber)?.int64Value })
        }
        XCTAssertEqual(try ids("calls.json"), Set(held.calls.map { $0.call.id!.rawValue }))
        XCTAssertEqual(try ids("messages.json"), Set(held.messages.map { $0.id!.rawValue }))
        XCTAssertEqual(try ids("contacts.json"), Set(person.contactIDs.map(\.rawValue)))
        XCTAssertEqual(try ids("drafts.json"), Set(held.drafts.compactMap(\.id)))
        let csv = try String(contentsOf: target.appendingPathComponent("messages.csv"), encoding: .utf8)
        XCTAssertEqual(csv.split(separator: "\n").count, held.messages.count + 1, "header and one line per message (bodies quoted)")

        // Nothing of the other person: their name, number, email or audio in no file.
        let everything = try FileManager.default.subpathsOfDirectory(atPath: target.path).compactMap {
            try? Data(contentsOf: target.appendingPathComponent($0))
        }.reduce(Data(), +)
        for secret in [Self.similar, "+447700900789", "07700900789", "zoe.q@example.test"] {
            XCTAssertNil(everything.range(of: Data(secret.utf8)), secret)
        }
        XCTAssertNotNil(everything.range(of: Data(Self.planted.utf8)))
        let otherAudio = try XCTUnwrap(other.audioPaths.first)
        XCTAssertFalse(audio.contains((otherAudio as NSString).lastPathComponent))

        // A zip of the same; refusals for a non-empty folder, an existing file and a read-only folder.
        let zip = try owner.exportPerson(person.contactIDs, to: fixture.folder.appendingPathComponent("person.zip"))
        XCTAssertTrue(zip.isZip)
        XCTAssertGreaterThan(try FileManager.default.attributesOfItem(atPath: zip.path)[.size] as! Int, 1_000)
        XCTAssertEqual(refusal { try owner.exportPerson(person.contactIDs, to: target) } as? DataSubjectError, .exportTargetNotEmpty(target.path))
        XCTAssertEqual(refusal { try owner.exportPerson(person.contactIDs, to: URL(fileURLWithPath: zip.path)) } as? DataSubjectError,
                       .exportTargetExists(zip.path))
        let locked = fixture.folder.appendingPathComponent("locked")
        try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: locked.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: locked.path) }
        let readOnly = refusal { try owner.exportPerson(person.contactIDs, to: locked.appendingPathComponent("out")) }
        XCTAssertEqual(readOnly as? DataSubjectError, .exportTargetReadOnly(locked.path))
        XCTAssertEqual((readOnly as? any SysexitsError)?.exitClass, .cannotCreate)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: fixture.folder.path).filter { $0.contains("partial") }, [])
        XCTAssertNotNil(refusal { try fixture.workspace.session(as: fixture.agent).exportPerson(person.contactIDs, to: fixture.folder.appendingPathComponent("x")) } as? PermissionDenied)
        XCTAssertEqual(try fixture.workspace.auditDetails(.dataSubjectExported).count, 2)
    }

    // MARK: Erasure

    func testErasureLeavesNoTraceInTheFileTheWalOrTheIndexesAndTouchesNobodyElse() throws {
        let (fixture, person, other) = try workspace()
        let owner = fixture.workspace.session(as: fixture.owner)
        let others = try fixture.workspace.rowDigests(excluding: person.contactIDs, calls: person.callIDs)
        let callsBefore = try fixture.workspace.dbPool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM calls")! }
        let otherAudio = other.audioPaths
        XCTAssertTrue(otherAudio.allSatisfy { fixture.fileExists($0) })
        XCTAssertTrue(person.audioPaths.allSatisfy { fixture.fileExists($0) })

        // Only the owner; the plan says what goes and asks for the name or a number.
        XCTAssertNotNil(refusal { try fixture.workspace.session(as: fixture.admin).erase(person.contactIDs, typed: Self.planted) } as? PermissionDenied)
        let plan = try owner.plan(.erasePerson(person.contactIDs))
        let confirmation = try XCTUnwrap(plan.confirmation)
        XCTAssertTrue(confirmation.isDestructive)
        XCTAssertTrue(confirmation.accepts("zoe quillfeather-brannagh"))
        XCTAssertTrue(confirmation.accepts("07700 900456"))
        XCTAssertFalse(confirmation.accepts("Zoe"))
        XCTAssertFalse(confirmation.accepts("07700 900789"))
        XCTAssertEqual(refusal { try owner.erase(person.contactIDs, typed: "yes") } as? DataSubjectError, .wrongConfirmation)
        guard case .erasure(let preview)? = plan.preview else { return XCTFail("no erasure preview") }
        XCTAssertEqual(preview.callsAnonymised, person.callIDs.count)
        XCTAssertEqual(preview.messagesDeleted, person.messageIDs.count)

        let report = try owner.erase(person.contactIDs, typed: "+44 7700 900123")
        XCTAssertEqual(report.filesDeleted, person.audioPaths.count)
        XCTAssertTrue(report.walTruncated)
        XCTAssertEqual(try fixture.workspace.erasureState(person.contactIDs).contacts, 0)
        XCTAssertEqual(try fixture.workspace.erasureState(person.contactIDs).pending, 0)
        XCTAssertFalse(person.audioPaths.contains { fixture.fileExists($0) }, "audio gone")
        XCTAssertTrue(otherAudio.allSatisfy { fixture.fileExists($0) }, "others' audio untouched")
        XCTAssertEqual(try fixture.workspace.rowDigests(excluding: person.contactIDs, calls: person.callIDs), others, "every other row unchanged")
        try fixture.workspace.dbPool.read { db in
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM calls"), callsBefore, "calls kept as metadata")
            let kept = try Row.fetchAll(db, sql: "SELECT * FROM calls WHERE id IN (\(person.callIDs.map(\.description).joined(separator: ",")))")
            XCTAssertEqual(kept.count, person.callIDs.count)
            for row in kept {
                XCTAssertEqual(row["from_number"] as String, "")
                XCTAssertEqual(row["summary"] as String, "")
                XCTAssertEqual(row["transcript"] as String, "")
                XCTAssertNil(row["contact_id"] as Int64?)
                XCTAssertEqual(row["duration_seconds"] as Int, 95)
                XCTAssertEqual(row["outcome"] as String, "booked_job")
            }
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM call_fts WHERE call_fts MATCH 'quillfeather'"), 0)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM call_fts WHERE call_fts MATCH 'quillfeathers'"), 3, "the other person's calls")
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM message_fts WHERE message_fts MATCH 'brannagh'"), 0)
            XCTAssertEqual(try String.fetchOne(db, sql: "PRAGMA integrity_check"), "ok")
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM data_subject_requests WHERE contact_id IS NULL"), 1, "the register keeps the request")
        }
        // The audit event names the contacts by id and counts, nothing else.
        let erased = try fixture.workspace.auditDetails(.contactErased)
        XCTAssertEqual(erased.count, 1)
        XCTAssertFalse(erased[0].contains("Zo") || erased[0].contains("7700"), erased[0])
        // And the erasure's last steps (audio, index merge) have their own event, counts only.
        let finished = try fixture.workspace.auditDetails(.erasureFinished)
        XCTAssertEqual(finished.count, 1)
        XCTAssertTrue(finished[0].contains("\"erasures\":1") && finished[0].contains("\"files_deleted\":\(person.audioPaths.count)"),
                      finished[0])

        // The bytes: database file, -wal, and the FTS shadow tables within it.
        try assertNoTrace(of: person, in: fixture)
        XCTAssertEqual(refusal { try owner.erase(person.contactIDs, typed: Self.planted) } as? DataSubjectError,
                       .noSuchContact(person.contactIDs[0].rawValue))
    }

    /// An export made before the erasure, imported again, brings nothing of the person back: their
    /// calls and messages arrived live (no import key), and their export ids are kept as keys.
    func testReimportingAnExportMadeBeforeTheErasureBringsNothingOfThePersonBack() throws {
        let (fixture, person, _) = try workspace()
        let owner = fixture.workspace.session(as: fixture.owner)
        var export = Data()
        try owner.exportRecords { export.append($0) }
        XCTAssertTrue(String(decoding: export, as: UTF8.self).contains(Self.plantedEmail))
        try owner.erase(person.contactIDs, typed: Self.planted)
        func held() throws -> [Int] {
            try fixture.workspace.dbPool.read { db in
                let phones = "('" + Self.plantedPhones.joined(separator: "','") + "')"
                return [try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM contacts WHERE email = ? OR phone IN \(phones)",
                                         arguments: [Self.plantedEmail])!,
                        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM calls WHERE from_number IN \(phones) OR to_number IN \(phones)")!,
                        try Int.fetchOne(db, sql: """
                            SELECT COUNT(*) FROM messages WHERE from_address IN \(phones) OR to_address IN \(phones)
                            OR from_address = ? OR to_address = ?
                            """, arguments: [Self.plantedEmail, Self.plantedEmail])!]
            }
        }
        XCTAssertEqual(try held(), [0, 0, 0])
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pre-erasure-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: file) }
        try export.write(to: file)
        try owner.importRecords(files: [file.path], format: .jsonl)
        XCTAssertEqual(try held(), [0, 0, 0], "nothing of the person came back")
    }

    /// Older copies of a row left in unused page space by writes made without secure_delete (a
    /// bulk load's page splits) survive the erasure's zeroing; `compactAfterErasure` (VACUUM) removes them.
    func testCompactingAfterAnErasureRemovesCopiesLeftByWritesWithoutSecureDelete() throws {
        let (fixture, person, _) = try workspace()
        // A write without secure_delete that moves the person's cells: the old bytes stay behind.
        try fixture.workspace.dbPool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA secure_delete = OFF")
            // Enough contacts after them to split the table's first page: its cells are copied
            // into new pages and the old bytes stay in the page that becomes the interior one.
            for index in 0..<400 {
                try db.execute(sql: "INSERT INTO contacts(name, phone, created_at) VALUES (?, ?, 0)",
                               arguments: ["Filler Person \(index)", "+44780091\(String(format: "%04d", index))"])
            }
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
        let owner = fixture.workspace.session(as: fixture.owner)
        try owner.erase(person.contactIDs, typed: Self.planted)
        let file = fixture.folder.appendingPathComponent("workspace.sqlite").path
        XCTAssertNotNil(FileManager.default.contents(atPath: file)!.range(of: Data(Self.planted.utf8)),
                        "the copy left by the split survives the erasure's zeroing")
        XCTAssertNotNil(refusal { try fixture.workspace.session(as: fixture.admin).compactAfterErasure() } as? PermissionDenied)
        try owner.compactAfterErasure()
        try assertNoTrace(of: person, in: fixture)
        XCTAssertEqual(try fixture.workspace.integrityCheck(), "ok")
    }

    func testErasureRefusedWhileARecordingIsOnLegalHold() throws {
        let (fixture, person, _) = try workspace()
        let owner = fixture.workspace.session(as: fixture.owner)
        try owner.perform(.placeLegalHold(onCall: person.callIDs[0], reason: "Insurance claim"))
        let refused = refusal { try owner.erase(person.contactIDs, typed: Self.planted) }
        XCTAssertEqual((refused as? any SysexitsError)?.exitClass, .refused)
        XCTAssertEqual(try fixture.workspace.erasureState(person.contactIDs).contacts, 2, "nothing erased")
    }

    /// A call from one of their numbers and a conversation with their email that no contact holds
    /// (imported, or from before the contact existed) are theirs too: shown, and erased.
    func testCallsAndMessagesNoContactHoldsAreFoundByNumberOrAddressAndErased() throws {
        let (fixture, person, _) = try workspace()
        let (callId, messageId, threadId) = try fixture.workspace.dbPool.write { db -> (Int64, Int64, Int64) in
            try db.execute(sql: """
                INSERT INTO calls (external_id, direction, from_number, to_number, contact_id, started_at, duration_seconds,
                    handled_by, outcome, summary, transcript, transcript_timing, recording_state)
                VALUES ('CA-unlinked-1', 'inbound', ?, '+441132960000', NULL, 1772000000, 60, 'staff', 'message_taken',
                    'Brannagh rang about the boiler', '', '', 'not_recorded')
                """, arguments: [Self.plantedPhones[1]])
            let call = db.lastInsertedRowID
            try db.execute(sql: "INSERT INTO threads (contact_id, channel, subject, last_activity_at) VALUES (NULL, 'email', 'Brannagh boiler', 1772000100)")
            let thread = db.lastInsertedRowID
            try db.execute(sql: """
                INSERT INTO messages (thread_id, channel, direction, from_address, to_address, contact_id, body, sent_at, delivery_status)
                VALUES (?, 'email', 'inbound', ?, 'office@example.test', NULL, 'Hello from Brannagh', 1772000100, 'received')
                """, arguments: [thread, Self.plantedEmail.uppercased()])
            return (call, db.lastInsertedRowID, thread)
        }
        let owner = fixture.workspace.session(as: fixture.owner)
        let held = try owner.read(.heldAbout(person.contactIDs))
        XCTAssertTrue(held.calls.contains { $0.call.id?.rawValue == callId }, "the unlinked call from their number")
        XCTAssertTrue(held.messages.contains { $0.id?.rawValue == messageId }, "the unlinked message from their address, any case")
        XCTAssertTrue(held.threads.contains { $0.id?.rawValue == threadId }, "a thread no contact holds, all of it theirs")
        try owner.erase(person.contactIDs, typed: Self.planted)
        try fixture.workspace.dbPool.read { db in
            XCTAssertEqual(try String.fetchOne(db, sql: "SELECT from_number || summary FROM calls WHERE id = ?", arguments: [callId]), "")
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM messages WHERE id = ?", arguments: [messageId]), 0)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM threads WHERE id = ?", arguments: [threadId]), 0)
        }
    }

    private func assertNoTrace(of person: PlantedPerson, in fixture: RolesWorkspace, file: StaticString = #filePath, line: UInt = #line) throws {
        let database = fixture.folder.appendingPathComponent("workspace.sqlite")
        var secrets = [person.name, person.email, "Quillfeather-Brannagh", "brannagh", "Brannagh", "zqb.quillfeather"]
        for phone in person.phones {
            secrets += [phone, "0" + phone.dropFirst(3), String(phone.dropFirst(1))]
        }
        for suffix in ["", "-wal"] {
            guard let bytes = FileManager.default.contents(atPath: database.path + suffix) else { continue }
            for secret in secrets {
                XCTAssertNil(bytes.range(of: Data(secret.utf8)), "\(secret) found in workspace.sqlite\(suffix)", file: file, line: line)
            }
        }
        try fixture.workspace.dbPool.read { db in
            for table in ["call_fts_data", "call_fts_idx", "message_fts_data", "message_fts_idx"] {
                let column = table.hasSuffix("_idx") ? "term" : "block"
                let blobs = try Data.fetchAll(db, sql: "SELECT CAST(\(column) AS BLOB) FROM \(table) WHERE \(column) IS NOT NULL")
                let all = blobs.reduce(Data(), +)
                for secret in ["brannagh", "900123", "900456"] {
                    XCTAssertNil(all.range(of: Data(secret.utf8)), "\(secret) in \(table)", file: file, line: line)
                }
            }
        }
    }
}
