/// Every list's columns, declared once: the console's tables and the CLI's plain-text tables
/// both draw from these (headers, cells, widths, alignment).
extension CallRow {
    public static let columns = ListColumns<CallRow>([
        ListColumn("Id", .fixed(6), identifiesRow: true) { row, _ in row.id.description },
        ListColumn("When", .fixed(12)) { DisplayText.shortTime($0.startedAt, clock: $1) },
        ListColumn("Contact or number", .flexible(minimum: 17, weight: 3)) { row, _ in row.party },
        ListColumn("Dir", .fixed(3)) { row, _ in row.direction.shortLabel },
        ListColumn("Length", .fixed(7), .trailing) { row, _ in DisplayText.duration(row.durationSeconds) },
        ListColumn("Handled by", .flexible(minimum: 9, weight: 1)) { row, _ in row.handledBy.label },
        ListColumn("Outcome", .flexible(minimum: 15, weight: 1)) { row, _ in row.outcome.label },
        ListColumn("Recording", .fixed(10)) { row, _ in row.recording.shortLabel },
    ])
}

extension ThreadRow {
    public static let columns = ListColumns<ThreadRow>([
        ListColumn("Id", .fixed(6), identifiesRow: true) { row, _ in row.id.description },
        ListColumn("Last activity", .fixed(13)) { DisplayText.shortTime($0.lastActivityAt, clock: $1) },
        ListColumn("Channel", .fixed(9)) { row, _ in row.channel.label },
        ListColumn("Contact", .flexible(minimum: 14, weight: 2)) { row, _ in row.party },
        ListColumn("Unread", .fixed(6), .trailing) { row, _ in row.unreadCount > 0 ? String(row.unreadCount) : "" },
        ListColumn("Last message", .flexible(minimum: 20, weight: 5)) { row, _ in
            // An email's subject says what the conversation is about (issue 25): before its last message.
            let subject = row.subject.map { $0.replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces) } ?? ""
            return (subject.isEmpty ? "" : subject + " · ")
                + (row.lastDirection == .outbound ? "→ " : "← ") + row.lastSnippet.replacingOccurrences(of: "\n", with: " ")
        },
    ])
}

extension ContactRow {
    public static let columns = ListColumns<ContactRow>([
        ListColumn("Id", .fixed(6), identifiesRow: true) { row, _ in row.id.description },
        ListColumn("Name", .flexible(minimum: 16, weight: 2)) { row, _ in row.name },
        ListColumn("Phone", .fixed(16)) { row, _ in row.phone ?? "" },
        ListColumn("Email", .flexible(minimum: 16, weight: 2)) { row, _ in row.email ?? "" },
        ListColumn("Messaging", .fixed(22)) { row, _ in row.messagingState },
    ])

    /// "restricted" (which stops all processing) over "opted out" (which stops marketing); "" for neither.
    public var messagingState: String {
        if restricted { return "restricted" }
        if optedOut { return "opted out" }
        return ""
    }
}

extension TimelineEntry {
    public static let columns = ListColumns<TimelineEntry>([
        ListColumn("When", .fixed(12)) { DisplayText.shortTime($0.at, clock: $1) },
        ListColumn("What", .fixed(9)) { entry, _ in entry.kind.rawValue },
        ListColumn("Dir", .fixed(3)) { entry, _ in entry.direction.shortLabel },
        ListColumn("Outcome or channel", .fixed(18)) { entry, _ in entry.outcome?.label ?? entry.channel?.label ?? "" },
        ListColumn("Summary or message", .flexible(minimum: 20, weight: 1)) { entry, _ in
            entry.text.replacingOccurrences(of: "\n", with: " ")
        },
    ])
}

extension LegalHold.Held {
    public static let columns = ListColumns<LegalHold.Held>([
        ListColumn("Call", .flexible(minimum: 14, weight: 3)) { held, _ in held.callExternalId },
        ListColumn("Since", .fixed(12)) { held, clock in held.heldAt.map { DisplayText.shortTime($0, clock: clock) } ?? "" },
        ListColumn("Held by", .flexible(minimum: 12, weight: 1)) { held, _ in held.heldByEmail ?? "unknown" },
        ListColumn("Reason", .flexible(minimum: 16, weight: 2)) { held, _ in held.reason },
    ])
}

extension User {
    public static let columns = ListColumns<User>([
        ListColumn("Role", .fixed(6)) { user, _ in user.role.rawValue },
        ListColumn("Email", .flexible(minimum: 5, weight: 2)) { user, _ in user.email },
        ListColumn("Name", .flexible(minimum: 4, weight: 1)) { user, _ in user.name + (user.disabled ? " (disabled)" : "") },
    ])
}

extension UserDirectory.Listed {
    /// The users list with when each last signed in (the console's Users tab, `users list`).
    public static let columns = ListColumns<UserDirectory.Listed>([
        ListColumn("Role", .fixed(6)) { listed, _ in listed.user.role.rawValue },
        ListColumn("Email", .flexible(minimum: 5, weight: 2)) { listed, _ in listed.user.email },
        ListColumn("Name", .flexible(minimum: 4, weight: 1)) { listed, _ in listed.user.name + (listed.user.disabled ? " (disabled)" : "") },
        ListColumn("Last active", .fixed(12)) { listed, clock in DisplayText.shortTime(listed.lastActive, clock: clock) },
    ])
}

extension AuditEvent {
    public static let columns = ListColumns<AuditEvent>([
        ListColumn("Seq", .fixed(7), .trailing, identifiesRow: true) { event, _ in String(event.seq ?? 0) },
        ListColumn("When", .fixed(12)) { DisplayText.shortTime($0.at, clock: $1) },
        ListColumn("Actor", .flexible(minimum: 10, weight: 2)) { event, _ in event.actor },
        ListColumn("Action", .flexible(minimum: 14, weight: 2)) { event, _ in event.action },
        ListColumn("Target", .flexible(minimum: 8, weight: 1)) { event, _ in event.target },
        ListColumn("Details", .flexible(minimum: 10, weight: 3)) { event, _ in event.detailsSummary },
    ])
}

extension Direction {
    /// "in" or "out", for narrow columns.
    public var shortLabel: String { self == .inbound ? "in" : "out" }
}
