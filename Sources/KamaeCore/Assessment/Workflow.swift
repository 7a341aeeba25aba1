/// Where an assessment is in its yearly cycle. Approved assessments are locked.
public enum AssessmentState: String, Sendable, Hashable, Codable, CaseIterable {
    case draft
    case submitted
    case returned
    case approved

    public var name: LocalizedText {
        switch self {
        case .draft: LocalizedText(ja: "作成中", en: "Draft")
        case .submitted: LocalizedText(ja: "承認待ち", en: "Submitted")
        case .returned: LocalizedText(ja: "差戻し", en: "Returned")
        case .approved: LocalizedText(ja: "承認済（ロック）", en: "Approved (locked)")
        }
    }

    /// Answers can be changed only while the assessment is being written.
    public var acceptsAnswers: Bool { self == .draft || self == .returned }
}

public enum WorkflowAction: String, Sendable, Hashable, Codable, CaseIterable {
    case submit
    case approve
    case returnForRevision = "return"
    case reopen
}

/// Why a workflow step was refused.
public enum WorkflowRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    case notAllowedForRole(Role, WorkflowAction)
    case wrongState(AssessmentState, WorkflowAction)
    case approverIsSubmitter
    case reasonRequired(WorkflowAction)

    public var message: LocalizedText {
        switch self {
        case let .notAllowedForRole(role, action):
            LocalizedText(ja: "\(role.name.ja)はこの操作（\(action.name.ja)）を行えません。", en: "A \(role.name.en.lowercased()) cannot \(action.name.en.lowercased()).")
        case let .wrongState(state, action):
            LocalizedText(ja: "「\(state.name.ja)」の評価には\(action.name.ja)できません。", en: "An assessment that is \(state.name.en.lowercased()) cannot be \(action.pastParticiple).")
        case .approverIsSubmitter:
            LocalizedText(ja: "提出した本人は承認・差戻しできません（職務の分離）。別の承認者が行ってください。", en: "The person who submitted cannot approve or return it (separation of duties). Another approver must do it.")
        case let .reasonRequired(action):
            LocalizedText(ja: "\(action.name.ja)の理由を記入してください。", en: "Give a reason to \(action.name.en.lowercased()).")
        }
    }

    public var description: String { message.en }
}

extension WorkflowAction {
    public var name: LocalizedText {
        switch self {
        case .submit: LocalizedText(ja: "提出", en: "Submit")
        case .approve: LocalizedText(ja: "承認", en: "Approve")
        case .returnForRevision: LocalizedText(ja: "差戻し", en: "Return")
        case .reopen: LocalizedText(ja: "再オープン", en: "Reopen")
        }
    }

    var pastParticiple: String {
        switch self {
        case .submit: "submitted"
        case .approve: "approved"
        case .returnForRevision: "returned"
        case .reopen: "reopened"
        }
    }
}

/// The assessment workflow as a pure function: who may move an assessment from which state to which.
public enum Workflow {
    /// The state after `action`, or why it is refused.
    /// - Parameters:
    ///   - actor: the user acting; `submittedBy` is who submitted the current round (for separation of duties).
    public static func next(
        from state: AssessmentState, action: WorkflowAction, role: Role, actor: String, submittedBy: String?, reason: String?
    ) -> Result<AssessmentState, WorkflowRefusal> {
        guard Authorization.allows(role, workflow: action) else { return .failure(.notAllowedForRole(role, action)) }
        let hasReason = !(reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        switch (action, state) {
        case (.submit, .draft), (.submit, .returned):
            return .success(.submitted)
        case (.approve, .submitted), (.returnForRevision, .submitted):
            if let submittedBy, submittedBy == actor { return .failure(.approverIsSubmitter) }
            if action == .returnForRevision, !hasReason { return .failure(.reasonRequired(action)) }
            return .success(action == .approve ? .approved : .returned)
        case (.reopen, .approved):
            return hasReason ? .success(.draft) : .failure(.reasonRequired(action))
        default:
            return .failure(.wrongState(state, action))
        }
    }
}
