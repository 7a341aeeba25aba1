/// The `details` of an audit record: a flat JSON object of strings in one canonical spelling, so that the same
/// facts always give the same bytes and so the same hash.
public enum AuditDetails {
    /// A JSON object with keys sorted by their UTF-8 bytes, no whitespace, and only the escapes RFC 8259 requires
    /// (`\"`, `\\`, `\n`, `\r`, `\t`, `\u00XX` for other control characters); all other text stays as UTF-8.
    ///
    /// Example: `["b": "2", "a": "改"]` gives `{"a":"改","b":"2"}`.
    public static func canonicalJSON(_ fields: [String: String]) -> String {
        let sorted = fields.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        for (index, field) in sorted.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            JSONText.appendString(field.key, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            JSONText.appendString(field.value, to: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }
}
