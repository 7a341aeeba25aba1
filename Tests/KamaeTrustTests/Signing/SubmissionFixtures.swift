import Crypto
import Foundation
@testable import KamaeTrust

enum SubmissionFixtures {
    static let catalogVersion = "fsa-cyber-2024-10-04+2025-07-04"
    static let institutionID = UUID(uuidString: "6F1C2A9E-3B4D-4E5F-8A7B-1C2D3E4F5A6B")!
    /// 2025-06-30T09:15:00Z
    static let submittedAt = Date(timeIntervalSince1970: 1_751_274_900)
    static let deadline = Date(timeIntervalSince1970: 1_751_328_000) // 2025-07-01T00:00:00Z

    /// RFC 8032 test 1 secret key, so that PEM and fingerprints can be checked against OpenSSL.
    static let rfc8032Secret = Data([
        0x9D, 0x61, 0xB1, 0x9D, 0xEF, 0xFD, 0x5A, 0x60, 0xBA, 0x84, 0x4A, 0xF4, 0x92, 0xEC, 0x2C, 0xC4,
        0x44, 0x49, 0xC5, 0x69, 0x7B, 0x32, 0x69, 0x19, 0x70, 0x3B, 0xAC, 0x03, 0x1C, 0xAE, 0x7F, 0x60,
    ])

    static func key() -> Curve25519.Signing.PrivateKey {
        try! Curve25519.Signing.PrivateKey(rawRepresentation: rfc8032Secret)
    }

    static func package(submittedAt: Date = submittedAt, kind: SubmissionKind = .assessment) -> SubmissionPackage {
        let payload: SubmissionPayload
        switch kind {
        case .assessment:
            payload = SubmissionPayload(
                answers: [
                    "2.1.1-B1": SubmittedAnswer(status: .implemented, maturity: 3),
                    "2.1.1-B2": SubmittedAnswer(status: .partial, maturity: 2),
                    "2.2.1.2-B1": SubmittedAnswer(status: .notImplemented),
                    "2.6-Da": SubmittedAnswer(status: .notApplicable),
                ],
                scores: SubmittedScores(
                    overall: ScoreFigure(halves: 3, applicable: 175),
                    basic: ScoreFigure(halves: 3, applicable: 126),
                    desirable: ScoreFigure(halves: 0, applicable: 49),
                    sections: ["2.1": ScoreFigure(halves: 3, applicable: 30), "2.1.1": ScoreFigure(halves: 3, applicable: 8)]
                )
            )
        case .questionnaire:
            payload = SubmissionPayload(responses: [
                "q1": SubmittedResponse(options: ["yes"]),
                "q2": SubmittedResponse(options: ["edr", "backup"], freeText: "オフラインバックアップは月次"),
            ])
        }
        return SubmissionPackage(
            institution: SubmittingInstitution(id: institutionID, name: "かまえ信用金庫 \"本店\" / Kamae Shinkin", typeCode: "regional-banks", sizeBand: "medium", region: "kanto"),
            fiscalYear: 2025,
            catalogVersion: catalogVersion,
            kind: kind,
            submittedAt: submittedAt,
            approvedAt: submittedAt.addingTimeInterval(-3600),
            approvedBy: "承認者 山田",
            payload: payload
        )
    }

    static func signedData(_ package: SubmissionPackage = package(), key: Curve25519.Signing.PrivateKey = key()) throws -> Data {
        try SubmissionSigner.sign(package, with: key).canonicalData()
    }

    static var registered: [RegisteredSigningKey] {
        [RegisteredSigningKey(institutionID: institutionID, publicKey: key().publicKey)]
    }

    static func verify(
        _ data: Data, keys: [RegisteredSigningKey] = registered, catalogVersion: String = catalogVersion, deadline: Date = deadline,
        alreadyReceived: Set<ContentDigest> = [], latestAccepted: [SubmissionSlot: Date] = [:], receivedAt: Date? = nil
    ) -> Result<VerifiedSubmission, SubmissionRejection> {
        SubmissionVerifier.verify(
            data: data, registeredKeys: keys, expectedCatalogVersion: catalogVersion, deadline: deadline,
            alreadyReceived: alreadyReceived, latestAccepted: latestAccepted, receivedAt: receivedAt
        )
    }
}

extension Result {
    var failure: Failure? {
        if case let .failure(error) = self { return error }
        return nil
    }

    var success: Success? {
        if case let .success(value) = self { return value }
        return nil
    }
}
