import PropertyBased
import Testing
import KamaeVulnerabilities

/// The order laws every ecosystem's order must keep, checked on generated versions: a scanner that sorts
/// or range-checks with an order that breaks them gives answers that depend on the order of its input.
@Suite struct VersionOrderLawTests {
    /// Pieces a generated version is built from: one head, then up to three tails, per ecosystem.
    struct Alphabet: Sendable, CustomTestStringConvertible {
        let ecosystem: Ecosystem
        let heads: [String]
        let tails: [String]
        var testDescription: String { ecosystem.rawValue }
    }

    static let semverTails = [
        "", "-alpha", "-alpha.1", "-beta", "-beta.2", "-beta.11", "-rc.1", "-0", "-1", "-x-y", "+build", "+b.5", ".0",
        ".1",
    ]
    static let semverHeads = ["0", "1", "1.0", "1.2", "1.2.3", "v1.2.3", "=1.0.0", "2.0.0", "10.0.0", "1.10.0"]

    static let alphabets: [Alphabet] = [
        Alphabet(ecosystem: .npm, heads: semverHeads, tails: semverTails),
        Alphabet(ecosystem: .cargo, heads: semverHeads, tails: semverTails),
        Alphabet(ecosystem: .generic, heads: semverHeads, tails: semverTails),
        Alphabet(
            ecosystem: .go, heads: ["v0.0.0", "v1.2.3", "1.2.3", "v2.0.0", "v1.2"],
            tails: ["", "-20191109021931-daa7c04131f5", "-0.20200101000000-abcdef", "+incompatible", "-rc.1", "-pre"]),
        Alphabet(
            ecosystem: .nuget, heads: ["1", "1.0", "1.0.0", "1.0.0.0", "1.0.0.1", "2.1", "01.2"],
            tails: ["", "-alpha", "-Alpha", "-BETA.2", "-beta.10", "-rc", "-rc.1", "+meta"]),
        Alphabet(
            ecosystem: .pypi, heads: ["1", "1.0", "1.0.0", "v1.0", "1!1.0", "2.0", "0.9"],
            tails: ["", "a1", "b2", "rc1", "c1", ".post1", "-1", ".dev0", "dev3", "+local.1", "+ubuntu", "-bulbasaur", ".x"]),
        // Maven's own order is not transitive once a zero precedes a dot-separated qualifier: ComparableVersion
        // answers `1 < 1-foo < 1-0.RC2 < 1` (see VersionTrapTests), so the tails leave out zeros, `-ga` and dot-separated qualifiers.
        Alphabet(
            ecosystem: .maven, heads: ["0", "1", "1.0", "1.0.0", "1.1", "2"],
            tails: [
                "", "-alpha-1", "-beta", "-SNAPSHOT", "-rc1", "-RC2", "-sp1", "-1", ".1", "-foo", "a1",
                "m3", "-jre", ".2",
            ]),
        Alphabet(
            ecosystem: .debian, heads: ["1.0", "1:1.0", "2:0.9", "1.0~rc1", "1.0+dfsg", "0.9", "1.2.3"],
            tails: ["", "-1", "-1ubuntu1", "-2+deb12u1", "~bpo1", "-0", "a", "+b1", ".1", "~"]),
        Alphabet(
            ecosystem: .ubuntu, heads: ["1.0", "1:1.0", "1.0~rc1", "0.9"],
            tails: ["", "-1", "-1ubuntu1", "-1ubuntu0.1", "~18.04", "+esm1"]),
        Alphabet(
            ecosystem: .alpine, heads: ["1", "1.0", "1.2.3", "1.02", "1.2.03", "2.0", "0.9"],
            tails: ["", "a", "_alpha", "_beta2", "_rc1", "_p1", "_git20240101", "-r0", "-r2", "-r18", ".1", "~abc", "-ruff"]),
        Alphabet(
            ecosystem: .rubygems, heads: ["1", "1.0", "1.2.3", "2.0", "0.9", "1.0.0"],
            tails: ["", ".a", ".beta2", ".pre", ".rc1", ".1", ".0", "-alpha", "b1"]),
        Alphabet(
            ecosystem: .packagist, heads: ["1", "1.0", "v1.0.0", "V1.0", "1.0.0", "2.0"],
            tails: ["", "-dev", "-alpha1", "-beta", "-RC1", "rc2", "pl1", "-patch3", ".1", "-ALPHA", "foo", ".0"]),
    ]

    private static func versions(_ alphabet: Alphabet) -> Generator<String, some SendableSequenceType> {
        zip(Gen.element(of: alphabet.heads), Gen.element(of: alphabet.tails).array(of: 0...3))
            .map { head, tails in (head ?? "") + tails.compactMap { $0 }.joined() }
    }

    @Test(arguments: alphabets)
    func orderIsAntisymmetricTransitiveAndConsistentWithEquality(_ alphabet: Alphabet) async {
        let ecosystem = alphabet.ecosystem
        let generator = Self.versions(alphabet)
        await propertyCheck(count: 600, input: generator, generator, generator) { a, b, c in
            guard let x = ecosystem.parse(a), let y = ecosystem.parse(b), let z = ecosystem.parse(c) else { return }
            // Reflexive and antisymmetric.
            #expect(x.compare(to: x) == 0, "\(a) is not equal to itself")
            #expect(x.compare(to: y).signum() == -y.compare(to: x).signum(), "\(a) vs \(b) is not antisymmetric")
            // == and < agree with compare, and the string API with the parsed one.
            #expect((x == y) == (x.compare(to: y) == 0))
            #expect((x < y) == (x.compare(to: y) < 0))
            #expect(ecosystem.compare(a, b).map { $0.signum() } == x.compare(to: y).signum())
            // Transitive, and equal versions are interchangeable.
            if x <= y, y <= z { #expect(x <= z, "\(a) <= \(b) <= \(c) but not \(a) <= \(c)") }
            if x < y, y < z { #expect(x < z, "\(a) < \(b) < \(c) but not \(a) < \(c)") }
            if x == y { #expect(x.compare(to: z).signum() == y.compare(to: z).signum(), "\(a) == \(b) but they differ against \(c)") }
        }
    }

    @Test(arguments: alphabets)
    func sortingAgreesWithPairwiseOrder(_ alphabet: Alphabet) async {
        let ecosystem = alphabet.ecosystem
        await propertyCheck(count: 100, input: Self.versions(alphabet).array(of: 2...12)) { strings in
            let sorted = strings.compactMap(ecosystem.parse).sorted()
            for (earlier, later) in zip(sorted, sorted.dropFirst()) {
                #expect(earlier.compare(to: later) <= 0)
            }
        }
    }
}
