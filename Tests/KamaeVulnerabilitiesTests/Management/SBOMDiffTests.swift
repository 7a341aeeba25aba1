import Testing
import KamaeVulnerabilities

@Suite struct SBOMDiffTests {
    private func component(_ reference: String, purl: String? = nil, name: String = "x", version: String? = nil, group: String? = nil) -> Component {
        Component(reference: reference, name: name, version: version, group: group, purl: purl)
    }

    @Test func addedRemovedChangedAndUnchanged() {
        let before = [
            component("a", purl: "pkg:npm/lodash@4.17.20"),
            component("b", purl: "pkg:pypi/django@4.2.0?extra=1"),
            component("c", purl: "pkg:maven/org.example/gone@1.0"),
            component("d", name: "libfoo", version: "1.0", group: "acme"),
            component("e", purl: "pkg:npm/%40angular/core@15.0.0"),
        ]
        let after = [
            component("e2", purl: "pkg:npm/%40angular/core@15.0.0"),
            component("b2", purl: "pkg:pypi/django@4.2.7#sub"),
            component("a2", purl: "pkg:npm/lodash@4.17.21"),
            component("n", purl: "pkg:golang/golang.org/x/net@v0.17.0"),
            component("d2", name: "libfoo", version: "1.0", group: "acme"),
        ]
        let diff = SBOMDiff(before: before, after: after)
        #expect(diff.added.map(\.reference) == ["n"])
        #expect(diff.removed.map(\.reference) == ["c"])
        #expect(diff.changed.map { "\($0.before.reference)→\($0.after.reference)" } == ["a→a2", "b→b2"])
        #expect(diff.unchangedCount == 2)
    }

    @Test func severalVersionsOfOnePackagePairUpInVersionOrder() {
        let before = ["1.0", "2.0", "3.0"].map { component("b\($0)", purl: "pkg:npm/x@\($0)") }
        let after = ["2.0", "3.1", "4.0", "5.0"].map { component("a\($0)", purl: "pkg:npm/x@\($0)") }
        let diff = SBOMDiff(before: before, after: after)
        #expect(diff.unchangedCount == 1)
        #expect(diff.changed.map { "\($0.before.reference)→\($0.after.reference)" } == ["b1.0→a3.1", "b3.0→a4.0"])
        #expect(diff.added.map(\.reference) == ["a5.0"])
        #expect(diff.removed.isEmpty)
        let reversed = SBOMDiff(before: after, after: before)
        #expect(reversed.removed.map(\.reference) == ["a5.0"])
    }

    @Test func identityIgnoresVersionQualifiersAndSubpath() {
        #expect(SBOMDiff.identity(of: component("a", purl: "pkg:deb/debian/openssl@3.0.11?distro=debian-12#x")) == "pkg:deb/debian/openssl")
        #expect(SBOMDiff.identity(of: component("a", purl: "not a purl", name: "n", group: "g"))
            == SBOMDiff.identity(of: component("b", name: "n", version: "2", group: "g")))
        #expect(SBOMDiff.identity(of: component("a", name: "n", group: "g")) != SBOMDiff.identity(of: component("a", name: "n")))
    }

    @Test func identicalInputsHaveNoChanges() {
        let components = (0..<50).map { component("c\($0)", purl: "pkg:npm/p\($0 % 10)@\($0)") }
        let diff = SBOMDiff(before: components, after: components.reversed())
        #expect(diff.added.isEmpty && diff.removed.isEmpty && diff.changed.isEmpty)
        #expect(diff.unchangedCount == 50)
    }
}
