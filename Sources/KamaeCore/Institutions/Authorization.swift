/// Everything a person can try to do inside their own institution.
public enum Activity: String, Sendable, Hashable, CaseIterable {
    case readAssessment
    case editAnswers
    case comment
    case manageRemediation
    case export
    case importAnswers
    case createAssessment
    case manageUsers
    /// The audit trail: who changed what, signed in, exported or imported.
    case readAuditTrail
    /// The API tokens page: administrators issue tokens for others, approvers for themselves.
    case issueAPITokens
    /// A supervisor's work: registered institutions and keys, received submissions, sector analysis, feedback,
    /// questionnaires.
    case supervise
    /// An institution's side of supervision: its signing key, signed submissions, questionnaires and feedback received.
    case submitToSupervisor
    /// The registers of §2.2.1 and the vulnerability findings: reading them.
    case readRegisters
    /// Entering and importing register records, SBOMs and advisory feeds.
    case editRegisters
    /// Dropping in advisory feeds, KEV and EPSS files: register editors and the administrator who runs the installation.
    case importFeeds
    /// Working on findings: status changes and asking for a risk exception.
    case manageFindings
    /// Approving or rejecting a risk exception: a management decision (経営陣等の承認), never the requester's.
    case approveRiskAcceptance
    /// The deadline policy (severity × criticality, KEV, EPSS) is also set by management.
    case setVulnerabilityPolicy
}

extension Activity {
    /// Work on the institution's own posture, which only a financial institution has.
    public var isInstitutionWork: Bool {
        switch self {
        case .readAssessment, .editAnswers, .comment, .manageRemediation, .export, .importAnswers, .createAssessment, .submitToSupervisor,
             .readRegisters, .editRegisters, .importFeeds, .manageFindings, .approveRiskAcceptance, .setVulnerabilityPolicy: true
        case .manageUsers, .readAuditTrail, .issueAPITokens, .supervise: false
        }
    }
}

/// The one place that decides what a role may do. Cross-institution access is refused before this is asked.
public enum Authorization {
    public static func allows(_ role: Role, _ activity: Activity) -> Bool {
        switch activity {
        case .readAssessment, .export: role != .supervisor
        case .editAnswers, .importAnswers, .createAssessment: role == .editor
        case .comment: role != .viewer && role != .supervisor
        case .manageRemediation: role == .editor || role == .approver
        case .manageUsers: role == .admin
        case .readAuditTrail: role == .admin || role == .auditor
        case .issueAPITokens: role == .admin || role == .approver || role == .supervisor
        case .supervise: role == .supervisor
        case .submitToSupervisor: role == .admin || role == .approver
        case .readRegisters: role != .supervisor
        case .editRegisters, .manageFindings: role == .editor
        case .importFeeds: role == .editor || role == .admin
        case .approveRiskAcceptance, .setVulnerabilityPolicy: role == .approver
        }
    }

    /// The role's permission within its kind of organisation: a supervisor organisation has no assessment, roadmap or
    /// submissions of its own, and a financial institution does not supervise.
    public static func allows(_ role: Role, _ activity: Activity, in kind: OrganisationKind) -> Bool {
        guard allows(role, activity) else { return false }
        switch kind {
        case .institution: return activity != .supervise
        case .supervisor: return !activity.isInstitutionWork
        }
    }

    public static func allows(_ role: Role, workflow action: WorkflowAction, in kind: OrganisationKind) -> Bool {
        kind == .institution && allows(role, workflow: action)
    }

    /// Privileged roles sign in with a second factor: administrators manage people and tokens, approvers sign off
    /// the assessment (guideline §2.3.1: multi-factor authentication for privileged access).
    public static func requiresSecondFactor(_ role: Role) -> Bool {
        role == .admin || role == .approver || role == .supervisor
    }

    /// Who may issue an API token acting as whom. A token acts with its holder's role, so a token for a role that
    /// needs MFA is issued only by its holder (signed in with the second factor): an administrator can never approve
    /// in an approver's name. Administrators hold no tokens; they issue them for the other roles.
    public static func mayIssueToken(issuer: Role, forThemselves: Bool, holder: Role) -> Bool {
        if holder == .admin { return false }
        if requiresSecondFactor(holder) { return forThemselves }
        return issuer == .admin
    }

    /// Editors submit, approvers approve or return, administrators reopen a locked assessment.
    public static func allows(_ role: Role, workflow action: WorkflowAction) -> Bool {
        switch action {
        case .submit: role == .editor
        case .approve, .returnForRevision: role == .approver
        case .reopen: role == .admin
        }
    }
}
