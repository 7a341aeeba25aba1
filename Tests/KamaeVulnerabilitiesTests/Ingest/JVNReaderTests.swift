import Foundation
@testable import KamaeVulnerabilities
import Testing

@Suite struct JVNReaderTests {
    static func applies(_ advisory: Advisory, _ cpe: String) throws -> Bool {
        let target = try CPEName(parsing: cpe)
        return advisory.platforms.contains { $0.applies(to: target) }
    }

    @Test func vuldefGivesAdvisoriesWithAliasesScoresAndPlatforms() throws {
        let advisories = try JVNReader.read(IngestFixtures.data("jvn-vuldef.xml"), file: "jvn-vuldef.xml")
        #expect(advisories.map(\.id) == ["JVNDB-2025-000101", "JVNDB-2025-000102"])
        let gateway = advisories[0]
        #expect(gateway.source == .jvn)
        #expect(gateway.aliases == ["CVE-2025-10101", "JVN#12345678"])
        #expect(gateway.summary?.hasPrefix("サンプル インターネットバンキング") == true)
        #expect(gateway.preferredSeverity == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")
        #expect(try Self.applies(gateway, "cpe:2.3:a:example:net_banking_gateway:5.1.2:*:*:*:*:*:*:*"))
        #expect(try !Self.applies(gateway, "cpe:2.3:a:example:net_banking_gateway:5.1.3:*:*:*:*:*:*:*"))
        #expect(try Self.applies(gateway, "cpe:2.3:a:example:teller_console:4.1.9:*:*:*:*:*:*:*"))
        #expect(try !Self.applies(gateway, "cpe:2.3:a:example:teller_console:4.3:*:*:*:*:*:*:*"))

        let middleware = advisories[1]
        #expect(try Self.applies(middleware, "cpe:2.3:a:example:core_middleware:3.2:*:*:*:*:*:*:*"))
        #expect(try Self.applies(middleware, "cpe:2.3:a:example:core_middleware:5.9:*:*:*:*:*:*:*"))
        #expect(try !Self.applies(middleware, "cpe:2.3:a:example:core_middleware:6.0:*:*:*:*:*:*:*"))
        // Wording Kamae cannot read, or no version at all: every version is flagged for review.
        #expect(try Self.applies(middleware, "cpe:2.3:a:example:report_server:1.0:*:*:*:*:*:*:*"))
        #expect(try Self.applies(middleware, "cpe:2.3:a:example:batch_runner:9.9:*:*:*:*:*:*:*"))
        #expect(try !Self.applies(middleware, "cpe:2.3:a:other:core_middleware:3.2:*:*:*:*:*:*:*"))
    }

    @Test(arguments: [
        ("8.1", JVNReader.VersionStatement.exactly("8.1")),
        ("v2.3.1", .exactly("v2.3.1")),
        ("2.0 およびそれ以前", .through("2.0")),
        ("バージョン 1.4 以前", .through("1.4")),
        ("3.1 and earlier", .through("3.1")),
        ("3.1 未満", .before("3.1")),
        ("prior to 10.0.2", .before("10.0.2")),
        ("4.0 以降", .from("4.0")),
        ("1.0 から 1.2 まで", .between("1.0", "1.2")),
        ("1.0 - 1.2", .between("1.0", "1.2")),
    ])
    func versionWordings(_ text: String, _ expected: JVNReader.VersionStatement) {
        #expect(JVNReader.VersionStatement(text) == expected)
    }

    @Test func unknownWordingsAreNotGuessed() {
        for text in ["全バージョン", "最新版を除く", "2.0 系", ""] {
            #expect(JVNReader.VersionStatement(text) == nil, "\(text)")
        }
    }

    @Test func brokenDocumentsAreRefusedByNameAndNeverCrash() throws {
        #expect(throws: IngestError.unsupportedFormat(file: "x.xml", reason: "the XML root is not a JVN <VULDEF-Document>")) {
            try JVNReader.read(Data("<rss></rss>".utf8), file: "x.xml")
        }
        let noID = #"<VULDEF-Document xmlns="http://jvn.jp/vuldef/"><Vulinfo><VulinfoData><Title>t</Title></VulinfoData></Vulinfo></VULDEF-Document>"#
        #expect(throws: IngestError.self) { try JVNReader.read(Data(noID.utf8), file: "n.xml") }
        let data = try IngestFixtures.data("jvn-vuldef.xml")
        var generator = FuzzGenerator(seed: 31)
        let lastByte = try #require(data.lastIndex(of: UInt8(ascii: ">")))
        for length in stride(from: 1, through: lastByte, by: 9) {
            #expect(throws: IngestError.self) { try JVNReader.read(data.prefix(length), file: "cut.xml") }
        }
        for _ in 0..<300 {
            _ = try? JVNReader.read(generator.mutated(data), file: "mutated.xml")
        }
    }
}
