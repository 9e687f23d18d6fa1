import Foundation

/// Test hook for the delivery crash tests, and nothing else: `HANDLET_TEST_DELIVERY_KILL=K:N` makes a
/// delivery pass kill its own process with SIGKILL after the gateway has exited for message `K`
/// (0-based, in the order the pass offers them) and `N` statements of the transaction recording
/// that outcome have started (the purge's hook, `PurgeKillHook`, counting the same way). So `K:0`
/// dies the instant the gateway's success is known and nothing is recorded, `K:1`...`K:n-1` inside
/// the recording transaction (rolled back), `K:n` just after it committed.
///
/// Why: a kill from outside lands between the gateway's exit and our record only by chance; this
/// lands there every time. Unset (always, outside tests), the pass installs no trace.
enum DeliveryKillHook {
    static let variable = "HANDLET_TEST_DELIVERY_KILL"

    static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> PurgeKillHook? {
        PurgeKillHook.fromEnvironment(environment, variable: variable)
    }
}
