import ArgumentParser
import Foundation
import HandletDomain

/// `handlet dsr …`: data-subject requests (UK GDPR Arts. 15-21). Find a person, show or export
/// everything held about them, rectify, restrict, record an objection, erase; and the register of
/// requests with their due dates. Everything decided in the domain; this renders it.
struct DataSubjectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dsr", abstract: "Data-subject requests: find a person, show, export, rectify, restrict or erase their data; the register.",
        discussion: """
            A person is named by contact ids (dsr find lists them), or by a phone number or email address, \
            which stands for every contact that has it. Owner or admin; erasure is the owner's only.
            """,
        subcommands: [Find.self, Show.self, Export.self, Reviews.self, Rectify.self, Restrict.self, Unrestrict.self, Object.self,
                      Erase.self, List.self, Open.self, Close.self, Extend.self])

    /// `dsr find TEXT`
    struct Find: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "find",
            abstract: "Find a person by phone (any UK format), email, or the start of their name (accents ignored).")
        @Argument(help: "A phone number, an email address, or the start of a name.") var text: String
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var reader: ReadingUserOptions
        @Flag(name: .long, help: "Print JSON (fields in docs/json.md).") var json = false

        func run() throws {
            let session = try reader.session(in: workspace.openForReading())
            let matches = try failing { try session.read(.findPerson(text)) }
            if json { return try JSONOutput.print(matches) }
            guard !matches.isEmpty else { throw CommandFailure(DataSubjectError.noMatch(text)) }
            for match in matches { print(TerminalText.safeLines(DataSubjectText.matchLine(match))) }
            if matches.count > 1 {
                print("\(DisplayText.count(matches.count, "contact")) \(matches.count == 1 ? "matches" : "match"); name the ones that are this person: handlet dsr show ID [ID…]")
            }
        }
    }

    /// `dsr show PERSON…`
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show everything held about a person (several contacts are merged).")
        @Argument(help: "Contact ids, a phone number or an email address.") var person: [String]
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var reader: ReadingUserOptions
        @Flag(name: .long, help: "Print JSON (fields in docs/json.md).") var json = false

        func run() throws {
            let session = try reader.session(in: workspace.openForReading())
            let held = try failing { try session.read(.heldAbout(try session.read(.personContacts(person)))) }
            if json { return try JSONOutput.print(held) }
            for line in DataSubjectText.holdingLines(held, clock: try failing { try session.read(.browseClock()) }) { print(TerminalText.safeLines(line)) }
        }
    }

    /// `dsr export PERSON… --to PATH`
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Export everything held about a person: JSON and CSV, audio, a manifest of SHA-256 hashes.",
            discussion: "PATH is a new (or empty) folder, or a file ending .zip. Written under a partial name and renamed when complete.")
        @Argument(help: "Contact ids, a phone number or an email address.") var person: [String]
        @Option(name: .long, help: "A new folder, or a .zip file.") var to: String
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var acting: ActingUserOptions
        @Flag(name: .long, help: "Print the manifest as JSON.") var json = false

        func run() throws {
            let session = try acting.session(in: workspace.open())
            let target = URL(fileURLWithPath: (to as NSString).expandingTildeInPath)
            let written = try failing { try session.exportPerson(try session.read(.personContacts(person)), to: target) }
            if json { return try JSONOutput.print(written) }
            print(TerminalText.safeLines("Exported \(DisplayText.count(written.files, "file")) (\(DisplayText.size(written.bytes))) to \(written.path); "
                + "manifest.json lists each file's SHA-256."))
        }
    }

    /// `dsr reviews PERSON… [--pick ID]… [--unpick ID]…`
    struct Reviews: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reviews",
            abstract: "List the reviews a person wrote and those that may be theirs; pick or unpick them.",
            discussion: """
                A review site shows its author as they chose ("Jane S."), so reviews whose author could be the person \
                are suggested, and the ones picked (--pick) are held about them: shown, exported and erased with them.
                """)
        @Argument(help: "Contact ids, a phone number or an email address.") var person: [String]
        @Option(name: .long, help: "A review id (from the list) that the person wrote; repeat for several.") var pick: [Int64] = []
        @Option(name: .long, help: "A review id picked by mistake; repeat for several.") var unpick: [Int64] = []
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var acting: ActingUserOptions
        @Flag(name: .long, help: "Print JSON: held and suggested reviews (fields in docs/json.md).") var json = false

        struct Listing: Encodable {
            let held: [Review]
            let suggested: [Review]
        }

        func run() throws {
            let session = try acting.session(in: workspace.open())
            let ids = try failing { try session.read(.personContacts(person)) }
            var said: [String] = []
            if !unpick.isEmpty {
                // Each review is unpicked from whichever of the person's contacts it was attributed to.
                let change = try session.carryOut(.unattributeReviews(unpick, from: ids))
                said.append("Unpicked \(DisplayText.count(change.reviewIds.count, "review")).")
            }
            if !pick.isEmpty, let contact = ids.first {
                let change = try session.carryOut(.attributeReviews(pick, to: contact))
                said.append("Picked \(DisplayText.count(change.reviewIds.count, "review")) as written by contact \(contact.rawValue).")
            }
            let held = try failing { try session.read(.heldAbout(ids)) }.reviews
            let suggested = try failing { try session.read(.reviewSuggestions(ids)) }
            if json { return try JSONOutput.print(Listing(held: held, suggested: suggested)) }
            let clock = try failing { try session.read(.browseClock()) }
            for line in said { print(line) }
            print("Theirs:" + (held.isEmpty ? " none" : ""))
            for review in held { print(TerminalText.safeLines("  " + review.line(clock: clock))) }
            print("May be theirs (pick with --pick ID):" + (suggested.isEmpty ? " none" : ""))
            for review in suggested { print(TerminalText.safeLines("  " + review.line(clock: clock))) }
        }
    }

    /// `dsr rectify CONTACT --name/--email/--phone`
    struct Rectify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rectify",
            abstract: "Correct a contact's name, email or phone (the values are kept out of the audit log).")
        @Argument(help: "The contact's id (dsr find lists them).") var contact: Int64
        @Option(name: .long, help: "The correct name.") var name: String?
        @Option(name: .long, help: "The correct email (empty to remove it).") var email: String?
        @Option(name: .long, help: "The correct phone number, any UK format (empty to remove it).") var phone: String?
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var acting: ActingUserOptions
        @Flag(name: .long, help: "Print the change as JSON.") var json = false

        func run() throws {
            let session = try acting.session(in: workspace.open())
            let done = try session.carryOut(.rectifyContact(Contact.ID(contact), name: name, email: email, phone: phone))
            if json { return try JSONOutput.print(done) }
            print(done.fields.isEmpty ? "Contact \(contact) already holds those values; nothing changed."
                  : "Rectified contact \(contact): \(done.fields.joined(separator: ", ")).")
        }
    }

    /// Restrict, lift, object: the same change to each contact the person names, one line each.
    static func mark(_ person: [String], workspace: WorkspaceOptions, acting: ActingUserOptions, json: Bool,
                     with command: (Contact.ID) -> WorkspaceCommand<ContactMark>, said: (ContactMark) -> String) throws {
        let session = try acting.session(in: workspace.open())
        let ids = try failing { try session.read(.personContacts(person)) }
        let marks = try ids.map { try session.carryOut(command($0)) }
        if json { return try JSONOutput.print(marks) }
        for mark in marks { print(TerminalText.safeLines(said(mark))) }
    }

    /// `dsr restrict CONTACT… [--reason]`
    struct Restrict: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "restrict",
            abstract: "Restrict processing of a person's data: never auto-sent to, marked in every list.")
        @Argument(help: "Contact ids, a phone number or an email address.") var person: [String]
        @Option(name: .long, help: "Why (kept on the contact, out of the audit log).") var reason: String?
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var acting: ActingUserOptions
        @Flag(name: .long, help: "Print the changes as JSON.") var json = false

        func run() throws {
            try DataSubjectCommand.mark(person, workspace: workspace, acting: acting, json: json,
                                        with: { .restrictContact($0, reason: reason) }) { mark in
                "Restricted processing of contact \(mark.contactId.rawValue) (\(mark.name))"
                    + (mark.stoppedSends > 0 ? "; stopped \(DisplayText.count(mark.stoppedSends, "queued send"))." : ".")
            }
        }
    }

    /// `dsr unrestrict CONTACT…`
    struct Unrestrict: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "unrestrict", abstract: "Lift a restriction of processing.")
        @Argument(help: "Contact ids, a phone number or an email address.") var person: [String]
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var acting: ActingUserOptions
        @Flag(name: .long, help: "Print the changes as JSON.") var json = false

        func run() throws {
            try DataSubjectCommand.mark(person, workspace: workspace, acting: acting, json: json, with: { .unrestrictContact($0) }) {
                "Lifted the restriction on contact \($0.contactId.rawValue) (\($0.name))."
            }
        }
    }

    /// `dsr object CONTACT…`
    struct Object: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "object",
            abstract: "Record a person's objection to processing (marketing stops: they are opted out).")
        @Argument(help: "Contact ids, a phone number or an email address.") var person: [String]
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var acting: ActingUserOptions
        @Flag(name: .long, help: "Print the changes as JSON.") var json = false

        func run() throws {
            try DataSubjectCommand.mark(person, workspace: workspace, acting: acting, json: json, with: { .recordObjection($0) }) {
                "Recorded the objection of contact \($0.contactId.rawValue) (\($0.name))."
            }
        }
    }

    /// `dsr erase PERSON… [--confirm TEXT]`, or `dsr erase --finish`
    struct Erase: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "erase",
            abstract: "Erase a person (owner only): deletes their records and audio; calls keep anonymised metadata only.",
            discussion: """
                Asks to type the person's name or one of their numbers; --confirm TEXT gives it without a terminal. \
                An erasure interrupted (a crash, a kill) is finished by the next one, or by --finish.
                """)
        @Argument(help: "Contact ids, a phone number or an email address.") var person: [String] = []
        @Option(name: .long, help: "The person's name or number, typed to confirm.") var confirm: String?
        @Flag(name: .long, help: "Only finish erasures that were interrupted.") var finish = false
        @Flag(name: .long, help: "Then rebuild the database file (VACUUM), removing older copies of rows left in unused page space.")
        var vacuum = false
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var acting: ActingUserOptions
        @Flag(name: .long, help: "Print what was erased as JSON.") var json = false

        func validate() throws {
            if finish && !person.isEmpty { throw ValidationError("--finish takes no person.") }
            if !finish && person.isEmpty { throw ValidationError("Name the person to erase (contact ids, a phone number or an email), or give --finish.") }
        }

        func run() throws {
            let session = try acting.session(in: workspace.open())
            if finish {
                let done = try failing { try session.finishInterruptedErasures() }
                if vacuum { try failing { try session.compactAfterErasure() } }
                if json { return try JSONOutput.print(done) }
                return print(done.map { "Finished \(DisplayText.count($0.finishedInterrupted, "interrupted erasure")) "
                    + "(\(DisplayText.count($0.filesDeleted, "audio file")) deleted)." } ?? "No interrupted erasure; nothing to finish.")
            }
            // An erasure a kill interrupted is finished first: running the same command again
            // finishes it, even though the person it named is already gone.
            let earlier = session.may(.dataSubjectErasure) ? try failing { try session.finishInterruptedErasures() } : nil
            let ids: [Contact.ID]
            do { ids = try session.read(.personContacts(person)) } catch DataSubjectError.noSuchContact(let id) {
                // Named by id and already erased (the same command run again): say so, and succeed.
                guard let when = try failing({ try session.read(.erasure(ofContact: id)) }) else {
                    throw CommandFailure(DataSubjectError.noSuchContact(id))
                }
                if json { return try JSONOutput.print(earlier) }
                let clock = try failing { try session.read(.browseClock()) }
                return print("Contact \(id) was already erased (\(DisplayText.zonedTimestamp(when, clock: clock)))"
                    + (earlier.map { "; finished the interrupted erasure (\(DisplayText.count($0.filesDeleted, "audio file")) deleted)." } ?? "."))
            } catch { throw CommandFailure(error) }
            let plan = try failing { try session.plan(.erasePerson(ids)) }
            if let refusal = plan.refusalError { throw CommandFailure(refusal) }
            guard let confirmation = plan.confirmation else { throw CommandFailure("Nothing to confirm.", .failure) }
            if let preview = plan.preview { say(preview.lines, json: json) }
            let typed: String
            if let confirm { typed = confirm } else {
                guard isatty(STDIN_FILENO) == 1 else {
                    throw CommandFailure("\(confirmation.question) Refusing without --confirm because standard input is not a terminal.", .usage)
                }
                FileHandle.standardError.write(Data((TerminalText.safeLines(confirmation.question) + " ").utf8))
                typed = readLine() ?? ""
            }
            guard confirmation.accepts(typed) else {
                // A script's --confirm with another name is wrong data (as for `workspace delete`);
                // a person typing something else has declined.
                throw confirm != nil ? CommandFailure(DataSubjectError.wrongConfirmation.description, .dataError)
                    : CommandFailure(confirmation.declined, .failure)
            }
            let report = try failing { try session.erase(ids, typed: typed) }
            if vacuum { try failing { try session.compactAfterErasure() } }
            if json { return try JSONOutput.print(report) }
            print(TerminalText.safeLines("Erased \(report.preview.name): \(DisplayText.count(report.preview.callsAnonymised, "call")) "
                + "anonymised, \(DisplayText.count(report.filesDeleted, "audio file")) deleted"
                + (report.walTruncated ? "." : "; the -wal file could not be emptied while another reader had it open (the next erasure retries).")))
        }
    }

    /// `dsr list`
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "The register of requests: open ones first, soonest due first.")
        @Flag(name: .long, help: "Only open requests.") var open = false
        @Flag(name: .long, help: "Only open requests past their due date.") var overdue = false
        @Flag(name: .long, help: "Only open requests due within seven days (overdue ones included).") var dueSoon = false
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var reader: ReadingUserOptions
        @Flag(name: .long, help: "Print JSON (fields in docs/json.md).") var json = false

        func run() throws {
            let filter: DataSubjectRequestFilter = overdue ? .overdue : dueSoon ? .dueSoon : open ? .open : .all
            let session = try reader.session(in: workspace.openForReading())
            let entries = try failing { try session.read(.dataSubjectRequests(filter)) }
            if json { return try JSONOutput.print(entries) }
            if entries.isEmpty { return print("No request.") }
            let clock = try failing { try session.read(.browseClock()) }
            for entry in entries { print(TerminalText.safeLines(DataSubjectText.entryLine(entry, clock: clock))) }
        }
    }

    /// `dsr open --type TYPE [--contact ID] [--received DATE] [--notes TEXT]`
    struct Open: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "open", abstract: "Record a request received (due one calendar month later).")
        @Option(name: .long, help: "access, rectification, erasure, restriction, portability or objection.")
        var type: DataSubjectRequestType
        @Option(name: .long, help: "The contact who asked (an id from dsr find).") var contact: Int64?
        @Option(name: .long, help: "The day it was received, YYYY-MM-DD (default: now).") var received: String?
        @Option(name: .long, help: "Notes (kept in the register, out of the audit log).") var notes: String?
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var acting: ActingUserOptions
        @Flag(name: .long, help: "Print the request as JSON.") var json = false

        func validate() throws {
            if let received, LocalDate(parsing: received) == nil { throw ValidationError("--received \"\(received)\" is not a date (YYYY-MM-DD).") }
        }

        func run() throws {
            let session = try acting.session(in: workspace.open())
            let clock = try failing { try session.read(.browseClock()) }
            let day = received.flatMap(LocalDate.init(parsing:)).map { DataSubjectDue.startOf($0, timeZone: clock.timeZone) }
            let entry = try session.carryOut(.openDataSubjectRequest(type: type, contact: contact.map { Contact.ID($0) },
                                                                     received: day, notes: notes))
            if json { return try JSONOutput.print(entry) }
            print("Recorded request \(entry.id) (\(entry.type.label)), due \(DisplayText.date(entry.dueAt, clock: clock)).")
        }
    }

    /// `dsr close ID [--refused] [--note TEXT]`
    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "close", abstract: "Close a request as completed (or --refused).")
        @Argument(help: "The request's number (dsr list).") var id: Int64
        @Flag(name: .long, help: "Refused rather than completed.") var refused = false
        @Option(name: .long, help: "A note added to the request.") var note: String?
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var acting: ActingUserOptions
        @Flag(name: .long, help: "Print the request as JSON.") var json = false

        func run() throws {
            let session = try acting.session(in: workspace.open())
            let entry = try session.carryOut(.closeDataSubjectRequest(id, refused: refused, note: note))
            if json { return try JSONOutput.print(entry) }
            print("Request \(id) is \(entry.status.label).")
        }
    }

    /// `dsr extend ID --months N --reason TEXT`
    struct Extend: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "extend",
            abstract: "Extend a request once by one or two months, with the reason (Art. 12(3)).")
        @Argument(help: "The request's number (dsr list).") var id: Int64
        @Option(name: .long, help: "1 or 2 more months.") var months: Int
        @Option(name: .long, help: "Why (complex or many requests); the person must be told.") var reason: String
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var acting: ActingUserOptions
        @Flag(name: .long, help: "Print the request as JSON.") var json = false

        func run() throws {
            let session = try acting.session(in: workspace.open())
            let entry = try session.carryOut(.extendDataSubjectRequest(id, months: months, reason: reason))
            if json { return try JSONOutput.print(entry) }
            let clock = try failing { try session.read(.browseClock()) }
            let day = { DisplayText.date($0, clock: clock) }
            print("Request \(id) is now due \(day(entry.dueAt)) (was \(entry.firstDueAt.map(day) ?? "?")).")
        }
    }
}

extension DataSubjectRequestType: ExpressibleByArgument {}

/// How the CLI prints people and requests.
enum DataSubjectText {
    static func matchLine(_ match: PersonMatch) -> String {
        var marks: [String] = []
        if match.restricted { marks.append("RESTRICTED") }
        if match.objected { marks.append("objected") }
        return "\(match.id.rawValue)  \(match.name)  \(match.phone ?? "-")  \(match.email ?? "-")  "
            + "\(DisplayText.count(match.calls, "call")), \(DisplayText.count(match.messages, "message"))"
            + (marks.isEmpty ? "" : "  " + marks.joined(separator: ", "))
    }

    static func entryLine(_ entry: DataSubjectRequestEntry, clock: BrowseClock) -> String {
        let day = { DisplayText.date($0, clock: clock) }
        let due = entry.overdue ? "OVERDUE since \(day(entry.dueAt))" : "due \(day(entry.dueAt))"
        let done = entry.completedAt.map { " \(entry.status.label) \(day($0)) by \(entry.completedByEmail ?? "system")" } ?? ""
        return "\(entry.id)  \(entry.type.label)  \(entry.contactName ?? (entry.contactId == nil ? "(erased)" : "?"))  "
            + "received \(day(entry.receivedAt))  " + (entry.isOpen ? "\(entry.status.label), \(due)" : done.trimmingCharacters(in: .whitespaces))
            + (entry.isExtended ? "  extended (first due \(day(entry.firstDueAt!)))" : "")
    }

    static func holdingLines(_ held: PersonHoldings, clock: BrowseClock) -> [String] {
        var lines: [String] = []
        let day = { DisplayText.date($0, clock: clock) }
        lines.append("Person: " + held.names.joined(separator: " / "))
        lines.append("Numbers: " + (held.phones.isEmpty ? "-" : held.phones.joined(separator: ", ")))
        lines.append("Emails: " + (held.emails.isEmpty ? "-" : held.emails.joined(separator: ", ")))
        if held.isRestricted { lines.append("Processing RESTRICTED") }
        if held.hasObjected { lines.append("Objected to processing") }
        lines.append("Held: " + held.summary)
        lines.append("")
        lines.append("Contacts:")
        for contact in held.contacts {
            lines.append("  \(contact.id?.rawValue ?? 0)  \(contact.name)  \(contact.phone ?? "-")  \(contact.email ?? "-")  since \(day(contact.createdAt))"
                + (contact.optedOutAt.map { "  opted out \(day($0))" } ?? ""))
        }
        if !held.consents.isEmpty {
            lines.append("Consent history:")
            for consent in held.consents {
                lines.append("  \(consent.channel.rawValue): given \(day(consent.givenAt)) (\(consent.method))"
                    + (consent.withdrawnAt.map { ", withdrawn \(day($0))" } ?? ""))
            }
        }
        lines.append("Calls:")
        for held in held.calls {
            let call = held.call
            let audio = held.recording.map { $0.filePath == nil ? "audio deleted" : "recording \(DisplayText.size($0.bytes))" } ?? "no recording"
            lines.append("  \(call.externalId)  \(DisplayText.zonedTimestamp(call.startedAt, clock: clock))  \(call.direction.rawValue)  "
                + "\(DisplayText.duration(call.durationSeconds))  \(call.outcome.rawValue)  \(audio)")
            if !call.summary.isEmpty { lines.append("    \(call.summary)") }
        }
        lines.append("Messages:")
        for message in held.messages {
            lines.append("  \(DisplayText.zonedTimestamp(message.sentAt, clock: clock))  \(message.channel.rawValue) \(message.direction.rawValue)  \(message.body)")
        }
        if !held.drafts.isEmpty {
            lines.append("Drafts:")
            for draft in held.drafts { lines.append("  \(draft.id ?? 0)  \(draft.state.rawValue)  \(draft.body)") }
        }
        if !held.reviews.isEmpty {
            lines.append("Reviews:")
            for review in held.reviews { lines.append("  " + review.line(clock: clock)) }
        }
        if !held.requests.isEmpty {
            lines.append("Requests:")
            for entry in held.requests { lines.append("  " + entryLine(entry, clock: clock)) }
        }
        lines.append("Audit events naming these records: "
            + (held.auditEventSeqs.isEmpty ? "none" : held.auditEventSeqs.map(String.init).joined(separator: ", ")))
        return lines
    }
}
