/// One active filter as a short label, in the order the screen shows them. `field` lets a screen
/// remove just that filter (`CallFilter.removing(_:)`).
public struct FilterChip: Hashable, Sendable {
    public enum Field: String, Hashable, Sendable, CaseIterable {
        case dateRange, outcome, channel, direction, hasRecording, handledBy, number, unread, autoSent, marketing
    }

    public var field: Field
    public var label: String

    public init(field: Field, label: String) {
        self.field = field
        self.label = label
    }
}
