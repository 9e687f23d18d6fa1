/// Every action the audit log records, in one place. The raw value is what the log stores.
public enum AuditAction: String, CaseIterable, Sendable, Codable {
    case workspaceCreated = "workspace.created"
    case demoGenerated = "demo.generated"
    case retentionPeriodChanged = "retention.period_changed"
    case recordingDisabled = "retention.recording_disabled"
    case recordingEnabled = "retention.recording_enabled"
    case legalHoldPlaced = "recording.hold_placed"
    case legalHoldReleased = "recording.hold_released"
    /// A recording saved to a file (`calls recording --output`, the console's save key).
    case recordingExported = "recording.exported"
    /// A recording handed to a player in the console.
    case recordingPlayed = "recording.played"
    case purgeRun = "recording.purge_run"
    /// How long call summaries and transcripts, or message bodies, are kept (off, or a period).
    case textRetentionChanged = "retention.text_period_changed"
    /// A person deleted one call's summary and transcript (data minimisation); the call stays.
    case callTextDeleted = "call.text_deleted"
    /// A person deleted one message's text (data minimisation); the message's metadata stays.
    case messageTextDeleted = "message.text_deleted"
    /// Everything the workspace holds was exported (end of service), with the manifest's hash.
    case workspaceExported = "workspace.exported"
    case userAdded = "user.added"
    case userRoleChanged = "user.role_changed"
    case userDisabled = "user.disabled"
    case userEnabled = "user.enabled"
    case consoleSessionStarted = "console.session_started"
    case consoleSessionEnded = "console.session_ended"
    case noticeImported = "notice.imported"
    case noticeRead = "notice.read"
    /// A person opened a conversation with unread messages, which cleared its unread count.
    case threadRead = "thread.read"
    /// A person changed one of their own console preferences (the Calls list's hidden columns).
    case preferenceChanged = "preference.changed"
    case noticeAcknowledged = "notice.acknowledged"
    case noticeObjected = "notice.objected"
    case lawfulBasisRecorded = "compliance.lawful_basis_recorded"
    case callerNoticeSet = "compliance.caller_notice_set"
    case autoSendSettingsChanged = "autosend.settings_changed"
    case autoSendAcknowledged = "autosend.acknowledged"
    case autoSendBulkApplied = "autosend.bulk_applied"
    case contactOptOutChanged = "contact.opt_out_changed"
    case draftApproved = "draft.approved"
    case draftEdited = "draft.edited"
    case draftDiscarded = "draft.discarded"
    case draftRated = "draft.rated"
    /// A drafted reply arrived from outside and was evaluated at once.
    case draftArrived = "draft.arrived"
    /// The gateway took an Auto-Send message (exit 0); the sent message is stored in the same transaction.
    case autoSendDelivered = "autosend.delivered"
    /// A try failed and the message is due again at `retry_at` (the reason stays on the outbox row).
    case autoSendDeliveryRetry = "autosend.delivery_retry"
    /// The last allowed try failed: the message is marked failed and shown in the queue.
    case autoSendDeliveryFailed = "autosend.delivery_failed"
    /// Data-subject requests (issue 23): the register, and what was done for the person. The
    /// details name records by id and say what kind of change it was; never a name, number or value.
    case dataSubjectRequestOpened = "dsr.opened"
    case dataSubjectRequestClosed = "dsr.closed"
    case dataSubjectRequestExtended = "dsr.extended"
    case dataSubjectExported = "dsr.exported"
    case contactRectified = "contact.rectified"
    case contactRestricted = "contact.restricted"
    case contactUnrestricted = "contact.unrestricted"
    case contactObjectionRecorded = "contact.objection_recorded"
    case contactErased = "contact.erased"
    /// An erasure's last steps were done (its audio deleted, the full-text indexes merged): counts only.
    case erasureFinished = "dsr.erasure_finished"
    /// Reviews a person picked as written by a contact (held about them from then on), or no longer.
    case reviewsAttributed = "dsr.reviews_attributed"
    case reviewsUnattributed = "dsr.reviews_unattributed"
    /// One batch of an import was stored (`handlet import`): counts only, never the records' text.
    case recordsImported = "records.imported"
    /// Every record was written out (`handlet export`): counts and the format.
    case recordsExported = "records.exported"
}
