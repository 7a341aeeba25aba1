/// The registers of §2.2.1 as data: each register's fields, how a person's text becomes a value, and what is wrong
/// with it. Forms, CSV and XLSX files, the API and the list pages are all driven by these definitions, so a field is
/// declared once.
public enum RegisterID: String, CaseIterable, Sendable, Codable {
    case systems, components, data, zones, connections, flows
}

public struct ChoiceOption: Sendable, Hashable {
    public var value: String
    public var name: LocalizedText
}

public enum FieldKind: Sendable, Hashable {
    case text(maxLength: Int)
    case choice([ChoiceOption])
    /// An ISO 8601 date (YYYY-MM-DD).
    case date
    /// Yes or no.
    case flag
    /// One record of another register, named by its code.
    case reference(RegisterID)
    /// Several records of another register, named by their codes separated by `;`.
    case references(RegisterID)

    static func choices<T: RegisterChoice>(_ type: T.Type) -> FieldKind {
        .choice(T.allCases.map { ChoiceOption(value: $0.rawValue, name: $0.name) })
    }
}

public struct RegisterField: Sendable, Hashable {
    /// The name in forms, CSV headers and the API.
    public var key: String
    public var label: LocalizedText
    public var kind: FieldKind
    public var required: Bool
    public var hint: LocalizedText?

    public init(_ key: String, _ ja: String, _ en: String, _ kind: FieldKind, required: Bool = false, hint: LocalizedText? = nil) {
        self.key = key
        self.label = LocalizedText(ja: ja, en: en)
        self.kind = kind
        self.required = required
        self.hint = hint
    }
}

/// A typed field value.
public enum FieldValue: Sendable, Hashable {
    case text(String)
    case date(ISODate)
    case flag(Bool)
    /// A reference by the other record's code (resolved to its id when stored).
    case code(String)
    case codes([String])

    /// How the value is written in a CSV cell, a form field or the API.
    public var plain: String {
        switch self {
        case let .text(text): text
        case let .date(date): date.description
        case let .flag(flag): flag ? "true" : "false"
        case let .code(code): code
        case let .codes(codes): codes.joined(separator: ";")
        }
    }
}

/// What is wrong with one field of one record.
public struct FieldProblem: Error, Sendable, Hashable {
    public var field: String
    public var message: LocalizedText

    public init(field: String, message: LocalizedText) {
        self.field = field
        self.message = message
    }
}

public struct RegisterSchema: Sendable {
    public var id: RegisterID
    public var title: LocalizedText
    /// The guideline section that asks for the register.
    public var section: String
    /// Every field; the first is always `code`, the institution's own identifier of the record.
    public var fields: [RegisterField]
    /// The fields shown as columns of the list page, besides the code.
    public var listed: [String]

    public func field(_ key: String) -> RegisterField? { fields.first { $0.key == key } }

    /// Codes are what files and other records use to name a record, so they stay plain.
    public static func isValidCode(_ code: String) -> Bool {
        !code.isEmpty && code.count <= 64 && code.unicodeScalars.allSatisfy { scalar in
            scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-_./:#".unicodeScalars.contains(scalar)
        }
    }

    /// Reads a record from text cells keyed by field key. Missing keys are empty. Returns the values of the fields
    /// that have one and every problem found (all of them, not just the first).
    public func parse(_ raw: [String: String]) -> (values: [String: FieldValue], problems: [FieldProblem]) {
        var values: [String: FieldValue] = [:]
        var problems: [FieldProblem] = []
        for field in fields {
            let text = (raw[field.key] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty {
                if field.required {
                    problems.append(FieldProblem(field: field.key, message: LocalizedText(ja: "\(field.label.ja)を入力してください。", en: "\(field.label.en) is required.")))
                }
                continue
            }
            switch Self.value(text, for: field) {
            case let .success(value): values[field.key] = value
            case let .failure(problem): problems.append(problem)
            }
        }
        return (values, problems)
    }

    public static func value(_ text: String, for field: RegisterField) -> Result<FieldValue, FieldProblem> {
        func problem(_ ja: String, _ en: String) -> Result<FieldValue, FieldProblem> {
            .failure(FieldProblem(field: field.key, message: LocalizedText(ja: "\(field.label.ja): \(ja)", en: "\(field.label.en): \(en)")))
        }
        let shown = String(text.prefix(40))
        switch field.kind {
        case let .text(maxLength):
            if field.key == "code" && !isValidCode(text) {
                return problem("英数字と - _ . / : # で 64 文字以内にしてください（\(shown)）。", "use letters, digits and - _ . / : # up to 64 characters (got \(shown)).")
            }
            guard text.count <= maxLength else { return problem("\(maxLength) 文字以内にしてください。", "at most \(maxLength) characters.") }
            return .success(.text(text))
        case let .choice(options):
            let lowered = text.lowercased()
            if let option = options.first(where: { $0.value == lowered || $0.name.ja == text || $0.name.en.lowercased() == lowered }) {
                return .success(.text(option.value))
            }
            let allowed = options.map(\.value).joined(separator: ", ")
            return problem("\(allowed) のいずれかです（\(shown)）。", "must be one of \(allowed) (got \(shown)).")
        case .date:
            let normalised = text.replacingOccurrences(of: "/", with: "-")
            guard let date = ISODate(normalised) ?? Self.paddedDate(normalised) else {
                return problem("日付は YYYY-MM-DD で入力してください（\(shown)）。", "enter the date as YYYY-MM-DD (got \(shown)).")
            }
            return .success(.date(date))
        case .flag:
            switch text.lowercased() {
            case "true", "yes", "y", "1", "はい", "有", "あり", "○", "〇": return .success(.flag(true))
            case "false", "no", "n", "0", "いいえ", "無", "なし", "×", "-": return .success(.flag(false))
            default: return problem("true または false です（\(shown)）。", "must be true or false (got \(shown)).")
            }
        case .reference:
            guard isValidCode(text) else { return problem("管理番号が正しくありません（\(shown)）。", "not a valid code (got \(shown)).") }
            return .success(.code(text))
        case .references:
            let codes = text.split(whereSeparator: { $0 == ";" || $0 == "；" || $0 == "\n" }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if let bad = codes.first(where: { !isValidCode($0) }) {
                return problem("管理番号が正しくありません（\(bad.prefix(40))）。複数は ; で区切ります。", "not a valid code (got \(bad.prefix(40))); separate several with ;.")
            }
            guard codes.count <= 500 else { return problem("500 件までです。", "at most 500 codes.") }
            var seen = Set<String>()
            return .success(.codes(codes.filter { seen.insert($0).inserted }))
        }
    }

    /// Spreadsheets often drop leading zeros: 2026-4-1 is read as 2026-04-01.
    private static func paddedDate(_ text: String) -> ISODate? {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, parts[1].count <= 2, parts[2].count <= 2 else { return nil }
        return ISODate(String(format: "%@-%02d-%02d", String(parts[0]), Int(parts[1]) ?? 0, Int(parts[2]) ?? 0))
    }
}

extension RegisterSchema {
    private static let code = RegisterField("code", "管理番号", "Code", .text(maxLength: 64), required: true,
                                            hint: LocalizedText(ja: "例: SYS-001（英数字と - _ . / : #）", en: "e.g. SYS-001 (letters, digits, - _ . / : #)"))
    private static let description = RegisterField("description", "説明・備考", "Description", .text(maxLength: 2000))
    private static func cia(_ key: String, _ ja: String, _ en: String) -> RegisterField {
        RegisterField(key, ja, en, .choices(CIALevel.self), required: true)
    }

    public static let systems = RegisterSchema(
        id: .systems, title: LocalizedText(ja: "情報システム・外部システムサービス", en: "Systems and external services"), section: "2.2.1.1",
        fields: [
            code,
            RegisterField("name", "名称", "Name", .text(maxLength: 200), required: true),
            RegisterField("kind", "種別", "Kind", .choices(SystemKind.self), required: true),
            RegisterField("owner_department", "主管部署", "Owner department", .text(maxLength: 200), required: true),
            RegisterField("criticality", "重要度", "Criticality", .choices(Criticality.self), required: true,
                          hint: LocalizedText(ja: "脆弱性の対応期限はこの重要度と深刻度で決まります。", en: "Vulnerability deadlines follow this and the severity.")),
            cia("confidentiality", "機密性", "Confidentiality"),
            cia("integrity", "完全性", "Integrity"),
            cia("availability", "可用性", "Availability"),
            RegisterField("critical_business", "重要な業務を支える", "Supports a critical business", .flag),
            RegisterField("third_party", "委託先・提供者", "Third party", .text(maxLength: 200),
                          hint: LocalizedText(ja: "外部委託・クラウドの提供者", en: "The outsourcer or cloud provider behind it")),
            RegisterField("zone", "ネットワークゾーン", "Network zone", .reference(.zones)),
            description,
        ],
        listed: ["name", "kind", "owner_department", "criticality", "critical_business", "third_party", "zone"]
    )

    public static let components = RegisterSchema(
        id: .components, title: LocalizedText(ja: "ハードウェア・ソフトウェア", en: "Hardware and software"), section: "2.2.1.2",
        fields: [
            code,
            RegisterField("system", "システム", "System", .reference(.systems), required: true),
            RegisterField("kind", "区分", "Kind", .choices(ComponentKind.self), required: true),
            RegisterField("product", "製品名", "Product", .text(maxLength: 300), required: true),
            RegisterField("vendor", "ベンダー", "Vendor", .text(maxLength: 200)),
            RegisterField("version", "バージョン", "Version", .text(maxLength: 100)),
            RegisterField("purl", "purl", "purl", .text(maxLength: 1000), hint: LocalizedText(ja: "例: pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1（脆弱性の照合に使います）", en: "e.g. pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1 (used to match advisories)")),
            RegisterField("cpe", "CPE", "CPE", .text(maxLength: 1000), hint: LocalizedText(ja: "例: cpe:2.3:a:apache:http_server:2.4.49:*:*:*:*:*:*:*", en: "e.g. cpe:2.3:a:apache:http_server:2.4.49:*:*:*:*:*:*:*")),
            RegisterField("location", "設置場所", "Location", .text(maxLength: 200)),
            RegisterField("end_of_support", "サポート終了日", "End of support", .date),
            RegisterField("support_extendable", "延長サポート可", "Support can be extended", .flag),
            RegisterField("unapproved", "未承認（シャドー IT）", "Unapproved (shadow IT)", .flag),
            description,
        ],
        listed: ["system", "kind", "product", "vendor", "version", "end_of_support", "unapproved"]
    )

    public static let data = RegisterSchema(
        id: .data, title: LocalizedText(ja: "データ", en: "Data"), section: "2.2.1.3",
        fields: [
            code,
            RegisterField("name", "名称", "Name", .text(maxLength: 200), required: true),
            RegisterField("category", "分類", "Category", .choices(DataCategory.self), required: true),
            cia("confidentiality", "機密性", "Confidentiality"),
            cia("integrity", "完全性", "Integrity"),
            cia("availability", "可用性", "Availability"),
            RegisterField("storage", "保存場所", "Stored in", .text(maxLength: 300), required: true),
            RegisterField("systems", "処理するシステム", "Processed by systems", .references(.systems),
                          hint: LocalizedText(ja: "システムの管理番号。複数は ; で区切ります。", en: "System codes; separate several with ;.")),
            RegisterField("retention", "保存期間", "Retention", .text(maxLength: 100), required: true, hint: LocalizedText(ja: "例: 10年", en: "e.g. 10 years")),
            description,
        ],
        listed: ["name", "category", "confidentiality", "storage", "systems", "retention"]
    )

    public static let zones = RegisterSchema(
        id: .zones, title: LocalizedText(ja: "ネットワークゾーン", en: "Network zones"), section: "2.2.1.4",
        fields: [
            code,
            RegisterField("name", "名称", "Name", .text(maxLength: 200), required: true),
            RegisterField("kind", "種別", "Kind", .choices(ZoneKind.self), required: true),
            description,
        ],
        listed: ["name", "kind", "description"]
    )

    public static let connections = RegisterSchema(
        id: .connections, title: LocalizedText(ja: "ネットワーク接続", en: "Network connections"), section: "2.2.1.4",
        fields: [
            code,
            RegisterField("from_zone", "接続元ゾーン", "From zone", .reference(.zones), required: true),
            RegisterField("to_zone", "接続先ゾーン", "To zone", .reference(.zones), required: true),
            RegisterField("kind", "回線種別", "Link kind", .choices(ConnectionKind.self), required: true),
            RegisterField("protocol", "プロトコル・経路", "Protocol or route", .text(maxLength: 200)),
            description,
        ],
        listed: ["from_zone", "to_zone", "kind", "protocol"]
    )

    public static let flows = RegisterSchema(
        id: .flows, title: LocalizedText(ja: "データフロー", en: "Data flows"), section: "2.2.1.4",
        fields: [
            code,
            RegisterField("from_system", "送信元システム", "From system", .reference(.systems), required: true),
            RegisterField("to_system", "送信先システム", "To system", .reference(.systems), required: true),
            RegisterField("data", "データ", "Data", .reference(.data)),
            RegisterField("protocol", "プロトコル", "Protocol", .text(maxLength: 200)),
            RegisterField("encrypted", "暗号化", "Encrypted", .flag),
            description,
        ],
        listed: ["from_system", "to_system", "data", "protocol", "encrypted"]
    )

    public static let all: [RegisterSchema] = [systems, components, data, zones, connections, flows]

    public static func schema(_ id: RegisterID) -> RegisterSchema {
        switch id {
        case .systems: systems
        case .components: components
        case .data: data
        case .zones: zones
        case .connections: connections
        case .flows: flows
        }
    }
}
