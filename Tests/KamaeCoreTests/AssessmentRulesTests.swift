import Testing
@testable import KamaeCore

@Suite struct ScoringTests {
    let catalog = Catalog.bundled

    func answers(_ pairs: [(String, AnswerStatus, MaturityLevel?)]) -> [String: Answer] {
        Dictionary(uniqueKeysWithValues: pairs.map { ($0.0, Answer(itemID: $0.0, status: $0.1, maturity: $0.2, notApplicableReason: $0.1 == .notApplicable ? "理由" : nil)) })
    }

    @Test func rateFollowsTheStatedFormula() {
        // 2.1.4 has ①② (basic) and a (desirable).
        let score = Scoring.score(catalog: catalog, answers: answers([
            ("2.1.4-B1", .implemented, .defined), ("2.1.4-B2", .partial, .repeatable), ("2.1.4-Da", .notApplicable, nil),
        ]))
        let section = score.section("2.1.4")
        #expect(section.applicable == 2)           // 対象外 is excluded
        #expect(section.halves == 3)               // 1 + 0.5
        #expect(section.value == 0.75)
        #expect(section.percent == 75.0)
        #expect(section.notApplicable == 1)
    }

    @Test func unansweredItemsCountAsNotImplemented() {
        let score = Scoring.score(catalog: catalog, answers: answers([("2.1.4-B1", .implemented, nil)]))
        #expect(score.section("2.1.4").applicable == 3)
        #expect(score.section("2.1.4").unanswered == 2)
        #expect(score.section("2.1.4").percent == 33.3)
        #expect(score.overall.applicable == 176)
    }

    @Test func sectionsRollUpTheirSubsections() {
        let score = Scoring.score(catalog: catalog, answers: answers([("2.2.1.2-De", .implemented, nil)]))
        #expect(score.section("2.2").implemented == 1)
        #expect(score.section("2.2.1").implemented == 1)
        #expect(score.section("2.2.1.2").implemented == 1)
        #expect(score.section("2.2").applicable == 51)
        #expect(score.section("2.3").implemented == 0)
    }

    @Test func headlineIsTheBasicMeasures() {
        let allBasic = catalog.items.filter { $0.kind == .basic }.map { ($0.id, AnswerStatus.implemented, MaturityLevel?.none) }
        let score = Scoring.score(catalog: catalog, answers: answers(allBasic))
        #expect(score.basicCoverage.percent == 100.0)
        #expect(score.byKind[.desirable]?.percent == 0.0)
        #expect(score.overall.percent == 71.6)  // 126 / 176 = 0.715909… → 71.6
    }

    @Test func percentRoundsHalfUp() {
        var rate = ImplementationRate()
        rate.halves = 1
        rate.applicable = 8   // 1/16 = 6.25 % → 6.3
        #expect(rate.percent == 6.3)
        rate.applicable = 0
        #expect(rate.percent == nil)
    }

    @Test func averageMaturityIgnoresNotApplicableAndMissingLevels() {
        let score = Scoring.score(catalog: catalog, answers: answers([
            ("2.1.1-B1", .implemented, .managed), ("2.1.1-B2", .partial, .repeatable), ("2.1.1-B3", .notApplicable, .optimised),
            ("2.1.1-B4", .notImplemented, nil),
        ]))
        #expect(score.averageMaturity == 3.0)
        #expect(Scoring.score(catalog: catalog, answers: [:]).averageMaturity == nil)
    }
}

@Suite struct GapTests {
    let catalog = Catalog.bundled

    @Test func basicGapsComeFirstThenDesirable() {
        var answers: [String: Answer] = [:]
        for item in catalog.items { answers[item.id] = Answer(itemID: item.id, status: .implemented) }
        answers["2.6-Da"] = Answer(itemID: "2.6-Da", status: .notImplemented)
        answers["2.3.1-B2"] = Answer(itemID: "2.3.1-B2", status: .partial)
        answers["2.1.1-B1"] = Answer(itemID: "2.1.1-B1", status: .notApplicable, notApplicableReason: "x")
        answers["2.4.1-B1"] = nil
        let gaps = GapAnalysis.gaps(catalog: catalog, answers: answers)
        #expect(gaps.map(\.item.id) == ["2.4.1-B1", "2.3.1-B2", "2.6-Da"])
        #expect(gaps.first?.status == nil)
    }
}

@Suite struct WorkflowTests {
    func step(_ state: AssessmentState, _ action: WorkflowAction, _ role: Role, actor: String = "b", submittedBy: String? = "a", reason: String? = nil) -> Result<AssessmentState, WorkflowRefusal> {
        Workflow.next(from: state, action: action, role: role, actor: actor, submittedBy: submittedBy, reason: reason)
    }

    @Test func theNormalYear() {
        #expect(step(.draft, .submit, .editor) == .success(.submitted))
        #expect(step(.submitted, .approve, .approver) == .success(.approved))
        #expect(step(.submitted, .returnForRevision, .approver, reason: "根拠不足") == .success(.returned))
        #expect(step(.returned, .submit, .editor) == .success(.submitted))
        #expect(step(.approved, .reopen, .admin, reason: "監査指摘") == .success(.draft))
    }

    @Test func theSubmitterNeverApproves() {
        #expect(step(.submitted, .approve, .approver, actor: "a", submittedBy: "a") == .failure(.approverIsSubmitter))
        #expect(step(.submitted, .returnForRevision, .approver, actor: "a", submittedBy: "a", reason: "x") == .failure(.approverIsSubmitter))
    }

    @Test func rolesAreSeparated() {
        for role in Role.allCases where role != .editor {
            #expect(step(.draft, .submit, role) == .failure(.notAllowedForRole(role, .submit)))
        }
        for role in Role.allCases where role != .approver {
            #expect(step(.submitted, .approve, role) == .failure(.notAllowedForRole(role, .approve)))
        }
        #expect(step(.approved, .reopen, .approver, reason: "x") == .failure(.notAllowedForRole(.approver, .reopen)))
    }

    @Test func reasonsAreRequiredWhereTheyMatter() {
        #expect(step(.submitted, .returnForRevision, .approver, reason: "  ") == .failure(.reasonRequired(.returnForRevision)))
        #expect(step(.approved, .reopen, .admin) == .failure(.reasonRequired(.reopen)))
    }

    @Test func lockedAndPendingStatesRefuseOtherSteps() {
        #expect(step(.approved, .submit, .editor) == .failure(.wrongState(.approved, .submit)))
        #expect(step(.draft, .approve, .approver) == .failure(.wrongState(.draft, .approve)))
        #expect(step(.submitted, .submit, .editor) == .failure(.wrongState(.submitted, .submit)))
        #expect(!AssessmentState.approved.acceptsAnswers)
        #expect(!AssessmentState.submitted.acceptsAnswers)
        #expect(AssessmentState.returned.acceptsAnswers)
    }
}

@Suite struct AnswerRuleTests {
    @Test func notApplicableNeedsAReason() {
        let problems = AnswerRules.problems(in: Answer(itemID: "2.1.1-B1", status: .notApplicable), catalog: .bundled)
        #expect(problems.map(\.field) == ["not_applicable_reason"])
    }

    @Test func datesAndItemsAreChecked() {
        let problems = AnswerRules.problems(in: Answer(itemID: "9.9-B1", targetDate: "2026-02-30"), catalog: .bundled)
        #expect(Set(problems.map(\.field)) == ["item_id", "target_date"])
        #expect(ISODate("2028-02-29") != nil)
        #expect(ISODate("2027-02-29") == nil)
        #expect(ISODate("2026-1-05") == nil)
    }

    @Test func statusLabelsFromSpreadsheetsParse() {
        #expect(AnswerStatus(label: "実施済") == .implemented)
        #expect(AnswerStatus(label: " 一部実施 ") == .partial)
        #expect(AnswerStatus(label: "not_applicable") == .notApplicable)
        #expect(AnswerStatus(label: "Not implemented") == .notImplemented)
        #expect(AnswerStatus(label: "済") == nil)
    }

    @Test func overdueActions() {
        let action = RemediationAction(title: "EOL 更改", owner: "IT", dueDate: ISODate("2026-03-31")!, status: .inProgress, itemIDs: ["2.3.4.1-B3"])
        #expect(action.isOverdue(today: ISODate("2026-04-01")!))
        #expect(!action.isOverdue(today: ISODate("2026-03-31")!))
        var done = action
        done.status = .done
        #expect(!done.isOverdue(today: ISODate("2027-01-01")!))
    }
}

@Suite struct EvidenceRuleTests {
    @Test func namesLoseTheirPaths() {
        #expect(EvidenceRules.safeName("../../etc/passwd.pdf") == "passwd.pdf")
        #expect(EvidenceRules.safeName("C:\\\\Users\\\\規程.pdf") == "規程.pdf")
        #expect(EvidenceRules.safeName("..") == nil)
        #expect(EvidenceRules.safeName(".htaccess") == nil)
        #expect(EvidenceRules.safeName("a\u{0000}b\u{001B}.txt") == "ab.txt")
    }

    @Test func typesAreJudgedByContentAndName() {
        #expect(EvidenceRules.check(name: "a.pdf", bytes: Array("%PDF-1.4".utf8)) == .success(.pdf))
        #expect(EvidenceRules.check(name: "a.png", bytes: Array("%PDF-1.4".utf8)) == .failure(.unsupportedType))
        #expect(EvidenceRules.check(name: "a.csv", bytes: Array("a,b\n1,2".utf8)) == .success(.text))
        #expect(EvidenceRules.check(name: "a.exe", bytes: [0x4D, 0x5A]) == .failure(.unsupportedType))
        #expect(EvidenceRules.check(name: "a.txt", bytes: []) == .failure(.empty))
    }
}

@Test func tokensForRolesWithMFAAreIssuedOnlyByTheirHolder() {
    for issuer in Role.allCases {
        #expect(!Authorization.mayIssueToken(issuer: issuer, forThemselves: issuer == .admin, holder: .admin))
        #expect(Authorization.mayIssueToken(issuer: issuer, forThemselves: false, holder: .approver) == false)
        for holder in [Role.editor, .auditor, .viewer] {
            #expect(Authorization.mayIssueToken(issuer: issuer, forThemselves: false, holder: holder) == (issuer == .admin))
        }
    }
    #expect(Authorization.mayIssueToken(issuer: .approver, forThemselves: true, holder: .approver))
}
