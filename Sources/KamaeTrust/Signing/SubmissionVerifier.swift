import Crypto
import Foundation

/// Why a submission was refused, with a message in Japanese and English for the institution.
public enum SubmissionRejection: Error, Sendable, Hashable, CustomStringConvertible {
    case tooLarge(bytes: Int, limit: Int)
    /// The bytes are not JSON (RFC 8259, UTF-8); `offset` is the byte where reading stopped.
    case notJSON(offset: Int, path: String, detail: String)
    /// JSON, but not a valid `kamae-submission/1` document; `path` points at the problem (e.g. `$.payload.answers["2.1.1-B1"].maturity`).
    case wrongFormat(path: String, detail: String)
    case unsigned
    case unknownKey(keyID: String)
    /// The key is registered, but for another institution.
    case keyNotForInstitution(keyID: String, institutionID: UUID)
    /// The signature does not match the content: the package was altered or signed with another key.
    case signatureInvalid
    case wrongCatalogVersion(expected: String, found: String)
    case late(submittedAt: Date, deadline: Date)
    /// The same content (same digest) was already received.
    case duplicate(ContentDigest)
    /// Not newer than the submission already accepted for the same institution, year and kind.
    case replay(submittedAt: Date, latestAccepted: Date)
    /// The supervisor collects no self-assessments for this fiscal year (no round with a deadline is open).
    case noRound(fiscalYear: Int)
    /// Another submission for the same institution, year and subject was being stored at the same moment.
    case conflict
    /// A questionnaire response to a questionnaire (id and version) this supervisor has not published.
    case unknownQuestionnaire(id: String, version: Int)
    /// The institution is not among the questionnaire's recipients.
    case notInvited(questionnaireID: String)
    /// The response does not answer the questionnaire as it requires (a required question, an unknown option…).
    case invalidResponse(questionID: String, detail: String)

    /// A stable code for logs and the API.
    public var code: String {
        switch self {
        case .tooLarge: "too_large"
        case .notJSON: "not_json"
        case .wrongFormat: "wrong_format"
        case .unsigned: "unsigned"
        case .unknownKey: "unknown_key"
        case .keyNotForInstitution: "key_not_for_institution"
        case .signatureInvalid: "signature_invalid"
        case .wrongCatalogVersion: "wrong_catalog_version"
        case .late: "late"
        case .duplicate: "duplicate"
        case .replay: "replay"
        case .noRound: "no_round"
        case .conflict: "conflict"
        case .unknownQuestionnaire: "unknown_questionnaire"
        case .notInvited: "not_invited"
        case .invalidResponse: "invalid_response"
        }
    }

    public var japanese: String {
        switch self {
        case let .tooLarge(bytes, limit):
            "提出ファイルが大きすぎます（\(bytes) バイト、上限 \(limit) バイト）。"
        case let .notJSON(offset, path, detail):
            "提出ファイルが JSON として読めません（\(offset) バイト目、\(path)：\(detail)）。"
        case let .wrongFormat(path, detail):
            "提出ファイルの形式が kamae-submission/1 ではありません（\(path)：\(detail)）。"
        case .unsigned:
            "提出ファイルに署名がありません。承認後に署名してから提出してください。"
        case let .unknownKey(keyID):
            "署名鍵が登録されていません（鍵ID \(keyID.prefix(16))…）。監督当局に公開鍵を登録してください。"
        case let .keyNotForInstitution(keyID, _):
            "この署名鍵（鍵ID \(keyID.prefix(16))…）は提出元の金融機関に登録された鍵ではありません。"
        case .signatureInvalid:
            "署名が内容と一致しません。署名後に内容が変更された可能性があります。"
        case let .wrongCatalogVersion(expected, found):
            "ガイドラインの版が異なります（提出：\(found)、受付：\(expected)）。"
        case let .late(submittedAt, deadline):
            "提出期限を過ぎています（提出：\(SubmissionTimestamp.string(from: submittedAt))、期限：\(SubmissionTimestamp.string(from: deadline))）。"
        case let .duplicate(digest):
            "同じ内容の提出をすでに受け付けています（ダイジェスト \(digest.hex.prefix(16))…）。"
        case let .replay(submittedAt, latest):
            "受付済みの提出（\(SubmissionTimestamp.string(from: latest))）より古い提出です（\(SubmissionTimestamp.string(from: submittedAt))）。"
        case let .noRound(year):
            "\(year) 年度の自己評価は受け付けていません（提出期限が設定されていません）。"
        case .conflict:
            "同じ金融機関・年度・種類の提出を同時に受け付けていました。もう一度送ってください。"
        case let .unknownQuestionnaire(id, version):
            "調査票「\(id)」第 \(version) 版は配布されていません。"
        case let .notInvited(id):
            "この金融機関は調査票「\(id)」の配布先ではありません。"
        case let .invalidResponse(questionID, detail):
            "質問「\(questionID)」の回答が調査票の条件を満たしていません（\(detail)）。"
        }
    }

    public var english: String {
        switch self {
        case let .tooLarge(bytes, limit):
            "The submission is too large (\(bytes) bytes; the limit is \(limit))."
        case let .notJSON(offset, path, detail):
            "The submission is not JSON (byte \(offset), \(path): \(detail))."
        case let .wrongFormat(path, detail):
            "The submission is not a kamae-submission/1 document (\(path): \(detail))."
        case .unsigned:
            "The submission is not signed. Sign it after approval, then submit."
        case let .unknownKey(keyID):
            "The signing key is not registered (key id \(keyID.prefix(16))…). Register its public key with the supervisor."
        case let .keyNotForInstitution(keyID, _):
            "The signing key (key id \(keyID.prefix(16))…) is not registered for the submitting institution."
        case .signatureInvalid:
            "The signature does not match the content; the submission may have been changed after signing."
        case let .wrongCatalogVersion(expected, found):
            "Wrong guideline version (submitted \(found); accepted \(expected))."
        case let .late(submittedAt, deadline):
            "The deadline has passed (submitted \(SubmissionTimestamp.string(from: submittedAt)); deadline \(SubmissionTimestamp.string(from: deadline)))."
        case let .duplicate(digest):
            "A submission with the same content was already received (digest \(digest.hex.prefix(16))…)."
        case let .replay(submittedAt, latest):
            "This submission (\(SubmissionTimestamp.string(from: submittedAt))) is not newer than the one already accepted (\(SubmissionTimestamp.string(from: latest)))."
        case let .noRound(year):
            "Self-assessments for fiscal year \(year) are not being collected (no deadline is set)."
        case .conflict:
            "Another submission for the same institution, year and subject was being received at the same moment; send it again."
        case let .unknownQuestionnaire(id, version):
            "Questionnaire \(id) version \(version) has not been distributed."
        case let .notInvited(id):
            "This institution is not among the recipients of questionnaire \(id)."
        case let .invalidResponse(questionID, detail):
            "The answer to question \(questionID) does not meet the questionnaire's rules (\(detail))."
        }
    }

    public var description: String { "\(code): \(english)" }
}

/// A package whose signature, key, version, timing and novelty have all been checked.
public struct VerifiedSubmission: Sendable, Hashable {
    public var package: SubmissionPackage
    public var contentDigest: ContentDigest
    public var keyID: String
    /// The canonical bytes that were signed.
    public var signedData: Data

    public var slot: SubmissionSlot { package.slot }
}

public enum SubmissionVerifier {
    public static let maximumSize = 8 * 1024 * 1024
    public static let maximumTextLength = 10_000

    /// Checks a received submission, in this order: size, JSON, format, signature present, key known and the
    /// institution's, signature valid, catalog version, deadline, duplicate content, replay. Nothing about the
    /// content is trusted before the signature has been checked, except what is needed to find the key.
    ///
    /// - Parameters:
    ///   - deadline: the last instant accepted; a package is late when its `submitted_at` or `receivedAt` is after it.
    ///   - alreadyReceived: digests of every package already accepted.
    ///   - latestAccepted: per slot, the `submitted_at` of the newest accepted package.
    ///   - receivedAt: when the server received the bytes, if known; the claimed `submitted_at` alone could be backdated.
    public static func verify(
        data: Data,
        registeredKeys: [RegisteredSigningKey],
        expectedCatalogVersion: String,
        deadline: Date,
        alreadyReceived: Set<ContentDigest>,
        latestAccepted: [SubmissionSlot: Date] = [:],
        receivedAt: Date? = nil
    ) -> Result<VerifiedSubmission, SubmissionRejection> {
        guard data.count <= maximumSize else { return .failure(.tooLarge(bytes: data.count, limit: maximumSize)) }

        // 1. Strict JSON.
        let received: JSONValue
        do {
            received = try CanonicalJSON.parse(data)
        } catch {
            switch error.kind {
            case .syntax: return .failure(.notJSON(offset: error.offset, path: error.path, detail: error.reason))
            case .restriction: return .failure(.wrongFormat(path: error.path, detail: error.reason))
            }
        }

        // 2. The format.
        guard case .object = received else { return .failure(.wrongFormat(path: "$", detail: "expected an object")) }
        guard case let .string(format)? = received["format"] else { return .failure(.wrongFormat(path: "$.format", detail: "missing")) }
        guard format == SubmissionPackage.formatIdentifier else {
            return .failure(.wrongFormat(path: "$.format", detail: "expected \(SubmissionPackage.formatIdentifier), found \(format.prefix(40))"))
        }
        let package: SubmissionPackage
        do {
            package = try JSONDecoder().decode(SubmissionPackage.self, from: data)
        } catch let error as DecodingError {
            let (path, detail) = describe(error)
            return .failure(.wrongFormat(path: path, detail: detail))
        } catch {
            return .failure(.wrongFormat(path: "$", detail: "unreadable"))
        }
        if let problem = formatProblem(in: package) { return .failure(problem) }
        // Every member must be one the format defines, in its canonical form (no unknown fields, no explicit nulls).
        do {
            let expected = try CanonicalJSON.jsonValue(of: package)
            if let difference = CanonicalJSON.firstDifference(expected, received) {
                return .failure(.wrongFormat(path: JSONPath.render(difference), detail: "unexpected member or value not in canonical form"))
            }
        } catch {
            return .failure(.wrongFormat(path: "$", detail: "cannot be re-encoded"))
        }

        // 3. Signature.
        guard let signature = package.signature else { return .failure(.unsigned) }
        guard let key = registeredKeys.first(where: { $0.keyID == signature.keyID }), let publicKey = key.publicKey else {
            return .failure(.unknownKey(keyID: signature.keyID))
        }
        guard key.institutionID == package.institution.id else {
            return .failure(.keyNotForInstitution(keyID: signature.keyID, institutionID: package.institution.id))
        }
        guard case var .object(members) = received else { return .failure(.wrongFormat(path: "$", detail: "expected an object")) }
        members["signature"] = nil
        let signedData = CanonicalJSON.serialize(.object(members))
        guard let signatureBytes = Data(base64Encoded: signature.value), publicKey.isValidSignature(signatureBytes, for: signedData) else {
            return .failure(.signatureInvalid)
        }

        // 4. Business rules on authenticated content.
        guard package.catalogVersion == expectedCatalogVersion else {
            return .failure(.wrongCatalogVersion(expected: expectedCatalogVersion, found: package.catalogVersion))
        }
        if package.submittedAt > deadline || (receivedAt.map { $0 > deadline } ?? false) {
            return .failure(.late(submittedAt: package.submittedAt, deadline: deadline))
        }
        let digest = ContentDigest(of: signedData)
        if alreadyReceived.contains(digest) { return .failure(.duplicate(digest)) }
        if let latest = latestAccepted[package.slot], package.submittedAt <= latest {
            return .failure(.replay(submittedAt: package.submittedAt, latestAccepted: latest))
        }
        return .success(VerifiedSubmission(package: package, contentDigest: digest, keyID: signature.keyID, signedData: signedData))
    }

    /// Checks that types alone cannot express; the first problem found, with its path.
    static func formatProblem(in package: SubmissionPackage) -> SubmissionRejection? {
        func wrong(_ path: [JSONPathComponent], _ detail: String) -> SubmissionRejection {
            .wrongFormat(path: JSONPath.render(path), detail: detail)
        }
        let institution = package.institution
        for (key, value) in [("name", institution.name), ("type", institution.typeCode), ("size_band", institution.sizeBand), ("region", institution.region)] {
            if value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return wrong([.key("institution"), .key(key)], "empty") }
            if value.count > 200 { return wrong([.key("institution"), .key(key)], "longer than 200 characters") }
        }
        if !(2000...2100).contains(package.fiscalYear) { return wrong([.key("fiscal_year")], "not a fiscal year between 2000 and 2100") }
        if package.catalogVersion.isEmpty { return wrong([.key("catalog_version")], "empty") }
        if package.approvedBy.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return wrong([.key("approved_by")], "empty") }
        if package.approvedAt > package.submittedAt { return wrong([.key("approved_at")], "after submitted_at") }
        let payload = package.payload
        switch package.kind {
        case .assessment:
            guard let answers = payload.answers else { return wrong([.key("payload"), .key("answers")], "an assessment needs answers") }
            guard let scores = payload.scores else { return wrong([.key("payload"), .key("scores")], "an assessment needs scores") }
            if payload.responses != nil { return wrong([.key("payload"), .key("responses")], "an assessment has no questionnaire responses") }
            for (itemID, answer) in answers.sorted(by: { $0.key < $1.key }) {
                if itemID.isEmpty || itemID.count > 40 { return wrong([.key("payload"), .key("answers"), .key(itemID)], "not an item id") }
                if let maturity = answer.maturity, !(0...5).contains(maturity) {
                    return wrong([.key("payload"), .key("answers"), .key(itemID), .key("maturity")], "maturity must be 0 to 5")
                }
            }
            var figures: [([JSONPathComponent], ScoreFigure)] = [
                ([.key("overall")], scores.overall), ([.key("basic")], scores.basic), ([.key("desirable")], scores.desirable),
            ]
            figures += scores.sections.sorted { $0.key < $1.key }.map { ([.key("sections"), .key($0.key)], $0.value) }
            for (path, figure) in figures where figure.applicable < 0 || figure.halves < 0 || figure.halves > 2 * figure.applicable {
                return wrong([.key("payload"), .key("scores")] + path, "halves must lie between 0 and twice the applicable count")
            }
        case let .questionnaire(id, version):
            if id.isEmpty { return wrong([.key("kind"), .key("questionnaire_id")], "empty") }
            if version < 1 { return wrong([.key("kind"), .key("questionnaire_version")], "must be 1 or more") }
            guard let responses = payload.responses else { return wrong([.key("payload"), .key("responses")], "a questionnaire response needs responses") }
            if payload.answers != nil || payload.scores != nil { return wrong([.key("payload")], "a questionnaire response has no assessment answers or scores") }
            for (questionID, response) in responses.sorted(by: { $0.key < $1.key }) where (response.freeText?.count ?? 0) > maximumTextLength {
                return wrong([.key("payload"), .key("responses"), .key(questionID), .key("free_text")], "longer than \(maximumTextLength) characters")
            }
        }
        if let signature = package.signature {
            if signature.algorithm != SubmissionSignature.ed25519 {
                return wrong([.key("signature"), .key("algorithm")], "only Ed25519 is accepted")
            }
            if signature.keyID.count != 64 || !signature.keyID.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) {
                return wrong([.key("signature"), .key("key_id")], "expected 64 lower-case hex digits")
            }
            if Data(base64Encoded: signature.value)?.count != 64 {
                return wrong([.key("signature"), .key("value")], "expected a base64 64-byte Ed25519 signature")
            }
        }
        return nil
    }

    static func describe(_ error: DecodingError) -> (String, String) {
        func path(_ components: [any CodingKey]) -> String {
            JSONPath.render(components.map { $0.intValue.map(JSONPathComponent.index) ?? .key($0.stringValue) })
        }
        switch error {
        case let .keyNotFound(key, context): return (path(context.codingPath + [key]), "missing")
        case let .typeMismatch(type, context): return (path(context.codingPath), "wrong type (expected \(type))")
        case let .valueNotFound(type, context): return (path(context.codingPath), "null where \(type) is expected")
        case let .dataCorrupted(context): return (path(context.codingPath), context.debugDescription)
        @unknown default: return ("$", "unreadable")
        }
    }
}
