import GRDB

/// Roles of DESIGN §4, most powerful first.
public enum Role: String, Codable, CaseIterable, Sendable, DatabaseValueConvertible {
    case owner, admin, agent, viewer

    /// What the role may do, in one line (DESIGN §4), for a role picker.
    public var mayDo: String {
        switch self {
        case .owner: "everything, including owners and erasure"
        case .admin: "settings, holds, notices, users below owner"
        case .agent: "browse, search, handle drafts, save recordings"
        case .viewer: "browse, search, read the audit log; no changes"
        }
    }
}

public enum Direction: String, Codable, CaseIterable, Sendable, DatabaseValueConvertible {
    case inbound, outbound
}

public enum HandledBy: String, Codable, CaseIterable, Sendable, DatabaseValueConvertible {
    case aiAgent = "ai_agent", staff, voicemail

    public var label: String {
        switch self {
        case .aiAgent: "AI agent"
        case .staff: "Staff"
        case .voicemail: "Voicemail"
        }
    }
}

public enum CallOutcome: String, Codable, CaseIterable, Sendable, DatabaseValueConvertible {
    case bookedJob = "booked_job"
    case quoteRequested = "quote_requested"
    case messageTaken = "message_taken"
    case callbackRequested = "callback_requested"
    case spam, missed, abandoned

    public var label: String {
        switch self {
        case .bookedJob: "Booked job"
        case .quoteRequested: "Quote requested"
        case .messageTaken: "Message taken"
        case .callbackRequested: "Callback requested"
        case .spam: "Spam"
        case .missed: "Missed"
        case .abandoned: "Abandoned"
        }
    }
}

/// Why a call has, or has no, audio.
public enum RecordingState: String, Codable, CaseIterable, Sendable, DatabaseValueConvertible {
    case recorded
    case notRecorded = "not_recorded"
    case recordingDisabled = "recording_disabled"
    case purged
}

public enum Channel: String, Codable, CaseIterable, Sendable, DatabaseValueConvertible {
    case sms, whatsapp, email, webchat

    public var label: String {
        switch self {
        case .sms: "SMS"
        case .whatsapp: "WhatsApp"
        case .email: "Email"
        case .webchat: "Web chat"
        }
    }
}

public enum DeliveryStatus: String, Codable, CaseIterable, Sendable, DatabaseValueConvertible {
    case received, queued, sent, delivered, read, failed
}

public enum NoticeKind: String, Codable, CaseIterable, Sendable, DatabaseValueConvertible {
    case dpa
    case privacyNotice = "privacy_notice"
    case subprocessorList = "subprocessor_list"
    case subprocessorChange = "subprocessor_change"
    case breachNotification = "breach_notification"
    case policyUpdate = "policy_update"
    case retentionTable = "retention_table"
}

public enum NoticeResponseKind: String, Codable, CaseIterable, Sendable, DatabaseValueConvertible {
    case acknowledged, objected
}

public enum DataSubjectRequestType: String, Codable, CaseIterable, Sendable, DatabaseValueConvertible {
    case access, rectification, erasure, restriction, portability, objection
}

public enum DataSubjectRequestStatus: String, Codable, CaseIterable, Sendable, DatabaseValueConvertible {
    case open
    case inProgress = "in_progress"
    case completed, refused
}

public enum DraftIntent: String, Codable, CaseIterable, Sendable, DatabaseValueConvertible {
    case followUp = "follow_up"
    case quoteRequest = "quote_request"
    case bookingRequest = "booking_request"
    case newLead = "new_lead"
    case generalEnquiry = "general_enquiry"
    case reviewReply = "review_reply"
    case complaint
    case unknown, noise, risk, unsupported
}

public enum DraftState: String, Codable, CaseIterable, Sendable, DatabaseValueConvertible {
    case waiting, approved, edited, discarded
    case autoSent = "auto_sent"
    case blocked
}

public enum DraftValidation: String, Codable, CaseIterable, Sendable, DatabaseValueConvertible {
    case correct, incorrect
    case notNow = "not_now"
}

public enum ComplaintSeverity: String, Codable, CaseIterable, Sendable, DatabaseValueConvertible {
    case low, medium, high
}
