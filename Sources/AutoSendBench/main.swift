import Foundation
import HandletDomain

// The decision function's throughput (scripts/bench-autosend.sh; BENCHMARKS.md "## Auto-Send").
// A mix of drafts like the demo's (every intent, channel and fact), decided under settings with
// everything on, at times spread over a year so quiet hours and both clock changes take part.

if CommandLine.arguments.count > 2, CommandLine.arguments[1] == "preview" {
    do {
        try PreviewBenchmark.run(database: CommandLine.arguments[2],
                                 drafts: Int(CommandLine.arguments.dropFirst(3).first ?? "") ?? 16_500)
        exit(0)
    } catch {
        FileHandle.standardError.write(Data("handlet-autosend-bench: \(error)\n".utf8))
        exit(1)
    }
}

var settings = AutoSendSettings.standard
settings.masterEnabled = true
settings.enabledIntents = Set(AutoSendIntent.allCases)
settings.transparency = AutoSendAcknowledgement(by: "owner@example.test", at: Date(timeIntervalSince1970: 1_767_225_600))
settings.complaints = settings.transparency
let training = TrainingCounts(validated: Dictionary(uniqueKeysWithValues: AutoSendIntent.allCases.map { ($0, 60) }))
let policy = AutoSendPolicy(settings: settings, training: training, businessName: "Kestrel Home Services")

let count = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 2_000_000
/// xorshift64: the same inputs every run.
struct Xorshift {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    mutating func next() -> UInt64 {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return state
    }
}
var random = Xorshift()

let intents = DraftIntent.allCases
let channels: [Channel?] = Channel.allCases + [nil]
let base = 1_767_225_600.0
var drafts: [AutoSendDraftFacts] = []
var contacts: [AutoSendContactFacts] = []
var sends: [[Date]] = []
var times: [Date] = []
for _ in 0..<4096 {
    let intent = intents[Int(random.next() % UInt64(intents.count))]
    let draft = AutoSendDraftFacts(intent: intent, confidence: 0.7 + Double(random.next() % 3000) / 10000,
                                   channel: intent == .reviewReply ? nil : channels[Int(random.next() % 4)],
                                   isMarketing: random.next() % 10 == 0, firmPriceAvailable: random.next() % 2 == 0,
                                   bookingFieldsComplete: random.next() % 3 != 0,
                                   complaintSeverity: ComplaintSeverity.allCases[Int(random.next() % 3)],
                                   reviewStars: Int(random.next() % 5) + 1)
    drafts.append(draft)
    contacts.append(AutoSendContactFacts(optedOut: random.next() % 25 == 0, restricted: random.next() % 100 == 0,
                                         marketingConsent: random.next() % 3 == 0 ? [.sms, .email] : []))
    let now = Date(timeIntervalSince1970: base + Double(random.next() % (365 * 86_400)))
    times.append(now)
    sends.append((0..<Int(random.next() % 4)).map { _ in now.addingTimeInterval(-Double(random.next() % 100_000)) })
}

var outcomes = [0, 0, 0]
let started = DispatchTime.now().uptimeNanoseconds
for index in 0..<count {
    let slot = index & 4095
    let decision = AutoSendDecider.decide(drafts[slot], policy: policy, contact: contacts[slot],
                                          recentSends: sends[slot], now: times[slot])
    switch decision.outcome {
    case .send: outcomes[0] += 1
    case .hold: outcomes[1] += 1
    case .blocked: outcomes[2] += 1
    }
}
let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
print("evaluations: \(count) in \(String(format: "%.3f", seconds)) s")
print("evaluations/s: \(Int(Double(count) / seconds))")
print("send \(outcomes[0]), hold \(outcomes[1]), blocked \(outcomes[2])")
