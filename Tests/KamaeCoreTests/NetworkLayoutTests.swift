import Foundation
import Testing
@testable import KamaeCore

/// A small deterministic generator, so the register samples are the same on every run.
private struct SplitMix64 {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    mutating func uuid() -> UUID {
        let high = next(), low = next()
        return withUnsafeBytes(of: (high, low)) { UUID(uuid: $0.load(as: uuid_t.self)) }
    }
}

private struct Registers {
    var zones: [DiagramZone] = []
    var systems: [DiagramSystem] = []
    var connections: [DiagramConnection] = []
    var flows: [DiagramFlow] = []

    /// Systems land in random zones, some in none; connections and flows join random pairs, self-references included.
    static func random(seed: UInt64, zones zoneCount: Int, systems systemCount: Int, connections connectionCount: Int, flows flowCount: Int) -> Registers {
        var random = SplitMix64(state: seed)
        var registers = Registers()
        let kinds = ZoneKind.allCases
        registers.zones = (0..<zoneCount).map { index in
            DiagramZone(id: random.uuid(), code: "Z\(index)", name: "ゾーン \(index)", kind: kinds[random.below(kinds.count)])
        }
        let criticalities = Criticality.allCases
        registers.systems = (0..<systemCount).map { index in
            let zoneID = zoneCount == 0 || random.below(20) == 0 ? nil : registers.zones[random.below(zoneCount)].id
            return DiagramSystem(
                id: random.uuid(), code: "S\(index)", name: "システム \(index)", zoneID: zoneID,
                criticality: criticalities[random.below(criticalities.count)]
            )
        }
        if zoneCount > 0 {
            let connectionKinds = ConnectionKind.allCases
            registers.connections = (0..<connectionCount).map { index in
                DiagramConnection(
                    id: random.uuid(), fromZone: registers.zones[random.below(zoneCount)].id, toZone: registers.zones[random.below(zoneCount)].id,
                    kind: connectionKinds[random.below(connectionKinds.count)], label: "回線 \(index)"
                )
            }
        }
        if systemCount > 0 {
            registers.flows = (0..<flowCount).map { index in
                DiagramFlow(
                    id: random.uuid(), fromSystem: registers.systems[random.below(systemCount)].id,
                    toSystem: registers.systems[random.below(systemCount)].id, label: "データ \(index)", encrypted: random.below(3) > 0
                )
            }
        }
        return registers
    }

    var layout: NetworkLayout { NetworkLayout(zones: zones, systems: systems, connections: connections, flows: flows) }
}

@Suite struct NetworkLayoutTests {
    private let sample = Registers.random(seed: 7, zones: 12, systems: 90, connections: 30, flows: 200)

    @Test func noTwoSystemBoxesOverlap() {
        let frames = sample.layout.systems.map(\.frame)
        #expect(frames.count == sample.systems.count)
        for (index, frame) in frames.enumerated() {
            for other in frames[(index + 1)...] {
                #expect(!frame.overlaps(other), "\(frame) overlaps \(other)")
            }
        }
    }

    @Test func everySystemLiesInsideItsZone() throws {
        let layout = sample.layout
        let zoneFrames = Dictionary(uniqueKeysWithValues: layout.zones.map { ($0.zone?.id, $0.frame) })
        for placed in layout.systems {
            let zoneFrame = try #require(zoneFrames[placed.system.zoneID])
            #expect(zoneFrame.contains(placed.frame), "\(placed.system.code)")
        }
    }

    @Test func zonesDoNotOverlapAndFitTheCanvas() {
        let layout = sample.layout
        let canvas = DiagramRect(x: 0, y: 0, width: layout.canvas.width, height: layout.canvas.height)
        for (index, zone) in layout.zones.enumerated() {
            #expect(canvas.contains(zone.frame))
            for other in layout.zones[(index + 1)...] {
                #expect(!zone.frame.overlaps(other.frame))
            }
        }
    }

    @Test func unassignedBoxHoldsSystemsWithoutAKnownZoneAndOnlyThem() throws {
        let zone = DiagramZone(id: UUID(), code: "INT", name: "本店LAN", kind: .internal)
        let placed = DiagramSystem(id: UUID(), code: "A", name: "勘定系", zoneID: zone.id, criticality: .high)
        let homeless = DiagramSystem(id: UUID(), code: "B", name: "情報系", zoneID: nil, criticality: .low)
        let lost = DiagramSystem(id: UUID(), code: "C", name: "旧システム", zoneID: UUID(), criticality: .medium)

        let withoutStrays = NetworkLayout(zones: [zone], systems: [placed], connections: [], flows: [])
        #expect(withoutStrays.zones.map(\.zone) == [zone])

        let layout = NetworkLayout(zones: [zone], systems: [placed, homeless, lost], connections: [], flows: [])
        #expect(layout.zones.count == 2)
        let unassigned = try #require(layout.zones.first { $0.zone == nil })
        let strays = layout.systems.filter { unassigned.frame.contains($0.frame) }.map(\.system.code)
        #expect(strays == ["B", "C"])
    }

    @Test func zonesStandInColumnsByKind() {
        let kinds: [ZoneKind] = [.cloud, .internal, .dmz, .thirdParty, .mobile, .external]
        let zones = kinds.map { DiagramZone(id: UUID(), code: $0.rawValue, name: $0.rawValue, kind: $0) }
        let layout = NetworkLayout(zones: zones, systems: [], connections: [], flows: [])
        let frame = { (kind: ZoneKind) in layout.zones.first { $0.zone?.kind == kind }!.frame }
        #expect(frame(.external).x == frame(.mobile).x)
        #expect(frame(.external).maxY < frame(.mobile).y)
        let order: [ZoneKind] = [.external, .thirdParty, .dmz, .internal, .cloud]
        for (left, right) in zip(order, order.dropFirst()) {
            #expect(frame(left).maxX < frame(right).x, "\(left) before \(right)")
        }
    }

    @Test func zoneGrowsWithItsSystems() {
        let small = DiagramZone(id: UUID(), code: "A", name: "A", kind: .internal)
        let large = DiagramZone(id: UUID(), code: "B", name: "B", kind: .internal)
        let systems = (0..<40).map { DiagramSystem(id: UUID(), code: "S\($0)", name: "", zoneID: $0 == 0 ? small.id : large.id, criticality: .low) }
        let layout = NetworkLayout(zones: [small, large], systems: systems, connections: [], flows: [])
        let heights = layout.zones.map(\.frame.height)
        #expect(heights[1] > heights[0])
    }

    @Test func everyFlowRunsFromItsSourceEdgeToItsTargetEdge() {
        let layout = sample.layout
        let frames = Dictionary(uniqueKeysWithValues: layout.systems.map { ($0.system.id, $0.frame) })
        #expect(!layout.flows.isEmpty)
        for placed in layout.flows {
            let source = frames[placed.flow.fromSystem]!, target = frames[placed.flow.toSystem]!
            #expect(source.hasOnEdge(placed.start), "\(placed.flow.label) start")
            #expect(target.hasOnEdge(placed.end), "\(placed.flow.label) end")
        }
    }

    @Test func everyConnectionRunsBetweenItsZonesEdges() {
        let layout = sample.layout
        let frames = Dictionary(uniqueKeysWithValues: layout.zones.compactMap { placed in placed.zone.map { ($0.id, placed.frame) } })
        #expect(!layout.connections.isEmpty)
        for placed in layout.connections {
            #expect(frames[placed.connection.fromZone]!.hasOnEdge(placed.start))
            #expect(frames[placed.connection.toZone]!.hasOnEdge(placed.end))
        }
        #expect(layout.connections.count + layout.skippedConnectionCount == sample.connections.count)
    }

    @Test func flowsBothWaysBetweenTwoSystemsAreDrawnApart() {
        let zone = DiagramZone(id: UUID(), code: "INT", name: "LAN", kind: .internal)
        let a = DiagramSystem(id: UUID(), code: "A", name: "", zoneID: zone.id, criticality: .high)
        let b = DiagramSystem(id: UUID(), code: "B", name: "", zoneID: zone.id, criticality: .high)
        let out = DiagramFlow(id: UUID(), fromSystem: a.id, toSystem: b.id, label: "請求", encrypted: true)
        let back = DiagramFlow(id: UUID(), fromSystem: b.id, toSystem: a.id, label: "応答", encrypted: true)
        let layout = NetworkLayout(zones: [zone], systems: [a, b], connections: [], flows: [out, back])
        let lines = Dictionary(uniqueKeysWithValues: layout.flows.map { ($0.flow.id, $0) })
        #expect(lines[out.id]!.start != lines[back.id]!.end)
        #expect(lines[out.id]!.start.x < lines[out.id]!.end.x, "A is left of B, so its arrow points right")
        #expect(lines[back.id]!.start.x > lines[back.id]!.end.x)
    }

    @Test func selfFlowsAndFlowsToMissingSystemsAreSkippedAndCounted() {
        let system = DiagramSystem(id: UUID(), code: "A", name: "", zoneID: nil, criticality: .low)
        let other = DiagramSystem(id: UUID(), code: "B", name: "", zoneID: nil, criticality: .low)
        let flows = [
            DiagramFlow(id: UUID(), fromSystem: system.id, toSystem: system.id, label: "自己", encrypted: true),
            DiagramFlow(id: UUID(), fromSystem: system.id, toSystem: UUID(), label: "除外先", encrypted: true),
            DiagramFlow(id: UUID(), fromSystem: UUID(), toSystem: other.id, label: "除外元", encrypted: false),
            DiagramFlow(id: UUID(), fromSystem: system.id, toSystem: other.id, label: "描画", encrypted: false),
        ]
        let layout = NetworkLayout(zones: [], systems: [system, other], connections: [], flows: flows)
        #expect(layout.flows.map(\.flow.label) == ["描画"])
        #expect(layout.skippedSelfFlowCount == 1)
        #expect(layout.skippedDanglingFlowCount == 2)
    }

    @Test func sameInputInAnyOrderGivesTheSameGeometry() {
        let layout = sample.layout
        var random = SplitMix64(state: 99)
        func shuffled<Element>(_ array: [Element]) -> [Element] {
            var copy = array
            for index in copy.indices.reversed() where index > 0 { copy.swapAt(index, random.below(index + 1)) }
            return copy
        }
        let reordered = NetworkLayout(
            zones: shuffled(sample.zones), systems: shuffled(sample.systems),
            connections: shuffled(sample.connections), flows: shuffled(sample.flows)
        )
        #expect(reordered.zones == layout.zones)
        #expect(reordered.systems == layout.systems)
        #expect(reordered.connections == layout.connections)
        #expect(reordered.flows == layout.flows)
        #expect(reordered.canvas == layout.canvas)
        #expect(sample.layout.systems == layout.systems)
    }

    @Test func emptyInputGivesASmallValidCanvas() {
        let layout = NetworkLayout(zones: [], systems: [], connections: [], flows: [])
        #expect(layout.zones.isEmpty && layout.systems.isEmpty && layout.connections.isEmpty && layout.flows.isEmpty)
        #expect(layout.canvas.width > 0 && layout.canvas.width <= 400)
        #expect(layout.canvas.height > 0 && layout.canvas.height <= 200)
    }

    /// The size of a large institution's registers; kept as a smoke test, the timing is printed rather than asserted.
    @Test func largeRegistersLayOut() throws {
        let large = Registers.random(seed: 2024, zones: 60, systems: 2_000, connections: 150, flows: 5_000)
        var layout: NetworkLayout?
        let elapsed = ContinuousClock().measure { layout = large.layout }
        let result = try #require(layout)
        #expect(result.systems.count == 2_000)
        #expect(result.flows.count + result.skippedSelfFlowCount == 5_000)
        print("NetworkLayout: 60 zones, 2,000 systems, 5,000 flows in \(elapsed)")
    }
}
