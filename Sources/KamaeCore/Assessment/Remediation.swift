/// A remediation action that closes gaps: who does what by when.
public enum RemediationStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case open
    case inProgress = "in_progress"
    case done

    public var name: LocalizedText {
        switch self {
        case .open: LocalizedText(ja: "未着手", en: "Open")
        case .inProgress: LocalizedText(ja: "対応中", en: "In progress")
        case .done: LocalizedText(ja: "完了", en: "Done")
        }
    }
}

public struct RemediationAction: Sendable, Hashable, Codable {
    public var title: String
    public var owner: String
    public var dueDate: ISODate
    public var status: RemediationStatus
    public var itemIDs: [String]

    public init(title: String, owner: String, dueDate: ISODate, status: RemediationStatus, itemIDs: [String]) {
        self.title = title
        self.owner = owner
        self.dueDate = dueDate
        self.status = status
        self.itemIDs = itemIDs
    }

    /// Past its due date and not done.
    public func isOverdue(today: ISODate) -> Bool {
        status != .done && dueDate < today
    }
}
