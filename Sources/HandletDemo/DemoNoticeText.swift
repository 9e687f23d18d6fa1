import Foundation

/// The demo's own processor notices, dated from the demo's anchor: notice files exactly as
/// `handlet notices import` reads them (docs/notices.md).
enum DemoNoticeText {
    /// `2026-11-21T09:00:00Z`.
    static func instant(_ seconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    static func speechChange(published: String, effective: String) -> String {
        """
        ---
        id: subprocessor-change-speech
        kind: subprocessor_change
        title: New speech-recognition provider for call transcripts
        version: 1
        published: \(published)
        effective: \(effective)
        needs-acknowledgement: no
        ---
        # New speech-recognition provider

        From the effective date Handlet will send call audio to a second speech-recognition service,
        hosted in the **European Union**, to transcribe calls when the current one is busy.

        | | Current | Added |
        |---|---|---|
        | Service | Speech recognition (EU) | Speech recognition, failover (EU) |
        | Data | Call audio, transcripts | Call audio, transcripts; audio deleted after transcription |
        | Safeguards | Written contract, Art. 28 terms | Written contract, Art. 28 terms, no training on your audio |

        You may object until the end of the 30-day window. Without an objection the change is treated
        as accepted when the window closes.
        """
    }

    static func emailChange(published: String, effective: String) -> String {
        """
        ---
        id: subprocessor-change-email
        kind: subprocessor_change
        title: Email delivery moves to a new provider
        version: 1
        published: \(published)
        effective: \(effective)
        needs-acknowledgement: no
        ---
        # Email delivery moves to a new provider

        Handlet is replacing its email delivery service. The new provider stores messages in the
        **European Union** for up to 7 days while it delivers them.

        - Data: email addresses and message text of your email threads.
        - Reason: better delivery rates for replies to your customers.
        """
    }

    static func breach(aware: String, notified: String, published: String) -> String {
        """
        ---
        id: incident-deletion-job
        kind: breach_notification
        title: Expired recordings kept past their deletion date
        version: 1
        published: \(published)
        effective: \(published)
        needs-acknowledgement: yes
        became-aware-at: \(aware)
        notified-at: \(notified)
        nature: The nightly deletion of expired call recordings did not run for two nights, so recordings were kept past their retention date.
        people-categories: Callers whose recordings had expired
        people-count: About 120
        record-categories: Call recordings (audio)
        record-count: 164
        contact: privacy@handlet.ai
        consequences: Recordings existed for up to 48 hours longer than the workspace setting allows. Nobody accessed them.
        measures: The job was restarted and has caught up; a monitor now alerts when a run is missed.
        ---
        # Expired recordings kept past their deletion date

        For **two nights** the job that deletes expired call recordings did not run. Recordings that
        had reached the end of the workspace's retention period were kept for up to 48 extra hours.

        ## What we found

        - No recording was played, downloaded or accessed during that time.
        - 164 recordings from about 120 callers were affected.

        ## What we did

        1. Restarted the job; it deleted every overdue recording on its next run.
        2. Added an alert when a scheduled deletion is missed.

        Questions: privacy@handlet.ai
        """
    }
}
