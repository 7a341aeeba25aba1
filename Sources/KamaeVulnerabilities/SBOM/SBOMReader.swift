import Foundation

/// Reads an SBOM file, recognising CycloneDX JSON, CycloneDX XML and SPDX JSON by content rather than by name.
public enum SBOMReader {
    public static func read(contentsOf url: URL) throws(IngestError) -> SBOM {
        try read(Data(FileSystem.read(url.path)), file: url.path)
    }

    /// `file` names the source in errors.
    public static func read(_ data: Data, file: String) throws(IngestError) -> SBOM {
        guard let first = data.first(where: { !$0.isJSONWhitespace && $0 != 0xEF && $0 != 0xBB && $0 != 0xBF }) else {
            throw .unsupportedFormat(file: file, reason: "the file is empty")
        }
        switch first {
        case UInt8(ascii: "<"):
            return try CycloneDXXMLReader.read(data, file: file)
        case UInt8(ascii: "{"):
            if let cycloneDX = try CycloneDXJSONReader.read(data, file: file) { return cycloneDX }
            return try JSONDocument.decode(SPDXJSONDocument.self, from: data, file: file).sbom()
        default:
            throw .unsupportedFormat(file: file, reason: "expected CycloneDX (JSON or XML) or SPDX JSON")
        }
    }
}

extension UInt8 {
    var isJSONWhitespace: Bool {
        self == UInt8(ascii: " ") || self == UInt8(ascii: "\n") || self == UInt8(ascii: "\r") || self == UInt8(ascii: "\t")
    }
}
