import Foundation
import Testing
@testable import KamaeVulnerabilities

@Suite struct SBOMReaderTests {
    @Test func cycloneDXJSONFlattensNestedComponentsAndKeepsTheGraph() throws {
        let sbom = try SBOMReader.read(contentsOf: IngestFixtures.url("cyclonedx-1.5.json"))
        #expect(sbom.format == .cycloneDXJSON(specVersion: "1.5"))
        #expect(sbom.subject == "app")
        // The described product first; tools in metadata are not part of the software.
        #expect(sbom.components.map(\.reference) == ["app", "pkg:npm/express@4.17.1", "angular-core", "jinja2", "log4j-core",
                                                      "log4j-api", "openssl-deb", "x-net", "hsm-firmware"])
        let api = try #require(sbom.components.first { $0.reference == "log4j-api" })
        #expect(api.parent == "log4j-core")
        #expect(api.group == "org.apache.logging.log4j")
        let openssl = try #require(sbom.components.first { $0.reference == "openssl-deb" })
        #expect(openssl.cpes == ["cpe:2.3:a:openssl:openssl:3.0.11:*:*:*:*:*:*:*"])
        #expect(openssl.purl == "pkg:deb/debian/openssl@3.0.11-1~deb12u1?arch=amd64&distro=debian-12")
        #expect(sbom.components.last?.kind == "firmware")
        #expect(sbom.dependencies["app"]?.count == 5)
        #expect(sbom.dependencies["log4j-core"] == ["log4j-api"])
        #expect(sbom.dependencies["pkg:npm/express@4.17.1"] == [])
    }

    @Test func cycloneDXXMLReadsTheSameShape() throws {
        let sbom = try SBOMReader.read(contentsOf: IngestFixtures.url("cyclonedx-1.6.xml"))
        #expect(sbom.format == .cycloneDXXML(specVersion: "1.6"))
        #expect(sbom.subject == "core-banking")
        // Neither the tool in metadata nor the pedigree ancestor is a component.
        #expect(sbom.components.map(\.reference) == ["core-banking", "log4j-core", "log4j-api", "openssl"])
        #expect(sbom.components[2].parent == "log4j-core")
        #expect(sbom.components[2].purl == "pkg:maven/org.apache.logging.log4j/log4j-api@2.14.1")
        #expect(sbom.components[3].cpes == ["cpe:2.3:a:openssl:openssl:3.0.11:*:*:*:*:*:*:*"])
        #expect(sbom.dependencies["core-banking"] == ["log4j-core", "openssl"])
        #expect(sbom.dependencies["log4j-core"] == ["log4j-api"])
    }

    @Test func spdxJSONReadsPackagesReferencesAndRelationships() throws {
        let sbom = try SBOMReader.read(contentsOf: IngestFixtures.url("spdx-2.3.json"))
        #expect(sbom.format == .spdxJSON(specVersion: "2.3"))
        #expect(sbom.subject == "SPDXRef-teller-app")
        #expect(sbom.components.map(\.purl) == [nil, "pkg:pypi/requests@2.25.0", "pkg:pypi/urllib3@1.26.4", nil])
        #expect(sbom.components[3].cpes == ["cpe:2.3:a:zlib:zlib:1.2.11:*:*:*:*:*:*:*"])
        #expect(sbom.components[3].parent == "SPDXRef-teller-app")
        #expect(sbom.dependencies["SPDXRef-teller-app"] == ["SPDXRef-Package-requests"])
        #expect(sbom.dependencies["SPDXRef-Package-requests"] == ["SPDXRef-Package-urllib3"])
    }

    @Test func errorsNameTheFileAndPlace() {
        #expect(throws: IngestError.malformed(file: "bom.json", location: "$.components[1]",
                                              reason: "the component at $.components[1] has no \"name\"")) {
            try SBOMReader.read(Data(#"{"bomFormat": "CycloneDX", "components": [{"name": "a"}, {"version": "1"}]}"#.utf8), file: "bom.json")
        }
        #expect(throws: IngestError.malformed(file: "bom.json", location: "$.components[0].purl", reason: "expected a string")) {
            try SBOMReader.read(Data(#"{"bomFormat": "CycloneDX", "components": [{"name": "a", "purl": 3}]}"#.utf8), file: "bom.json")
        }
        #expect(throws: IngestError.malformed(file: "spdx.json", location: "$.packages[0]", reason: "missing \"SPDXID\"")) {
            try SBOMReader.read(Data(#"{"spdxVersion": "SPDX-2.3", "packages": [{"name": "a"}]}"#.utf8), file: "spdx.json")
        }
        #expect(throws: IngestError.unsupportedFormat(file: "x.txt", reason: "expected CycloneDX (JSON or XML) or SPDX JSON")) {
            try SBOMReader.read(Data("name,version\n".utf8), file: "x.txt")
        }
        #expect(throws: IngestError.self) { try SBOMReader.read(Data("<bom><components><component>".utf8), file: "cut.xml") }
        #expect(throws: IngestError.unsupportedFormat(file: "pom.xml", reason: "the XML root is not a CycloneDX <bom>")) {
            try SBOMReader.read(Data("<project><name>x</name></project>".utf8), file: "pom.xml")
        }
    }

    @Test func truncatedAndMutatedSBOMsThrowAndNeverCrash() throws {
        var generator = FuzzGenerator(seed: 11)
        for name in ["cyclonedx-1.5.json", "cyclonedx-1.6.xml", "spdx-2.3.json"] {
            let data = try IngestFixtures.data(name)
            let lastByte = try #require(data.lastIndex { $0 == UInt8(ascii: "}") || $0 == UInt8(ascii: ">") })
            for length in stride(from: 0, through: lastByte, by: 7) {
                #expect(throws: IngestError.self) { try SBOMReader.read(data.prefix(length), file: name) }
            }
            for _ in 0..<300 {
                _ = try? SBOMReader.read(generator.mutated(data), file: name)
            }
        }
    }
}
