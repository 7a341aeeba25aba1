import Foundation

/// The field framing shared by the audit record and checkpoint encodings: each field is a presence byte
/// (0x00 absent, 0x01 present), then, when present, a 4-byte unsigned big-endian length and the value bytes.
/// Framing every field this way makes the encoding unambiguous: no choice of values can make two different
/// records produce the same bytes, and an absent value differs from an empty one.
///
/// It appends to a caller's buffer so that the verifier can reuse one buffer for millions of records.
struct CanonicalFields {
    var bytes: [UInt8]

    /// Starts a new encoding in `buffer` (its contents are dropped, its capacity kept) with the format tag field.
    init(formatTag: String, buffer: [UInt8] = []) {
        bytes = buffer
        bytes.removeAll(keepingCapacity: true)
        append(formatTag)
    }

    mutating func append(_ string: String?) {
        guard var contiguous = string else { return appendAbsent() }
        // Native Swift strings are contiguous UTF-8, so this reads their bytes without copying.
        contiguous.withUTF8 { appendPresent($0) }
    }

    mutating func append(_ value: Int64) {
        let bigEndian = UInt64(bitPattern: value).bigEndian
        withUnsafeBytes(of: bigEndian) { appendPresent($0) }
    }

    /// A UUID as its 16 bytes in RFC 9562 order, the order of its text form (`UUID.uuid` holds them so).
    mutating func append(_ uuid: UUID?) {
        guard let uuid else { return appendAbsent() }
        withUnsafeBytes(of: uuid.uuid) { appendPresent($0) }
    }

    mutating func append(_ hash: AuditHash) {
        appendPresent(hash.bytes)
    }

    private mutating func appendAbsent() {
        bytes.append(0x00)
    }

    private mutating func appendPresent(_ value: some Collection<UInt8>) {
        precondition(value.count <= Int(UInt32.max), "an audit field longer than 4 GiB cannot be framed")
        bytes.append(0x01)
        let length = UInt32(value.count).bigEndian
        withUnsafeBytes(of: length) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: value)
    }
}
