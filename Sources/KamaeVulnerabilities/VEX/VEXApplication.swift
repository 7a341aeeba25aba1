import Foundation

/// The status of a match after VEX: `affected` unless a statement about this vulnerability and component says
/// otherwise.
public struct MatchStatus: Sendable, Hashable {
    public var status: VEXStatus
    public var justification: String?
    public var impactStatement: String?
    /// The statement's file; nil when no statement applied.
    public var source: String?

    public static let affectedWithoutStatement = MatchStatus(status: .affected)

    public init(status: VEXStatus, justification: String? = nil, impactStatement: String? = nil, source: String? = nil) {
        self.status = status
        self.justification = justification
        self.impactStatement = impactStatement
        self.source = source
    }
}

/// Applies VEX statements to matches. A later statement replaces an earlier one (undated statements count as
/// oldest); among statements of equal date the more cautious status wins, so an undated `not_affected` cannot
/// silence an undated `under_investigation`. Status is taken only from the statement's status field: an
/// in-triage or under-investigation statement never becomes not affected, whatever justification it carries.
public struct VEXApplication: Sendable {
    private let statements: [VEXStatement]

    public init(statements: [VEXStatement]) {
        self.statements = statements
    }

    /// The status of `component` for the vulnerability known by `vulnerabilityIDs` (id and aliases).
    public func status(of component: Component, vulnerabilityIDs: [String]) -> MatchStatus {
        let ids = Set(vulnerabilityIDs.map { $0.uppercased() })
        var chosen: VEXStatement?
        for statement in statements
        where statement.vulnerabilityIDs.contains(where: { ids.contains($0.uppercased()) })
            && statement.products.contains(where: { Self.product($0, covers: component) }) {
            guard let current = chosen else {
                chosen = statement
                continue
            }
            let currentTime = current.timestamp ?? .distantPast, time = statement.timestamp ?? .distantPast
            if time > currentTime || (time == currentTime && statement.status.caution > current.status.caution) {
                chosen = statement
            }
        }
        guard let chosen else { return .affectedWithoutStatement }
        return MatchStatus(status: chosen.status, justification: chosen.justification,
                           impactStatement: chosen.impactStatement, source: chosen.source)
    }

    static func product(_ product: VEXProduct, covers component: Component) -> Bool {
        switch product {
        case let .reference(reference):
            let fragment = reference.split(separator: "#", maxSplits: 1).last.map(String.init) ?? reference
            return component.reference == reference || component.reference == fragment
        case let .cpe(text):
            guard let criterion = try? CPEName(parsing: text) else { return false }
            return component.cpes.contains { (try? CPEName(parsing: $0)).map(criterion.matches) ?? false }
        case let .purl(text):
            guard let statement = try? PackageURL(parsing: text), let purlText = component.purl,
                  let actual = try? PackageURL(parsing: purlText) else { return false }
            return covers(statement, actual)
        case let .purlRange(text, range):
            // A range that cannot be evaluated covers nothing rather than everything.
            guard var statement = try? PackageURL(parsing: text), let purlText = component.purl,
                  let actual = try? PackageURL(parsing: purlText), let version = actual.version,
                  let vers = VersRange(range) else { return false }
            statement.version = nil
            guard covers(statement, actual) else { return false }
            let ecosystem = Ecosystem(purlType: actual.type) ?? .generic
            let package = AffectedPackage(ecosystem: ecosystem.rawValue, name: actual.name, vers: vers)
            return AffectedVersions(package, ecosystem: ecosystem).contains(version, parsed: ecosystem.parse(version))
        }
    }

    /// Type, namespace and name must agree (names as the ecosystem compares them); the statement's version and
    /// qualifiers, when it gives any, must agree too.
    private static func covers(_ statement: PackageURL, _ actual: PackageURL) -> Bool {
        guard statement.type == actual.type,
              (statement.namespace ?? "").lowercased() == (actual.namespace ?? "").lowercased() else { return false }
        if let ecosystem = Ecosystem(purlType: statement.type) {
            guard ecosystem.normalizedName(statement.name) == ecosystem.normalizedName(actual.name) else { return false }
        } else {
            guard statement.name == actual.name else { return false }
        }
        if let version = statement.version {
            guard let actualVersion = actual.version else { return false }
            let order = MatchVersionOrder(ecosystem: Ecosystem(purlType: statement.type) ?? .generic)
            guard order.equal(actualVersion, version) else { return false }
        }
        return statement.qualifiers.allSatisfy { actual.qualifiers[$0.key] == $0.value }
    }
}
