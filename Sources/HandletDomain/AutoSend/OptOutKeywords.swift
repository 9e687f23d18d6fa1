import Foundation
import GRDB

/// What an inbound message asks for when it is nothing but an opt-out or re-subscribe keyword.
public enum OptOutSignal: Hashable, Sendable, Codable {
    case optOut(keyword: String)
    case optIn(keyword: String)

    public var keyword: String {
        switch self {
        case .optOut(let keyword), .optIn(let keyword): keyword
        }
    }
}

/// The opt-out keywords of DESIGN §6. A message counts when, once surrounding spaces, line breaks
/// and punctuation are stripped, it is exactly one keyword in any case ("stop", " Stop! ",
/// "UNSUBSCRIBE."). A keyword inside a sentence ("please don't stop the work") does not count:
/// the carriers' keyword handling works the same way, and it never suppresses a customer who was
/// only talking.
public enum OptOutKeyword {
    public static let stopWords: Set<String> = ChannelWording.optOutWords
    public static let startWords: Set<String> = ["START", "UNSTOP"]

    private static let strip = CharacterSet.whitespacesAndNewlines.union(.punctuationCharacters)
        .union(CharacterSet(charactersIn: "\u{200B}\u{FEFF}"))

    public static func signal(in body: String) -> OptOutSignal? {
        // Longer than any keyword with generous punctuation: not a keyword message; skip the work.
        guard body.utf8.count <= 64 else { return nil }
        let word = body.trimmingCharacters(in: strip).uppercased()
        if stopWords.contains(word) { return .optOut(keyword: word) }
        if startWords.contains(word) { return .optIn(keyword: word) }
        return nil
    }
}

/// What processing one inbound message did to its contact.
public struct OptOutChange: Hashable, Sendable {
    public let messageId: Message.ID
    public let contactId: Contact.ID?
    /// The keyword found, if the message was one.
    public let signal: OptOutSignal?
    /// False when there was no keyword, no contact, or the contact was already in that state.
    public let changed: Bool
}

public enum OptOutError: SysexitsError, Equatable, CustomStringConvertible {
    case noSuchMessage(Message.ID)
    case notInbound(Message.ID)

    public var exitClass: ExitClass {
        switch self {
        case .noSuchMessage, .notInbound: .dataError
        }
    }

    public var description: String {
        switch self {
        case .noSuchMessage(let id): "No message with id \(id)."
        case .notInbound(let id): "Message \(id) was sent by the business, not received: only inbound messages carry opt-out keywords."
        }
    }
}

extension WorkspaceCommand where Result == OptOutChange {
    /// Reads a stored inbound message; if it is an opt-out keyword its contact is suppressed from
    /// now on (opted out, with the keyword), if START or UNSTOP the opt-out is lifted (a data-subject
    /// restriction stays). Audited as `contact.opt_out_changed` naming the message and keyword.
    public static func processOptOutKeywords(inMessage id: Message.ID) -> Self {
        WorkspaceCommand(.recordInboundMessages, audit: .contactOptOutChanged) { db, environment in
            let applied = try Arrival.applyOptOutKeywords(inMessage: id, db, now: environment.now)
            guard let audit = applied.audit else { return .unchanged(applied.change) }
            return .changed(applied.change, target: audit.target, details: audit.details)
        }
    }
}
