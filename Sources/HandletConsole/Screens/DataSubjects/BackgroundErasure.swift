import Foundation
import HandletDomain

/// An erasure started from the Requests tab, run off the interface thread by the console's one
/// background-job loop (`BackgroundJobLoop`, as the start-up purge and Auto-Send delivery): a
/// rewrite of the search takes a minute and more at a million calls, and the console stays
/// usable meanwhile. Each phase goes to the status bar (`BackgroundActivity`, with the time it
/// has run) and to the tab (`ErasureStatus`); its end says done, or failed in one line.
///
/// It is not stopped when the console quits (the tab asks first): the process ends under it as a
/// kill would, which an erasure survives (`Erasure`); `handlet dsr erase --finish` or the next
/// erasure finishes it, and the Overview says so until then (`SearchDebt`).
final class BackgroundErasure: @unchecked Sendable {
    let ids: [Contact.ID]
    let name: String
    let startedAt: Date
    private var job: BackgroundJobLoop<ErasureRunner>!

    init(_ run: ErasureRunner, ids: [Contact.ID], name: String, startedAt: Date, post: @escaping @Sendable (any Sendable) -> Void) {
        self.ids = ids
        self.name = name
        self.startedAt = startedAt
        let label = "Erasing \(name)"
        job = BackgroundJobLoop(once: run, activity: { event, _ in
            let status = ErasureStatus(ids: ids, event: event)
            post(status)
            return status.activity(label: label, startedAt: startedAt)
        }, post: post)
    }

    /// True until the erasure has ended (done or failed).
    var isRunning: Bool { job.isRunning }
}

/// What the Requests tab hears of the erasure it started.
struct ErasureStatus: Sendable, Equatable {
    let ids: [Contact.ID]
    let event: ErasureRunner.Event

    /// The status bar's line for it.
    func activity(label: String, startedAt: Date) -> BackgroundActivity {
        switch event {
        case .progress(let progress):
            return BackgroundActivity(label: label, done: 0, total: 0, phase: progress.phase.rawValue, startedAt: startedAt)
        case .finished(let report):
            return BackgroundActivity(label: label, done: 1, total: 1, finishedSummary: Self.done(report), startedAt: startedAt)
        case .failed(let reason):
            return BackgroundActivity(label: label, done: 0, total: 0, finishedSummary: Self.failed(label, reason),
                                      failed: true, startedAt: startedAt)
        }
    }

    static func done(_ report: ErasureReport) -> String {
        "Erased \(report.preview.name): \(DisplayText.count(report.preview.callsAnonymised, "call")) anonymised, "
            + "\(DisplayText.count(report.filesDeleted, "audio file")) deleted"
            + (report.walTruncated ? "" : "; a reader kept the -wal from emptying: `handlet dsr erase --finish` retries")
    }

    /// One line, whatever the error said.
    static func failed(_ label: String, _ reason: String) -> String {
        let line = reason.split(whereSeparator: \.isNewline).first.map(String.init) ?? reason
        return "\(label) failed: \(line)"
    }
}
