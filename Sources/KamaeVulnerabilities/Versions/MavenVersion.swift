/// A Maven version in the order of Maven's `ComparableVersion`.
///
/// The string is lower-cased and split into items at `.`, `-` and every switch between digits and letters;
/// `-` and each such switch open a nested list. Numbers order numerically; qualifiers order
/// alpha < beta < milestone < rc = cr < snapshot < "" = ga = final = release < sp < any other (by text);
/// `a`, `b`, `m` directly followed by a digit mean alpha, beta, milestone. Trailing "null" items (0, "",
/// empty lists) are dropped, so `1 == 1.0 == 1-0 == 1.ga`. Every non-empty string is a Maven version.
public struct MavenVersion: EcosystemVersion {
    let items: [MavenItem]

    public init?(_ text: String) {
        let bytes = VersionBytes.trimmed(text, lowercased: true)
        guard !bytes.isEmpty else { return nil }
        items = MavenItem.parse(bytes)
    }

    public func compare(to other: MavenVersion) -> Int {
        MavenItem.compareLists(items, other.items)
    }
}

/// A qualifier's rank among Maven's known qualifiers; unknown qualifiers rank last and order by text.
struct MavenQualifier: Comparable, Sendable {
    static let releaseRank: UInt8 = 5
    let rank: UInt8
    let text: String

    init(_ raw: String, followedByDigit: Bool) {
        var name = raw
        if followedByDigit {
            switch raw {
            case "a": name = "alpha"
            case "b": name = "beta"
            case "m": name = "milestone"
            default: break
            }
        }
        switch name {
        case "alpha": (rank, text) = (0, "")
        case "beta": (rank, text) = (1, "")
        case "milestone": (rank, text) = (2, "")
        case "rc", "cr": (rank, text) = (3, "")
        case "snapshot": (rank, text) = (4, "")
        case "", "ga", "final", "release": (rank, text) = (Self.releaseRank, "")
        case "sp": (rank, text) = (6, "")
        default: (rank, text) = (7, name)
        }
    }

    static func < (lhs: MavenQualifier, rhs: MavenQualifier) -> Bool {
        lhs.rank != rhs.rank ? lhs.rank < rhs.rank : lhs.text < rhs.text
    }
}

indirect enum MavenItem: Sendable {
    case number(VersionNumber)
    case qualifier(MavenQualifier)
    case list([MavenItem])

    private var isNull: Bool {
        switch self {
        case .number(let number): number.isZero
        case .qualifier(let qualifier): qualifier.rank == MavenQualifier.releaseRank
        case .list(let items): items.isEmpty
        }
    }

    /// Parses lower-cased bytes into the top-level list, normalising each list once it is complete.
    static func parse(_ bytes: [UInt8]) -> [MavenItem] {
        // The open lists, outermost first; a `-` or a digit/letter switch opens a new innermost list.
        var stack: [[MavenItem]] = [[]]
        var isDigit = false
        var start = 0

        func item(_ range: Range<Int>, digits: Bool, followedByDigit: Bool = false) -> MavenItem {
            if digits { return .number(VersionNumber(digits: bytes, range)) }
            return .qualifier(MavenQualifier(VersionBytes.string(bytes, range), followedByDigit: followedByDigit))
        }
        func append(_ newItem: MavenItem) {
            stack[stack.count - 1].append(newItem)
        }

        for (index, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") {
                append(index == start ? .number(.zero) : item(start..<index, digits: isDigit))
                start = index + 1
                if byte == UInt8(ascii: "-") { stack.append([]) }
            } else if byte.isASCIIDigit {
                if !isDigit && index > start {
                    append(item(start..<index, digits: false, followedByDigit: true))
                    start = index
                    stack.append([])
                }
                isDigit = true
            } else {
                if isDigit && index > start {
                    append(item(start..<index, digits: true))
                    start = index
                    stack.append([])
                }
                isDigit = false
            }
        }
        if bytes.count > start { append(item(start..<bytes.count, digits: isDigit)) }

        // Close the lists innermost first: each is normalised, then becomes the last item of its parent.
        while stack.count > 1 {
            let closed = normalized(stack.removeLast())
            append(.list(closed))
        }
        return normalized(stack[0])
    }

    /// Drops trailing null items, scanning back past nested lists but stopping at the last real value.
    private static func normalized(_ items: [MavenItem]) -> [MavenItem] {
        var items = items
        for index in items.indices.reversed() {
            if items[index].isNull {
                items.remove(at: index)
                continue
            }
            guard case .list = items[index] else { break }
        }
        return items
    }

    /// How an item orders against an absent one (the padding of a shorter version).
    private var comparedToNull: Int {
        switch self {
        case .number(let number): number.isZero ? 0 : 1
        case .qualifier(let qualifier): threeWay(qualifier.rank, MavenQualifier.releaseRank)
        case .list(let items): items.first?.comparedToNull ?? 0
        }
    }

    private static func compare(_ lhs: MavenItem, _ rhs: MavenItem) -> Int {
        switch (lhs, rhs) {
        case let (.number(left), .number(right)): threeWay(left, right)
        case (.number, _): 1
        case let (.qualifier(left), .qualifier(right)): threeWay(left, right)
        case (.qualifier, _): -1
        case let (.list(left), .list(right)): compareLists(left, right)
        case (.list, .number): -1
        case (.list, .qualifier): 1
        }
    }

    static func compareLists(_ lhs: [MavenItem], _ rhs: [MavenItem]) -> Int {
        for index in 0..<max(lhs.count, rhs.count) {
            let result: Int
            switch (index < lhs.count, index < rhs.count) {
            case (true, true): result = compare(lhs[index], rhs[index])
            case (true, false): result = lhs[index].comparedToNull
            default: result = -rhs[index].comparedToNull
            }
            if result != 0 { return result }
        }
        return 0
    }
}
