import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How often a failed message is tried again, and for how long.
public struct DeliveryPolicy: Sendable, Equatable {
    public static let standard = DeliveryPolicy()
    public static let defaultTimeout: Duration = .seconds(30)

    /// A gateway still running after this is killed (with what it started) and the try counts as failed.
    public var timeout: Duration = DeliveryPolicy.defaultTimeout
    /// Tries in all; the message is marked failed after the last one fails.
    public var maxAttempts = 8
    /// The wait after the first failure, doubled after each further one, never over `retryCap`.
    public var firstRetry: TimeInterval = 60
    public var retryCap: TimeInterval = 3_600

    public init(timeout: Duration = DeliveryPolicy.defaultTimeout, maxAttempts: Int = 8,
                firstRetry: TimeInterval = 60, retryCap: TimeInterval = 3_600) {
        self.timeout = timeout
        self.maxAttempts = maxAttempts
        self.firstRetry = firstRetry
        self.retryCap = retryCap
    }

    /// The wait after failed try number `attempt` (1-based): 60 s, 2 min, 4 min ... capped at an hour.
    public func retryDelay(afterAttempt attempt: Int) -> TimeInterval {
        min(retryCap, firstRetry * pow(2, Double(max(0, attempt - 1))))
    }
}

/// A delivery pass's counts so far: `total` is what it took on (due now, plus any left `sending`
/// by a pass that died).
public struct DeliveryProgress: Sendable, Equatable, Codable {
    public var total = 0
    public var delivered = 0
    /// Failed this time, due again later.
    public var retrying = 0
    /// Failed for the last allowed time: marked failed and shown in the queue.
    public var failed = 0

    public var done: Int { delivered + retrying + failed }
}

public struct DeliveryReport: Sendable, Equatable, Codable {
    /// False when no gateway is configured: nothing was tried and due messages stay due.
    public var gatewayConfigured: Bool
    public var progress: DeliveryProgress
    /// Messages a crashed pass had left `sending`, offered again under their own key.
    public var reoffered: Int
    /// Due messages not offered: their retry time or send time has not come.
    public var waiting: Int
    /// Due now but not offered because no gateway is configured.
    public var dueWithoutGateway: Int
    public var cancelled: Bool
}

public enum DeliveryError: SysexitsError, Equatable, CustomStringConvertible {
    case alreadyRunning(String)
    case lockUnavailable(path: String, reason: String)

    public var exitClass: ExitClass {
        switch self {
        case .alreadyRunning: .busy
        case .lockUnavailable: .cannotCreate
        }
    }

    public var description: String {
        switch self {
        case .alreadyRunning:
            "Another delivery pass is running on this workspace; this one would only wait for it. Try again when it ends."
        case .lockUnavailable(let path, let reason):
            "Cannot create the delivery lock \(path): \(reason)."
        }
    }
}

/// Stops a pass between messages (the console quitting, SIGINT/SIGTERM on the CLI).
public typealias DeliveryCancellation = JobCancellation

/// One delivery pass over the Auto-Send outbox (DESIGN §6) through the operator's gateway command.
///
/// Each message goes due -> sending -> sent | due again | failed, each step its own transaction:
/// 1. one transaction marks it `sending` and counts the attempt;
/// 2. the gateway runs (outside any transaction) with the message on its standard input;
/// 3. one transaction records the outcome: on exit 0 the row `sent`, the sent message stored
///    (auto-sent, with the correlation id) and the audit event; on a failure the row due again
///    with the reason and a retry time, or `failed` after the last allowed try, with its event.
/// A kill between 2 and 3 leaves the row `sending`; only one pass runs at a time (a lock file), so
/// the next pass knows such a row was abandoned and offers it again with the same idempotency key
/// (the key is never made here: it was fixed with the row). So a message may reach the gateway
/// more than once, always under one key, and is never lost.
struct AutoSendDelivery: Sendable {
    let workspace: Workspace
    let policy: DeliveryPolicy

    func run(by actor: Actor, now: Date, cancellation: DeliveryCancellation? = nil,
             progress: (@Sendable (DeliveryProgress) -> Void)? = nil) async throws -> DeliveryReport {
        let nowSeconds = Int64(now.timeIntervalSince1970)
        let gatewayPath = try readGateway()
        guard let gatewayPath else {
            let due = try readSync { db in
                try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM autosend_outbox
                    WHERE state IN ('due', 'sending') AND COALESCE(next_attempt_at, due_at) <= ?
                    """, arguments: [nowSeconds]) ?? 0
            }
            return DeliveryReport(gatewayConfigured: false, progress: DeliveryProgress(), reoffered: 0, waiting: 0,
                                  dueWithoutGateway: due, cancelled: false)
        }
        let lock = try JobLock.delivery(beside: workspace.databaseURL)
        defer { lock.release() }

        // Read after the lock: with no other pass alive, every `sending` row was abandoned by one that died.
        let (ids, reoffered, waiting, business) = try readSync { db in
            let ids = try Int64.fetchAll(db, sql: """
                SELECT id FROM autosend_outbox
                WHERE state = 'sending' OR (state = 'due' AND COALESCE(next_attempt_at, due_at) <= ?)
                ORDER BY COALESCE(next_attempt_at, due_at), id
                """, arguments: [nowSeconds])
            let reoffered = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM autosend_outbox WHERE state = 'sending'") ?? 0
            let waiting = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM autosend_outbox WHERE state = 'due' AND COALESCE(next_attempt_at, due_at) > ?
                """, arguments: [nowSeconds]) ?? 0
            let business = try String.fetchOne(db, sql: "SELECT business_name FROM workspace WHERE id = 1") ?? ""
            // The pages the pass is about to change, read before its first write (issue 28): a
            // damaged one stops it before any message is claimed or reaches the gateway, where
            // otherwise a message could go out and then fail to be recorded in the damaged file.
            if !ids.isEmpty { try BoundedCheck.run(db, Self.pagesToChange(ids), budget: Self.checkBudget) }
            return (ids, reoffered, waiting, business)
        }

        let gateway = GatewayCommand(path: gatewayPath, timeout: policy.timeout)
        let killHook = DeliveryKillHook.fromEnvironment()
        let started = Date()
        var state = DeliveryProgress(total: ids.count)
        progress?(state)
        var cancelled = false
        for (index, id) in ids.enumerated() {
            if cancellation?.isCancelled == true { cancelled = true; break }
            guard let message = try claim(id, business: business, nowSeconds: nowSeconds) else { continue }
            let outcome = await gateway.deliver(message)
            // The session's clock plus the time the pass has taken: tests fix the clock, and a
            // long pass still stamps each message when it went.
            let at = now.addingTimeInterval(Date().timeIntervalSince(started))
            let recorded = try recordWithHook(killHook, index: index) { db in
                try record(outcome, of: id, message: message, by: actor, at: at, db)
            }
            switch recorded {
            case .sent: state.delivered += 1
            case .retrying: state.retrying += 1
            case .failed: state.failed += 1
            case .gone: break
            }
            progress?(state)
        }
        return DeliveryReport(gatewayConfigured: true, progress: state, reoffered: reoffered, waiting: waiting,
                              dueWithoutGateway: 0, cancelled: cancelled)
    }

    /// How long the check before a pass may read (the purge's budget).
    static let checkBudget: TimeInterval = 3

    /// What a pass over `ids` reads and writes: the outbox rows and their drafts, the messages,
    /// threads and reviews the drafts answer, and the newest pages of the tables it appends to
    /// (messages, threads, the audit log).
    static func pagesToChange(_ ids: [Int64]) -> [BoundedCheck.Target] {
        let drafts = "SELECT draft_id FROM autosend_outbox WHERE id IN (SELECT value FROM json_each(?))"
        return [
            BoundedCheck.rows(of: "autosend_outbox", ids: ids),
            BoundedCheck.Target(sql: "SELECT * FROM drafts WHERE id IN (\(drafts))", ids: ids),
            BoundedCheck.Target(sql: """
                SELECT * FROM messages WHERE id IN (SELECT target_id FROM drafts WHERE target_kind = 'message' AND id IN (\(drafts)))
                """, ids: ids),
            BoundedCheck.Target(sql: """
                SELECT * FROM reviews WHERE id IN (SELECT target_id FROM drafts WHERE target_kind = 'review' AND id IN (\(drafts)))
                """, ids: ids),
            BoundedCheck.Target(sql: "SELECT * FROM threads WHERE contact_id IN (SELECT contact_id FROM drafts WHERE id IN (\(drafts)))",
                                ids: ids),
            BoundedCheck.newest(64, of: "messages"), BoundedCheck.newest(64, of: "threads"),
            BoundedCheck.newest(64, of: "audit_events"),
        ]
    }

    /// A workspace's past, replayed (the demo's history): every send due by `until`, in due order,
    /// through the same claim and record steps as a pass, accepted at its due time by a stand-in
    /// for the gateway. Returns how many were recorded sent.
    func deliverPast(until: Date, by actor: Actor) throws -> Int {
        let untilSeconds = Int64(until.timeIntervalSince1970)
        let (due, business) = try readSync { db in
            let due = try Row.fetchAll(db, sql: """
                SELECT id, due_at FROM autosend_outbox WHERE state = 'due' AND due_at <= ? ORDER BY due_at, id
                """, arguments: [untilSeconds]).map { (id: $0[0] as Int64, dueAt: $0[1] as Int64) }
            let business = try String.fetchOne(db, sql: "SELECT business_name FROM workspace WHERE id = 1") ?? ""
            return (due, business)
        }
        var sent = 0
        for (id, dueAt) in due {
            guard let message = try claim(id, business: business, nowSeconds: dueAt) else { continue }
            let recorded = try workspace.dbPool.write { db in
                try record(.delivered, of: id, message: message, by: actor,
                           at: Date(timeIntervalSince1970: TimeInterval(dueAt)), db)
            }
            if case .sent = recorded { sent += 1 }
        }
        return sent
    }

    private func readGateway() throws -> String? {
        try workspace.dbPool.read { db in try AutoSendSettings.load(db).gateway }
    }

    /// GRDB's blocking read, from the async pass: each is one short indexed read.
    private func readSync<T>(_ body: (Database) throws -> T) throws -> T {
        try workspace.dbPool.read(body)
    }

    /// Step 3's transaction, under the crash tests' kill hook when one is set.
    private func recordWithHook(_ hook: PurgeKillHook?, index: Int, _ body: (Database) throws -> Recorded) throws -> Recorded {
        var counter: PurgeKillHook.Counter?
        let recorded = try workspace.dbPool.write { db in
            counter = hook?.arm(db, batch: index)
            return try body(db)
        }
        hook?.afterCommit(counter)
        return recorded
    }

    /// Step 1: the row becomes `sending` with one more attempt, in its own transaction; nil when it
    /// is no longer due (decided otherwise since the pass listed it).
    private func claim(_ id: Int64, business: String, nowSeconds: Int64) throws -> GatewayMessage? {
        try workspace.dbPool.write { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT idempotency_key, correlation_id, channel, to_address, body, draft_id, attempts FROM autosend_outbox
                WHERE id = ? AND (state = 'sending' OR (state = 'due' AND COALESCE(next_attempt_at, due_at) <= ?))
                """, arguments: [id, nowSeconds]) else { return nil }
            let attempt = (row["attempts"] as Int) + 1
            try db.execute(sql: "UPDATE autosend_outbox SET state = 'sending', attempts = ? WHERE id = ?",
                           arguments: [attempt, id])
            return GatewayMessage(idempotencyKey: row["idempotency_key"], correlationId: row["correlation_id"],
                                  channel: row["channel"], to: row["to_address"], body: row["body"], business: business,
                                  draftId: row["draft_id"], attempt: attempt)
        }
    }

    private enum Recorded { case sent, retrying, failed, gone }

    /// Step 3, inside its transaction: the outcome, the sent message when there is one, and the event.
    private func record(_ outcome: GatewayOutcome, of id: Int64, message: GatewayMessage, by actor: Actor,
                        at: Date, _ db: Database) throws -> Recorded {
        guard try Int.fetchOne(db, sql: "SELECT 1 FROM autosend_outbox WHERE id = ? AND state = 'sending'",
                               arguments: [id]) != nil else { return .gone }
        let atSeconds = Int64(at.timeIntervalSince1970)
        var details: [String: AuditValue] = [
            "correlation_id": .string(message.correlationId), "outbox_id": .int(id),
            "attempt": .int(Int64(message.attempt)), "channel": .string(message.channel),
        ]
        switch outcome {
        case .delivered:
            let messageId = try storeSentMessage(message, outboxId: id, at: atSeconds, db)
            try db.execute(sql: """
                UPDATE autosend_outbox SET state = 'sent', sent_at = ?, message_id = ?, last_error = NULL,
                    next_attempt_at = NULL WHERE id = ?
                """, arguments: [atSeconds, messageId, id])
            if let messageId { details["message_id"] = .int(messageId) }
            try AuditLog.append(db, actor: actor, action: .autoSendDelivered, target: "outbox:\(id)", details: details, at: at)
            return .sent
        case .failed(let reason):
            // The reason is the gateway's words: kept on the row for the queue, never in the audit log.
            if message.attempt >= policy.maxAttempts {
                try db.execute(sql: """
                    UPDATE autosend_outbox SET state = 'failed', last_error = ?, next_attempt_at = NULL WHERE id = ?
                    """, arguments: [reason, id])
                try AuditLog.append(db, actor: actor, action: .autoSendDeliveryFailed, target: "outbox:\(id)",
                                    details: details, at: at)
                return .failed
            }
            let retryAt = atSeconds + Int64(policy.retryDelay(afterAttempt: message.attempt).rounded(.up))
            try db.execute(sql: """
                UPDATE autosend_outbox SET state = 'due', last_error = ?, next_attempt_at = ? WHERE id = ?
                """, arguments: [reason, retryAt, id])
            details["retry_at"] = .int(retryAt)
            try AuditLog.append(db, actor: actor, action: .autoSendDeliveryRetry, target: "outbox:\(id)",
                                details: details, at: at)
            return .retrying
        }
    }

    /// The message that went out, in the conversation its draft answers (or the contact's latest
    /// on that channel, or a new one), marked auto-sent with the draft's correlation id. A review
    /// reply is stored on the review instead. Returns the message's id (nil for a review reply).
    private func storeSentMessage(_ message: GatewayMessage, outboxId: Int64, at: Int64, _ db: Database) throws -> Int64? {
        guard let draft = try Row.fetchOne(db, sql: "SELECT target_kind, target_id, contact_id FROM drafts WHERE id = ?",
                                           arguments: [message.draftId]) else { return nil }
        let targetKind: String = draft["target_kind"]
        let targetId: Int64 = draft["target_id"]
        let contactId: Int64? = draft["contact_id"]
        if message.channel == "review" {
            if targetKind == "review" {
                try db.execute(sql: "UPDATE reviews SET reply_text = ?, replied_at = ? WHERE id = ?",
                               arguments: [message.body, at, targetId])
            }
            return nil
        }
        var threadId: Int64?
        if targetKind == "message" {
            threadId = try Int64.fetchOne(db, sql: "SELECT thread_id FROM messages WHERE id = ? AND channel = ?",
                                          arguments: [targetId, message.channel])
        }
        if threadId == nil, let contactId {
            threadId = try Int64.fetchOne(db, sql: """
                SELECT id FROM threads WHERE contact_id = ? AND channel = ? ORDER BY last_activity_at DESC, id DESC LIMIT 1
                """, arguments: [contactId, message.channel])
        }
        if threadId == nil {
            try db.execute(sql: """
                INSERT INTO threads (contact_id, channel, last_activity_at, unread_count, message_count) VALUES (?, ?, ?, 0, 0)
                """, arguments: [contactId, message.channel, at])
            threadId = db.lastInsertedRowID
        }
        let business = try Row.fetchOne(db, sql: "SELECT business_phone, business_email FROM workspace WHERE id = 1")
        let from: String = switch message.channel {
        case "sms", "whatsapp": (business?["business_phone"] as String?) ?? message.business
        case "email": (business?["business_email"] as String?) ?? message.business
        default: message.business
        }
        // Auto-sent only when no person approved it: an approved reply went out through the same
        // path, with the same correlation id, but a person sent it.
        let automatic = try Bool.fetchOne(db, sql: """
            SELECT e.approved_by IS NULL FROM autosend_outbox o JOIN autosend_evaluations e ON e.id = o.evaluation_id WHERE o.id = ?
            """, arguments: [outboxId]) ?? true
        try db.execute(sql: """
            INSERT INTO messages (thread_id, channel, direction, from_address, to_address, contact_id, body, sent_at,
                delivery_status, auto_sent, correlation_id)
            VALUES (?, ?, 'outbound', ?, ?, ?, ?, ?, 'sent', ?, ?)
            """, arguments: [threadId, message.channel, from, message.to, contactId, message.body, at, automatic,
                             message.correlationId])
        let messageId = db.lastInsertedRowID
        try db.execute(sql: """
            UPDATE threads SET message_count = message_count + 1, last_activity_at = MAX(last_activity_at, ?) WHERE id = ?
            """, arguments: [at, threadId])
        return messageId
    }
}

extension JobLock {
    /// One delivery pass at a time per workspace, so a `sending` row seen under the lock was abandoned.
    static func delivery(beside databaseURL: URL) throws -> JobLock {
        try acquire("delivery", beside: databaseURL, busy: DeliveryError.alreadyRunning,
                    unavailable: { DeliveryError.lockUnavailable(path: $0, reason: $1) })
    }
}
