import ArgumentParser
import Foundation
import KamaeCore

/// `kamae catalog …`: read the guideline catalog shipped in the binary. Scripts call these; keep the output stable.
struct CatalogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "List and show the guideline's sections and items.",
        subcommands: [List.self, Show.self, Sections.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List items, optionally of one section (with its subsections) or kind.")

        @Option(help: "Only items of this section and its subsections, e.g. 2.2.3.")
        var section: String?

        @Option(help: "basic (基本的な対応事項) or desirable (対応が望ましい事項).")
        var kind: ItemKind?

        @Flag(help: "Print a JSON array instead of a table.")
        var json = false

        func run() throws {
            let catalog = Catalog.bundled
            if let section, catalog.section(section) == nil {
                throw CommandFailure("no section \(section) in the guideline; see `kamae catalog sections`")
            }
            let items = catalog.items(matching: CatalogQuery(kind: kind, section: section))
            if json {
                print(try CLIOutput.json(items.map(ItemDTO.init)))
            } else {
                let rows = items.map { [$0.id, $0.section, $0.label, $0.kind.rawValue, $0.titleJa] }
                print(CLIOutput.table(header: ["ID", "SECTION", "LABEL", "KIND", "TITLE"], rows: rows))
                print("\(items.count) items (basic \(items.filter { $0.kind == .basic }.count), desirable \(items.filter { $0.kind == .desirable }.count))")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one item in full.")

        @Argument(help: "The item id, e.g. 2.2.1.2-B1 or 2.1.1-Dd.")
        var id: String

        @Flag(help: "Print JSON instead of text.")
        var json = false

        func run() throws {
            let catalog = Catalog.bundled
            guard let item = catalog.item(id: id) else {
                throw CommandFailure("no item with id \(id); ids look like 2.2.1.2-B1 (basic ①) or 2.1.1-Dd (desirable d)")
            }
            if json {
                print(try CLIOutput.json(ItemDTO(item)))
                return
            }
            let sectionTitle = catalog.section(item.section).map { "\($0.titleJa) / \($0.titleEn)" } ?? ""
            var lines = [
                "\(item.citation)  [\(item.kind.name.ja) / \(item.kind.name.en)]  \(item.id)",
                "Section: \(item.section) \(sectionTitle)",
                "",
                item.titleJa,
                item.titleEn,
                "",
                item.summaryJa,
                item.summaryEn,
            ]
            if !item.subpoints.isEmpty {
                lines.append("")
                lines += item.subpoints.map { "  - \($0.ja) / \($0.en)" }
            }
            lines.append("")
            lines.append("NIST CSF 2.0: \(item.csf.joined(separator: ", "))")
            lines.append("Tags: \(item.tags.joined(separator: ", "))")
            print(lines.joined(separator: "\n"))
        }
    }

    struct Sections: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the sections of chapter 2 with their item counts.")

        @Flag(help: "Print a JSON array instead of a table.")
        var json = false

        func run() throws {
            let catalog = Catalog.bundled
            if json {
                print(try CLIOutput.json(catalog.sections.map { SectionDTO(section: $0, catalog: catalog) }))
                return
            }
            let rows = catalog.sections.map { section -> [String] in
                let own = catalog.ownCounts(of: section.number)
                let all = catalog.counts(under: section.number)
                let indent = String(repeating: "  ", count: section.depth - 1)
                return [indent + section.number, section.titleJa, "\(own.basic)", "\(own.desirable)", "\(all.basic)", "\(all.desirable)"]
            }
            print(CLIOutput.table(header: ["SECTION", "TITLE", "BASIC", "DESIRABLE", "BASIC(ALL)", "DESIRABLE(ALL)"], rows: rows))
            let totals = catalog.totals
            print("Total: \(totals.basic) basic + \(totals.desirable) desirable = \(totals.total) items (\(catalog.version.id))")
        }
    }
}

extension ItemKind: ExpressibleByArgument {}

enum CLIOutput {
    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// A plain-text table whose columns line up in a terminal, counting East Asian wide characters as two cells.
    static func table(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { displayWidth($0[column]) }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - displayWidth(cell))
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { width, scalar in
            width + (isWide(scalar) ? 2 : 1)
        }
    }

    private static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x1100...0x115F, 0x2460...0x24FF, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6:
            true
        default:
            false
        }
    }
}
