import Testing
import KamaeVulnerabilities

@Suite struct PackageIdentityTests {
    @Test func purlsMapToOSVPackageNames() throws {
        #expect(PackageIdentity(purlType: "maven", namespace: "org.apache.logging.log4j", name: "log4j-core")?.name
            == "org.apache.logging.log4j:log4j-core")
        #expect(PackageIdentity(purlType: "npm", namespace: "@babel", name: "core")?.name == "@babel/core")
        #expect(PackageIdentity(purlType: "npm", namespace: "babel", name: "core")?.name == "@babel/core")
        #expect(PackageIdentity(purlType: "npm", namespace: nil, name: "lodash")?.name == "lodash")
        #expect(PackageIdentity(purlType: "golang", namespace: "github.com/gin-gonic", name: "gin")?.name
            == "github.com/gin-gonic/gin")
        #expect(PackageIdentity(purlType: "composer", namespace: "laravel", name: "framework")?.name
            == "laravel/framework")
        #expect(PackageIdentity(purlType: "pypi", namespace: nil, name: "Django")?.name == "Django")
        #expect(PackageIdentity(purlType: "deb", namespace: "debian", name: "openssl")?.name == "openssl")
        #expect(PackageIdentity(purlType: "swift", namespace: "github.com/apple", name: "swift-nio") == nil)
        #expect(PackageIdentity(purlType: "npm", namespace: nil, name: "") == nil)
    }

    @Test func distributionPurlsPickTheirEcosystem() {
        #expect(PackageIdentity(purlType: "deb", namespace: "ubuntu", name: "openssl")?.ecosystem == .ubuntu)
        #expect(PackageIdentity(purlType: "deb", namespace: "debian", name: "openssl")?.ecosystem == .debian)
        #expect(PackageIdentity(purlType: "apk", namespace: "alpine", name: "musl")?.ecosystem == .alpine)
        #expect(Ecosystem(osvEcosystem: "Debian:12") == .debian)
        #expect(Ecosystem(osvEcosystem: "Alpine:v3.19") == .alpine)
        #expect(Ecosystem(osvEcosystem: "Ubuntu:22.04:LTS") == .ubuntu)
        #expect(Ecosystem(osvEcosystem: "crates.io") == .cargo)
        #expect(Ecosystem(osvEcosystem: "Hackage") == nil)
    }

    @Test func componentAndAdvisorySpellingsMeet() {
        let component = PackageIdentity(purlType: "pypi", namespace: nil, name: "Django_REST.framework")
        let advisory = PackageIdentity(ecosystem: .pypi, name: "django-rest-framework")
        #expect(component?.key == advisory.key)
        #expect(component == advisory)
        #expect(PackageIdentity(purlType: "nuget", namespace: nil, name: "Newtonsoft.Json")?.key
            == PackageIdentity(ecosystem: .nuget, name: "newtonsoft.json").key)
        #expect(PackageIdentity(purlType: "maven", namespace: "Org.Example", name: "lib")?.key
            != PackageIdentity(ecosystem: .maven, name: "org.example:lib").key)
    }

    @Test func namesNormaliseAsEachEcosystemComparesThem() {
        #expect(Ecosystem.pypi.normalizedName("Foo__Bar-.baz") == "foo-bar-baz")
        #expect(Ecosystem.packagist.normalizedName("Symfony/HTTP-Kernel") == "symfony/http-kernel")
        #expect(Ecosystem.nuget.normalizedName("Newtonsoft.Json") == "newtonsoft.json")
        #expect(Ecosystem.cargo.normalizedName("Serde_JSON") == "serde-json")
        #expect(Ecosystem.go.normalizedName("github.com/BurntSushi/toml") == "github.com/BurntSushi/toml")
        #expect(Ecosystem.maven.normalizedName("org.Example:Lib") == "org.Example:Lib")
        #expect(Ecosystem.npm.normalizedName("@Scope/Name") == "@Scope/Name")
        #expect(Ecosystem.debian.normalizedName("LibSSL3") == "libssl3")
    }
}
