import Foundation
import GRDB

extension Schema {
    /// Migration `autosend-settings`: the Auto-Send settings of DESIGN §6, off by default. One
    /// row of switches and numbers, one row per intent, one per channel with its wording. The
    /// defaults written here are `AutoSendSettings.standard`, which passes every check.
    static func createAutoSendSettings(_ db: Database) throws {
        let standard = AutoSendSettings.standard
        let quiet = standard.quietHours!
        try db.execute(sql: """
        CREATE TABLE autosend_settings (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            master_enabled INTEGER NOT NULL DEFAULT 0,
            -- Hundredths of a percent: 8500 is the platform floor of 85%.
            threshold_hundredths INTEGER NOT NULL DEFAULT 8500 CHECK (threshold_hundredths BETWEEN 8500 AND 10000),
            transparency_ack_by TEXT,
            transparency_ack_at INTEGER,
            complaints_ack_by TEXT,
            complaints_ack_at INTEGER,
            -- Minutes after local midnight; both NULL means no quiet hours (refused by a check).
            quiet_start_minute INTEGER CHECK (quiet_start_minute BETWEEN 0 AND 1439),
            quiet_end_minute INTEGER CHECK (quiet_end_minute BETWEEN 0 AND 1439),
            time_zone TEXT NOT NULL DEFAULT 'Europe/London',
            per_contact_cap INTEGER NOT NULL DEFAULT 3 CHECK (per_contact_cap BETWEEN 1 AND 100),
            gateway TEXT,
            CHECK ((quiet_start_minute IS NULL) = (quiet_end_minute IS NULL)),
            CHECK (quiet_start_minute IS NULL OR quiet_start_minute <> quiet_end_minute)
        );
        CREATE TABLE autosend_intents (
            intent TEXT PRIMARY KEY CHECK (intent IN ('follow_up', 'quote_request', 'booking_request',
                'new_lead', 'general_enquiry', 'review_reply', 'complaint')),
            enabled INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE autosend_channels (
            channel TEXT PRIMARY KEY CHECK (channel IN ('sms', 'whatsapp', 'email', 'webchat')),
            enabled INTEGER NOT NULL DEFAULT 1,
            disclosure_wording TEXT NOT NULL,
            opt_out_wording TEXT NOT NULL
        );
        """)
        try db.execute(sql: """
            INSERT INTO autosend_settings (id, threshold_hundredths, quiet_start_minute, quiet_end_minute, time_zone, per_contact_cap)
            VALUES (1, ?, ?, ?, ?, ?)
            """, arguments: [standard.threshold.hundredths, quiet.start.minutes, quiet.end.minutes,
                             standard.timeZone.identifier, standard.perContactCap.messages])
        for intent in AutoSendIntent.allCases {
            try db.execute(sql: "INSERT INTO autosend_intents (intent, enabled) VALUES (?, 0)", arguments: [intent.rawValue])
        }
        for channel in standard.channels {
            try db.execute(sql: """
                INSERT INTO autosend_channels (channel, enabled, disclosure_wording, opt_out_wording) VALUES (?, ?, ?, ?)
                """, arguments: [channel.channel.rawValue, channel.enabled, channel.wording.disclosure, channel.wording.optOut])
        }
    }
}

extension AutoSendSettings {
    static func load(_ db: Database) throws -> AutoSendSettings {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM autosend_settings WHERE id = 1") else { return .standard }
        var settings = AutoSendSettings.standard
        settings.masterEnabled = row["master_enabled"]
        settings.threshold = try ConfidenceThreshold(hundredths: row["threshold_hundredths"])
        if let by: String = row["transparency_ack_by"], let at: Int64 = row["transparency_ack_at"] {
            settings.transparency = AutoSendAcknowledgement(by: by, at: Date(timeIntervalSince1970: TimeInterval(at)))
        }
        if let by: String = row["complaints_ack_by"], let at: Int64 = row["complaints_ack_at"] {
            settings.complaints = AutoSendAcknowledgement(by: by, at: Date(timeIntervalSince1970: TimeInterval(at)))
        }
        if let start: Int = row["quiet_start_minute"], let end: Int = row["quiet_end_minute"] {
            settings.quietHours = try QuietHours(start: TimeOfDay(minutes: start), end: TimeOfDay(minutes: end))
        } else {
            settings.quietHours = nil
        }
        settings.timeZone = (try? BusinessTimeZone(identifier: row["time_zone"])) ?? .standard
        settings.perContactCap = try PerContactCap(messages: row["per_contact_cap"])
        settings.gateway = row["gateway"]
        settings.enabledIntents = Set(try String.fetchAll(db, sql: "SELECT intent FROM autosend_intents WHERE enabled = 1")
            .compactMap(AutoSendIntent.init(rawValue:)))
        for row in try Row.fetchAll(db, sql: "SELECT * FROM autosend_channels") {
            guard let channel = Channel(rawValue: row["channel"]) else { continue }
            settings.update(channel) {
                $0.enabled = row["enabled"]
                $0.wording = ChannelWording(unchecked: row["disclosure_wording"], optOut: row["opt_out_wording"])
            }
        }
        return settings
    }

    func save(_ db: Database) throws {
        try db.execute(sql: """
            UPDATE autosend_settings SET master_enabled = ?, threshold_hundredths = ?,
                transparency_ack_by = ?, transparency_ack_at = ?, complaints_ack_by = ?, complaints_ack_at = ?,
                quiet_start_minute = ?, quiet_end_minute = ?, time_zone = ?, per_contact_cap = ?, gateway = ?
            WHERE id = 1
            """, arguments: [masterEnabled, threshold.hundredths,
                             transparency?.by, transparency.map { Int64($0.at.timeIntervalSince1970) },
                             complaints?.by, complaints.map { Int64($0.at.timeIntervalSince1970) },
                             quietHours?.start.minutes, quietHours?.end.minutes, timeZone.identifier,
                             perContactCap.messages, gateway])
        for intent in AutoSendIntent.allCases {
            try db.execute(sql: "UPDATE autosend_intents SET enabled = ? WHERE intent = ?",
                           arguments: [enabledIntents.contains(intent), intent.rawValue])
        }
        for channel in channels {
            try db.execute(sql: """
                UPDATE autosend_channels SET enabled = ?, disclosure_wording = ?, opt_out_wording = ? WHERE channel = ?
                """, arguments: [channel.enabled, channel.wording.disclosure, channel.wording.optOut, channel.channel.rawValue])
        }
    }
}

extension TrainingCounts {
    /// Counted from the drafts themselves, so nothing can drift: a draft counts once whether it was
    /// approved, edited, rated yes or no, or several of those.
    static func load(_ db: Database) throws -> TrainingCounts {
        var counts: [AutoSendIntent: Int] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT intent, COUNT(*) AS validated FROM drafts
            WHERE state IN ('approved', 'edited') OR validation IN ('correct', 'incorrect')
            GROUP BY intent
            """) {
            if let intent = AutoSendIntent(rawValue: row["intent"]) { counts[intent] = row["validated"] }
        }
        return TrainingCounts(validated: counts)
    }
}
