import Foundation
import HandletDomain

/// `handlet-autosend-bench preview DB [DRAFTS]` (scripts/bench-autosend-preview.sh): the live
/// preview over the last 30 days of a large workspace, as the Auto-Send tab recomputes it while
/// settings are edited. Drafts are brought to about one per ten records of the period through the
/// arrival step (each evaluated and recorded, as an importer or `queue add` would), then the preview
/// is timed under the saved settings and under edits that change every gate's share.
enum PreviewBenchmark {
    static func run(database: String, drafts wanted: Int) throws {
        let workspace = try Workspace.open(at: URL(fileURLWithPath: database))
        let now = Date()
        let reader = workspace.session(as: .system)
        let existing = try reader.read(.autoSendPreview(days: 30)).drafts
        if existing < wanted {
            let started = DispatchTime.now().uptimeNanoseconds
            var random = Xorshift()
            var added = 0, tries = 0
            let intents = DraftIntent.allCases
            while added < wanted - existing && tries < wanted * 4 {
                tries += 1
                let at = now.addingTimeInterval(-Double(random.next() % (30 * 86_400)) + 1)
                let intent = intents[Int(random.next() % UInt64(intents.count))]
                let draft = ArrivingDraft(
                    answers: .message(Message.ID(Int64(random.next() % 3_000_000) + 1)), intent: intent,
                    confidence: 0.7 + Double(random.next() % 3000) / 10000,
                    body: "Thanks for getting in touch, we'll be with you shortly.",
                    firmPriceAvailable: random.next() % 2 == 0, bookingFieldsComplete: random.next() % 3 != 0,
                    complaintSeverity: intent == .complaint ? ComplaintSeverity.allCases[Int(random.next() % 3)] : nil)
                do {
                    _ = try workspace.session(as: .system, clock: .fixed(at)).perform(.receiveDraft(draft))
                    added += 1
                } catch {
                    continue // a message id the workspace does not hold, or a review reply: draw again
                }
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            print("BENCH arrivals: \(added) drafts through the arrival step in \(String(format: "%.1f", seconds)) s"
                  + " = \(Int(Double(added) / max(seconds, 0.001)))/s")
        }
        var edits: [(String, AutoSendChange)] = [("saved settings", AutoSendChange())]
        var master = AutoSendChange(); master.master = false
        edits.append(("master switch off", master))
        var threshold = AutoSendChange(); threshold.threshold = try ConfidenceThreshold(hundredths: 9500)
        edits.append(("threshold 95%", threshold))
        var quiet = AutoSendChange(); quiet.quietHours = .set(try QuietHours(parsing: "18:00-09:00"))
        edits.append(("quiet hours 18:00-09:00", quiet))
        for (label, change) in edits {
            var timings: [Double] = []
            var preview: AutoSendPreview?
            for _ in 0..<15 {
                let started = DispatchTime.now().uptimeNanoseconds
                preview = try reader.read(.autoSendPreview(days: 30, applying: change, now: now))
                timings.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6)
            }
            timings.sort()
            let p = preview!
            print("BENCH preview \(label): \(p.drafts) drafts (send \(p.send), hold \(p.hold), block \(p.blocked)) "
                  + "median \(String(format: "%.1f", timings[timings.count / 2])) ms, max \(String(format: "%.1f", timings.last!)) ms")
        }
    }
}
