import PropertyBased
import Testing
@testable import KamaeTrust

struct RecoveryCodesTests {
    /// Three dash-separated groups of four lowercase Crockford symbols.
    static func isCodeShaped(_ code: String) -> Bool {
        let groups = code.split(separator: "-", omittingEmptySubsequences: false)
        return groups.count == 3 && groups.allSatisfy { group in
            group.count == 4 && group.allSatisfy { "0123456789abcdefghjkmnpqrstvwxyz".contains($0) }
        }
    }

    @Test func generatesTenDistinctCodesInGroupsOfFour() {
        let generated = RecoveryCodes.generate()
        #expect(generated.codes.count == 10)
        #expect(generated.digests.count == 10)
        #expect(Set(generated.codes).count == 10)
        for code in generated.codes {
            #expect(Self.isCodeShaped(code), "\(code)")
        }
        for digest in generated.digests {
            #expect(digest.count == 64 && digest.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        }
    }

    @Test func eachCodeMatchesItsOwnDigest() {
        let generated = RecoveryCodes.generate()
        for (index, code) in generated.codes.enumerated() {
            #expect(RecoveryCodes.matchIndex(of: code, in: generated.digests) == index)
        }
    }

    @Test func storedDigestIsSHA256OfTheCodeWithoutDashes() {
        // sha256("k7m2q9xa3fhd"), computed with Python's hashlib.
        let digest = "fd88072a013ed6f2c8b1bfefb9df05f9f87b84530a57e68155d73981abef30d1"
        let other = String(repeating: "0", count: 64)
        #expect(RecoveryCodes.matchIndex(of: "k7m2-q9xa-3fhd", in: [other, digest]) == 1)
        #expect(RecoveryCodes.matchIndex(of: "k7m2-q9xa-3fhd", in: [other, digest.uppercased()]) == 1)
    }

    @Test(arguments: [
        "K7M2-Q9XA-3FHD",
        "k7m2q9xa3fhd",
        " k7m2 q9xa 3fhd ",
        "ｋ７ｍ２－ｑ９ｘａ－３ｆｈｄ",
        "k7m2\u{3000}q9xa\u{3000}3fhd",
    ])
    func normalisesCaseSpacesDashesAndFullWidth(input: String) {
        let digest = "fd88072a013ed6f2c8b1bfefb9df05f9f87b84530a57e68155d73981abef30d1"
        #expect(RecoveryCodes.matchIndex(of: input, in: [digest]) == 0)
    }

    @Test func readsLookAlikeLettersAsDigits() {
        #expect(RecoveryCodes.normalised("1o1o-i0l0-abcd") == "10101010abcd")
        #expect(RecoveryCodes.normalised("IOLO-ILOI-ABCD") == "10101101abcd")
    }

    @Test(arguments: ["", "k7m2-q9xa", "k7m2-q9xa-3fhd-0", "k7m2-q9xa-3fhu", "k7m2_q9xa_3fhd", "k7m2-q9xa-3fh!"])
    func rejectsInputThatCannotBeACode(input: String) {
        #expect(RecoveryCodes.normalised(input) == nil)
        #expect(RecoveryCodes.matchIndex(of: input, in: RecoveryCodes.generate().digests) == nil)
    }

    @Test func doesNotMatchAnotherSetsCodes() {
        let mine = RecoveryCodes.generate(), theirs = RecoveryCodes.generate()
        for code in theirs.codes {
            #expect(RecoveryCodes.matchIndex(of: code, in: mine.digests) == nil)
        }
    }

    @Test func reportsTheFirstIndexWhenADigestIsStoredTwice() {
        let generated = RecoveryCodes.generate(count: 1)
        let digests = ["x", generated.digests[0], generated.digests[0]]
        #expect(RecoveryCodes.matchIndex(of: generated.codes[0], in: digests) == 1)
    }

    @Test func anyFormattedCodeSurvivesRetyping() async {
        await propertyCheck(input: Gen.int(in: 1...12), Gen.bool) { count, uppercase in
            let generated = RecoveryCodes.generate(count: count)
            for (index, code) in generated.codes.enumerated() {
                let typed = (uppercase ? code.uppercased() : code).replacing("-", with: " ")
                #expect(RecoveryCodes.matchIndex(of: typed, in: generated.digests) == index)
            }
        }
    }
}
