/// Every action the audit log records, in one place. The raw value is what the log stores.
public enum AuditAction: String, CaseIterable, Sendable, Codable {
    case workspaceCreated = "workspace.created"
    case demoGenerated = "demo.generated"
    case retentionPeriodChanged = "retention.period_changed"
    case recordingDisabled = "retention.recording_disabled"
    case recordingEnabled = "retention.recording_enabled"
    case legalHoldPlaced = "recording.hold_placed"
    case legalHoldReleased = "recording.hold_released"
    case purgeRun = "recording.purge_run"
    case userAdded = "user.added"
    case userRoleChanged = "user.role_changed"
    case userDisabled = "user.disabled"
    case userEnabled = "user.enabled"
    case consoleSessionStarted = "console.session_started"
    case consoleSessionEnded = "console.session_ended"
}
