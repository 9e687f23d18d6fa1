import Foundation

/// Wording shared by the CLI and the Retention tab, so both describe the same facts the same way.
public enum RetentionText {
    /// "0 B", "812 KB", "3.4 MB", "1.2 GB" (powers of 1,000, as disks are sold).
    public static func size(_ bytes: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000 && unit < units.count - 1 { value /= 1000; unit += 1 }
        if unit == 0 { return "\(bytes) B" }
        return value >= 100 ? "\(Int(value.rounded())) \(units[unit])" : String(format: "%.1f %@", value, units[unit])
    }

    /// "2026-03-14 09:30 UTC": the CLI and the tab show stored UTC instants without guessing a zone.
    public static func instant(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d UTC", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!)
    }

    public static func count(_ number: Int, _ noun: String) -> String {
        "\(number.formatted(.number)) \(noun)\(number == 1 ? "" : "s")"
    }

    /// What shortening the period would do, as the confirmation shows it.
    public static func impact(_ preview: ImpactPreview) -> [String] {
        guard preview.isShortening else {
            return ["Changing the retention period from \(preview.from) to \(preview.to) deletes nothing sooner."]
        }
        var lines = ["Shortening the retention period from \(preview.from) to \(preview.to):"]
        if preview.recordings == 0 {
            lines.append("  no stored recording becomes due; later recordings are kept for \(preview.to).")
        } else {
            lines.append("  \(count(preview.recordings, "recording")) (\(size(preview.bytes)) of audio) become due "
                         + "and go at the next purge,")
            if let oldest = preview.oldestCreatedAt, let newest = preview.newestCreatedAt {
                lines.append("  recorded from \(instant(oldest)) to \(instant(newest)).")
            }
        }
        return lines
    }
}
