import KamaeCore

/// A submission's answer statuses stored as one character per catalog item, in catalog order: `0` unanswered,
/// `1` 未実施, `2` 一部実施, `3` 実施済, `4` 対象外 (the codes of `SectorDataset.Code`). A sector of thousands of
/// submissions then loads without parsing each signed package again.
public enum StatusString {
    public static func encode(_ statuses: [String: AnswerStatus], itemIDs: [String]) -> String {
        String(itemIDs.map { id -> Character in
            switch statuses[id] {
            case nil: "0"
            case .notImplemented: "1"
            case .partial: "2"
            case .implemented: "3"
            case .notApplicable: "4"
            }
        })
    }

    /// nil when the text does not have one valid code per item (written for another catalog edition).
    public static func decode(_ text: String, itemIDs: [String]) -> [String: AnswerStatus]? {
        let codes = Array(text.utf8)
        guard codes.count == itemIDs.count else { return nil }
        var statuses: [String: AnswerStatus] = [:]
        statuses.reserveCapacity(itemIDs.count)
        for (index, code) in codes.enumerated() {
            switch code {
            case UInt8(ascii: "0"): continue
            case UInt8(ascii: "1"): statuses[itemIDs[index]] = .notImplemented
            case UInt8(ascii: "2"): statuses[itemIDs[index]] = .partial
            case UInt8(ascii: "3"): statuses[itemIDs[index]] = .implemented
            case UInt8(ascii: "4"): statuses[itemIDs[index]] = .notApplicable
            default: return nil
            }
        }
        return statuses
    }
}
