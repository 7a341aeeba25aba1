import Foundation
import KamaeHTML

/// SVG charts drawn from data, styled by the stylesheet (no inline styles), readable on screen and on paper.
enum Charts {
    struct Bar: Sendable {
        var label: String
        /// 0…100; nil draws an empty slot.
        var values: [Double?]
    }

    /// Horizontal grouped bars: one row per label, one bar per series (e.g. basic and desirable), 0–100 %.
    static func groupedBars(_ bars: [Bar], series: [String], title: String, id: String) -> HTML {
        let rowHeight = 14 * max(1, series.count) + 12
        let labelWidth = 230.0
        let plotWidth = 420.0
        let height = rowHeight * bars.count + 40
        return svg(width: labelWidth + plotWidth + 60, height: Double(height), title: title, id: id) {
            for tick in stride(from: 0, through: 100, by: 25) {
                let x = labelWidth + plotWidth * Double(tick) / 100
                line(x1: x, y1: 0, x2: x, y2: Double(height - 28), cssClass: "grid")
                text(x: x, y: Double(height - 12), anchor: "middle", cssClass: "axis") { "\(tick)%" }
            }
            for (row, bar) in bars.enumerated() {
                let top = Double(row * rowHeight + 6)
                text(x: labelWidth - 8, y: top + Double(rowHeight) / 2, anchor: "end", cssClass: "label") { bar.label }
                for (index, value) in bar.values.enumerated() {
                    let y = top + Double(index * 14)
                    let width = plotWidth * (value ?? 0) / 100
                    rect(x: labelWidth, y: y, width: max(width, 0.5), height: 11, cssClass: "series-\(index)") {
                        HTML.element("title") { "\(bar.label) — \(series[safe: index] ?? ""): \(value.map { formatPercent($0) } ?? "—")" }
                    }
                    text(x: labelWidth + width + 4, y: y + 9.5, anchor: "start", cssClass: "value") { value.map { formatPercent($0) } ?? "—" }
                }
            }
        }
    }

    /// A simple trend: one line per series over years, 0–100 %.
    static func trend(years: [Int], series: [(name: String, values: [Double?])], title: String, id: String) -> HTML {
        let width = 560.0, height = 220.0, left = 40.0, bottom = 30.0, top = 10.0
        let plotWidth = width - left - 20, plotHeight = height - bottom - top
        func x(_ index: Int) -> Double { years.count <= 1 ? left + plotWidth / 2 : left + plotWidth * Double(index) / Double(years.count - 1) }
        func y(_ value: Double) -> Double { top + plotHeight * (1 - value / 100) }
        return svg(width: width, height: height, title: title, id: id) {
            for tick in stride(from: 0, through: 100, by: 25) {
                line(x1: left, y1: y(Double(tick)), x2: width - 20, y2: y(Double(tick)), cssClass: "grid")
                text(x: left - 6, y: y(Double(tick)) + 4, anchor: "end", cssClass: "axis") { "\(tick)%" }
            }
            for (index, year) in years.enumerated() {
                text(x: x(index), y: height - 10, anchor: "middle", cssClass: "axis") { String(year) }
            }
            for (seriesIndex, entry) in series.enumerated() {
                let points = entry.values.enumerated().compactMap { index, value in value.map { (x(index), y($0), $0) } }
                if points.count > 1 {
                    HTML.element("polyline", [
                        Attribute("points", points.map { "\(format($0.0)),\(format($0.1))" }.joined(separator: " ")),
                        .class("trend series-\(seriesIndex)"),
                    ])
                }
                for point in points {
                    HTML.element("circle", [Attribute("cx", format(point.0)), Attribute("cy", format(point.1)), Attribute("r", "4"), .class("series-\(seriesIndex)")]) {
                        HTML.element("title") { "\(entry.name): \(formatPercent(point.2))" }
                    }
                }
            }
        }
    }

    /// A legend for the series colours, as HTML next to the chart.
    static func legend(_ series: [String]) -> HTML {
        ul(.class("chart-legend")) {
            for (index, name) in series.enumerated() {
                li { span(.class("swatch series-\(index)"), .aria("hidden", "true")); " "; name }
            }
        }
    }

    static func formatPercent(_ value: Double) -> String {
        String(format: "%.1f%%", value)
    }

    static func format(_ value: Double) -> String { String(format: "%.1f", value) }

    static func svg(width: Double, height: Double, title: String, id: String, @HTMLBuilder content: () -> [HTML]) -> HTML {
        HTML.element("svg", [
            Attribute("xmlns", "http://www.w3.org/2000/svg"), Attribute("viewBox", "0 0 \(format(width)) \(format(height))"),
            .class("chart"), .role("img"), .aria("label", title), .id(id),
        ]) {
            HTML.element("title") { title }
            HTML.fragment(content())
        }
    }

    static func line(x1: Double, y1: Double, x2: Double, y2: Double, cssClass: String) -> HTML {
        HTML.element("line", [Attribute("x1", format(x1)), Attribute("y1", format(y1)), Attribute("x2", format(x2)), Attribute("y2", format(y2)), .class(cssClass)])
    }

    static func rect(x: Double, y: Double, width: Double, height: Double, cssClass: String, @HTMLBuilder content: () -> [HTML]) -> HTML {
        HTML.element("rect", [Attribute("x", format(x)), Attribute("y", format(y)), Attribute("width", format(width)), Attribute("height", format(height)), .class(cssClass)], content)
    }

    static func text(x: Double, y: Double, anchor: String, cssClass: String, @HTMLBuilder content: () -> [HTML]) -> HTML {
        HTML.element("text", [Attribute("x", format(x)), Attribute("y", format(y)), Attribute("text-anchor", anchor), .class(cssClass)], content)
    }
}

extension Array {
    subscript(safe index: Int) -> Element? {
        indices.contains(index) ? self[index] : nil
    }
}
