import Foundation

/// Wording shared by the CLI and the Retention tab, so both describe the same facts the same way.
/// Sizes, counts and instants are `DisplayText`'s.
public enum RetentionText {
    /// "1 recording (812 KB)", "17 recordings (3.4 MB)".
    public static func recordings(_ count: Int, bytes: Int64) -> String {
        "\(DisplayText.count(count, "recording")) (\(DisplayText.size(bytes)))"
    }

    /// What the next purge deletes: "1 recording (812 KB) goes at the next purge".
    public static func dueNow(_ due: RetentionOverview.Amount) -> String {
        "\(recordings(due.recordings, bytes: due.bytes)) \(due.recordings == 1 ? "goes" : "go") at the next purge"
    }

    /// "Shortening the retention period from 30 days to 7 days": what the change is, before its impact.
    public static func change(_ preview: ImpactPreview) -> String {
        "\(preview.isShortening ? "Shortening" : "Changing") the retention period from \(preview.from) to \(preview.to)"
    }

    /// What changing the period does to what is stored, as the confirmation (the tab's, the CLI's) shows it.
    public static func impact(_ preview: ImpactPreview) -> String {
        let redated = "Every stored recording's expiry is re-dated to its creation plus \(preview.to)."
        guard preview.isShortening else { return "Nothing is deleted sooner. " + redated }
        guard preview.recordings > 0 else { return "No stored recording becomes due. " + redated }
        var range = ""
        if let oldest = preview.oldestCreatedAt, let newest = preview.newestCreatedAt {
            let clock = BrowseClock(now: preview.computedAt, timeZone: preview.zone)
            range = ", recorded from \(DisplayText.zonedTimestamp(oldest, clock: clock)) to \(DisplayText.zonedTimestamp(newest, clock: clock))"
        }
        let one = preview.recordings == 1
        return "\(DisplayText.count(preview.recordings, "recording")) (\(DisplayText.size(preview.bytes)) of audio\(range)) "
            + "\(one ? "becomes" : "become") due and \(one ? "goes" : "go") at the next purge. " + redated
    }

    /// "3 could not be deleted (2 unsafe paths, 1 not a file)", or nil when the run skipped none.
    /// Those recordings stay stored and due; the next purge retries them.
    public static func skipped(_ skips: PurgeSkips) -> String? {
        guard skips.total > 0 else { return nil }
        let kinds = [(skips.unsafePaths, "unsafe path", "unsafe paths"), (skips.notFiles, "not a file", "not files"),
                     (skips.notDeletable, "folder refuses deletion", "folders refuse deletion")]
            .filter { $0.0 > 0 }.map { "\($0.0) \($0.0 == 1 ? $0.1 : $0.2)" }
        return "\(skips.total) could not be deleted (\(kinds.joined(separator: ", ")))"
    }

    /// "14 Mar 2026 09:30 by system: 18 recordings (3.4 MB), 1 file already missing", or "never";
    /// `when` writes the moment (the console's `timestamp`, the CLI's zoned one).
    public static func lastPurge(_ last: RetentionOverview.LastPurge?, when: (Date) -> String = DisplayText.instant) -> String {
        guard let last else { return "never" }
        var result = "\(when(last.at)) by \(last.actor): \(recordings(last.purged, bytes: last.bytes))"
        if last.missingFiles > 0 { result += ", \(DisplayText.count(last.missingFiles, "file")) already missing" }
        if let skipped = skipped(last.skipped) { result += ", " + skipped }
        if last.interruptions > 0 { result += ", resumed after \(DisplayText.count(last.interruptions, "interruption"))" }
        if last.callTexts > 0 { result += ", text of \(DisplayText.count(last.callTexts, "call"))" }
        if last.messageTexts > 0 { result += ", text of \(DisplayText.count(last.messageTexts, "message"))" }
        if last.cancelled { result += ", stopped early" }
        return result
    }
}
