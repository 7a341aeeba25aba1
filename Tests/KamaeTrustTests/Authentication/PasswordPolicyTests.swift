import Testing
@testable import KamaeTrust

struct PasswordPolicyTests {
    let policy = PasswordPolicy()

    func problems(_ password: String, login: String = "hanako.suzuki", displayName: String? = "鈴木 花子") -> [PasswordProblem] {
        policy.problems(password: password, login: login, displayName: displayName)
    }

    @Test(arguments: [
        "correct horse battery staple",
        "富士山に登るのは三回目です",
        "kamae-ギンコウ-2024-秋",
        "Tr0ub4dor&3-purple-lake",
        String(repeating: "長", count: 64) + String(repeating: "い", count: 64),
    ])
    func acceptsGoodPasswords(password: String) {
        #expect(problems(password).isEmpty)
    }

    // MARK: Length

    @Test func lengthLimitsAreTwelveAndOneHundredTwentyEight() {
        #expect(problems("short-but-ok") == [])
        #expect(problems("short-but-o") == [.tooShort(minimumLength: 12)])
        #expect(problems(String(repeating: "ab-", count: 42) + "cd") == [])
        #expect(problems(String(repeating: "ab-", count: 43)) == [.tooLong(maximumLength: 128)])
    }

    @Test func countsCharactersAfterNFKC() {
        // "ﬀ" (one ligature character) becomes "ff": six of them are twelve characters.
        #expect(!problems("ﬀﬀﬀﬀﬀﬀ").contains(.tooShort(minimumLength: 12)))
        // "㍻" becomes "平成"; each Japanese character counts once, not per UTF-8 byte.
        #expect(problems("㍻の思い出ノート") == [.tooShort(minimumLength: 12)])
        #expect(problems("さくら咲く春の日の思い出") == [])
    }

    // MARK: Common passwords

    @Test(arguments: ["password", "iloveyou", "sakura", "passw0rd", "monkey"])
    func refusesListedPasswords(password: String) {
        #expect(problems(password).contains(.commonPassword))
    }

    @Test(arguments: [
        "password123!", "Password2024", "PASSWORD!!!!", "iloveyou0101", "sakura123456", "monkey.....1",
        "ｐａｓｓｗｏｒｄ１２３４", "ＳＡＫＵＲＡ！！２０２４",
    ])
    func refusesListedPasswordsWithTrailingDigitsOrSymbols(password: String) {
        #expect(problems(password) == [.commonPassword])
    }

    @Test func onlyTrailingAdditionsAreStripped() {
        #expect(problems("1234password") == [])
        #expect(problems("pass-word-in-the-middle") == [])
    }

    @Test func bundledListIsLoadedAndNormalised() {
        #expect(CommonPasswords.all.count == 47_023)
        #expect(CommonPasswords.all.contains("123456"))
        #expect(CommonPasswords.all.allSatisfy { $0 == PasswordPolicy.normalised($0) && !$0.isEmpty })
        #expect(!CommonPasswords.contains(""))
    }

    // MARK: Personal information

    @Test func refusesTheLoginInAnyCase() {
        #expect(problems("my-HANAKO.SUZUKI-pass", login: "hanako.suzuki") == [.containsLogin])
        #expect(problems("sato-is-my-password-2024", login: "sato@bank.example.jp") == [.containsLogin])
        #expect(problems("ｓａｔｏ-is-my-password-2024", login: "SATO@bank.example.jp") == [.containsLogin])
    }

    @Test func ignoresLoginsTooShortToSearchFor() {
        #expect(problems("a good long passphrase", login: "ab") == [])
    }

    @Test func refusesTheDisplayNameOrItsParts() {
        #expect(problems("鈴木花子のパスワードです") == [.containsDisplayName])
        #expect(problems("yamada-secure-phrase", displayName: "Taro Yamada") == [.containsDisplayName])
        #expect(problems("taroyamada-was-here", displayName: "Taro Yamada") == [.containsDisplayName])
        // Two-character parts such as 鈴木 alone are too common to refuse.
        #expect(problems("鈴木さんの庭の白い猫です") == [])
        #expect(problems("鈴木さんの庭の白い猫です", displayName: nil) == [])
    }

    // MARK: Patterns

    @Test(arguments: ["aaaaaaaaaaaa", "111111111111", "ああああああああああああ", "ＡＡＡＡＡＡＡＡＡＡＡＡ"])
    func refusesOneRepeatedCharacter(password: String) {
        #expect(problems(password).contains(.singleRepeatedCharacter))
        #expect(!problems(password).contains(.straightSequence))
    }

    @Test(arguments: [
        "123456789012", "987654321098", "abcdefghijkl", "ZYXWVUTSRQPO", "uvwxyzabcdef",
        "あいうえおかきくけこさし", "アイウエオカキクケコサシ", "ｱｲｳｴｵｶｷｸｹｺｻｼ", "１２３４５６７８９０１２",
    ])
    func refusesStraightSequences(password: String) {
        #expect(problems(password).contains(.straightSequence))
    }

    @Test(arguments: ["123457890123", "abcdefghijkm", "abc123def456", "あいうえおかきくけこさす"])
    func allowsNearSequences(password: String) {
        #expect(!problems(password).contains(.straightSequence))
    }

    @Test func reportsEveryProblemAtOnce() {
        #expect(problems("aaa", login: "aaa") == [.tooShort(minimumLength: 12), .containsLogin, .singleRepeatedCharacter])
        #expect(problems("") == [.tooShort(minimumLength: 12)])
    }

    @Test func customLimits() {
        let relaxed = PasswordPolicy(minimumLength: 8, maximumLength: 16)
        #expect(relaxed.problems(password: "blue-kite", login: "hanako", displayName: nil) == [])
        #expect(relaxed.problems(password: "blue-kite-over-tokyo", login: "hanako", displayName: nil) == [.tooLong(maximumLength: 16)])
    }

    // MARK: Messages

    @Test(arguments: [
        PasswordProblem.tooShort(minimumLength: 12), .tooLong(maximumLength: 128), .containsLogin,
        .containsDisplayName, .commonPassword, .singleRepeatedCharacter, .straightSequence,
    ])
    func everyProblemExplainsItselfInBothLanguages(problem: PasswordProblem) {
        #expect(!problem.japanese.isEmpty && problem.japanese.hasSuffix("。"))
        #expect(!problem.english.isEmpty && problem.english.hasSuffix("."))
        #expect(problem.japanese.unicodeScalars.contains { $0.value >= 0x3000 })
    }

    @Test func lengthMessagesCarryTheLimit() {
        #expect(PasswordProblem.tooShort(minimumLength: 12).japanese == "パスワードは12文字以上にしてください。")
        #expect(PasswordProblem.tooShort(minimumLength: 12).english == "Use at least 12 characters.")
        #expect(PasswordProblem.tooLong(maximumLength: 128).japanese.contains("128"))
    }
}
