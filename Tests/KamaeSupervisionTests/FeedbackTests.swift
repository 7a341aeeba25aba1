import Foundation
import KamaeCore
import Testing
@testable import KamaeSupervision

@Suite struct FeedbackTests {
    static let catalog = TestSectors.catalog

    /// Seven regional banks in Kanto: the subject implements nothing of 2.1.1 B1/B2 (B1 partly), the six peers
    /// implement B1 and B2, half of them B3, none B4. Everything else is implemented by all.
    static func build() throws -> (SectorAnalysis, UUID) {
        var institutions: [InstitutionProfile] = []
        var submissions: [SectorSubmission] = []
        let allImplemented = Dictionary(uniqueKeysWithValues: catalog.items.map { ($0.id, AnswerStatus.implemented) })
        for index in 0..<7 {
            let institution = InstitutionProfile(
                id: UUID(uuidString: String(format: "00000000-0000-0000-0000-%012d", index + 1))!, name: "銀行\(index)",
                typeID: "regional-banks", sizeBand: index < 3 ? .large : .small, region: .kanto
            )
            institutions.append(institution)
            var statuses = allImplemented
            if index == 0 {
                statuses["2.1.1-B1"] = .partial
                statuses["2.1.1-B2"] = .notImplemented
                statuses["2.1.1-B3"] = nil
                statuses["2.1.1-B4"] = .notImplemented
                statuses["2.1.1-Da"] = .notImplemented
            } else {
                statuses["2.1.1-B3"] = index % 2 == 0 ? .implemented : .notImplemented
                statuses["2.1.1-B4"] = .notImplemented
                statuses["2.1.1-Da"] = index < 5 ? .implemented : .notImplemented
            }
            submissions.append(SectorSubmission(institutionID: institution.id, fiscalYear: 2025, statuses: statuses))
        }
        return (SectorAnalysis(dataset: try SectorDataset(catalog: catalog, institutions: institutions, submissions: submissions)), institutions[0].id)
    }

    @Test func positionsWeakItemsAndPriorities() throws {
        let (analysis, subject) = try Self.build()
        let feedback = try #require(analysis.feedback(for: subject, year: 2025, grouping: .institutionType))
        #expect(feedback.peerGroup == PeerGroup(grouping: .institutionType, value: "regional-banks"))
        #expect(feedback.peerCount == .published(7))
        #expect(feedback.sections.first?.section == "2")

        // Section 2.1.1: the subject is the only one below the others.
        let section = try #require(feedback.sections.first { $0.section == "2.1.1" })
        let rate = try #require(section.rate)
        let peers = try #require(section.peers.value)
        #expect(peers.count == 7)
        #expect(rate < peers.q1)
        #expect(section.band == .first)
        #expect(abs((section.percentileRank ?? 0) - 100.0 / 14) < 1e-9)

        // Weak items: B2 (未実施, widespread: gap .75), B3 (unanswered, 3 of 6 = common: gap .5), B1 (partial, widespread: gap .25),
        // 2.1.1-Da (未実施, 4 of 6 = common: gap .5, desirable after basic). B4 is implemented by no peer.
        #expect(feedback.weakItems.map(\.itemID) == ["2.1.1-B2", "2.1.1-B3", "2.1.1-Da", "2.1.1-B1"])
        #expect(feedback.weakItems.map(\.gap) == [0.75, 0.5, 0.5, 0.25])
        #expect(feedback.weakItems[1].status == nil)
        #expect(feedback.weakItems[0].peerAdoption == .widespread)

        // Priorities: basic only; widespread first (B2 未実施 before B1 一部実施), then common (B3), then rare (B4).
        #expect(feedback.priorities.map(\.itemID) == ["2.1.1-B2", "2.1.1-B1", "2.1.1-B3", "2.1.1-B4"])
        #expect(feedback.priorities.last?.peerAdoption == .rare)
    }

    @Test func smallPeerGroupsGetNoPeerFigures() throws {
        let (analysis, subject) = try Self.build()
        // By size the subject is one of three large banks: below k, so nothing about peers.
        let feedback = try #require(analysis.feedback(for: subject, year: 2025, grouping: .sizeBand))
        #expect(feedback.peerCount.isSuppressed)
        // The file sent to the institution says "suppressed" and not how many.
        let file = try FeedbackDocument(supervisorName: "S", institutionName: "I", catalogVersion: "v", generatedAt: Date(), feedback: feedback).encoded()
        let json = try #require(try JSONSerialization.jsonObject(with: file) as? [String: Any])
        let body = try #require(json["feedback"] as? [String: Any])
        #expect(body["peerCount"] as? [String: Bool] == ["suppressed": true])
        let sections = try #require(body["sections"] as? [[String: Any]])
        #expect(sections.allSatisfy { $0["peers"] as? [String: Bool] == ["suppressed": true] })
        #expect(try FeedbackDocument.decode(file).feedback.peerCount.isSuppressed)
        #expect(feedback.sections.allSatisfy { $0.peers == .suppressed(count: 3) && $0.percentileRank == nil && $0.band == nil })
        #expect(feedback.sections.allSatisfy { $0.rate != nil })
        #expect(feedback.weakItems.isEmpty)
        #expect(feedback.priorities.allSatisfy { $0.peerAdoption == nil })
        #expect(feedback.priorities.map(\.itemID) == ["2.1.1-B2", "2.1.1-B3", "2.1.1-B4", "2.1.1-B1"])
        #expect(analysis.feedback(for: subject, year: 2024, grouping: .all) == nil)
        #expect(analysis.feedback(for: UUID(), year: 2025, grouping: .all) == nil)
    }

    @Test func adoptionBandsNeverImplyUnanimity() {
        // With at least five contributors, the band of "none" and the band of "all" each hold at least two
        // possible counts, so no band tells that every peer answered alike. (Middle bands may hold one count,
        // e.g. 2 of 5, which says nothing about any one peer.)
        for contributors in 5...200 {
            let band = { (implemented: Int) in PeerAdoption(share: Double(implemented) / Double(contributors)) }
            #expect(band(0) == band(1), "\(contributors)")
            #expect(band(contributors) == band(contributors - 1), "\(contributors)")
        }
        // With four, "none" would be alone in its band: that is why five others are required.
        #expect(PeerAdoption(share: 0) != PeerAdoption(share: 1.0 / 4))
        #expect(PeerAdoption(share: 0.75) == .widespread)
        #expect(PeerAdoption(share: 0.7499) == .common)
        #expect(PeerAdoption(share: 0) == .rare)
    }
}
