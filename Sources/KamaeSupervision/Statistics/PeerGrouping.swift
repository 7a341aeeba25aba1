import Foundation
import KamaeCore

/// The regions by which supervisors compare institutions (地方区分).
public enum Region: String, Sendable, Hashable, Codable, CaseIterable {
    case hokkaido
    case tohoku
    case kanto
    case chubu
    case kinki
    case chugoku
    case shikoku
    case kyushuOkinawa = "kyushu-okinawa"

    public var name: LocalizedText {
        switch self {
        case .hokkaido: LocalizedText(ja: "北海道", en: "Hokkaido")
        case .tohoku: LocalizedText(ja: "東北", en: "Tohoku")
        case .kanto: LocalizedText(ja: "関東", en: "Kanto")
        case .chubu: LocalizedText(ja: "中部", en: "Chubu")
        case .kinki: LocalizedText(ja: "近畿", en: "Kinki")
        case .chugoku: LocalizedText(ja: "中国", en: "Chugoku")
        case .shikoku: LocalizedText(ja: "四国", en: "Shikoku")
        case .kyushuOkinawa: LocalizedText(ja: "九州・沖縄", en: "Kyushu and Okinawa")
        }
    }
}

/// An institution as the supervisor knows it.
public struct InstitutionProfile: Sendable, Hashable, Codable, Identifiable {
    public var id: UUID
    public var name: String
    /// An `InstitutionType.id` of the catalog (e.g. "regional-banks").
    public var typeID: String
    public var sizeBand: SizeBand
    public var region: Region

    public init(id: UUID, name: String, typeID: String, sizeBand: SizeBand, region: Region) {
        self.id = id
        self.name = name
        self.typeID = typeID
        self.sizeBand = sizeBand
        self.region = region
    }
}

/// How peers are grouped for comparison. Each grouping partitions the sector; groupings are not crossed
/// (no type × region cells), which keeps groups large and limits differencing between overlapping groups.
public enum PeerGrouping: String, Sendable, Hashable, Codable, CaseIterable {
    case all
    case institutionType = "institution_type"
    case sizeBand = "size_band"
    case region

    public func group(of institution: InstitutionProfile) -> PeerGroup {
        switch self {
        case .all: PeerGroup.all
        case .institutionType: PeerGroup(grouping: self, value: institution.typeID)
        case .sizeBand: PeerGroup(grouping: self, value: institution.sizeBand.rawValue)
        case .region: PeerGroup(grouping: self, value: institution.region.rawValue)
        }
    }

    public var name: LocalizedText {
        switch self {
        case .all: LocalizedText(ja: "全体", en: "All institutions")
        case .institutionType: LocalizedText(ja: "業態別", en: "By institution type")
        case .sizeBand: LocalizedText(ja: "規模別", en: "By size")
        case .region: LocalizedText(ja: "地域別", en: "By region")
        }
    }
}

/// One peer group: a grouping and its value (a type id, a size band, a region code; "all" for the whole sector).
/// Groups sort in a fixed order: size bands large → small, regions north → south, types by id.
public struct PeerGroup: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var grouping: PeerGrouping
    public var value: String

    public init(grouping: PeerGrouping, value: String) {
        self.grouping = grouping
        self.value = value
    }

    public static let all = PeerGroup(grouping: .all, value: "all")

    public var description: String { "\(grouping.rawValue)=\(value)" }

    var orderKey: (Int, Int, String) {
        let groupingIndex = PeerGrouping.allCases.firstIndex(of: grouping) ?? 0
        switch grouping {
        case .sizeBand: return (groupingIndex, SizeBand.allCases.firstIndex { $0.rawValue == value } ?? Int.max, value)
        case .region: return (groupingIndex, Region.allCases.firstIndex { $0.rawValue == value } ?? Int.max, value)
        case .all, .institutionType: return (groupingIndex, 0, value)
        }
    }

    public static func < (lhs: PeerGroup, rhs: PeerGroup) -> Bool { lhs.orderKey < rhs.orderKey }
}

/// The disclosure rule: a statistic over fewer than `k` contributing institutions is suppressed.
///
/// "Contributing" means institutions whose value enters the statistic (an institution for which every item of a
/// section is 対象外 has no rate there and does not count). k is at least 5 and can only be raised.
public struct KAnonymity: Sendable, Hashable {
    public static let minimumK = 5
    public let k: Int

    public init(k: Int = KAnonymity.minimumK) {
        self.k = Swift.max(k, Self.minimumK)
    }

    /// `.published(make())` when at least k institutions contribute, else `.suppressed(count:)`;
    /// `make` is not called for a suppressed group, so nothing is computed from its values.
    public func disclose<Value>(contributors: Int, _ make: () -> Value) -> PeerStatistic<Value> {
        contributors >= k ? .published(make()) : .suppressed(count: contributors)
    }
}

/// A statistic of a peer group, or the fact that the group is too small to show one.
public enum PeerStatistic<Value: Sendable & Hashable>: Sendable, Hashable {
    case published(Value)
    /// Fewer than k institutions contributed; only their number is given.
    case suppressed(count: Int)

    public var value: Value? {
        if case let .published(value) = self { return value }
        return nil
    }

    public var isSuppressed: Bool { value == nil }

    public func map<Other>(_ transform: (Value) -> Other) -> PeerStatistic<Other> {
        switch self {
        case let .published(value): .published(transform(value))
        case let .suppressed(count): .suppressed(count: count)
        }
    }
}

/// In files (feedback reports) a suppressed statistic is only `{"suppressed": true}`: how many contributed is itself
/// a figure about fewer than k institutions, so it never leaves the supervisor's own pages.
extension PeerStatistic: Codable where Value: Codable {
    enum CodingKeys: String, CodingKey { case value, suppressed }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if try container.decodeIfPresent(Bool.self, forKey: .suppressed) == true {
            self = .suppressed(count: 0)
        } else {
            self = .published(try container.decode(Value.self, forKey: .value))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case let .published(value): try container.encode(value, forKey: .value)
        case .suppressed: try container.encode(true, forKey: .suppressed)
        }
    }
}
