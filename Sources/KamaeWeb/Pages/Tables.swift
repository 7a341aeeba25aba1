import KamaeHTML

/// One way to render a table: caption, header row, rows of cells; numeric columns align right.
enum Tables {
    static func table(caption: String?, headers: [String], numeric: Set<Int> = [], rows: [[HTML]], rowClass: ((Int) -> String)? = nil) -> HTML {
        div(.class("table-wrap")) {
            KamaeHTML.table(.class("data-table")) {
                if let caption { HTML.element("caption") { caption } }
                thead {
                    tr {
                        for (index, header) in headers.enumerated() {
                            th(.attr("scope", "col"), .class(numeric.contains(index) ? "num" : "")) { header }
                        }
                    }
                }
                tbody {
                    for (rowIndex, row) in rows.enumerated() {
                        tr(.class(rowClass?(rowIndex) ?? "")) {
                            for (index, cell) in row.enumerated() {
                                td(.class(numeric.contains(index) ? "num" : "")) { cell }
                            }
                        }
                    }
                }
            }
        }
    }
}
