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

    /// The codes themselves (`SectorDataset.Code`), for `SectorSubmission(codes:)`; nil when the text does not have
    /// one valid code per item (written for another catalog edition).
    public static func codes(_ text: String, itemCount: Int) -> [UInt8]? {
        let codes = text.utf8.map { $0 &- UInt8(ascii: "0") }
        guard codes.count == itemCount, codes.allSatisfy({ $0 <= SectorDataset.Code.notApplicable }) else { return nil }
        return codes
    }
}
