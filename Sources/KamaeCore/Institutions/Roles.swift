/// What a person may do inside their institution. Entering and approving are separate duties.
public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
    case admin
    case editor
    case approver
    case auditor
    case viewer
    /// A supervisor's (or industry association's) analyst: sees the sector's signed submissions, never an
    /// institution's working data. Exists only in a supervisor organisation.
    case supervisor

    public var name: LocalizedText {
        switch self {
        case .admin: LocalizedText(ja: "管理者", en: "Administrator")
        case .editor: LocalizedText(ja: "担当者", en: "Editor")
        case .approver: LocalizedText(ja: "承認者", en: "Approver")
        case .auditor: LocalizedText(ja: "内部監査", en: "Internal auditor")
        case .viewer: LocalizedText(ja: "閲覧者", en: "Viewer")
        case .supervisor: LocalizedText(ja: "監督担当", en: "Supervisor")
        }
    }

    /// Privileged roles must use multi-factor authentication.
    public var isPrivileged: Bool { self == .admin || self == .approver || self == .supervisor }
}

/// A financial institution runs its own posture; a supervisor (the FSA, a local finance bureau, an industry
/// association) receives institutions' signed submissions and analyses the sector. The two never share data.
public enum OrganisationKind: String, Sendable, Hashable, Codable, CaseIterable {
    case institution
    case supervisor

    /// The roles a person of this kind of organisation can hold.
    public var roles: [Role] {
        switch self {
        case .institution: [.admin, .editor, .approver, .auditor, .viewer]
        case .supervisor: [.admin, .supervisor, .auditor]
        }
    }
}

/// The institution's size, used to group peers in supervision.
public enum SizeBand: String, Sendable, Hashable, Codable, CaseIterable {
    case large
    case medium
    case small

    public var name: LocalizedText {
        switch self {
        case .large: LocalizedText(ja: "大規模", en: "Large")
        case .medium: LocalizedText(ja: "中規模", en: "Medium")
        case .small: LocalizedText(ja: "小規模", en: "Small")
        }
    }
}
