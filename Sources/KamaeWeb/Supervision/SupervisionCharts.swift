import Foundation
import KamaeHTML
import KamaeSupervision

/// Charts of the supervisor's sector analysis and of the per-institution feedback report.
///
/// Peer statistics arrive already k-anonymised: a suppressed group is drawn as an empty slot carrying the caller's
/// label (e.g. "n<5") and never with a figure, not even in its tooltip.
extension Charts {
    // MARK: Section box plots

    /// Horizontal box plots of section rates (0…1, drawn as 0–100 %): one row per section, one thin box per peer group
    /// from Q1 to Q3 with a tick at the median. There are no whiskers because peer statistics never show the minimum
    /// or maximum. `marker` holds one rate per row (nil leaves the row without one): the institution's own rate, drawn
    /// as a diamond on a line across the row. Many sections × groups come as several SVG blocks (see `blocks`).
    static func sectionBoxPlots(
        rows: [(label: String, boxes: [PeerStatistic<PeerDistribution>])], groupNames: [String], marker: [Double?]? = nil,
        title: String, id: String, suppressedLabel: String
    ) -> HTML {
        let layout = BoxPlotLayout(groupCount: max(groupNames.count, rows.map(\.boxes.count).max() ?? 0, 1))
        return blocks(of: rows.count, rowsPerBlock: layout.rowsPerBlock, cssClass: "box-plots", title: title, id: id) { range, blockTitle, blockID in
            let height = layout.height(rowCount: range.count)
            return svg(width: BoxPlotLayout.width, height: height, title: blockTitle, id: blockID) {
                percentGrid(height: height)
                for (position, index) in range.enumerated() {
                    let row = rows[index]
                    let top = layout.top(ofRow: position)
                    if position > 0 {
                        line(x1: 0, y1: top, x2: BoxPlotLayout.width, y2: top, cssClass: "row-rule")
                    }
                    fittedText(
                        row.label, x: BoxPlotLayout.labelWidth - 8, y: top + layout.rowHeight / 2 + 4, anchor: "end", cssClass: "label",
                        width: BoxPlotLayout.labelWidth - 12, fontSize: labelFontSize
                    )
                    for (group, statistic) in row.boxes.enumerated() {
                        box(
                            statistic, top: layout.boxTop(ofRowAt: top, group: group), group: group,
                            subject: "\(groupNames[safe: group] ?? "") — \(row.label)", suppressedLabel: suppressedLabel
                        )
                    }
                    if let ownRate = marker?[safe: index] ?? nil {
                        ownMarker(rate: ownRate, rowTop: top, rowHeight: layout.rowHeight, subject: row.label)
                    }
                }
            }
        }
    }

    /// A legend for the peer-group colours of `sectionBoxPlots` and, when given, for the own-rate marker.
    static func boxPlotLegend(groupNames: [String], ownLabel: String? = nil) -> HTML {
        ul(.class("chart-legend")) {
            for (index, name) in groupNames.enumerated() {
                li { span(.class("swatch group-\(index % groupColourCount)"), .aria("hidden", "true")); " "; name }
            }
            if let ownLabel {
                li { span(.class("swatch own"), .aria("hidden", "true")); " "; ownLabel }
            }
        }
    }

    /// Geometry of the box plots, in SVG user units.
    struct BoxPlotLayout {
        static let labelWidth = 230.0
        static let plotWidth = 420.0
        static let width = labelWidth + plotWidth + 30
        /// Room for the percentage labels above and below the plot.
        static let axisHeight = 20.0
        static let groupStep = 10.0
        static let boxHeight = 7.0
        static let rowPadding = 6.0
        static let diamondRadius = 4.5
        /// Keeps a block within one printed A4 page at full width.
        static let maxBlockHeight = 900.0

        let groupCount: Int

        var rowHeight: Double { 2 * Self.rowPadding + Double(groupCount - 1) * Self.groupStep + Self.boxHeight }

        var rowsPerBlock: Int { max(1, Int((Self.maxBlockHeight - 2 * Self.axisHeight) / rowHeight)) }

        func height(rowCount: Int) -> Double { 2 * Self.axisHeight + Double(rowCount) * rowHeight }

        func top(ofRow position: Int) -> Double { Self.axisHeight + Double(position) * rowHeight }

        func boxTop(ofRowAt rowTop: Double, group: Int) -> Double { rowTop + Self.rowPadding + Double(group) * Self.groupStep }

        /// Rates outside 0…1 would be a data error; they are pinned to the axis rather than drawn off the chart.
        static func x(_ rate: Double) -> Double { labelWidth + plotWidth * min(max(rate, 0), 1) }
    }

    /// Vertical grid lines at 0, 25, 50, 75 and 100 %, labelled above and below so tall blocks stay readable.
    private static func percentGrid(height: Double) -> HTML {
        HTML.group {
            for tick in stride(from: 0, through: 100, by: 25) {
                let x = BoxPlotLayout.x(Double(tick) / 100)
                line(x1: x, y1: BoxPlotLayout.axisHeight - 4, x2: x, y2: height - BoxPlotLayout.axisHeight + 4, cssClass: "grid")
                text(x: x, y: BoxPlotLayout.axisHeight - 8, anchor: "middle", cssClass: "axis") { "\(tick)%" }
                text(x: x, y: height - 5, anchor: "middle", cssClass: "axis") { "\(tick)%" }
            }
        }
    }

    /// One group's box, or its empty slot when the group is suppressed.
    private static func box(_ statistic: PeerStatistic<PeerDistribution>, top: Double, group: Int, subject: String, suppressedLabel: String) -> HTML {
        let colour = "group-\(group % groupColourCount)"
        switch statistic {
        case let .published(peers):
            let medianX = BoxPlotLayout.x(peers.median)
            return HTML.element("g", [.class("box \(colour)")]) {
                HTML.element("title") {
                    "\(subject): Q1 \(formatRate(peers.q1)) / median \(formatRate(peers.median)) / Q3 \(formatRate(peers.q3)) (n=\(peers.count))"
                }
                // A group whose quartiles coincide still gets a visible sliver.
                rect(
                    x: BoxPlotLayout.x(peers.q1), y: top, width: max(BoxPlotLayout.x(peers.q3) - BoxPlotLayout.x(peers.q1), 1),
                    height: BoxPlotLayout.boxHeight, cssClass: "range"
                ) {}
                line(x1: medianX, y1: top - 1.5, x2: medianX, y2: top + BoxPlotLayout.boxHeight + 1.5, cssClass: "median")
            }
        case .suppressed:
            return HTML.element("g", [.class("suppressed \(colour)")]) {
                HTML.element("title") { "\(subject): \(suppressedLabel)" }
                rect(
                    x: BoxPlotLayout.labelWidth, y: top - 1, width: estimatedWidth(suppressedLabel, fontSize: suppressedFontSize) + 8,
                    height: BoxPlotLayout.boxHeight + 2, cssClass: "slot"
                ) {}
                text(x: BoxPlotLayout.labelWidth + 4, y: top + BoxPlotLayout.boxHeight, anchor: "start", cssClass: "suppressed-label") { suppressedLabel }
            }
        }
    }

    /// The institution's own rate: a line across the whole row, so it reads against every group, and a diamond.
    private static func ownMarker(rate: Double, rowTop: Double, rowHeight: Double, subject: String) -> HTML {
        let x = BoxPlotLayout.x(rate)
        let middle = rowTop + rowHeight / 2
        let radius = BoxPlotLayout.diamondRadius
        let corners = [(x, middle - radius), (x + radius, middle), (x, middle + radius), (x - radius, middle)]
        return HTML.element("g", [.class("own")]) {
            HTML.element("title") { "\(subject): \(formatRate(rate))" }
            line(x1: x, y1: rowTop + 2, x2: x, y2: rowTop + rowHeight - 2, cssClass: "own-line")
            HTML.element("polygon", [Attribute("points", corners.map { "\(format($0.0)),\(format($0.1))" }.joined(separator: " ")), .class("own-diamond")])
        }
    }

    // MARK: Heat map

    /// Items × peer groups, each cell coloured by the share of institutions that implemented the item (0…1) in ten
    /// steps, with the percentage written in when the cells are wide enough. `rowLinks[i]`, when not nil, links the row
    /// label (e.g. to the item's page). Every 60 rows start a new SVG block with the column names again (see `blocks`).
    static func heatMap(
        rowLabels: [String], rowLinks: [String?], columnNames: [String], cells: [[PeerStatistic<Double>]],
        title: String, id: String, suppressedLabel: String
    ) -> HTML {
        let layout = HeatMapLayout(columnNames: columnNames)
        // Decided once for the widest figure, so that either every cell is written in or none is.
        let writesFigures = layout.cellFits(formatRate(1))
        let writesSuppressedLabel = layout.cellFits(suppressedLabel)
        return blocks(of: rowLabels.count, rowsPerBlock: HeatMapLayout.rowsPerBlock, cssClass: "heat-map", title: title, id: id) { range, blockTitle, blockID in
            svg(width: layout.width, height: layout.height(rowCount: range.count), title: blockTitle, id: blockID) {
                for (column, name) in columnNames.enumerated() {
                    columnHeader(name, column: column, layout: layout)
                }
                for (position, row) in range.enumerated() {
                    let top = layout.headerHeight + Double(position) * HeatMapLayout.rowHeight
                    rowLabel(rowLabels[row], link: rowLinks[safe: row] ?? nil, top: top)
                    for (column, name) in columnNames.enumerated() {
                        if let statistic = cells[safe: row]?[safe: column] {
                            heatCell(
                                statistic, x: layout.x(column: column), top: top, width: layout.cellWidth, subject: "\(rowLabels[row]) — \(name)",
                                suppressedLabel: suppressedLabel, writesText: statistic.isSuppressed ? writesSuppressedLabel : writesFigures
                            )
                        }
                    }
                }
            }
        }
    }

    /// The ten colour steps of `heatMap` and the suppressed swatch, as HTML next to the chart.
    static func heatLegend(suppressedLabel: String) -> HTML {
        let stepWidth = 100 / heatSteps
        return ul(.class("chart-legend heat-legend")) {
            for step in 0..<heatSteps {
                li { span(.class("swatch heat-\(step)"), .aria("hidden", "true")); " "; "\(step * stepWidth)–\((step + 1) * stepWidth)%" }
            }
            li { span(.class("swatch heat-suppressed"), .aria("hidden", "true")); " "; suppressedLabel }
        }
    }

    private static let heatSteps = 10

    /// The colour step of a share 0…1: its tenth, with 100 % in the top step.
    static func heatStep(_ share: Double) -> Int {
        // Clamped before the conversion: Int(_:) traps on NaN or an out-of-range value, which would stop the server.
        let tenth = (share * Double(heatSteps)).rounded(.down)
        guard tenth >= 0 else { return 0 }
        return Int(min(tenth, Double(heatSteps - 1)))
    }

    /// Geometry of the heat map, in SVG user units; column width and header height follow the groups shown.
    struct HeatMapLayout {
        static let labelWidth = 260.0
        static let plotWidth = 480.0
        static let rowHeight = 14.0
        /// 60 rows and the header fit one printed A4 page at full width.
        static let rowsPerBlock = 60
        static let maxHeaderTextWidth = 150.0

        let columnWidth: Double
        /// Long group names (institution types) are turned 45° so narrow columns can still carry them.
        let rotatesHeaders: Bool
        let headerHeight: Double
        let width: Double

        init(columnNames: [String]) {
            // The plot keeps about the same width whatever the number of groups, so every heat map is drawn at one
            // scale when the stylesheet stretches it to the page.
            columnWidth = max(Self.plotWidth / Double(max(columnNames.count, 1)), 36)
            let widestName = columnNames.map { min(estimatedWidth($0, fontSize: labelFontSize), Self.maxHeaderTextWidth) }.max() ?? 0
            rotatesHeaders = widestName > columnWidth - 4
            let diagonal = widestName * 0.71
            headerHeight = rotatesHeaders ? diagonal + 12 : 20
            // The last rotated name leans out to the right of its column.
            let overhang = rotatesHeaders ? max(diagonal - columnWidth / 2, 0) : 0
            width = Self.labelWidth + columnWidth * Double(columnNames.count) + overhang + 10
        }

        /// One unit narrower than the column, leaving a gap between cells.
        var cellWidth: Double { columnWidth - 1 }

        func cellFits(_ content: String) -> Bool { estimatedWidth(content, fontSize: cellFontSize) + 4 <= cellWidth }

        func x(column: Int) -> Double { Self.labelWidth + columnWidth * Double(column) }

        func height(rowCount: Int) -> Double { headerHeight + Double(rowCount) * Self.rowHeight + 4 }
    }

    private static func columnHeader(_ name: String, column: Int, layout: HeatMapLayout) -> HTML {
        let x = layout.x(column: column) + layout.columnWidth / 2
        let y = layout.headerHeight - 6
        guard layout.rotatesHeaders else {
            return text(x: x, y: y, anchor: "middle", cssClass: "label") { name }
        }
        return HTML.element("g", [Attribute("transform", "rotate(-45 \(format(x)) \(format(y)))")]) {
            fittedText(name, x: x, y: y, anchor: "start", cssClass: "label", width: HeatMapLayout.maxHeaderTextWidth, fontSize: labelFontSize)
        }
    }

    private static func rowLabel(_ label: String, link: String?, top: Double) -> HTML {
        let drawn = fittedText(
            label, x: HeatMapLayout.labelWidth - 6, y: top + 10.5, anchor: "end", cssClass: "label",
            width: HeatMapLayout.labelWidth - 10, fontSize: labelFontSize
        )
        guard let link else { return drawn }
        // `.href` passes the URL through the builder's scheme check.
        return HTML.element("a", [.href(link)]) { drawn }
    }

    /// One cell; the group carries the tooltip so it shows over the rectangle and over the figure alike.
    private static func heatCell(
        _ statistic: PeerStatistic<Double>, x: Double, top: Double, width: Double, subject: String, suppressedLabel: String, writesText: Bool
    ) -> HTML {
        let (cssClass, shown) = switch statistic {
        case let .published(share): ("heat-\(heatStep(share))", formatRate(share))
        case .suppressed: ("heat-suppressed", suppressedLabel)
        }
        return HTML.element("g") {
            HTML.element("title") { "\(subject): \(shown)" }
            rect(x: x, y: top, width: width, height: HeatMapLayout.rowHeight - 1, cssClass: cssClass) {}
            if writesText {
                text(x: x + width / 2, y: top + 10, anchor: "middle", cssClass: "cell-value") { shown }
            }
        }
    }

    // MARK: Shared helpers

    /// Must match the palette size in kamae.css (`.group-0` … `.group-7`); further groups reuse the colours.
    private static let groupColourCount = 8

    /// Font sizes from kamae.css (svg.chart 11px, .cell-value 9px, .suppressed-label 8px), used to decide what fits.
    static let labelFontSize = 11.0
    private static let cellFontSize = 9.0
    private static let suppressedFontSize = 8.0

    /// A rate 0…1 as a percentage, "62.5%".
    static func formatRate(_ rate: Double) -> String { formatPercent(rate * 100) }

    /// Draws a tall chart as a stack of SVGs of at most `rowsPerBlock` rows, each with its own axis or header: an
    /// inline SVG never breaks across printed pages, and the repeated header keeps columns named while scrolling.
    /// The first block carries `id`, later ones `id-2`, `id-3`…; with several blocks each title names its rows.
    private static func blocks(
        of rowCount: Int, rowsPerBlock: Int, cssClass: String, title: String, id: String,
        draw: (_ rows: Range<Int>, _ title: String, _ id: String) -> HTML
    ) -> HTML {
        let starts = Array(stride(from: 0, to: max(rowCount, 1), by: rowsPerBlock))
        return div(.class("chart-blocks \(cssClass)")) {
            for (number, start) in starts.enumerated() {
                let rows = start..<min(start + rowsPerBlock, rowCount)
                draw(
                    rows, starts.count == 1 ? title : "\(title) (\(rows.lowerBound + 1)–\(rows.upperBound) / \(rowCount))",
                    number == 0 ? id : "\(id)-\(number + 1)"
                )
            }
        }
    }

    /// Text cut with "…" when wider than `width`; the full text then stays available as its tooltip.
    private static func fittedText(_ content: String, x: Double, y: Double, anchor: String, cssClass: String, width: Double, fontSize: Double) -> HTML {
        let shown = fitted(content, width: width, fontSize: fontSize)
        return text(x: x, y: y, anchor: anchor, cssClass: cssClass) {
            if shown != content {
                HTML.element("title") { content }
            }
            shown
        }
    }

    static func fitted(_ content: String, width: Double, fontSize: Double) -> String {
        guard estimatedWidth(content, fontSize: fontSize) > width else { return content }
        var remaining = width - estimatedWidth("…", fontSize: fontSize)
        var kept = ""
        for character in content {
            remaining -= ems(character) * fontSize
            if remaining < 0 { break }
            kept.append(character)
        }
        return kept + "…"
    }

    /// A rough width of `content` set at `fontSize`; SVG text cannot be measured on the server.
    static func estimatedWidth(_ content: String, fontSize: Double) -> Double {
        content.reduce(0) { $0 + ems($1) } * fontSize
    }

    /// CJK, kana, circled numbers and full-width forms take a full em; other characters about 0.6 em.
    private static func ems(_ character: Character) -> Double {
        guard let scalar = character.unicodeScalars.first?.value else { return 0 }
        return wideScalars.contains { $0.contains(scalar) } ? 1 : 0.6
    }

    private static let wideScalars: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2460...0x24FF, 0x2E80...0xA4CF, 0xAC00...0xD7A3,
        0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD,
    ]
}
