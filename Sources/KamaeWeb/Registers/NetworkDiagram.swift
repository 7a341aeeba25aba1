import Foundation
import KamaeCore
import KamaeHTML

/// The §2.2.1.4 network and data-flow diagram, painted from a `NetworkLayout`: inline on a page (styled by kamae.css)
/// or as a standalone .svg file to download (the same rules embedded, since the page stylesheet does not travel).
/// Words Kamae writes are Japanese first with English beside them; register names are drawn as entered.
enum NetworkDiagram {
    /// The SVG element; with `standalone` it is preceded by an XML declaration and carries its own `<style>`.
    /// `id` prefixes the element ids inside (title, description, arrowheads), so two diagrams can share a page.
    static func svg(_ layout: NetworkLayout, title: String, id: String = "network-diagram", standalone: Bool = false) -> HTML {
        let legend = Legend(layout: layout, top: layout.canvas.height)
        let width = max(layout.canvas.width, legend.width)
        let height = layout.canvas.height + legend.height
        let systemsByID = Dictionary(layout.systems.map { ($0.system.id, $0.system) }, uniquingKeysWith: { first, _ in first })
        let arrows = Arrows(id: id)
        let root = HTML.element("svg", [
            Attribute("xmlns", "http://www.w3.org/2000/svg"),
            Attribute("width", Charts.format(width)), Attribute("height", Charts.format(height)),
            Attribute("viewBox", "0 0 \(Charts.format(width)) \(Charts.format(height))"),
            .class("network-diagram"), .role("img"), .aria("labelledby", "\(id)-title \(id)-desc"), .id(id),
        ]) {
            HTML.element("title", [.id("\(id)-title")]) { title }
            HTML.element("desc", [.id("\(id)-desc")]) { summary(of: layout) }
            if standalone {
                HTML.element("style") { embeddedStylesheet }
            }
            HTML.element("defs") {
                arrows.marker(id: arrows.encrypted, cssClass: "net-arrowhead")
                arrows.marker(id: arrows.unencrypted, cssClass: "net-arrowhead net-arrowhead-unencrypted")
            }
            // Background first so the exported file is not transparent in image viewers.
            Charts.rect(x: 0, y: 0, width: width, height: height, cssClass: "net-background") {}
            for placed in layout.zones { zone(placed) }
            for placed in layout.connections { connection(placed) }
            for placed in layout.systems { system(placed) }
            for placed in layout.flows {
                flow(placed, from: systemsByID[placed.flow.fromSystem], to: systemsByID[placed.flow.toSystem], arrows: arrows)
            }
            legend.draw(arrows: arrows)
        }
        guard standalone else { return root }
        return .fragment([.trusted("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"), root])
    }

    /// A complete SVG document for a downloaded `.svg` file.
    static func standaloneDocument(_ layout: NetworkLayout, title: String) -> String {
        svg(layout, title: title, standalone: true).render()
    }

    // MARK: Pieces

    /// Font sizes from the diagram's rules in kamae.css, used to decide what fits.
    private static let zoneNameFontSize = 12.0
    private static let smallFontSize = 10.0
    private static let flowFontSize = 9.5
    private static let flowLabelWidth = 120.0
    private static let connectionLabelWidth = 180.0
    private static let unassignedName = "未割当 / Unassigned"
    private static let unencryptedNote = "暗号化なし / unencrypted"

    private static func bilingual(_ text: LocalizedText) -> String {
        text.ja == text.en ? text.ja : "\(text.ja) / \(text.en)"
    }

    private static func zone(_ placed: NetworkLayout.PlacedZone) -> HTML {
        let frame = placed.frame
        let name = placed.zone?.name ?? unassignedName
        let kind = placed.zone.map { bilingual($0.kind.name) }
        let textWidth = frame.width - 20
        return HTML.element("g", [.class("net-zone net-zone-\(placed.zone?.kind.rawValue ?? "unassigned")")]) {
            HTML.element("title") { [placed.zone?.code, name, kind].compactMap { $0 }.joined(separator: " — ") }
            Charts.rect(x: frame.x, y: frame.y, width: frame.width, height: frame.height, cssClass: "net-zone-box") {}
            Charts.text(x: frame.x + 10, y: frame.y + 18, anchor: "start", cssClass: "net-zone-name") {
                Charts.fitted(name, width: textWidth, fontSize: zoneNameFontSize)
            }
            if let kind {
                Charts.text(x: frame.x + 10, y: frame.y + 34, anchor: "start", cssClass: "net-zone-kind") {
                    Charts.fitted(kind, width: textWidth, fontSize: smallFontSize)
                }
            }
        }
    }

    private static func system(_ placed: NetworkLayout.PlacedSystem) -> HTML {
        let frame = placed.frame
        let system = placed.system
        let criticality = "重要度 \(system.criticality.name.ja) / \(system.criticality.name.en) criticality"
        let textWidth = frame.width - 16
        return HTML.element("g", [.class("net-system net-critical-\(system.criticality.rawValue)")]) {
            HTML.element("title") { "\(system.code) \(system.name) — \(criticality)" }
            Charts.rect(x: frame.x, y: frame.y, width: frame.width, height: frame.height, cssClass: "net-system-box") {}
            Charts.text(x: frame.x + 8, y: frame.y + 17, anchor: "start", cssClass: "net-system-code") {
                Charts.fitted(system.code, width: textWidth, fontSize: Charts.labelFontSize)
            }
            Charts.text(x: frame.x + 8, y: frame.y + 34, anchor: "start", cssClass: "net-system-name") {
                Charts.fitted(system.name, width: textWidth, fontSize: Charts.labelFontSize)
            }
        }
    }

    private static func connection(_ placed: NetworkLayout.PlacedConnection) -> HTML {
        let kind = bilingual(placed.connection.kind.name)
        let label = placed.connection.label
        let middle = midpoint(placed.start, placed.end)
        return HTML.element("g", [.class("net-connection net-connection-\(placed.connection.kind.rawValue)")]) {
            HTML.element("title") { label.isEmpty ? kind : "\(kind): \(label)" }
            Charts.line(x1: placed.start.x, y1: placed.start.y, x2: placed.end.x, y2: placed.end.y, cssClass: "net-connection-line")
            Charts.text(x: middle.x, y: middle.y - 4, anchor: "middle", cssClass: "net-connection-kind") { kind }
            if !label.isEmpty {
                Charts.text(x: middle.x, y: middle.y + 9, anchor: "middle", cssClass: "net-connection-label") {
                    Charts.fitted(label, width: connectionLabelWidth, fontSize: smallFontSize)
                }
            }
        }
    }

    private static func flow(_ placed: NetworkLayout.PlacedFlow, from source: DiagramSystem?, to target: DiagramSystem?, arrows: Arrows) -> HTML {
        let flow = placed.flow
        let middle = midpoint(placed.start, placed.end)
        let route = "\(source?.code ?? "") → \(target?.code ?? "")"
        let tooltip = [route, flow.label, flow.encrypted ? nil : unencryptedNote].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
        return HTML.element("g", [.class(flow.encrypted ? "net-flow" : "net-flow net-flow-unencrypted")]) {
            HTML.element("title") { tooltip }
            arrow(from: placed.start, to: placed.end, marker: flow.encrypted ? arrows.encrypted : arrows.unencrypted)
            if !flow.label.isEmpty {
                Charts.text(x: middle.x, y: middle.y - 3, anchor: "middle", cssClass: "net-flow-label") {
                    Charts.fitted(flow.label, width: flowLabelWidth, fontSize: flowFontSize)
                }
            }
            if !flow.encrypted {
                Charts.text(x: middle.x, y: middle.y + (flow.label.isEmpty ? -3 : 8), anchor: "middle", cssClass: "net-flow-note") { unencryptedNote }
            }
        }
    }

    private static func arrow(from start: DiagramPoint, to end: DiagramPoint, marker: String) -> HTML {
        HTML.element("line", [
            Attribute("x1", Charts.format(start.x)), Attribute("y1", Charts.format(start.y)),
            Attribute("x2", Charts.format(end.x)), Attribute("y2", Charts.format(end.y)),
            .class("net-flow-line"), Attribute("marker-end", "url(#\(marker))"),
        ])
    }

    private static func midpoint(_ a: DiagramPoint, _ b: DiagramPoint) -> DiagramPoint {
        DiagramPoint(x: (a.x + b.x) / 2, y: (a.y + b.y) / 2)
    }

    /// Counts for screen readers; `<desc>` is what they read after the title.
    private static func summary(of layout: NetworkLayout) -> String {
        let unencrypted = layout.flows.filter { !$0.flow.encrypted }.count
        let japanese = "ゾーン \(layout.zones.count)、システム \(layout.systems.count)、ネットワーク接続 \(layout.connections.count)、"
            + "データフロー \(layout.flows.count)（うち暗号化なし \(unencrypted)）。"
        let english = "\(layout.zones.count) zones, \(layout.systems.count) systems, \(layout.connections.count) network connections, "
            + "\(layout.flows.count) data flows (\(unencrypted) unencrypted)."
        let omitted = omittedFlowsNote(layout).map { " \($0)" } ?? ""
        return "\(japanese) / \(english)\(omitted)"
    }

    /// Said both in the description and under the legend, so nobody takes the drawing for every registered flow.
    private static func omittedFlowsNote(_ layout: NetworkLayout) -> String? {
        let skipped = layout.skippedSelfFlowCount + layout.skippedDanglingFlowCount
        guard skipped > 0 else { return nil }
        return "自己宛て・表示対象外のデータフロー \(skipped) 件は省略 / Data flows to the same or an undrawn system omitted: \(skipped)"
    }

    /// One arrowhead per flow colour: a marker does not take the colour of the line that uses it in every browser.
    private struct Arrows {
        let encrypted: String
        let unencrypted: String

        init(id: String) {
            encrypted = "\(id)-arrow"
            unencrypted = "\(id)-arrow-unencrypted"
        }

        func marker(id: String, cssClass: String) -> HTML {
            HTML.element("marker", [
                .id(id), Attribute("viewBox", "0 0 10 10"), Attribute("refX", "10"), Attribute("refY", "5"),
                Attribute("markerWidth", "7"), Attribute("markerHeight", "7"), Attribute("orient", "auto"),
            ]) {
                HTML.element("path", [Attribute("d", "M0,0 L10,5 L0,10 z"), .class(cssClass)])
            }
        }
    }

    /// The key below the diagram, part of the SVG so it travels with the exported file.
    private struct Legend {
        static let sampleWidth = 36.0
        static let itemGap = 28.0
        static let rowHeight = 22.0
        enum Entry: CaseIterable {
            case encrypted, unencrypted, highCriticality, connection

            var label: String {
                switch self {
                case .encrypted: "暗号化あり / encrypted"
                case .unencrypted: unencryptedNote
                case .highCriticality: "重要度 高 / High criticality"
                case .connection: "ネットワーク接続 / Network connection"
                }
            }

            /// The classes of what the sample stands for, so it is styled exactly like it.
            var cssClass: String {
                switch self {
                case .encrypted: "net-flow"
                case .unencrypted: "net-flow net-flow-unencrypted"
                case .highCriticality: "net-system net-critical-high"
                case .connection: "net-connection"
                }
            }
        }

        let top: Double
        let omitted: String?
        let positions: [Double]
        let width: Double
        var height: Double { Self.rowHeight * (omitted == nil ? 1 : 2) + NetworkLayout.margin }

        init(layout: NetworkLayout, top: Double) {
            self.top = top
            omitted = omittedFlowsNote(layout)
            var x = NetworkLayout.margin
            var positions: [Double] = []
            for entry in Entry.allCases {
                positions.append(x)
                x += Self.sampleWidth + 6 + Charts.estimatedWidth(entry.label, fontSize: Charts.labelFontSize) + Self.itemGap
            }
            self.positions = positions
            let omittedWidth = omitted.map { Charts.estimatedWidth($0, fontSize: Charts.labelFontSize) } ?? 0
            width = max(x - Self.itemGap, NetworkLayout.margin + omittedWidth) + NetworkLayout.margin
        }

        func draw(arrows: Arrows) -> HTML {
            let middle = top + Self.rowHeight / 2
            return HTML.element("g", [.class("net-legend")]) {
                for (entry, x) in zip(Entry.allCases, positions) {
                    HTML.element("g", [.class(entry.cssClass)]) {
                        sample(entry, x: x, middle: middle, arrows: arrows)
                    }
                    Charts.text(x: x + Self.sampleWidth + 6, y: middle + 4, anchor: "start", cssClass: "net-legend-label") { entry.label }
                }
                if let omitted {
                    Charts.text(x: NetworkLayout.margin, y: middle + Self.rowHeight + 4, anchor: "start", cssClass: "net-legend-label") { omitted }
                }
            }
        }

        private func sample(_ entry: Entry, x: Double, middle: Double, arrows: Arrows) -> HTML {
            switch entry {
            case .encrypted, .unencrypted:
                arrow(
                    from: DiagramPoint(x: x, y: middle), to: DiagramPoint(x: x + Self.sampleWidth, y: middle),
                    marker: entry == .encrypted ? arrows.encrypted : arrows.unencrypted
                )
            case .highCriticality:
                Charts.rect(x: x + 4, y: middle - 8, width: Self.sampleWidth - 8, height: 16, cssClass: "net-system-box") {}
            case .connection:
                Charts.line(x1: x, y1: middle, x2: x + Self.sampleWidth, y2: middle, cssClass: "net-connection-line")
            }
        }
    }

    // MARK: Stylesheet for the exported file

    private static let stylesheetBegin = "/* network-diagram:begin"
    private static let stylesheetEnd = "/* network-diagram:end */"

    /// The diagram's rules cut from kamae.css between its marker comments, so page and file share one source.
    /// A missing stylesheet would only leave the file unstyled; the KamaeWeb tests check the rules are found.
    static let embeddedStylesheet: String = {
        guard let url = Bundle.module.url(forResource: "Resources/Public/kamae.css", withExtension: nil),
              let css = try? String(contentsOf: url, encoding: .utf8),
              let begin = css.range(of: stylesheetBegin),
              let end = css.range(of: stylesheetEnd, range: begin.upperBound..<css.endIndex),
              let firstRule = css[begin.upperBound..<end.lowerBound].range(of: "*/")
        else { return "" }
        return String(css[firstRule.upperBound..<end.lowerBound])
    }()
}
