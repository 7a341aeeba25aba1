import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import KamaeCore
@testable import KamaeWeb
import Testing

/// The exported diagram is a file other tools open, so it must be well-formed XML whatever the registers hold.
@Suite struct NetworkDiagramTests {
    let headOffice = DiagramZone(id: UUID(), code: "LAN", name: "本店 <LAN> & 支店", kind: .internal)
    let dmz = DiagramZone(id: UUID(), code: "DMZ", name: "公開セグメント", kind: .dmz)
    var systems: [DiagramSystem] {
        [
            DiagramSystem(id: UUID(), code: "CORE-01", name: "勘定系 <core> & \"ledger\"", zoneID: headOffice.id, criticality: .high),
            DiagramSystem(id: UUID(), code: "WEB-01", name: "インターネットバンキング", zoneID: dmz.id, criticality: .medium),
            DiagramSystem(id: UUID(), code: "OLD-01", name: "旧システム", zoneID: nil, criticality: .low),
        ]
    }

    func layout() -> NetworkLayout {
        let systems = systems
        return NetworkLayout(
            zones: [headOffice, dmz], systems: systems,
            connections: [DiagramConnection(id: UUID(), fromZone: dmz.id, toZone: headOffice.id, kind: .internal, label: "FW <1>")],
            flows: [
                DiagramFlow(id: UUID(), fromSystem: systems[1].id, toSystem: systems[0].id, label: "振込 & 照会", encrypted: true),
                DiagramFlow(id: UUID(), fromSystem: systems[0].id, toSystem: systems[2].id, label: "日次バッチ", encrypted: false),
                DiagramFlow(id: UUID(), fromSystem: systems[0].id, toSystem: systems[0].id, label: "自己", encrypted: true),
            ]
        )
    }

    @Test func standaloneDocumentIsWellFormedSVG() throws {
        let document = NetworkDiagram.standaloneDocument(layout(), title: "ネットワーク構成図 <2025>")
        #expect(document.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"))
        let root = RootElementReader()
        let parser = XMLParser(data: Data(document.utf8))
        parser.shouldProcessNamespaces = true
        parser.delegate = root
        #expect(parser.parse(), "\(parser.parserError.map(String.init(describing:)) ?? "")")
        #expect(root.name == "svg")
        #expect(root.namespace == "http://www.w3.org/2000/svg")
        #expect(root.texts.contains("ネットワーク構成図 <2025>"), "the title reads back unescaped")
    }

    @Test func namesAreEscapedAndEverySystemCodeIsDrawn() {
        let document = NetworkDiagram.standaloneDocument(layout(), title: "図")
        for system in systems {
            #expect(document.contains(system.code))
        }
        #expect(document.contains("本店 &lt;LAN&gt; &amp; 支店"))
        #expect(!document.contains("<core>"))
        #expect(!document.contains("<LAN>"))
        #expect(document.contains("未割当 / Unassigned"))
        #expect(document.contains("暗号化なし / unencrypted"))
    }

    @Test func standaloneDocumentCarriesTheDiagramStylesAndThePageDoesNot() {
        #expect(NetworkDiagram.embeddedStylesheet.contains(".net-flow-unencrypted"))
        #expect(NetworkDiagram.embeddedStylesheet.contains(".net-zone-third_party"))
        #expect(NetworkDiagram.standaloneDocument(layout(), title: "図").contains("<style>"))
        let inline = NetworkDiagram.svg(layout(), title: "図").render()
        #expect(!inline.contains("<style>"), "the page's CSP forbids inline styles")
        #expect(!inline.contains("<?xml"))
        #expect(inline.contains("role=\"img\""))
        #expect(inline.contains("<desc id=\"network-diagram-desc\">"))
    }
}

/// Keeps the root element's name and every text node, to read the parsed document back.
private final class RootElementReader: NSObject, XMLParserDelegate {
    var name: String?
    var namespace: String?
    var texts: [String] = []
    private var current = ""

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        if name == nil {
            name = elementName
            namespace = namespaceURI
        }
        current = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { current += string }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        texts.append(current)
        current = ""
    }
}
