import Foundation

extension WorkspaceSession {
    /// One Auto-Send delivery pass at `now` (the session's clock unless given): every due outbox
    /// message goes to the configured gateway command, one process per message, each step in its
    /// own transaction (`AutoSendDelivery`), each outcome with its audit event by this session's
    /// actor. Needs `.deliverAutoSend` (the system actor, owners, admins). With no gateway set it
    /// changes nothing and reports how many are due. `progress` is called after each message.
    @discardableResult
    public func deliver(policy: DeliveryPolicy = .standard, now: Date? = nil, cancellation: DeliveryCancellation? = nil,
                        progress: (@Sendable (DeliveryProgress) -> Void)? = nil) async throws -> DeliveryReport {
        try actor.require(.deliverAutoSend)
        return try await AutoSendDelivery(workspace: workspace, policy: policy)
            .run(by: actor, now: now ?? self.now, cancellation: cancellation, progress: progress)
    }

    /// The same on a background task, reporting as events (the console's background delivery).
    public func startDelivery(policy: DeliveryPolicy = .standard, now: Date? = nil) throws -> BackgroundJobRun<DeliveryProgress, DeliveryReport> {
        try actor.require(.deliverAutoSend)
        let delivery = AutoSendDelivery(workspace: workspace, policy: policy)
        let actor = self.actor
        let at = now ?? self.now
        return BackgroundJobRun { cancellation, progress in
            try await delivery.run(by: actor, now: at, cancellation: cancellation, progress: progress)
        }
    }

    /// A workspace's history replayed (the demo generator): every send due by the session's clock
    /// recorded as delivered at its due time, as a pass through a gateway that accepts everything
    /// would. Package-only: a real workspace delivers through its gateway (`deliver`).
    @discardableResult
    package func deliverPastSends() throws -> Int {
        try actor.require(.deliverAutoSend)
        return try AutoSendDelivery(workspace: workspace, policy: .standard).deliverPast(until: now, by: actor)
    }
}
