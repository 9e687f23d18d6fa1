import Foundation
import GRDB

/// A contact with what governs messaging them: consents, opt-out, restriction, and how much is held.
public struct ContactDetail: Sendable {
    public var contact: Contact
    public var consents: [MarketingConsent]
    public var callCount: Int
    public var messageCount: Int
    public var threadCount: Int
    public var timeline: ContactTimeline { ContactTimeline(contactId: contact.id!) }

    /// Opted out: when and by which keyword (STOP, UNSUBSCRIBE...).
    public var optOut: (at: Date, keyword: String?)? {
        contact.optedOutAt.map { ($0, contact.optOutKeyword) }
    }

    /// Processing restricted under a data-subject request: when and why.
    public var restriction: (at: Date, reason: String?)? {
        contact.restrictedAt.map { ($0, contact.restrictionReason) }
    }

    /// Channels with consent given and not withdrawn.
    public var consentedChannels: [Channel] {
        Channel.allCases.filter { channel in consents.contains { $0.channel == channel && $0.withdrawnAt == nil } }
    }

    static func load(id: Contact.ID, in db: Database) throws -> ContactDetail? {
        guard let contact = try Contact.fetchOne(db, key: id) else { return nil }
        let consents = try MarketingConsent.filter(Column("contact_id") == id).order(Column("channel")).fetchAll(db)
        let calls = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM calls WHERE contact_id = ?", arguments: [id]) ?? 0
        let messages = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM messages WHERE contact_id = ?", arguments: [id]) ?? 0
        let threads = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM threads WHERE contact_id = ?", arguments: [id]) ?? 0
        return ContactDetail(contact: contact, consents: consents, callCount: calls, messageCount: messages, threadCount: threads)
    }
}
