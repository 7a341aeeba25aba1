import Testing
@testable import KamaeVulnerabilities

@Suite struct EcosystemNamingTests {
    @Test func rawValuesAreOSVEcosystemNames() {
        #expect(Ecosystem(rawValue: "PyPI") == .pypi)
        #expect(Ecosystem(rawValue: "crates.io") == .cargo)
    }
}
