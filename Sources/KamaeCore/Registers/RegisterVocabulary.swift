/// The fixed vocabularies of the registers the guideline asks for (§2.2.1): every choice a person makes in a
/// register form or a CSV column is one of these raw values, shown by its Japanese or English name.
public protocol RegisterChoice: RawRepresentable, CaseIterable, Sendable, Hashable, Codable where RawValue == String {
    var name: LocalizedText { get }
}

/// 重要度: how much the institution's business depends on a system. Drives vulnerability deadlines.
public enum Criticality: String, RegisterChoice {
    case high, medium, low

    public var name: LocalizedText {
        switch self {
        case .high: LocalizedText(ja: "高", en: "High")
        case .medium: LocalizedText(ja: "中", en: "Medium")
        case .low: LocalizedText(ja: "低", en: "Low")
        }
    }
}

/// A confidentiality, integrity or availability rating (機密性・完全性・可用性): the same three steps as criticality.
public typealias CIALevel = Criticality

/// §2.2.1.1 distinguishes the institution's own information systems from external system services (outsourcing, cloud).
public enum SystemKind: String, RegisterChoice {
    case informationSystem = "information_system"
    case externalService = "external_service"

    public var name: LocalizedText {
        switch self {
        case .informationSystem: LocalizedText(ja: "情報システム", en: "Information system")
        case .externalService: LocalizedText(ja: "外部システムサービス", en: "External system service")
        }
    }
}

public enum ComponentKind: String, RegisterChoice {
    case hardware, software

    public var name: LocalizedText {
        switch self {
        case .hardware: LocalizedText(ja: "ハードウェア", en: "Hardware")
        case .software: LocalizedText(ja: "ソフトウェア", en: "Software")
        }
    }
}

/// §2.2.1.3: the kind of data, by how much harm its leak would do.
public enum DataCategory: String, RegisterChoice {
    case customer, confidential, `internal`, `public`

    public var name: LocalizedText {
        switch self {
        case .customer: LocalizedText(ja: "顧客情報", en: "Customer data")
        case .confidential: LocalizedText(ja: "機密情報", en: "Confidential")
        case .internal: LocalizedText(ja: "社内情報", en: "Internal")
        case .public: LocalizedText(ja: "公開情報", en: "Public")
        }
    }
}

/// §2.2.1.4: network zones a system sits in.
public enum ZoneKind: String, RegisterChoice {
    case `internal`, dmz, cloud, thirdParty = "third_party", mobile, external

    public var name: LocalizedText {
        switch self {
        case .internal: LocalizedText(ja: "内部ネットワーク", en: "Internal network")
        case .dmz: LocalizedText(ja: "DMZ", en: "DMZ")
        case .cloud: LocalizedText(ja: "クラウド", en: "Cloud")
        case .thirdParty: LocalizedText(ja: "外部委託先", en: "Third party")
        case .mobile: LocalizedText(ja: "モバイル端末", en: "Mobile devices")
        case .external: LocalizedText(ja: "インターネット・外部", en: "Internet / external")
        }
    }
}

/// §2.2.1.4: how two zones are connected, including mobile, external and third-party links.
public enum ConnectionKind: String, RegisterChoice {
    case `internal`, internet, leasedLine = "leased_line", vpn, mobile, thirdParty = "third_party"

    public var name: LocalizedText {
        switch self {
        case .internal: LocalizedText(ja: "内部接続", en: "Internal")
        case .internet: LocalizedText(ja: "インターネット", en: "Internet")
        case .leasedLine: LocalizedText(ja: "専用線", en: "Leased line")
        case .vpn: LocalizedText(ja: "VPN", en: "VPN")
        case .mobile: LocalizedText(ja: "モバイル回線", en: "Mobile network")
        case .thirdParty: LocalizedText(ja: "外部委託先接続", en: "Third-party link")
        }
    }
}
