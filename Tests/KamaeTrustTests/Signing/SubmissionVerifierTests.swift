import Crypto
import Foundation
import PropertyBased
import Testing
@testable import KamaeTrust

@Suite struct SubmissionVerifierTests {
    typealias F = SubmissionFixtures

    @Test func validRoundTrip() throws {
        let package = F.package()
        let data = try F.signedData(package)
        let verified = try #require(F.verify(data).success)
        #expect(verified.package.unsigned == package)
        #expect(verified.keyID == SigningKeys.fingerprint(F.key().publicKey))
        #expect(verified.contentDigest == (try package.contentDigest()))
        #expect(verified.signedData == (try package.signingData()))
        #expect(verified.slot == SubmissionSlot(institutionID: F.institutionID, fiscalYear: 2025, subject: "assessment"))
        // The document is already canonical: what was sent is what canonicalData gives.
        #expect(try verified.package.canonicalData() == data)
    }

    @Test func questionnaireRoundTrip() throws {
        let package = F.package(kind: .questionnaire(id: "ransomware-2025", version: 2))
        let verified = try #require(F.verify(try F.signedData(package)).success)
        #expect(verified.package.unsigned == package)
        #expect(verified.slot.subject == "questionnaire:ransomware-2025:v2")
    }

    @Test func sameContentSameBytesAndDigest() throws {
        let a = try F.signedData()
        let b = try F.signedData()
        // Ed25519 in swift-crypto may or may not randomise; the signed content and its digest never change.
        #expect(try F.package().signingData() == (try F.package().signingData()))
        let da = try #require(F.verify(a).success).contentDigest
        let db = try #require(F.verify(b).success).contentDigest
        #expect(da == db)
    }

    @Test func unsignedIsRefused() throws {
        let data = try F.package().canonicalData()
        #expect(F.verify(data).failure == .unsigned)
    }

    @Test func wrongKeyIsRefused() throws {
        let stranger = SigningKeys.generate()
        let data = try F.signedData(key: stranger)
        #expect(F.verify(data).failure == .unknownKey(keyID: SigningKeys.fingerprint(stranger.publicKey)))
        // Registered, but for another institution.
        let other = RegisteredSigningKey(institutionID: UUID(), publicKey: stranger.publicKey)
        #expect(F.verify(data, keys: F.registered + [other]).failure == .keyNotForInstitution(keyID: other.keyID, institutionID: F.institutionID))
        // A signature made by another key but labelled with the registered key id.
        var forged = try JSONDecoder().decode(SubmissionPackage.self, from: data)
        forged.signature?.keyID = SigningKeys.fingerprint(F.key().publicKey)
        #expect(F.verify(try forged.canonicalData()).failure == .signatureInvalid)
    }

    @Test func wrongCatalogVersionIsRefused() throws {
        var package = F.package()
        package.catalogVersion = "fsa-cyber-2024-10-04"
        #expect(F.verify(try F.signedData(package)).failure == .wrongCatalogVersion(expected: F.catalogVersion, found: "fsa-cyber-2024-10-04"))
    }

    @Test func lateIsRefused() throws {
        let late = F.package(submittedAt: F.deadline.addingTimeInterval(1))
        #expect(F.verify(try F.signedData(late)).failure == .late(submittedAt: F.deadline.addingTimeInterval(1), deadline: F.deadline))
        // Exactly at the deadline is on time.
        #expect(F.verify(try F.signedData(F.package(submittedAt: F.deadline))).success != nil)
        // Backdated, but received after the deadline.
        let data = try F.signedData()
        #expect(F.verify(data, receivedAt: F.deadline.addingTimeInterval(60)).failure == .late(submittedAt: F.submittedAt, deadline: F.deadline))
    }

    @Test func duplicateIsRefused() throws {
        let data = try F.signedData()
        let digest = try #require(F.verify(data).success).contentDigest
        #expect(F.verify(data, alreadyReceived: [digest]).failure == .duplicate(digest))
        // Signing the same content again does not make it new.
        #expect(F.verify(try F.signedData(), alreadyReceived: [digest]).failure == .duplicate(digest))
    }

    @Test func replayOfAnOlderSubmissionIsRefused() throws {
        let older = F.package(submittedAt: F.submittedAt.addingTimeInterval(-86_400))
        let newer = F.package()
        let slot = newer.slot
        #expect(F.verify(try F.signedData(older), latestAccepted: [slot: newer.submittedAt]).failure
            == .replay(submittedAt: older.submittedAt, latestAccepted: newer.submittedAt))
        // Another package with the same timestamp but other content is not newer either.
        var same = F.package()
        same.approvedBy = "別の承認者"
        #expect(F.verify(try F.signedData(same), latestAccepted: [slot: newer.submittedAt]).failure?.code == "replay")
        // A newer one is accepted; other years and kinds are other series.
        #expect(F.verify(try F.signedData(newer), latestAccepted: [slot: older.submittedAt]).success != nil)
        var otherYear = slot
        otherYear.fiscalYear = 2024
        #expect(F.verify(try F.signedData(older), latestAccepted: [otherYear: newer.submittedAt]).success != nil)
    }

    /// Each field changed one at a time, keeping the original signature: the signature no longer matches.
    @Test func everyFieldIsCoveredBySignature() throws {
        let assessment = F.package()
        let questionnaire = F.package(kind: .questionnaire(id: "ransomware-2025", version: 2))
        let mutations: [(String, SubmissionPackage, (inout SubmissionPackage) -> Void)] = [
            ("institution.name", assessment, { $0.institution.name += "x" }),
            ("institution.name NFD", assessment, { $0.institution.name = $0.institution.name.decomposedStringWithCanonicalMapping + "\u{3099}" }),
            ("institution.type", assessment, { $0.institution.typeCode = "major-banks" }),
            ("institution.size_band", assessment, { $0.institution.sizeBand = "large" }),
            ("institution.region", assessment, { $0.institution.region = "kinki" }),
            ("fiscal_year", assessment, { $0.fiscalYear = 2024 }),
            ("catalog_version", assessment, { $0.catalogVersion = "fsa-cyber-2024-10-04" }),
            ("submitted_at", assessment, { $0.submittedAt.addTimeInterval(1) }),
            ("approved_at", assessment, { $0.approvedAt.addTimeInterval(-1) }),
            ("approved_by", assessment, { $0.approvedBy = "承認者 田中" }),
            ("answers status", assessment, { $0.payload.answers?["2.2.1.2-B1"]?.status = .implemented }),
            ("answers maturity", assessment, { $0.payload.answers?["2.1.1-B1"]?.maturity = 4 }),
            ("answers maturity removed", assessment, { $0.payload.answers?["2.1.1-B1"]?.maturity = nil }),
            ("answers added", assessment, { $0.payload.answers?["2.3-B1"] = SubmittedAnswer(status: .implemented) }),
            ("answers removed", assessment, { $0.payload.answers?["2.2.1.2-B1"] = nil }),
            ("answers renamed", assessment, {
                let answer = $0.payload.answers?["2.2.1.2-B1"]
                $0.payload.answers?["2.2.1.2-B2"] = answer
                $0.payload.answers?["2.2.1.2-B1"] = nil
            }),
            ("scores overall", assessment, { $0.payload.scores?.overall.halves += 1 }),
            ("scores basic", assessment, { $0.payload.scores?.basic.applicable += 1 }),
            ("scores desirable", assessment, { $0.payload.scores?.desirable.applicable -= 1 }),
            ("scores section", assessment, { $0.payload.scores?.sections["2.1.1"] = ScoreFigure(halves: 4, applicable: 8) }),
            ("questionnaire id", questionnaire, { $0.kind = .questionnaire(id: "ransomware-2026", version: 2) }),
            ("questionnaire version", questionnaire, { $0.kind = .questionnaire(id: "ransomware-2025", version: 3) }),
            ("response option", questionnaire, { $0.payload.responses?["q1"] = SubmittedResponse(options: ["no"]) }),
            ("response order", questionnaire, { $0.payload.responses?["q2"]?.options.reverse() }),
            ("response free text", questionnaire, { $0.payload.responses?["q2"]?.freeText = "オフラインバックアップは週次" }),
            ("response free text removed", questionnaire, { $0.payload.responses?["q2"]?.freeText = nil }),
        ]
        for (name, original, mutate) in mutations {
            var tampered = try SubmissionSigner.sign(original, with: F.key())
            #expect(F.verify(try tampered.canonicalData()).success != nil, "\(name): original must verify")
            mutate(&tampered)
            #expect(tampered != (try SubmissionSigner.sign(original, with: F.key())), "\(name): mutation changed nothing")
            #expect(F.verify(try tampered.canonicalData()).failure == .signatureInvalid, "\(name)")
        }
        // The signature block itself.
        var signed = try SubmissionSigner.sign(assessment, with: F.key())
        var bytes = Data(base64Encoded: signed.signature!.value)!
        bytes[10] ^= 0x01
        signed.signature!.value = bytes.base64EncodedString()
        #expect(F.verify(try signed.canonicalData()).failure == .signatureInvalid)
        signed = try SubmissionSigner.sign(assessment, with: F.key())
        signed.institution.id = UUID()
        #expect(F.verify(try signed.canonicalData()).failure?.code == "key_not_for_institution")
    }

    /// Every leaf of the signed document changed, every member removed and every key renamed, one at a time,
    /// at the byte level: nothing gets through.
    @Test func everyByteLevelChangeIsRefused() throws {
        for package in [F.package(), F.package(kind: .questionnaire(id: "ransomware-2025", version: 2))] {
            let data = try F.signedData(package)
            let document = try CanonicalJSON.parse(data)
            var tried = 0
            for path in Self.paths(in: document) {
                for variant in Self.variants(of: document, at: path) {
                    tried += 1
                    let result = F.verify(CanonicalJSON.serialize(variant))
                    #expect(result.failure != nil, "accepted a change at \(JSONPath.render(path))")
                }
            }
            #expect(tried > 40)
        }
    }

    static func paths(in value: JSONValue, prefix: [JSONPathComponent] = []) -> [[JSONPathComponent]] {
        var paths: [[JSONPathComponent]] = prefix.isEmpty ? [] : [prefix]
        switch value {
        case let .object(members):
            for (key, member) in members { paths += Self.paths(in: member, prefix: prefix + [.key(key)]) }
        case let .array(elements):
            for (index, element) in elements.enumerated() { paths += Self.paths(in: element, prefix: prefix + [.index(index)]) }
        default: break
        }
        return paths
    }

    /// The document with the value at `path` changed, removed, or (for object members) renamed.
    static func variants(of document: JSONValue, at path: [JSONPathComponent]) -> [JSONValue] {
        func changed(_ value: JSONValue) -> [JSONValue] {
            switch value {
            case .null: [.bool(false)]
            case let .bool(flag): [.bool(!flag)]
            case let .integer(number): [.integer(number + 1), .string(String(number))]
            case let .string(text): [.string(text + "x"), .string(String(text.dropLast())), .integer(1)]
            case let .array(elements): [.array(elements + [.string("x")]), .array(Array(elements.reversed()))]
            case let .object(members): [.object(members.merging(["extra": .string("x")]) { a, _ in a })]
            }
        }
        func apply(_ value: JSONValue, _ rest: ArraySlice<JSONPathComponent>, _ edit: (JSONValue?) -> [JSONValue?]) -> [JSONValue] {
            guard let head = rest.first else { return [] }
            switch (value, head) {
            case let (.object(members), .key(name)):
                if rest.count == 1 {
                    var results = edit(members[name]).map { replacement -> JSONValue in
                        var copy = members
                        copy[name] = replacement
                        return .object(copy)
                    }
                    var renamed = members
                    renamed[name + "_"] = renamed.removeValue(forKey: name)
                    results.append(.object(renamed))
                    return results
                }
                return apply(members[name]!, rest.dropFirst(), edit).map { inner in
                    var copy = members
                    copy[name] = inner
                    return .object(copy)
                }
            case let (.array(elements), .index(index)):
                if rest.count == 1 {
                    return edit(elements[index]).map { replacement in
                        var copy = elements
                        if let replacement { copy[index] = replacement } else { copy.remove(at: index) }
                        return .array(copy)
                    }
                }
                return apply(elements[index], rest.dropFirst(), edit).map { inner in
                    var copy = elements
                    copy[index] = inner
                    return .array(copy)
                }
            default:
                return []
            }
        }
        return apply(document, path[...]) { current in
            guard let current else { return [] }
            return changed(current).filter { CanonicalJSON.firstDifference($0, current) != nil } + [nil]
        }
    }

    @Test func notJSONGivesTheOffset() {
        let rejection = F.verify(Data("{\"format\": \"kamae-submission/1\", ".utf8)).failure
        guard case let .notJSON(offset, _, _) = rejection else {
            Issue.record("expected notJSON, got \(String(describing: rejection))")
            return
        }
        #expect(offset == 33)
        #expect(F.verify(Data([0xFF, 0xFE])).failure?.code == "not_json")
        #expect(F.verify(Data()).failure?.code == "not_json")
    }

    @Test func wrongFormatNamesThePath() throws {
        let valid = try CanonicalJSON.parse(try F.signedData())
        func rejection(_ edit: (inout [String: JSONValue]) -> Void) -> SubmissionRejection? {
            guard case var .object(members) = valid else { return nil }
            edit(&members)
            return F.verify(CanonicalJSON.serialize(.object(members))).failure
        }
        func path(_ rejection: SubmissionRejection?) -> String? {
            if case let .wrongFormat(path, _) = rejection { return path }
            return nil
        }
        #expect(path(rejection { $0["format"] = .string("kamae-submission/2") }) == "$.format")
        #expect(path(rejection { $0["format"] = nil }) == "$.format")
        #expect(path(rejection { $0["fiscal_year"] = nil }) == "$.fiscal_year")
        #expect(path(rejection { $0["fiscal_year"] = .string("2025") }) == "$.fiscal_year")
        #expect(path(rejection { $0["submitted_at"] = .string("2025-06-30 09:15") }) == "$.submitted_at")
        #expect(path(rejection { $0["extra"] = .bool(true) }) == "$.extra")
        #expect(path(rejection { $0["signature"] = .null }) == "$.signature")
        #expect(path(rejection { members in
            guard case var .object(payload)? = members["payload"], case var .object(answers)? = payload["answers"] else { return }
            answers["2.1.1-B1"] = .object(["status": .string("implemented"), "maturity": .integer(7)])
            payload["answers"] = .object(answers)
            members["payload"] = .object(payload)
        }) == #"$.payload.answers["2.1.1-B1"].maturity"#)
        #expect(path(rejection { members in
            guard case var .object(payload)? = members["payload"], case var .object(answers)? = payload["answers"] else { return }
            answers["2.1.1-B1"] = .object(["status": .string("done")])
            payload["answers"] = .object(answers)
            members["payload"] = .object(payload)
        }) == #"$.payload.answers["2.1.1-B1"].status"#)
        #expect(path(rejection { members in
            guard case var .object(signature)? = members["signature"] else { return }
            signature["algorithm"] = .string("RS256")
            members["signature"] = .object(signature)
        }) == "$.signature.algorithm")
        #expect(path(rejection { $0["approved_at"] = .string("2025-07-01T00:00:00Z") }) == "$.approved_at")
        // A fraction anywhere is a format error with its path, not a parse error.
        var text = String(decoding: try F.signedData(), as: UTF8.self)
        text = text.replacingOccurrences(of: "\"fiscal_year\":2025", with: "\"fiscal_year\":2025.0")
        #expect(path(F.verify(Data(text.utf8)).failure) == "$.fiscal_year")
    }

    @Test func oversizedIsRefusedBeforeParsing() {
        let data = Data(repeating: 0x20, count: SubmissionVerifier.maximumSize + 1)
        #expect(F.verify(data).failure?.code == "too_large")
    }

    @Test func everyRejectionSpeaksBothLanguages() {
        let all: [SubmissionRejection] = [
            .tooLarge(bytes: 9, limit: 8), .notJSON(offset: 3, path: "$", detail: "x"), .wrongFormat(path: "$.a", detail: "x"), .unsigned,
            .unknownKey(keyID: "ab"), .keyNotForInstitution(keyID: "ab", institutionID: UUID()), .signatureInvalid,
            .wrongCatalogVersion(expected: "a", found: "b"), .late(submittedAt: F.deadline, deadline: F.submittedAt),
            .duplicate(ContentDigest(hex: "00")), .replay(submittedAt: F.submittedAt, latestAccepted: F.deadline),
        ]
        #expect(Set(all.map(\.code)).count == all.count)
        for rejection in all {
            #expect(!rejection.english.isEmpty && !rejection.japanese.isEmpty)
            #expect(rejection.japanese.unicodeScalars.contains { $0.value >= 0x3040 }, "\(rejection.code) has no Japanese")
        }
        #expect(SubmissionRejection.wrongFormat(path: "$.x", detail: "d").english.contains("$.x"))
    }

    @Test func timestampsAreWholeSecondsUTC() throws {
        #expect(SubmissionTimestamp.string(from: F.submittedAt) == "2025-06-30T09:15:00Z")
        #expect(SubmissionTimestamp.string(from: F.deadline) == "2025-07-01T00:00:00Z")
        #expect(SubmissionTimestamp.date(from: "2025-06-30T09:15:00Z") == F.submittedAt)
        #expect(SubmissionTimestamp.string(from: Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00Z")
        for bad in ["2025-02-29T00:00:00Z", "2025-06-30T24:00:00Z", "2025-06-30T09:15:00+09:00", "2025-6-30T09:15:00Z", "1969-12-31T23:59:59Z"] {
            #expect(SubmissionTimestamp.date(from: bad) == nil, "\(bad)")
        }
        let package = F.package(submittedAt: F.submittedAt.addingTimeInterval(0.75))
        #expect(package.submittedAt == F.submittedAt)
    }

    @Test func timestampRoundTrip() async {
        await propertyCheck(count: 300, input: Gen.int64(in: 0...253_402_300_799)) { seconds in
            let date = Date(timeIntervalSince1970: Double(seconds))
            #expect(SubmissionTimestamp.date(from: SubmissionTimestamp.string(from: date)) == date)
        }
    }
}
