import Foundation
import GRDB

/// What a rectification changed: which fields, never their values (the values are the person's).
public struct Rectification: Sendable, Equatable, Codable {
    public let contactId: Contact.ID
    public let fields: [String]
}

/// A restriction, its lifting, or an objection, on one contact.
public struct ContactMark: Sendable, Equatable, Codable {
    public let contactId: Contact.ID
    public let name: String
    /// Messages queued for Auto-Send that a restriction stopped before they went.
    public let stoppedSends: Int
}

enum PersonRules {
    static func contact(_ id: Contact.ID, _ db: Database) throws -> Contact {
        guard let contact = try Contact.fetchOne(db, key: id) else { throw DataSubjectError.noSuchContact(id.rawValue) }
        return contact
    }

    static let nameLimit = 200

    static func validatedEmail(_ text: String) throws -> String? {
        let email = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if email.isEmpty { return nil }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              !email.contains(where: { $0.isWhitespace || $0.isNewline }), email.count <= 254 else {
            throw DataSubjectError.invalidEmail(text)
        }
        return email
    }
}

extension WorkspaceCommand where Result == Rectification {
    /// Corrects a contact's name, email or phone (Art. 16). A nil field stays as it is; an empty
    /// email or phone removes it. The audit event lists which fields changed, never the old or new values.
    public static func rectifyContact(_ id: Contact.ID, name: String? = nil, email: String? = nil, phone: String? = nil) -> Self {
        WorkspaceCommand(.dataSubjectExportRectifyRestrict, audit: .contactRectified, rules: { db, _ in
            _ = try PersonRules.contact(id, db)
            guard name != nil || email != nil || phone != nil else { throw DataSubjectError.nothingToRectify }
        }) { db, _ in
            var contact = try PersonRules.contact(id, db)
            var fields: [String] = []
            if let name {
                let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !trimmed.isEmpty else { throw DataSubjectError.emptyName }
                guard trimmed.count <= PersonRules.nameLimit else { throw DataSubjectError.textTooLong(field: "name", limit: PersonRules.nameLimit) }
                if trimmed != contact.name { contact.name = trimmed; fields.append("name") }
            }
            if let email {
                let value = try PersonRules.validatedEmail(email)
                if value != contact.email { contact.email = value; fields.append("email") }
            }
            if let phone {
                let trimmed = phone.trimmingCharacters(in: .whitespacesAndNewlines)
                let value: String?
                if trimmed.isEmpty { value = nil } else {
                    guard let number = PhoneNumber.e164(trimmed) else { throw DataSubjectError.invalidPhone(phone) }
                    value = number
                }
                if value != contact.phone { contact.phone = value; fields.append("phone") }
            }
            let result = Rectification(contactId: id, fields: fields)
            guard !fields.isEmpty else { return .unchanged(result) }
            try contact.update(db, columns: ["name", "email", "phone"])
            return .changed(result, target: "contact:\(id.rawValue)", details: ["fields": .string(fields.joined(separator: ","))])
        }
    }
}

extension WorkspaceCommand where Result == ContactMark {
    /// Restricts processing of a contact's data (Art. 18): from now on Auto-Send never sends to
    /// them (its suppression gate reads the mark), messages already queued for them are stopped,
    /// and every list marks them. The reason stays on the contact, out of the audit log.
    public static func restrictContact(_ id: Contact.ID, reason: String? = nil) -> Self {
        WorkspaceCommand(.dataSubjectExportRectifyRestrict, audit: .contactRestricted, rules: { db, _ in
            let contact = try PersonRules.contact(id, db)
            guard contact.restrictedAt == nil else { throw DataSubjectError.alreadyRestricted(contact.name) }
        }) { db, environment in
            var contact = try PersonRules.contact(id, db)
            contact.restrictedAt = Date(timeIntervalSince1970: environment.now.timeIntervalSince1970.rounded(.down))
            contact.restrictionReason = try DataSubjectRegister.validatedNote(reason, field: "reason")
            try contact.update(db, columns: ["restricted_at", "restriction_reason"])
            try db.execute(sql: """
                UPDATE autosend_outbox SET state = 'failed', last_error = 'processing restricted (data-subject request)'
                WHERE state IN ('due', 'sending') AND draft_id IN (SELECT id FROM drafts WHERE contact_id = ?)
                """, arguments: [id])
            let stopped = db.changesCount
            return .changed(ContactMark(contactId: id, name: contact.name, stoppedSends: stopped),
                            target: "contact:\(id.rawValue)", details: ["stopped_sends": .int(Int64(stopped))])
        }
    }

    /// Lifts a restriction: the contact is processed (and may be auto-sent to) again.
    public static func unrestrictContact(_ id: Contact.ID) -> Self {
        WorkspaceCommand(.dataSubjectExportRectifyRestrict, audit: .contactUnrestricted, rules: { db, _ in
            let contact = try PersonRules.contact(id, db)
            guard contact.restrictedAt != nil else { throw DataSubjectError.notRestricted(contact.name) }
        }) { db, _ in
            var contact = try PersonRules.contact(id, db)
            contact.restrictedAt = nil
            contact.restrictionReason = nil
            try contact.update(db, columns: ["restricted_at", "restriction_reason"])
            return .changed(ContactMark(contactId: id, name: contact.name, stoppedSends: 0), target: "contact:\(id.rawValue)")
        }
    }

    /// Records the person's objection to processing (Art. 21). Marketing stops with it: the contact
    /// is marked opted out too (the Auto-Send gate already refuses marketing to opted-out contacts).
    public static func recordObjection(_ id: Contact.ID) -> Self {
        WorkspaceCommand(.dataSubjectExportRectifyRestrict, audit: .contactObjectionRecorded, rules: { db, _ in
            let contact = try PersonRules.contact(id, db)
            guard contact.objectedAt == nil else { throw DataSubjectError.alreadyObjected(contact.name) }
        }) { db, environment in
            var contact = try PersonRules.contact(id, db)
            let now = Date(timeIntervalSince1970: environment.now.timeIntervalSince1970.rounded(.down))
            contact.objectedAt = now
            var columns = ["objected_at"]
            if contact.optedOutAt == nil { contact.optedOutAt = now; columns.append("opted_out_at") }
            try contact.update(db, columns: columns)
            return .changed(ContactMark(contactId: id, name: contact.name, stoppedSends: 0), target: "contact:\(id.rawValue)",
                            details: ["opted_out": .bool(columns.count == 2)])
        }
    }
}
