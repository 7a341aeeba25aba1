import Foundation

// §2.2.1.4 asks the institution to keep its network and data-flow diagrams current. Kamae draws them from the
// registers instead of by hand; this file places everything, and the web module only paints what it is given.

/// A network zone from the register, as the diagram needs it.
public struct DiagramZone: Sendable, Hashable {
    public var id: UUID
    public var code: String
    public var name: String
    public var kind: ZoneKind

    public init(id: UUID, code: String, name: String, kind: ZoneKind) {
        self.id = id
        self.code = code
        self.name = name
        self.kind = kind
    }
}

/// A system from the register; `zoneID` nil (or naming no known zone) puts it in the unassigned box.
public struct DiagramSystem: Sendable, Hashable {
    public var id: UUID
    public var code: String
    public var name: String
    public var zoneID: UUID?
    public var criticality: Criticality

    public init(id: UUID, code: String, name: String, zoneID: UUID?, criticality: Criticality) {
        self.id = id
        self.code = code
        self.name = name
        self.zoneID = zoneID
        self.criticality = criticality
    }
}

/// A network link between two zones.
public struct DiagramConnection: Sendable, Hashable {
    public var id: UUID
    public var fromZone: UUID
    public var toZone: UUID
    public var kind: ConnectionKind
    public var label: String

    public init(id: UUID, fromZone: UUID, toZone: UUID, kind: ConnectionKind, label: String) {
        self.id = id
        self.fromZone = fromZone
        self.toZone = toZone
        self.kind = kind
        self.label = label
    }
}

/// A data flow from one system to another; the arrow points from `fromSystem` to `toSystem`.
public struct DiagramFlow: Sendable, Hashable {
    public var id: UUID
    public var fromSystem: UUID
    public var toSystem: UUID
    public var label: String
    public var encrypted: Bool

    public init(id: UUID, fromSystem: UUID, toSystem: UUID, label: String, encrypted: Bool) {
        self.id = id
        self.fromSystem = fromSystem
        self.toSystem = toSystem
        self.label = label
        self.encrypted = encrypted
    }
}

public struct DiagramPoint: Sendable, Hashable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

public struct DiagramSize: Sendable, Hashable {
    public var width: Double
    public var height: Double

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }
}

/// An axis-aligned box in SVG user units, y growing downwards.
public struct DiagramRect: Sendable, Hashable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var maxX: Double { x + width }
    public var maxY: Double { y + height }
    public var center: DiagramPoint { DiagramPoint(x: x + width / 2, y: y + height / 2) }

    /// True when the interiors share area; boxes that merely touch do not overlap.
    public func overlaps(_ other: DiagramRect) -> Bool {
        x < other.maxX && other.x < maxX && y < other.maxY && other.y < maxY
    }

    public func contains(_ other: DiagramRect) -> Bool {
        other.x >= x && other.maxX <= maxX && other.y >= y && other.maxY <= maxY
    }

    /// Whether `point` lies on the outline, within `tolerance` for rounding.
    public func hasOnEdge(_ point: DiagramPoint, tolerance: Double = 1e-6) -> Bool {
        let withinX = point.x >= x - tolerance && point.x <= maxX + tolerance
        let withinY = point.y >= y - tolerance && point.y <= maxY + tolerance
        let onVertical = abs(point.x - x) <= tolerance || abs(point.x - maxX) <= tolerance
        let onHorizontal = abs(point.y - y) <= tolerance || abs(point.y - maxY) <= tolerance
        return withinX && withinY && (onVertical || onHorizontal)
    }

    /// Where a ray from `origin` (inside the box) along `direction` leaves it.
    func exit(from origin: DiagramPoint, along direction: DiagramPoint) -> DiagramPoint {
        func distance(_ position: Double, _ low: Double, _ high: Double, _ step: Double) -> Double {
            if step > 0 { return (high - position) / step }
            if step < 0 { return (low - position) / step }
            return .infinity
        }
        let t = min(distance(origin.x, x, maxX, direction.x), distance(origin.y, y, maxY, direction.y))
        return DiagramPoint(x: origin.x + t * direction.x, y: origin.y + t * direction.y)
    }
}

/// The geometry of the network and data-flow diagram, computed once from the register data.
///
/// Zones stand in columns by kind, left to right along the path a request from outside takes inwards:
/// the Internet and mobile devices (both untrusted endpoints, sharing the first column), third parties, the DMZ that
/// receives them, and the internal network it shields. Cloud comes after internal because institutions reach their
/// cloud estate from the internal network over leased lines or VPN, so those links stay short and the cloud is not
/// mistaken for part of the untrusted outside. Systems without a known zone sit in a last "unassigned" column.
/// Columns without zones are left out.
///
/// Every zone and system is sorted by its own data before placing, so the same registers always give the same
/// picture, whatever order the database returns them in. The work is a sort plus one pass over each input.
public struct NetworkLayout: Sendable {
    public struct PlacedZone: Sendable, Hashable {
        /// nil for the box of systems without a zone ("未割当 / Unassigned").
        public let zone: DiagramZone?
        public let frame: DiagramRect
    }

    public struct PlacedSystem: Sendable, Hashable {
        public let system: DiagramSystem
        public let frame: DiagramRect
    }

    /// A straight line from the edge of the `fromZone` box to the edge of the `toZone` box.
    public struct PlacedConnection: Sendable, Hashable {
        public let connection: DiagramConnection
        public let start: DiagramPoint
        public let end: DiagramPoint
    }

    /// A straight arrow from the edge of the source system's box to the edge of the target's.
    public struct PlacedFlow: Sendable, Hashable {
        public let flow: DiagramFlow
        public let start: DiagramPoint
        public let end: DiagramPoint
    }

    /// Fixed measures in SVG user units; `systemSize` leaves room for a code and a name of about 12 full-width characters.
    public static let systemSize = DiagramSize(width: 168, height: 44)
    public static let systemGap = 12.0
    /// Room above a zone's systems for its name and kind.
    public static let zoneHeaderHeight = 44.0
    public static let zonePadding = 14.0
    public static let zoneGap = 28.0
    /// Wide enough for connection and flow labels between columns.
    public static let columnGap = 96.0
    public static let margin = 24.0
    /// Grids grow towards a square, but no wider than this many systems, so a huge zone does not swallow the page.
    public static let maxSystemsPerRow = 6
    /// Parallel lines between the same two boxes are spread this far apart, at most `maxParallelOffset` from the middle.
    static let parallelSpacing = 7.0
    static let maxParallelOffset = 18.0
    static let emptyZoneBodyHeight = 24.0
    static let minimumCanvas = DiagramSize(width: 320, height: 160)

    public let zones: [PlacedZone]
    public let systems: [PlacedSystem]
    public let connections: [PlacedConnection]
    public let flows: [PlacedFlow]
    public let canvas: DiagramSize
    /// Flows from a system to itself: a line cannot show them.
    public let skippedSelfFlowCount: Int
    /// Flows whose source or target is not among the drawn systems (filtered out, or deleted since).
    public let skippedDanglingFlowCount: Int
    /// Connections from a zone to itself or to a zone not drawn.
    public let skippedConnectionCount: Int

    public init(zones: [DiagramZone], systems: [DiagramSystem], connections: [DiagramConnection], flows: [DiagramFlow]) {
        let sortedZones = Self.sorted(zones, by: Self.zoneOrder, <)
        let sortedSystems = Self.sorted(systems, by: { ($0.code, $0.name, $0.id.orderKey.high, $0.id.orderKey.low) }, <)
        let knownZoneIDs = Set(sortedZones.map(\.id))
        var systemsByZone: [UUID?: [DiagramSystem]] = [:]
        for system in sortedSystems {
            let zoneID = system.zoneID.flatMap { knownZoneIDs.contains($0) ? $0 : nil }
            systemsByZone[zoneID, default: []].append(system)
        }

        // Columns of (zone, its systems); nil zone is the unassigned box.
        var columns: [[(zone: DiagramZone?, systems: [DiagramSystem])]] = []
        var currentColumn: Int?
        for zone in sortedZones {
            let column = Self.column(of: zone.kind)
            if column != currentColumn {
                columns.append([])
                currentColumn = column
            }
            // Removing hands a duplicated zone id's systems to the first such zone only, never drawing a system twice.
            columns[columns.count - 1].append((zone, systemsByZone.removeValue(forKey: zone.id) ?? []))
        }
        if let unassigned = systemsByZone.removeValue(forKey: nil) {
            columns.append([(nil, unassigned)])
        }

        var placedZones: [PlacedZone] = []
        var placedSystems: [PlacedSystem] = []
        var left = Self.margin
        var bottom = Self.margin
        for column in columns {
            let grids = column.map { Self.gridColumns(forSystemCount: $0.systems.count) }
            let width = grids.map(Self.zoneWidth(gridColumns:)).max() ?? 0
            var top = Self.margin
            for (entry, gridColumns) in zip(column, grids) {
                let rows = (entry.systems.count + gridColumns - 1) / gridColumns
                let frame = DiagramRect(x: left, y: top, width: width, height: Self.zoneHeight(rows: rows))
                placedZones.append(PlacedZone(zone: entry.zone, frame: frame))
                for (index, system) in entry.systems.enumerated() {
                    let origin = DiagramPoint(
                        x: left + Self.zonePadding + Double(index % gridColumns) * (Self.systemSize.width + Self.systemGap),
                        y: top + Self.zoneHeaderHeight + Double(index / gridColumns) * (Self.systemSize.height + Self.systemGap)
                    )
                    placedSystems.append(PlacedSystem(
                        system: system,
                        frame: DiagramRect(x: origin.x, y: origin.y, width: Self.systemSize.width, height: Self.systemSize.height)
                    ))
                }
                top = frame.maxY + Self.zoneGap
            }
            bottom = max(bottom, top - Self.zoneGap)
            left += width + Self.columnGap
        }
        let contentWidth = columns.isEmpty ? 0 : left - Self.columnGap + Self.margin
        canvas = DiagramSize(
            width: max(contentWidth, Self.minimumCanvas.width),
            height: max(bottom + Self.margin, Self.minimumCanvas.height)
        )
        self.zones = placedZones
        self.systems = placedSystems

        // Lookups keep the first of any duplicated id rather than trapping on it.
        let zoneFrames = Dictionary(placedZones.compactMap { placed in placed.zone.map { ($0.id, placed.frame) } }, uniquingKeysWith: { first, _ in first })
        let zoneRank = Dictionary(sortedZones.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        let drawableConnections = connections.filter { $0.fromZone != $0.toZone && zoneFrames[$0.fromZone] != nil && zoneFrames[$0.toZone] != nil }
        skippedConnectionCount = connections.count - drawableConnections.count
        let orderedConnections = Self.sorted(drawableConnections, by: {
            (zoneRank[$0.fromZone] ?? 0, zoneRank[$0.toZone] ?? 0, $0.kind.rawValue, $0.label, $0.id.orderKey.high, $0.id.orderKey.low)
        }, <)
        self.connections = Self.route(orderedConnections, from: \.fromZone, to: \.toZone, rank: zoneRank, frames: zoneFrames)
            .map { PlacedConnection(connection: $0.item, start: $0.start, end: $0.end) }

        let systemFrames = Dictionary(placedSystems.map { ($0.system.id, $0.frame) }, uniquingKeysWith: { first, _ in first })
        let systemRank = Dictionary(sortedSystems.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        var selfFlows = 0
        var danglingFlows = 0
        var drawableFlows: [DiagramFlow] = []
        for flow in flows {
            if flow.fromSystem == flow.toSystem {
                selfFlows += 1
            } else if systemFrames[flow.fromSystem] == nil || systemFrames[flow.toSystem] == nil {
                danglingFlows += 1
            } else {
                drawableFlows.append(flow)
            }
        }
        skippedSelfFlowCount = selfFlows
        skippedDanglingFlowCount = danglingFlows
        let orderedFlows = Self.sorted(drawableFlows, by: {
            (systemRank[$0.fromSystem] ?? 0, systemRank[$0.toSystem] ?? 0, $0.label, $0.id.orderKey.high, $0.id.orderKey.low)
        }, <)
        self.flows = Self.route(orderedFlows, from: \.fromSystem, to: \.toSystem, rank: systemRank, frames: systemFrames)
            .map { PlacedFlow(flow: $0.item, start: $0.start, end: $0.end) }
    }

    // MARK: Placing

    private static func column(of kind: ZoneKind) -> Int {
        switch kind {
        case .external, .mobile: 0
        case .thirdParty: 1
        case .dmz: 2
        case .internal: 3
        case .cloud: 4
        }
    }

    /// Within the shared first column the Internet comes above mobile devices.
    private static func zoneOrder(_ zone: DiagramZone) -> (Int, Int, String, String, UInt64, UInt64) {
        (column(of: zone.kind), zone.kind == .mobile ? 1 : 0, zone.code, zone.name, zone.id.orderKey.high, zone.id.orderKey.low)
    }

    /// Computes each element's key once rather than at every comparison; ranks and ids looked up or formatted inside
    /// the comparator made sorting 5,000 flows take hundreds of milliseconds.
    private static func sorted<Element, Key>(_ elements: [Element], by key: (Element) -> Key, _ isOrderedBefore: (Key, Key) -> Bool) -> [Element] {
        elements.map { (key: key($0), element: $0) }.sorted { isOrderedBefore($0.key, $1.key) }.map(\.element)
    }

    private static func gridColumns(forSystemCount count: Int) -> Int {
        min(maxSystemsPerRow, max(1, Int(Double(count).squareRoot().rounded(.up))))
    }

    private static func zoneWidth(gridColumns: Int) -> Double {
        Double(gridColumns) * systemSize.width + Double(gridColumns - 1) * systemGap + 2 * zonePadding
    }

    private static func zoneHeight(rows: Int) -> Double {
        let body = rows == 0 ? emptyZoneBodyHeight : Double(rows) * systemSize.height + Double(rows - 1) * systemGap
        return zoneHeaderHeight + body + zonePadding
    }

    // MARK: Routing

    /// Draws each item as a straight line between the two boxes' edges, along the line joining their centres.
    /// Items between the same two boxes (either direction) are shifted sideways so they stay apart; the shift stays
    /// below half a system box's height, so every shifted line still starts and ends inside its boxes' outlines.
    private static func route<Item>(
        _ items: [Item], from source: KeyPath<Item, UUID>, to target: KeyPath<Item, UUID>,
        rank: [UUID: Int], frames: [UUID: DiagramRect]
    ) -> [(item: Item, start: DiagramPoint, end: DiagramPoint)] {
        func pair(_ item: Item) -> (key: BoxPair, reversed: Bool) {
            let a = item[keyPath: source], b = item[keyPath: target]
            return (rank[a] ?? 0) <= (rank[b] ?? 0) ? (BoxPair(low: a, high: b), false) : (BoxPair(low: b, high: a), true)
        }
        var groupSizes: [BoxPair: Int] = [:]
        for item in items { groupSizes[pair(item).key, default: 0] += 1 }
        var seen: [BoxPair: Int] = [:]
        return items.compactMap { item in
            let (key, reversed) = pair(item)
            guard let low = frames[key.low], let high = frames[key.high] else { return nil }
            let index = seen[key, default: 0]
            seen[key] = index + 1
            let shift = min(max((Double(index) - Double(groupSizes[key, default: 1] - 1) / 2) * parallelSpacing, -maxParallelOffset), maxParallelOffset)

            // Direction and sideways shift come from the canonical pair, so A→B and B→A land on opposite sides.
            let dx = high.center.x - low.center.x, dy = high.center.y - low.center.y
            let length = (dx * dx + dy * dy).squareRoot()
            guard length > 0 else { return nil }
            let direction = DiagramPoint(x: dx / length, y: dy / length)
            let normal = DiagramPoint(x: -direction.y, y: direction.x)
            let lowOrigin = DiagramPoint(x: low.center.x + normal.x * shift, y: low.center.y + normal.y * shift)
            let highOrigin = DiagramPoint(x: high.center.x + normal.x * shift, y: high.center.y + normal.y * shift)
            let lowEdge = low.exit(from: lowOrigin, along: direction)
            let highEdge = high.exit(from: highOrigin, along: DiagramPoint(x: -direction.x, y: -direction.y))
            return reversed ? (item, highEdge, lowEdge) : (item, lowEdge, highEdge)
        }
    }

    /// Two boxes, the lower-ranked first, so both directions between them share one key.
    private struct BoxPair: Hashable {
        let low: UUID
        let high: UUID
    }
}

extension UUID {
    /// The 16 bytes as two numbers: a total order on ids that costs no string formatting.
    fileprivate var orderKey: (high: UInt64, low: UInt64) {
        withUnsafeBytes(of: uuid) { bytes in
            (UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self)), UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
        }
    }
}
