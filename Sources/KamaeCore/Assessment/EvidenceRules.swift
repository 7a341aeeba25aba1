import Foundation

/// What an evidence file may be: a few document and image types, recognised by their first bytes (not by
/// the name the uploader chose), at most 10 MB, with a plain file name.
public enum EvidenceRules {
    public static let maximumSize = 10 * 1024 * 1024

    public enum FileType: String, Sendable, CaseIterable {
        case pdf, png, jpeg, officeOpenXML, text

        public var mediaType: String {
            switch self {
            case .pdf: "application/pdf"
            case .png: "image/png"
            case .jpeg: "image/jpeg"
            case .officeOpenXML: "application/octet-stream"
            case .text: "text/plain; charset=utf-8"
            }
        }
    }

    public enum Refusal: Error, Sendable, Equatable {
        case empty
        case tooLarge(Int)
        case unsupportedType
        case badName

        public var message: LocalizedText {
            switch self {
            case .empty: LocalizedText(ja: "ファイルが空です。", en: "The file is empty.")
            case let .tooLarge(size):
                LocalizedText(ja: "ファイルが大きすぎます（\(size / 1024 / 1024) MB）。10 MB までです。", en: "The file is too large (\(size / 1024 / 1024) MB); the limit is 10 MB.")
            case .unsupportedType:
                LocalizedText(ja: "PDF、PNG、JPEG、Office 文書（xlsx/docx/pptx）、テキスト（txt/csv）のみ添付できます。", en: "Only PDF, PNG, JPEG, Office documents (xlsx/docx/pptx) and text (txt/csv) can be attached.")
            case .badName: LocalizedText(ja: "ファイル名が正しくありません。", en: "The file name is not acceptable.")
            }
        }
    }

    /// The type of the content, judged from its bytes and checked against the name's extension.
    public static func check(name: String, bytes: [UInt8]) -> Result<FileType, Refusal> {
        guard !bytes.isEmpty else { return .failure(.empty) }
        guard bytes.count <= maximumSize else { return .failure(.tooLarge(bytes.count)) }
        let ext = name.split(separator: ".").last.map { $0.lowercased() } ?? ""
        let type: FileType?
        if bytes.starts(with: Array("%PDF-".utf8)) {
            type = ext == "pdf" ? .pdf : nil
        } else if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            type = ext == "png" ? .png : nil
        } else if bytes.starts(with: [0xFF, 0xD8, 0xFF]) {
            type = ["jpg", "jpeg"].contains(ext) ? .jpeg : nil
        } else if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            type = ["xlsx", "docx", "pptx"].contains(ext) ? .officeOpenXML : nil
        } else if ["txt", "csv"].contains(ext), String(validating: bytes, as: UTF8.self) != nil, !bytes.contains(0) {
            type = .text
        } else {
            type = nil
        }
        return type.map { .success($0) } ?? .failure(.unsupportedType)
    }

    /// The last path component with control characters and separators removed; nil when nothing usable is left.
    public static func safeName(_ name: String) -> String? {
        let base = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let cleaned = String(base.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F && $0 != "\"" }.map(Character.init))
            .trimmingCharacters(in: .whitespaces)
        guard !cleaned.isEmpty, cleaned != ".", cleaned != "..", !cleaned.hasPrefix(".") else { return nil }
        return String(cleaned.prefix(200))
    }
}
