/// The first thing wrong with an audit trail, naming the record where it shows.
public enum AuditProblem: Error, Hashable, Sendable {
    /// The record's contents no longer give its stored hash.
    case edited(sequence: Int64)
    /// The record was changed and its hash recomputed to match: the next record still holds the original hash.
    case rewritten(sequence: Int64)
    /// Records `from...through` are missing: the sequence jumps over them.
    case deleted(from: Int64, through: Int64)
    /// A record that does not belong: it repeats a sequence number, or the record after it still links past it.
    case inserted(sequence: Int64)
    /// A record stands where another sequence number was due and smaller numbers follow it.
    case reordered(sequence: Int64, expectedSequence: Int64)
    /// Record 1 does not start from `AuditHash.genesis`.
    case unlinked(sequence: Int64)
    /// The chain ends before a signed checkpoint's record: its tail was cut off.
    case truncated(checkpointSequence: Int64, lastSequence: Int64)
    /// The chain's hash at a signed checkpoint differs from the signed one: records up to there were rewritten,
    /// hashes and all.
    case checkpointMismatch(sequence: Int64)
    /// A checkpoint's signature does not verify with the audit public key: forged or altered.
    case forgedCheckpoint(sequence: Int64)

    /// The sequence number the problem names first.
    public var sequence: Int64 {
        switch self {
        case .edited(let sequence), .rewritten(let sequence), .inserted(let sequence), .unlinked(let sequence),
            .checkpointMismatch(let sequence), .forgedCheckpoint(let sequence), .reordered(let sequence, _):
            sequence
        case .deleted(let from, _): from
        case .truncated(let checkpointSequence, _): checkpointSequence
        }
    }

    public var english: String {
        switch self {
        case .edited(let sequence):
            "Audit record \(sequence) was altered: its contents no longer match its stored hash."
        case .rewritten(let sequence):
            "Audit record \(sequence) was altered and its hash recomputed: record \(sequence + 1) still holds its original hash."
        case .deleted(let from, let through) where from == through:
            "Audit record \(from) is missing (deleted): the sequence jumps from \(from - 1) to \(through + 1)."
        case .deleted(let from, let through):
            "Audit records \(from) to \(through) are missing (deleted): the sequence jumps from \(from - 1) to \(through + 1)."
        case .inserted(let sequence):
            "A record was inserted at audit sequence \(sequence): it repeats a sequence number or the next record links past it."
        case .reordered(let sequence, let expectedSequence):
            "Audit records were reordered: record \(sequence) stands where record \(expectedSequence) was due."
        case .unlinked(let sequence):
            "Audit record \(sequence) does not link to the start of the chain: its previous hash is not the genesis hash."
        case .truncated(let checkpointSequence, let lastSequence):
            "The audit trail was truncated: a signed checkpoint covers record \(checkpointSequence), but the last record is \(lastSequence)."
        case .checkpointMismatch(let sequence):
            "Audit records up to \(sequence) were rewritten: the chain's hash at \(sequence) differs from the signed checkpoint."
        case .forgedCheckpoint(let sequence):
            "The checkpoint for audit record \(sequence) has an invalid signature: it was forged or altered."
        }
    }

    public var japanese: String {
        switch self {
        case .edited(let sequence):
            "監査ログ No.\(sequence) が改ざんされています（内容が保存されたハッシュと一致しません）。"
        case .rewritten(let sequence):
            "監査ログ No.\(sequence) が改ざんされ、ハッシュも再計算されています（No.\(sequence + 1) が元のハッシュを保持しています）。"
        case .deleted(let from, let through) where from == through:
            "監査ログ No.\(from) が削除されています（連番が No.\(from - 1) から No.\(through + 1) に飛んでいます）。"
        case .deleted(let from, let through):
            "監査ログ No.\(from)〜No.\(through) が削除されています（連番が No.\(from - 1) から No.\(through + 1) に飛んでいます）。"
        case .inserted(let sequence):
            "監査ログ No.\(sequence) の位置にレコードが挿入されています（連番の重複、または次のレコードがこのレコードを飛ばしてつながっています）。"
        case .reordered(let sequence, let expectedSequence):
            "監査ログの順序が入れ替えられています（No.\(expectedSequence) の位置に No.\(sequence) があります）。"
        case .unlinked(let sequence):
            "監査ログ No.\(sequence) がチェーンの起点とつながっていません（直前ハッシュが起点のハッシュではありません）。"
        case .truncated(let checkpointSequence, let lastSequence):
            "監査ログの末尾が削除されています（署名済みチェックポイントは No.\(checkpointSequence) を含みますが、最後のレコードは No.\(lastSequence) です）。"
        case .checkpointMismatch(let sequence):
            "監査ログ No.\(sequence) までが書き換えられています（No.\(sequence) のハッシュが署名済みチェックポイントと一致しません）。"
        case .forgedCheckpoint(let sequence):
            "監査ログ No.\(sequence) のチェックポイントの署名が無効です（偽造または改ざんされています）。"
        }
    }
}
