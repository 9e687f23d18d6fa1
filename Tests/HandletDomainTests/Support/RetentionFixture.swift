import Foundation
import GRDB
@testable import HandletDomain
import HandletTestSupport

/// The domain tests' name for the shared four-role workspace (`HandletTestSupport.RolesWorkspace`).
typealias RetentionFixture = RolesWorkspace

/// Reading rows back, for tests of the store itself.
extension RolesWorkspace {
    func recording(_ id: Recording.ID?) throws -> Recording {
        try workspace.dbPool.read { db in try Recording.fetchOne(db, key: id)! }
    }

    func call(_ id: Call.ID?) throws -> Call {
        try workspace.dbPool.read { db in try Call.fetchOne(db, key: id)! }
    }

    func auditEvents(_ action: String) throws -> [AuditEvent] {
        try workspace.dbPool.read { db in
            try AuditEvent.filter(Column("action") == action).order(Column("seq")).fetchAll(db)
        }
    }

    func auditDetails(_ event: AuditEvent) throws -> [String: AuditValue] {
        try JSONDecoder().decode([String: AuditValue].self, from: Data(event.details.utf8))
    }
}
