import Foundation

/// What "now" is for a `WorkspaceSession`, chosen once when it is opened: a CLI command runs at
/// one fixed instant (its preview, its change and the change's audit event agree, and
/// `HANDLET_TEST_NOW` reaches all of them); the console, open for hours, follows the real clock.
public struct SessionClock: Sendable {
    private let reading: @Sendable () -> Date

    private init(_ reading: @escaping @Sendable () -> Date) { self.reading = reading }

    /// The system clock, read at each use.
    public static let system = SessionClock { Date() }

    /// The same instant at every use.
    public static func fixed(_ instant: Date) -> SessionClock { SessionClock { instant } }

    public var now: Date { reading() }
}
