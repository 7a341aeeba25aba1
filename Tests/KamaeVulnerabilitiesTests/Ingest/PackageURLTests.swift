import Testing
@testable import KamaeVulnerabilities

@Suite struct PackageURLTests {
    @Test func readsEveryPart() throws {
        let purl = try PackageURL(parsing: "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar&Classifier=sources#src/main/../java/./x")
        #expect(purl.type == "maven")
        #expect(purl.namespace == "org.apache.logging.log4j")
        #expect(purl.name == "log4j-core")
        #expect(purl.version == "2.14.1")
        #expect(purl.qualifiers == ["type": "jar", "classifier": "sources"])
        #expect(purl.subpath == "src/main/java/x")
    }

    @Test func percentDecodesNamespaceNameVersionAndQualifiers() throws {
        let scoped = try PackageURL(parsing: "pkg:npm/%40angular/core@15.2.0")
        #expect(scoped.namespace == "@angular")
        #expect(scoped.name == "core")
        let encoded = try PackageURL(parsing: "pkg:deb/debian/openssl@1%3A3.0.11-1~deb12u1?distro=debian-12&repository_url=https%3A%2F%2Fdeb.debian.org")
        #expect(encoded.version == "1:3.0.11-1~deb12u1")
        #expect(encoded.qualifiers["repository_url"] == "https://deb.debian.org")
        let go = try PackageURL(parsing: "pkg:golang/github.com/gin-gonic/gin@v1.9.1")
        #expect(go.namespace == "github.com/gin-gonic")
        #expect(go.version == "v1.9.1")
    }

    @Test func toleratesCommonLooseSpellings() throws {
        // A literal @ opening a segment is an npm scope, not a version; slashes after the scheme are ignored;
        // the type is case-insensitive; empty qualifier values are dropped.
        let literalScope = try PackageURL(parsing: "pkg:npm/@angular/core@15.2.0")
        #expect(literalScope.namespace == "@angular")
        #expect(literalScope.version == "15.2.0")
        let noVersion = try PackageURL(parsing: "pkg:npm/@angular/core")
        #expect(noVersion.version == nil)
        #expect(noVersion.name == "core")
        let slashes = try PackageURL(parsing: "pkg://PyPI/Django@4.2?empty=")
        #expect(slashes.type == "pypi")
        #expect(slashes.qualifiers.isEmpty)
    }

    @Test func rejectsBrokenPurlsWithTheReason() {
        #expect(throws: PackageURLError.missingScheme) { try PackageURL(parsing: "npm/express@4.17.1") }
        #expect(throws: PackageURLError.missingName) { try PackageURL(parsing: "pkg:npm") }
        #expect(throws: PackageURLError.missingType) { try PackageURL(parsing: "pkg:") }
        #expect(throws: PackageURLError.invalidType("1npm")) { try PackageURL(parsing: "pkg:1npm/x@1") }
        #expect(throws: PackageURLError.invalidQualifier("arch")) { try PackageURL(parsing: "pkg:deb/debian/curl@7?arch") }
        #expect(throws: PackageURLError.invalidPercentEncoding(part: "version")) { try PackageURL(parsing: "pkg:npm/x@1%zz") }
        #expect(throws: PackageURLError.invalidPercentEncoding(part: "name")) { try PackageURL(parsing: "pkg:npm/%FF%FE@1") }
    }

    @Test func describesInCanonicalOrder() throws {
        let purl = try PackageURL(parsing: "pkg:npm/%40angular/core@15.2.0?b=2&a=1")
        #expect(purl.description == "pkg:npm/%40angular/core@15.2.0?a=1&b=2")
        #expect(try PackageURL(parsing: purl.description) == purl)
    }

    @Test func garbageNeverCrashes() {
        var generator = FuzzGenerator(seed: 7)
        let seeds = ["pkg:npm/%40angular/core@15.2.0?a=1#x/y", "pkg:deb/debian/openssl@1%3A3.0?distro=debian-12"]
        for seed in seeds {
            for length in 0...seed.utf8.count {
                _ = try? PackageURL(parsing: String(decoding: Array(seed.utf8.prefix(length)), as: UTF8.self))
            }
            for _ in 0..<500 {
                let mutated = generator.mutated(.init(seed.utf8))
                _ = try? PackageURL(parsing: String(decoding: mutated, as: UTF8.self))
            }
        }
    }
}
