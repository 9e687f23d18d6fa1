import Foundation

/// What an automatic text adds under the drafted reply on one channel: a disclosure that it is an
/// automated reply from the business, and (SMS and WhatsApp) how to opt out. `{business}` in
/// either is replaced by the workspace's business name when the text is composed.
public struct ChannelWording: Hashable, Sendable, Codable {
    public static let businessPlaceholder = "{business}"
    public static let maximumLength = 160

    public let disclosure: String
    public let optOut: String

    /// Refuses wording that is not one line of plain text, or that drops what the channel needs:
    /// every disclosure says the reply is automated; SMS and WhatsApp opt-out wording is an
    /// instruction to reply with an opt-out keyword ("Reply STOP to opt out").
    public init(channel: Channel, disclosure: String, optOut: String) throws {
        for (part, text) in [("disclosure", disclosure), ("opt-out", optOut)] {
            // The one rule for stored one-line text (`PlainText`).
            guard PlainText.forbiddenScalar(in: text) == nil else {
                throw AutoSendSettingError.wordingNotPlainText(channel: channel, part: part)
            }
            guard text.count <= Self.maximumLength else {
                throw AutoSendSettingError.wordingTooLong(channel: channel, part: part, limit: Self.maximumLength)
            }
        }
        let disclosure = disclosure.trimmingCharacters(in: .whitespaces)
        let optOut = optOut.trimmingCharacters(in: .whitespaces)
        guard disclosure.range(of: "automated", options: .caseInsensitive) != nil else {
            throw AutoSendSettingError.disclosureNotAutomated(channel)
        }
        if channel.needsOptOutWording {
            guard Self.givesOptOutInstruction(optOut) else { throw AutoSendSettingError.wordingDropsOptOut(channel) }
        }
        self.disclosure = disclosure
        self.optOut = optOut
    }

    init(unchecked disclosure: String, optOut: String) {
        self.disclosure = disclosure
        self.optOut = optOut
    }

    /// Whether the wording names the business: the placeholder, or the name itself.
    public func namesBusiness(_ businessName: String) -> Bool {
        let name = businessName.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { return false }
        let both = disclosure + " " + optOut
        return both.contains(Self.businessPlaceholder) || both.range(of: name, options: .caseInsensitive) != nil
    }

    /// The opt-out keywords a customer can reply with (DESIGN §6).
    static let optOutWords: Set<String> = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "REVOKE"]

    /// The words that start an instruction to reply with a keyword.
    static let instructionVerbs: Set<String> = ["REPLY", "TEXT", "TXT", "SEND", "MESSAGE", "RESPOND"]

    /// Whether the text tells people how to opt out: a reply verb followed, within four words, by
    /// a keyword the opt-out processing recognises ("Reply STOP to opt out", "Text STOPALL to
    /// 60123", "reply with the word END"). A keyword on its own is not an instruction: "We never
    /// stop working for you" names "stop" and tells nobody anything.
    static func givesOptOutInstruction(_ text: String) -> Bool {
        let words = text.uppercased().split(whereSeparator: { !$0.isLetter }).map(String.init)
        for (index, word) in words.enumerated() where instructionVerbs.contains(word) {
            for following in words[(index + 1)..<min(words.count, index + 5)] where optOutWords.contains(following) {
                return true
            }
        }
        return false
    }

    /// The lines added under a reply on `channel`, the placeholder filled in.
    public func footer(businessName: String) -> String {
        let fill = { (text: String) in text.replacingOccurrences(of: Self.businessPlaceholder, with: businessName) }
        return [fill(disclosure), fill(optOut)].filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// The text exactly as it would go out: the drafted reply, then the disclosure and opt-out line.
    public func compose(body: String, businessName: String) -> String {
        body.trimmingCharacters(in: .whitespacesAndNewlines) + "\n" + footer(businessName: businessName)
    }

    /// The wording each channel starts with; each passes its own channel's rules.
    public static func standard(for channel: Channel) -> ChannelWording {
        switch channel {
        case .sms, .whatsapp:
            ChannelWording(unchecked: "Automated reply from {business}.", optOut: "Reply STOP to opt out.")
        case .email:
            ChannelWording(unchecked: "This is an automated reply from {business}.",
                           optOut: "Reply UNSUBSCRIBE and we will not email you again.")
        case .webchat:
            ChannelWording(unchecked: "Automated reply from {business}.", optOut: "")
        }
    }
}

/// How many SMS segments a text takes: GSM-7 when every character is in the GSM 03.38 basic set
/// or its extension (160 a single message, 153 per part), else UCS-2 (70, or 67 per part).
public enum SMSSegments {
    public enum Encoding: String, Sendable, Codable { case gsm7 = "GSM-7", ucs2 = "UCS-2" }

    private static let basic: Set<Character> = Set(
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
    private static let extended: Set<Character> = Set("^{}\\[~]|€\u{0C}")

    public static func measure(_ text: String) -> (encoding: Encoding, units: Int, segments: Int) {
        var units = 0
        var gsm = true
        for character in text {
            if basic.contains(character) { units += 1 } else if extended.contains(character) { units += 2 } else { gsm = false; break }
        }
        if gsm { return (.gsm7, units, units <= 160 ? 1 : (units + 152) / 153) }
        let utf16 = text.utf16.count
        return (.ucs2, utf16, utf16 <= 70 ? 1 : (utf16 + 66) / 67)
    }
}
