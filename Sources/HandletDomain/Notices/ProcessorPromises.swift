import Foundation

/// What the processor's agreements promise that the notices themselves let the console check
/// (issue 13): a breach notified within 72 hours of awareness (UK GDPR Art. 33(2) "without undue
/// delay", and the 72 hours of Art. 33(1) that the agreements take over); a subprocessor change
/// published at least 30 days before it takes effect; a DPA version never in effect before it was
/// published.
public struct PromiseCheck: Sendable, Equatable, Codable {
    public enum Rule: String, Sendable, Codable, CaseIterable {
        case breachWithin72Hours = "breach_within_72_hours"
        case subprocessorNotice30Days = "subprocessor_notice_30_days"
        case dpaEffectiveAfterPublication = "dpa_effective_after_publication"
        /// The notice's stored text is the text imported (checked on every read; listed only when broken).
        case textAsImported = "text_as_imported"
    }

    public let rule: Rule
    public let noticeId: Int64
    public let key: String
    public let version: String
    public let title: String
    public let kept: Bool
    /// One line: what was found ("notified 81 h after awareness; the limit is 72 h").
    public let detail: String

    public static let breachLimit: TimeInterval = 72 * 3600
    public static let subprocessorNotice: TimeInterval = 30 * 86_400

    /// One check per notice a rule applies to.
    static func checks(_ notices: [NoticeCatalogue.Stored]) -> [PromiseCheck] {
        var checks: [PromiseCheck] = []
        for stored in notices {
            let notice = stored.notice
            func check(_ rule: Rule, _ kept: Bool, _ detail: String) {
                checks.append(PromiseCheck(rule: rule, noticeId: notice.id!, key: notice.noticeKey, version: notice.version,
                                           title: notice.title, kept: kept, detail: detail))
            }
            if notice.isTampered {
                check(.textAsImported, false, "its stored text does not match the SHA-256 recorded at import: changed in the database")
            }
            switch notice.kind {
            case .breachNotification:
                guard let json = stored.breachJSON,
                      let breach = try? JSONDecoder.notices.decode(NoticeFile.Breach.self, from: Data(json.utf8)) else {
                    check(.breachWithin72Hours, false, "no became-aware-at / notified-at: the delay cannot be shown")
                    continue
                }
                let delay = breach.notifiedAt.timeIntervalSince(breach.becameAwareAt)
                let hours = Int((delay / 3600).rounded(.down))
                check(.breachWithin72Hours, delay <= breachLimit,
                      delay <= breachLimit ? "notified \(hours) h after the processor became aware"
                          : "notified \(hours) h after the processor became aware; the promise is 72 h")
            case .subprocessorChange:
                let lead = notice.effectiveAt.timeIntervalSince(notice.publishedAt)
                let days = Int((lead / 86_400).rounded(.down))
                check(.subprocessorNotice30Days, lead >= subprocessorNotice,
                      lead >= subprocessorNotice ? "published \(DisplayText.count(days, "day")) before it takes effect"
                          : "published \(max(0, days)) days before it takes effect; the promise is 30 days")
            case .dpa:
                let kept = notice.effectiveAt >= notice.publishedAt
                check(.dpaEffectiveAfterPublication, kept,
                      kept ? "effective \(NoticeDateText.day(notice.effectiveAt)), published \(NoticeDateText.day(notice.publishedAt))"
                          : "effective \(NoticeDateText.day(notice.effectiveAt)), before its publication on \(NoticeDateText.day(notice.publishedAt))")
            default:
                continue
            }
        }
        return checks
    }
}

extension WorkspaceQuery where Value == [PromiseCheck] {
    public static var processorPromises: Self {
        .reading(.browse) { PromiseCheck.checks(try NoticeCatalogue.stored($0)) }
    }
}
