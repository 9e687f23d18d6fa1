import HandletDomain

/// A generated customer. Everything about contact `index` is derived from (seed, index), so a call
/// or a message can re-derive its contact's name, number and address without a lookup.
struct DemoPerson {
    let index: Int
    let firstName: String
    /// Empty for organisations.
    let lastName: String
    let displayName: String
    let isOrganisation: Bool
    let phone: String
    let isMobile: Bool
    let email: String?
    let houseNumber: Int
    let street: String
    let town: String
    let postcode: String
    /// Has texted an opt-out keyword: no more automatic messages.
    let optedOut: Bool
    /// Asked for processing to be restricted (a data-subject request).
    let restricted: Bool
    /// Index into `DemoVocabulary.communities` (organisations: the first).
    let community: Int
    /// The name as said aloud and in plain ASCII ("Chen Wei" for 陈伟).
    let spokenName: String
    let spokenFirstName: String

    var id: Int64 { Int64(index + 1) }
    var addressLine: String { String(houseNumber) + " " + street + ", " + town + " " + postcode }
    var postcodeDistrict: Substring { postcode.split(separator: " ").first ?? "" }
}

struct DemoPeople: Sendable {
    let seed: UInt64
    let count: Int

    /// Share of contacts already known before the generated history starts.
    static let preexistingPerMille = 300

    /// Organisations are one contact each, spread through the contacts: every 83rd, while there
    /// are names left.
    static func isOrganisation(_ index: Int) -> Bool {
        index % 83 == 7 && index / 83 < DemoVocabulary.organisations.count
    }

    /// A name from one community: first and last names from the same one.
    static func name(community: Int, random: inout DemoRandom) -> (first: DemoName, last: DemoName, native: String?) {
        let group = DemoVocabulary.communities[community]
        let female = random.perMille(500)
        let first = random.pick(female ? group.female : group.male)
        let lastIndex = random.below(group.last.count)
        let last = female ? (group.femaleLast?[lastIndex] ?? group.last[lastIndex]) : group.last[lastIndex]
        var native: String?
        if let script = group.nativeScript.first, random.perMille(400),
           let given = script.first[first.shown], let family = script.last[last.shown] {
            native = script.familyFirst ? family + given : given + " " + family
        }
        return (first, last, native)
    }

    func person(_ index: Int) -> DemoPerson {
        var random = DemoRandom(seed: seed, stream: .contact, index: index)
        let isOrganisation = DemoPeople.isOrganisation(index)
        let community = random.pick(DemoVocabulary.communityWeights)
        let (first, last, native) = DemoPeople.name(community: community, random: &random)
        let display = isOrganisation ? DemoVocabulary.organisations[index / 83] : native ?? first.shown + " " + last.shown

        // Distinct numbers per contact: an odd multiplier coprime with 10 permutes 0..<10^8.
        let permuted = (UInt64(index) &* 48_271_349 &+ seed % 1_000_003) % 100_000_000
        let isMobile = isOrganisation ? random.perMille(300) : random.perMille(820)
        let phone: String
        if isMobile {
            phone = "+447" + DemoVocabulary.mobilePrefixes[Int(permuted % 5)] + DemoPeople.digits(permuted, count: 8)
        } else {
            let code = random.pick(DemoVocabulary.landlineCodes)
            let lead = DemoVocabulary.landlineLeadDigits(code)
            phone = "+44" + code + String(lead[Int(permuted % UInt64(lead.count))]) + DemoPeople.digits(permuted, count: 9 - code.count)
        }

        var email: String?
        if isOrganisation {
            email = "office@" + display.lowercased().filter { $0.isLetter } + ".co.uk"
        } else if random.perMille(720) {
            let provider = random.pick(DemoVocabulary.emailProviders)
            let lowerFirst = first.ascii.lowercased().filter { $0.isLetter && $0.isASCII }
            let lowerLast = last.ascii.lowercased().filter { $0.isLetter && $0.isASCII }
            switch random.below(4) {
            case 0: email = lowerFirst + "." + lowerLast + "@" + provider
            case 1: email = lowerFirst + lowerLast + String(random.between(1, 99)) + "@" + provider
            case 2: email = String(lowerFirst.prefix(1)) + lowerLast + "@" + provider
            default: email = lowerFirst + "_" + lowerLast + String(random.between(60, 99)) + "@" + provider
            }
        }

        let area = DemoVocabulary.areas[random.below(DemoVocabulary.areas.count)]
        let district = random.pick(area.districts)
        let letters = DemoVocabulary.postcodeLetters
        let postcode = district + " " + String(random.between(1, 9))
            + String(letters[random.below(letters.count)]) + String(letters[random.below(letters.count)])
        // Suppression comes from its own hash so that it stays stable if the draws above change.
        let flags = DemoRandom.mix(seed ^ 0x5350_5245_5353 ^ UInt64(index)) % 1000
        let spokenFirst = first.ascii
        let spoken = native == nil ? first.shown + " " + last.shown : (DemoVocabulary.communities[community].nativeScript.first!.familyFirst
            ? last.ascii + " " + first.ascii : first.ascii + " " + last.ascii)
        return DemoPerson(index: index, firstName: isOrganisation ? display : native == nil ? first.shown : spokenFirst,
                          lastName: isOrganisation ? "" : last.shown, displayName: display,
                          isOrganisation: isOrganisation, phone: phone, isMobile: isMobile, email: email,
                          houseNumber: random.between(1, 180), street: random.pick(area.streets),
                          town: area.town, postcode: postcode, optedOut: flags < 40,
                          restricted: flags >= 40 && flags < 43, community: isOrganisation ? 0 : community,
                          spokenName: isOrganisation ? display : spoken, spokenFirstName: isOrganisation ? display : spokenFirst)
    }

    /// Who is on the line for a contact: the person, or one of an organisation's people.
    struct Caller {
        let firstName: String
        let spokenName: String
        /// As a summary names them: "Sophie Walker of Headrow Lettings".
        let summaryName: String
    }

    /// An organisation's people: two to four, always the same ones for that organisation.
    func staff(of person: DemoPerson) -> [(first: String, full: String)] {
        var random = DemoRandom(seed: seed, stream: .contact, index: person.index ^ 0x0F6A_0000)
        return (0..<(2 + random.below(3))).map { _ in
            let (first, last, _) = DemoPeople.name(community: random.pick(DemoVocabulary.communityWeights), random: &random)
            return (first.shown, first.shown + " " + last.shown)
        }
    }

    func caller(for person: DemoPerson, random: inout DemoRandom) -> Caller {
        guard person.isOrganisation else {
            return Caller(firstName: person.spokenFirstName, spokenName: person.spokenName, summaryName: person.displayName)
        }
        let who = random.pick(staff(of: person))
        return Caller(firstName: who.first, spokenName: who.full + " from " + person.displayName,
                      summaryName: who.full + " of " + person.displayName)
    }

    /// A number that is no contact's: cold callers and wrong numbers, in ranges in use.
    static func strangerNumber(random: inout DemoRandom) -> String {
        let code = random.pick(["20", "161", "121", "330"])
        let lead: [Character] = code == "20" ? ["3", "7", "8"] : code == "330" ? ["0", "1", "3"] : ["2", "3", "4", "5", "6", "7"]
        return "+44" + code + String(random.pick(lead)) + digits(random.next() % 1_000_000_000, count: 9 - code.count)
    }

    /// The contact a new event at `position` (0...1 through history) involves: anyone already known.
    func contactIndex(atPosition position: Double, random: inout DemoRandom) -> Int {
        let known = Double(count) * (Double(DemoPeople.preexistingPerMille) / 1000
            + (1 - Double(DemoPeople.preexistingPerMille) / 1000) * position)
        return random.below(max(1, min(count, Int(known))))
    }

    /// When contact `index` was first recorded, relative to the history (seconds).
    func createdAt(_ index: Int, calendar: DemoCalendar, random: inout DemoRandom) -> Int64 {
        let preexisting = count * DemoPeople.preexistingPerMille / 1000
        let start = calendar.historyStart
        let span = calendar.anchor - start
        if index < preexisting {
            return start - Int64(random.between(1, 700)) * DemoCalendar.secondsPerDay + Int64(random.below(86_400))
        }
        let share = Double(index - preexisting) / Double(max(1, count - preexisting))
        // A little before the first event that can involve them.
        return start + Int64(share * Double(span)) - Int64(random.between(1, 3)) * DemoCalendar.secondsPerDay
    }

    /// The stored contact row and its marketing consents.
    func rows(_ index: Int, calendar: DemoCalendar) -> (BulkContact, [BulkConsent]) {
        let person = person(index)
        var random = DemoRandom(seed: seed, stream: .contact, index: index ^ 0x4000_0000)
        let createdAt = createdAt(index, calendar: calendar, random: &random)
        var row = BulkContact(id: person.id, name: person.displayName, phone: person.phone, email: person.email,
                             optedOutAt: nil, optOutKeyword: nil, restrictedAt: nil, restrictionReason: nil,
                             createdAt: createdAt)
        let room = max(3600, calendar.anchor - 3600 - createdAt)
        if person.optedOut {
            row.optedOutAt = createdAt + Int64(random.below(Int(room)))
            row.optOutKeyword = DemoVocabulary.optOutKeywordNames[random.pick(DemoVocabulary.optOutKeywords)]
        }
        if person.restricted {
            row.restrictedAt = createdAt + Int64(random.below(Int(room)))
            row.restrictionReason = random.pick([
                "Contests the accuracy of the address held; restricted while it is checked.",
                "Objected to use of call recordings; restricted pending the owner's decision.",
            ])
        }
        var consents: [BulkConsent] = []
        if random.perMille(140) {
            let channels = person.email == nil ? ["sms", "whatsapp"] : ["email", "sms", "email", "whatsapp"]
            let channel = random.pick(channels)
            let givenAt = createdAt + Int64(random.below(Int(min(room, 30 * DemoCalendar.secondsPerDay))))
            var withdrawnAt: Int64? = row.optedOutAt.map { max($0, givenAt) }
            if withdrawnAt == nil && random.perMille(90) { withdrawnAt = givenAt + Int64(random.below(Int(room))) }
            consents.append(BulkConsent(contactId: person.id, channel: channel, givenAt: givenAt,
                                       method: random.pick(DemoVocabulary.consentMethods), withdrawnAt: withdrawnAt))
        }
        return (row, consents)
    }

    static func digits(_ value: UInt64, count: Int) -> String {
        var out = [UInt8](repeating: 48, count: count)
        var remaining = value
        for index in stride(from: count - 1, through: 0, by: -1) {
            out[index] = 48 + UInt8(remaining % 10)
            remaining /= 10
        }
        return String(decoding: out, as: UTF8.self)
    }
}
