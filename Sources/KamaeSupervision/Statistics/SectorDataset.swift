import Foundation
import KamaeCore

/// One institution's accepted assessment for one fiscal year, reduced to what sector statistics need.
public struct SectorSubmission: Sendable, Hashable {
    public var institutionID: UUID
    public var fiscalYear: Int
    /// Item id → status; unanswered items are absent (and count as not implemented, as in KamaeCore's scoring).
    public var statuses: [String: AnswerStatus]
    /// The same as one `SectorDataset.Code` per catalog item in catalog order, when the submission was stored that
    /// way (`StatusString`); then `statuses` is empty and thousands of submissions load without a dictionary each.
    public var codes: [UInt8]?

    public init(institutionID: UUID, fiscalYear: Int, statuses: [String: AnswerStatus]) {
        self.institutionID = institutionID
        self.fiscalYear = fiscalYear
        self.statuses = statuses
    }

    public init(institutionID: UUID, fiscalYear: Int, codes: [UInt8]) {
        self.institutionID = institutionID
        self.fiscalYear = fiscalYear
        self.statuses = [:]
        self.codes = codes
    }

    /// From KamaeCore answers.
    public init(institutionID: UUID, fiscalYear: Int, answers: [String: Answer]) {
        self.init(institutionID: institutionID, fiscalYear: fiscalYear, statuses: answers.compactMapValues(\.status))
    }
}

public enum SectorDatasetError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknownInstitution(UUID)
    case duplicateInstitution(UUID)

    public var description: String {
        switch self {
        case let .unknownInstitution(id): "submission from an institution that is not registered: \(id)"
        case let .duplicateInstitution(id): "institution registered twice: \(id)"
        }
    }
}

/// Every institution's answers for every year, held in flat arrays so that sector statistics run in milliseconds.
///
/// Rates follow KamaeCore's `Scoring` exactly: 実施済 counts 1, 一部実施 ½, 未実施 and unanswered 0, 対象外 is
/// left out; a section's rate includes its subsections. The rate of section "2" (the root) is the overall rate.
/// Items not in the catalog are ignored. When an institution has several submissions for one year, the last one
/// in the input counts (the verifier only accepts newer ones).
public struct SectorDataset: Sendable {
    /// Status codes in `statusCodes`.
    public enum Code {
        public static let unanswered: UInt8 = 0
        public static let notImplemented: UInt8 = 1
        public static let partial: UInt8 = 2
        public static let implemented: UInt8 = 3
        public static let notApplicable: UInt8 = 4
    }

    public let catalogVersion: String
    /// Catalog items in document order.
    public let itemIDs: [String]
    public let itemKinds: [ItemKind]
    /// The root ("2", overall) first, then every section in document order.
    public let sectionNumbers: [String]
    public let institutions: [InstitutionProfile]
    /// Fiscal years present, ascending.
    public let years: [Int]

    /// One row per institution and year.
    public let rowInstitution: [Int]
    public let rowYear: [Int]
    /// Rows of each year, in institution order.
    public let rowsByYear: [Int: [Int]]
    /// rows × items.
    public let statusCodes: [UInt8]
    /// rows × sections; NaN where nothing in the section applies.
    public let sectionRates: [Double]
    /// Per row: rate of the basic items (基本的な対応事項), NaN if none applies.
    public let basicCoverage: [Double]

    let itemIndex: [String: Int]
    let sectionIndex: [String: Int]
    let institutionIndex: [UUID: Int]
    let rowByInstitutionYear: [Int: [Int: Int]]

    public init(catalog: Catalog, institutions: [InstitutionProfile], submissions: [SectorSubmission]) throws(SectorDatasetError) {
        catalogVersion = catalog.version.id
        itemIDs = catalog.items.map(\.id)
        itemKinds = catalog.items.map(\.kind)
        sectionNumbers = [catalog.root.number] + catalog.sections.map(\.number)
        self.institutions = institutions
        var itemIndex: [String: Int] = [:]
        for (index, id) in itemIDs.enumerated() { itemIndex[id] = index }
        var sectionIndex: [String: Int] = [:]
        for (index, number) in sectionNumbers.enumerated() { sectionIndex[number] = index }
        var institutionIndex: [UUID: Int] = [:]
        for (index, institution) in institutions.enumerated() {
            guard institutionIndex.updateValue(index, forKey: institution.id) == nil else { throw .duplicateInstitution(institution.id) }
        }
        // Sections each item counts in: the root and every ancestor of its own section (KamaeCore's sectionChain).
        let itemSections: [[Int]] = catalog.items.map { item in
            let parts = item.section.split(separator: ".")
            var chain = [0]
            if parts.count >= 2 {
                for length in 2...parts.count {
                    if let index = sectionIndex[parts.prefix(length).joined(separator: ".")] { chain.append(index) }
                }
            }
            return chain
        }

        // The last submission per institution and year wins.
        var chosen: [Int: [Int: Int]] = [:]
        for (position, submission) in submissions.enumerated() {
            guard let institution = institutionIndex[submission.institutionID] else { throw .unknownInstitution(submission.institutionID) }
            chosen[institution, default: [:]][submission.fiscalYear] = position
        }
        let years = Set(submissions.map(\.fiscalYear)).sorted()
        var rowInstitution: [Int] = []
        var rowYear: [Int] = []
        var rowsByYear: [Int: [Int]] = [:]
        var rowByInstitutionYear: [Int: [Int: Int]] = [:]
        var order: [Int] = []
        for year in years {
            for institution in institutions.indices {
                guard let position = chosen[institution]?[year] else { continue }
                let row = rowInstitution.count
                rowInstitution.append(institution)
                rowYear.append(year)
                rowsByYear[year, default: []].append(row)
                rowByInstitutionYear[institution, default: [:]][year] = row
                order.append(position)
            }
        }

        let itemCount = itemIDs.count
        let sectionCount = sectionNumbers.count
        var codes = [UInt8](repeating: Code.unanswered, count: order.count * itemCount)
        var rates = [Double](repeating: .nan, count: order.count * sectionCount)
        var basic = [Double](repeating: .nan, count: order.count)
        var halves = [Int](repeating: 0, count: sectionCount)
        var applicable = [Int](repeating: 0, count: sectionCount)
        for (row, position) in order.enumerated() {
            let base = row * itemCount
            if let given = submissions[position].codes, given.count == itemCount {
                for item in 0..<itemCount where given[item] <= Code.notApplicable { codes[base + item] = given[item] }
            }
            for (id, status) in submissions[position].statuses {
                guard let item = itemIndex[id] else { continue }
                codes[base + item] = switch status {
                case .implemented: Code.implemented
                case .partial: Code.partial
                case .notImplemented: Code.notImplemented
                case .notApplicable: Code.notApplicable
                }
            }
            for index in 0..<sectionCount { halves[index] = 0; applicable[index] = 0 }
            var basicHalves = 0
            var basicApplicable = 0
            for item in 0..<itemCount {
                let code = codes[base + item]
                guard code != Code.notApplicable else { continue }
                let weight = code == Code.implemented ? 2 : (code == Code.partial ? 1 : 0)
                for section in itemSections[item] {
                    halves[section] += weight
                    applicable[section] += 1
                }
                if itemKinds[item] == .basic {
                    basicHalves += weight
                    basicApplicable += 1
                }
            }
            for section in 0..<sectionCount where applicable[section] > 0 {
                rates[row * sectionCount + section] = Double(halves[section]) / Double(2 * applicable[section])
            }
            if basicApplicable > 0 { basic[row] = Double(basicHalves) / Double(2 * basicApplicable) }
        }

        self.years = years
        self.rowInstitution = rowInstitution
        self.rowYear = rowYear
        self.rowsByYear = rowsByYear
        self.statusCodes = codes
        self.sectionRates = rates
        self.basicCoverage = basic
        self.itemIndex = itemIndex
        self.sectionIndex = sectionIndex
        self.institutionIndex = institutionIndex
        self.rowByInstitutionYear = rowByInstitutionYear
    }

    public var rowCount: Int { rowInstitution.count }

    /// The row of an institution's submission for a year.
    public func row(institutionID: UUID, year: Int) -> Int? {
        institutionIndex[institutionID].flatMap { rowByInstitutionYear[$0]?[year] }
    }

    /// An institution's rate for a section (nil when nothing applies or it did not submit that year).
    public func rate(institutionID: UUID, year: Int, section: String) -> Double? {
        guard let row = row(institutionID: institutionID, year: year), let section = sectionIndex[section] else { return nil }
        let value = sectionRates[row * sectionNumbers.count + section]
        return value.isNaN ? nil : value
    }

    public func status(row: Int, item: Int) -> UInt8 { statusCodes[row * itemIDs.count + item] }

    public func institution(id: UUID) -> InstitutionProfile? { institutionIndex[id].map { institutions[$0] } }
}
