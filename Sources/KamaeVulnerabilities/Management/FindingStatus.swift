import KamaeCore

/// Where a finding (one vulnerability on one component) stands.
public enum FindingStatus: String, Codable, CaseIterable, Sendable {
    case open
    case inProgress = "in_progress"
    case fixed
    /// The risk is accepted under an approved exception until it expires.
    case accepted

    public var name: LocalizedText {
        switch self {
        case .open: LocalizedText(ja: "未対応", en: "Open")
        case .inProgress: LocalizedText(ja: "対応中", en: "In progress")
        case .fixed: LocalizedText(ja: "対応済み", en: "Fixed")
        case .accepted: LocalizedText(ja: "リスク受容", en: "Risk accepted")
        }
    }

    /// Fixed and accepted findings no longer count as open vulnerabilities.
    public var isClosed: Bool {
        switch self {
        case .open, .inProgress: false
        case .fixed, .accepted: true
        }
    }

    /// Whether a person may change a finding's status by hand. Accepting a risk needs an approved exception, and an
    /// accepted risk reopens only when its exception expires or is revoked, so neither is a manual change; a fixed
    /// finding may be reopened when the vulnerability reappears. Staying in the same status is not a change.
    public static func canMove(from current: FindingStatus, to next: FindingStatus) -> Bool {
        switch (current, next) {
        case (.open, .inProgress), (.inProgress, .open), (.open, .fixed), (.inProgress, .fixed), (.fixed, .open): true
        default: false
        }
    }
}
