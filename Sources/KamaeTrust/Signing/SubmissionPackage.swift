import Crypto
import Foundation

/// A signed self-assessment (or questionnaire response) that an institution sends to its supervisor:
/// the JSON document format `kamae-submission/1`.
///
/// ```json
/// {"approved_at":"2025-06-20T01:00:00Z","approved_by":"山田 太郎","catalog_version":"fsa-cyber-…",
///  "fiscal_year":2025,"format":"kamae-submission/1",
///  "institution":{"id":"…UUID…","name":"…","region":"kanto","size_band":"medium","type":"regional-banks"},
///  "kind":{"type":"assessment"},
///  "payload":{"answers":{"2.1.1-B1":{"maturity":3,"status":"implemented"}},"scores":{…}},
///  "signature":{"algorithm":"Ed25519","key_id":"…64 hex…","value":"…base64…"},
///  "submitted_at":"2025-06-30T09:15:00Z"}
/// ```
///
/// The signature covers the canonical JSON (`CanonicalJSON`) of the whole document without its `signature` member.
/// Every number in the format is an integer and every timestamp is whole seconds in UTC, so a package always
/// serialises to the same bytes. Status and size-band codes are the wire values of KamaeCore's `AnswerStatus`
/// and `SizeBand`; this module does not depend on KamaeCore, the receiving side maps them.
public struct SubmissionPackage: Sendable, Hashable, Codable {
    public static let formatIdentifier = "kamae-submission/1"

    public var format: String
    public var institution: SubmittingInstitution
    /// The Japanese fiscal year the assessment covers (e.g. 2025 for April 2025 – March 2026).
    public var fiscalYear: Int
    /// `CatalogVersion.id` of the guideline edition answered.
    public var catalogVersion: String
    public var kind: SubmissionKind
    /// Whole seconds; the initialiser truncates.
    public var submittedAt: Date
    public var approvedAt: Date
    /// The approver's name or user id, as the institution records it.
    public var approvedBy: String
    public var payload: SubmissionPayload
    public var signature: SubmissionSignature?

    public init(
        institution: SubmittingInstitution, fiscalYear: Int, catalogVersion: String, kind: SubmissionKind,
        submittedAt: Date, approvedAt: Date, approvedBy: String, payload: SubmissionPayload,
        signature: SubmissionSignature? = nil
    ) {
        self.format = Self.formatIdentifier
        self.institution = institution
        self.fiscalYear = fiscalYear
        self.catalogVersion = catalogVersion
        self.kind = kind
        self.submittedAt = SubmissionTimestamp.truncated(submittedAt)
        self.approvedAt = SubmissionTimestamp.truncated(approvedAt)
        self.approvedBy = approvedBy
        self.payload = payload
        self.signature = signature
    }

    enum CodingKeys: String, CodingKey {
        case format, institution, kind, payload, signature
        case fiscalYear = "fiscal_year"
        case catalogVersion = "catalog_version"
        case submittedAt = "submitted_at"
        case approvedAt = "approved_at"
        case approvedBy = "approved_by"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        format = try container.decode(String.self, forKey: .format)
        institution = try container.decode(SubmittingInstitution.self, forKey: .institution)
        fiscalYear = try container.decode(Int.self, forKey: .fiscalYear)
        catalogVersion = try container.decode(String.self, forKey: .catalogVersion)
        kind = try container.decode(SubmissionKind.self, forKey: .kind)
        submittedAt = try Self.decodeTimestamp(container, .submittedAt)
        approvedAt = try Self.decodeTimestamp(container, .approvedAt)
        approvedBy = try container.decode(String.self, forKey: .approvedBy)
        payload = try container.decode(SubmissionPayload.self, forKey: .payload)
        signature = try container.decodeIfPresent(SubmissionSignature.self, forKey: .signature)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(format, forKey: .format)
        try container.encode(institution, forKey: .institution)
        try container.encode(fiscalYear, forKey: .fiscalYear)
        try container.encode(catalogVersion, forKey: .catalogVersion)
        try container.encode(kind, forKey: .kind)
        try container.encode(SubmissionTimestamp.string(from: submittedAt), forKey: .submittedAt)
        try container.encode(SubmissionTimestamp.string(from: approvedAt), forKey: .approvedAt)
        try container.encode(approvedBy, forKey: .approvedBy)
        try container.encode(payload, forKey: .payload)
        try container.encodeIfPresent(signature, forKey: .signature)
    }

    private static func decodeTimestamp(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> Date {
        let text = try container.decode(String.self, forKey: key)
        guard let date = SubmissionTimestamp.date(from: text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "not a UTC timestamp YYYY-MM-DDTHH:MM:SSZ")
        }
        return date
    }

    /// The package without its signature: what is signed and digested.
    public var unsigned: SubmissionPackage {
        var copy = self
        copy.signature = nil
        return copy
    }

    /// The bytes to sign: canonical JSON of the package without `signature`.
    public func signingData() throws -> Data {
        try CanonicalJSON.canonicalData(of: unsigned)
    }

    /// The whole document, signature included, in canonical form: what an institution sends.
    public func canonicalData() throws -> Data {
        try CanonicalJSON.canonicalData(of: self)
    }

    /// SHA-256 of `signingData()`: the same content gives the same digest however often it is signed.
    public func contentDigest() throws -> ContentDigest {
        ContentDigest(of: try signingData())
    }

    /// Which series this package belongs to, for refusing replays of older submissions.
    public var slot: SubmissionSlot {
        SubmissionSlot(institutionID: institution.id, fiscalYear: fiscalYear, subject: kind.subject)
    }
}

/// Who submits: the institution's metadata as it stands at submission.
public struct SubmittingInstitution: Sendable, Hashable, Codable {
    public var id: UUID
    public var name: String
    /// An `InstitutionType.id` of the catalog, e.g. "regional-banks".
    public var typeCode: String
    /// "large", "medium" or "small" (KamaeCore's `SizeBand`).
    public var sizeBand: String
    /// A region code, e.g. "kanto" (KamaeSupervision's `Region`).
    public var region: String

    public init(id: UUID, name: String, typeCode: String, sizeBand: String, region: String) {
        self.id = id
        self.name = name
        self.typeCode = typeCode
        self.sizeBand = sizeBand
        self.region = region
    }

    enum CodingKeys: String, CodingKey {
        case id, name, region
        case typeCode = "type"
        case sizeBand = "size_band"
    }
}

/// An assessment against the catalog, or a response to a supervisor's questionnaire.
public enum SubmissionKind: Sendable, Hashable, Codable {
    case assessment
    case questionnaire(id: String, version: Int)

    enum CodingKeys: String, CodingKey {
        case type
        case questionnaireID = "questionnaire_id"
        case questionnaireVersion = "questionnaire_version"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .type) {
        case "assessment":
            self = .assessment
        case "questionnaire":
            self = .questionnaire(
                id: try container.decode(String.self, forKey: .questionnaireID),
                version: try container.decode(Int.self, forKey: .questionnaireVersion)
            )
        default:
            throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "expected \"assessment\" or \"questionnaire\"")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .assessment:
            try container.encode("assessment", forKey: .type)
        case let .questionnaire(id, version):
            try container.encode("questionnaire", forKey: .type)
            try container.encode(id, forKey: .questionnaireID)
            try container.encode(version, forKey: .questionnaireVersion)
        }
    }

    /// "assessment" or "questionnaire:<id>:v<version>": each version of a questionnaire is distributed and answered
    /// on its own, so each has its own series.
    public var subject: String {
        switch self {
        case .assessment: "assessment"
        case let .questionnaire(id, version): "questionnaire:\(id):v\(version)"
        }
    }
}

/// What is submitted. An assessment carries `answers` and `scores`; a questionnaire response carries `responses`.
public struct SubmissionPayload: Sendable, Hashable, Codable {
    /// Item id (e.g. "2.2.1.2-B1") → answer. Unanswered items are left out.
    public var answers: [String: SubmittedAnswer]?
    /// The institution's own computed scores, as declared (the supervisor recomputes them from `answers`).
    public var scores: SubmittedScores?
    /// Question id → selected options and free text.
    public var responses: [String: SubmittedResponse]?

    public init(answers: [String: SubmittedAnswer]? = nil, scores: SubmittedScores? = nil, responses: [String: SubmittedResponse]? = nil) {
        self.answers = answers
        self.scores = scores
        self.responses = responses
    }
}

/// The wire values of KamaeCore's `AnswerStatus`.
public enum SubmittedStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case implemented
    case partial
    case notImplemented = "not_implemented"
    case notApplicable = "not_applicable"
}

public struct SubmittedAnswer: Sendable, Hashable, Codable {
    public var status: SubmittedStatus
    /// Maturity 0–5 (KamaeCore's `MaturityLevel`), when given.
    public var maturity: Int?

    public init(status: SubmittedStatus, maturity: Int? = nil) {
        self.status = status
        self.maturity = maturity
    }
}

/// An implementation rate as exact integers (KamaeCore's `ImplementationRate`): `halves / (2 × applicable)`.
public struct ScoreFigure: Sendable, Hashable, Codable {
    public var halves: Int
    public var applicable: Int

    public init(halves: Int, applicable: Int) {
        self.halves = halves
        self.applicable = applicable
    }
}

public struct SubmittedScores: Sendable, Hashable, Codable {
    public var overall: ScoreFigure
    public var basic: ScoreFigure
    public var desirable: ScoreFigure
    /// Section number (e.g. "2.2.1") → rate including subsections.
    public var sections: [String: ScoreFigure]

    public init(overall: ScoreFigure, basic: ScoreFigure, desirable: ScoreFigure, sections: [String: ScoreFigure]) {
        self.overall = overall
        self.basic = basic
        self.desirable = desirable
        self.sections = sections
    }
}

public struct SubmittedResponse: Sendable, Hashable, Codable {
    public var options: [String]
    public var freeText: String?

    public init(options: [String], freeText: String? = nil) {
        self.options = options
        self.freeText = freeText
    }

    enum CodingKeys: String, CodingKey {
        case options
        case freeText = "free_text"
    }
}

/// `{"algorithm":"Ed25519","key_id":"<SHA-256 of the public key's SPKI DER, hex>","value":"<base64>"}`.
public struct SubmissionSignature: Sendable, Hashable, Codable {
    public static let ed25519 = "Ed25519"

    public var algorithm: String
    public var keyID: String
    public var value: String

    public init(algorithm: String = SubmissionSignature.ed25519, keyID: String, value: String) {
        self.algorithm = algorithm
        self.keyID = keyID
        self.value = value
    }

    enum CodingKeys: String, CodingKey {
        case algorithm, value
        case keyID = "key_id"
    }
}

/// SHA-256 of a package's signed content, in lower-case hex.
public struct ContentDigest: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var hex: String

    public init(hex: String) { self.hex = hex.lowercased() }

    public init(of data: Data) {
        hex = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    public var description: String { hex }
    public static func < (lhs: ContentDigest, rhs: ContentDigest) -> Bool { lhs.hex < rhs.hex }
}

/// One institution's series of submissions of one kind for one fiscal year; a newer one supersedes older ones.
public struct SubmissionSlot: Sendable, Hashable, Codable {
    public var institutionID: UUID
    public var fiscalYear: Int
    /// `SubmissionKind.subject`.
    public var subject: String

    public init(institutionID: UUID, fiscalYear: Int, subject: String) {
        self.institutionID = institutionID
        self.fiscalYear = fiscalYear
        self.subject = subject
    }
}
