import ArgumentParser
import Foundation
import HandletDomain

/// `handlet contacts list|show`: the Contacts tab for scripts.
struct ContactsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contacts", abstract: "List contacts by name, or show one with its timeline.",
        subcommands: [List.self, Show.self], defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List contacts by family name, A to Z, or those a search finds.",
            discussion: """
                --search finds contacts whose name or email has words beginning with every word typed \
                (accents ignored: "zoe" finds Zoë), or whose phone is the number typed, in any form.
                """)
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var reader: ReadingUserOptions
        @OptionGroup var limit: LimitOption
        @Option(name: .long, help: ArgumentHelp("Continue after this contact (the last id of the previous page).", valueName: "ID"))
        var after: Int64?
        @Option(name: .long, help: ArgumentHelp("Only contacts found by a name, an email or a phone number.", valueName: "TEXT"))
        var search: String?
        @Flag(name: .long, help: "Print JSON (fields in docs/json.md).") var json = false

        func run() throws {
            let session = try BrowseSession(workspace, reader)
            let text = search ?? ""
            let rows = try after.map { try session.read(.contacts(afterContact: Contact.ID($0), limit: limit.limit, search: text)) }
                ?? failing { try session.pager(ContactPage(search: text)).first(limit: limit.limit) }
            guard let rows else { throw CommandFailure("--after \(after ?? 0): no contact with that id in this workspace.", .dataError) }
            if json { return try JSONOutput.print(rows.map(ContactEntry.init)) }
            let output = session.output
            guard !rows.isEmpty else {
                return print(search.map { "No contact matches \(output.safe($0))." } ?? "No contacts.")
            }
            for line in output.table(ContactRow.columns, rows) { print(line) }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a contact: consent, opt-out, restriction, timeline.")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var reader: ReadingUserOptions
        @Argument(help: "The contact's id.") var contact: Int64
        @OptionGroup var limit: LimitOption
        @Flag(name: .long, help: "Print JSON (fields in docs/json.md).") var json = false

        func run() throws {
            let session = try BrowseSession(workspace, reader)
            guard let detail = try session.read(.contact(Contact.ID(contact))) else { throw CommandFailure("No contact \(contact) in this workspace.", .dataError) }
            let timeline = try failing { try session.pager(detail.timeline).first(limit: limit.limit) }
            if json { return try JSONOutput.print(ContactDetailEntry(detail, timeline: timeline)) }
            let output = session.output
            let person = detail.contact
            func when(_ at: Date, _ note: String?) -> String {
                "yes, \(output.time(at))" + (note.map { " (\(output.safe($0)))" } ?? "")
            }
            let optOut = detail.optOut.map { when($0.at, $0.keyword) } ?? "no"
            let restriction = detail.restriction.map { when($0.at, $0.reason) } ?? "no"
            let channels = detail.consentedChannels.map(\.label).joined(separator: ", ")
            var lines = ["Contact \(contact): \(output.safe(person.name))"]
            lines.append("Phone:       \(output.safe(person.phone ?? "—"))")
            lines.append("Email:       \(output.safe(person.email ?? "—"))")
            lines.append("Opted out:   \(optOut)")
            lines.append("Restricted:  \(restriction)")
            lines.append("Marketing:   \(channels.isEmpty ? "no consent" : channels)")
            lines.append("Held:        \(DisplayText.count(detail.callCount, "call")), \(DisplayText.count(detail.messageCount, "message")) in \(DisplayText.count(detail.threadCount, "thread"))")
            lines += ["", "Timeline (newest first)"]
            lines += timeline.isEmpty ? ["  (nothing yet)"] : output.table(TimelineEntry.columns, timeline).map { "  " + $0 }
            print(lines.joined(separator: "\n"))
        }
    }
}

/// One line of `contacts list --json`.
struct ContactEntry: Encodable {
    let id: Contact.ID
    let name: String
    let phone: String?
    let email: String?
    let optedOut: Bool
    let restricted: Bool

    init(_ row: ContactRow) {
        id = row.id; name = row.name; phone = row.phone; email = row.email; optedOut = row.optedOut; restricted = row.restricted
    }
}

/// `contacts show --json`.
struct ContactDetailEntry: Encodable {
    struct Consent: Encodable { let channel: String; let givenAt: Date; let method: String; let withdrawnAt: Date? }
    struct Entry: Encodable {
        let kind: String
        /// The call's or the message's id.
        let id: Int64
        let at: Date
        let direction: String
        let outcome: String?
        let durationSeconds: Int?
        let channel: String?
        let threadId: MessageThread.ID?
        let text: String
    }

    let id: Contact.ID
    let name: String
    let phone: String?
    let email: String?
    let optedOutAt: Date?
    let optOutKeyword: String?
    let restrictedAt: Date?
    let restrictionReason: String?
    let marketingConsents: [Consent]
    let callCount: Int
    let messageCount: Int
    let threadCount: Int
    let timeline: [Entry]

    init(_ detail: ContactDetail, timeline: [TimelineEntry]) {
        let contact = detail.contact
        id = contact.id ?? Contact.ID(0); name = contact.name; phone = contact.phone; email = contact.email
        optedOutAt = contact.optedOutAt; optOutKeyword = contact.optOutKeyword
        restrictedAt = contact.restrictedAt; restrictionReason = contact.restrictionReason
        marketingConsents = detail.consents.map {
            Consent(channel: $0.channel.rawValue, givenAt: $0.givenAt, method: $0.method, withdrawnAt: $0.withdrawnAt)
        }
        callCount = detail.callCount; messageCount = detail.messageCount; threadCount = detail.threadCount
        self.timeline = timeline.map {
            let (id, thread): (Int64, MessageThread.ID?) = switch $0.target {
            case .call(let call): (call.rawValue, nil)
            case .message(let message, let thread): (message.rawValue, thread)
            }
            return Entry(kind: $0.kind.rawValue, id: id, at: $0.at, direction: $0.direction.rawValue, outcome: $0.outcome?.rawValue,
                         durationSeconds: $0.durationSeconds, channel: $0.channel?.rawValue, threadId: thread, text: $0.text)
        }
    }
}
