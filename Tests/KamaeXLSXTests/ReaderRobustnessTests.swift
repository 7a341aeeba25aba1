import Foundation
import Testing
@testable import KamaeXLSX

/// Damaged, hostile or wrong files give clear errors and never crash.
@Suite("Reader: damaged, hostile and wrong files")
struct ReaderRobustnessTests {
    @Test("not a ZIP archive: empty, text, CSV, HTML, XML, an old .xls or a password-protected workbook")
    func notZip() {
        #expect(Support.readError(Data()) == .notZip("the file is empty"))
        for text in ["ID,状況\n1,実施済\n", "<!DOCTYPE html><html></html>", "<?xml version=\"1.0\"?><Workbook/>", "PK"] {
            guard case .notZip? = Support.readError(Data(text.utf8)) else {
                Issue.record("\(text) should be refused as not a ZIP archive")
                continue
            }
        }
        let ole = Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 512))
        let error = Support.readError(ole)
        #expect(error == .encryptedOrLegacyWorkbook)
        #expect(error?.description.contains("password") == true)
    }

    @Test("a ZIP archive that is no workbook says what it looks like")
    func notWorkbook() throws {
        let word = try Support.zip([("word/document.xml", "<document/>"), ("[Content_Types].xml", "<Types/>")])
        #expect(Support.readError(word) == .notWorkbook("it looks like a Word document"))
        let ods = try Support.zip([("mimetype", "application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", "<x/>")])
        #expect(Support.readError(ods) == .notWorkbook("it looks like an OpenDocument file (.ods); save it as .xlsx"))
        let other = try Support.zip([("readme.txt", "hello")])
        #expect(Support.readError(other) == .notWorkbook("it has no workbook part xl/workbook.xml (it contains readme.txt)"))
        let empty = try Support.zip([])
        #expect(Support.readError(empty) == .notWorkbook("the archive is empty"))
    }

    @Test("missing and broken parts are named")
    func brokenParts() throws {
        let valid = try XLSXWriter().write(Support.assessmentWorkbook())
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        // A sheet whose part is missing.
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        let missing = try Support.zip([
            ("xl/workbook.xml", #"<workbook xmlns="\#(main)" xmlns:r="\#(rel)"><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
            ("xl/_rels/workbook.xml.rels", #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="\#(rel)/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#),
        ])
        #expect(Support.readError(missing) == .missingPart("xl/worksheets/sheet1.xml"))
        let dangling = try Support.zip([
            ("xl/workbook.xml", #"<workbook xmlns="\#(main)" xmlns:r="\#(rel)"><sheets><sheet name="A" sheetId="1" r:id="rId9"/></sheets></workbook>"#),
        ])
        #expect(Support.readError(dangling) == .invalidPart(part: "xl/workbook.xml", reason: "sheet \"A\" refers to relationship rId9, which does not exist"))
        // Malformed XML names the part, line and column.
        let malformed = try Support.package(sheets: [("回答", #"<row r="1"><c r="A1"><v>1</v></row>"#)])
        guard case .malformedXML(part: "xl/worksheets/sheet1.xml", let line, let column, _)? = Support.readError(malformed) else {
            Issue.record("malformed XML should be reported with its part")
            return
        }
        #expect(line >= 1 && column >= 1)
        #expect(try XLSXReader().read(valid).sheets.count == 3)
    }

    @Test("impossible cells name the sheet and the cell", arguments: [
        (#"<row r="12"><c r="F12" t="s"><v>7</v></c></row>"#, "F12", "shared string 7"),
        (#"<row r="12"><c r="F12"><v>abc</v></c></row>"#, "F12", "\"abc\" is not a number"),
        (#"<row r="12"><c r="F12" t="b"><v>yes</v></c></row>"#, "F12", "not a boolean"),
        (#"<row r="12"><c r="F12" t="d"><v>31/03/2026</v></c></row>"#, "F12", "not an ISO 8601 date"),
        (#"<row r="12"><c r="F12" t="x"><v>1</v></c></row>"#, "F12", "unknown cell type"),
        (#"<row r="12"><c r="F13"><v>1</v></c></row>"#, "F13", "inside row 12"),
        (#"<row r="12"><c r="F12!"><v>1</v></c></row>"#, "F12!", "not a valid cell reference"),
        (#"<row r="12"><c r="F12"><v>1</v></c><c r="F12"><v>2</v></c></row>"#, "F12", "stored twice"),
        (#"<row r="12"><c r="F12" t="s"><v>x</v></c></row>"#, "F12", "not a number"),
    ])
    func invalidCells(xml: String, cell: String, reason: String) throws {
        let data = try Support.package(sheets: [("回答", xml)], sharedStrings: "<si><t>only</t></si>")
        let error = Support.readError(data)
        guard case .invalidCell(sheet: "回答", cell: cell, let actual)? = error else {
            Issue.record("expected an invalid cell \(cell), got \(String(describing: error))")
            return
        }
        #expect(actual.contains(reason), "\(actual)")
        #expect(error?.description.hasPrefix("Sheet 回答, cell \(cell): ") == true)
    }

    @Test("impossible rows name the sheet")
    func invalidRows() throws {
        for xml in [#"<row r="0"/>"#, #"<row r="1048577"/>"#, #"<row r="x"/>"#] {
            let error = Support.readError(try Support.package(sheets: [("回答", xml)]))
            guard case .invalidSheet(sheet: "回答", _)? = error else {
                Issue.record("\(xml) should be refused, got \(String(describing: error))")
                continue
            }
        }
    }

    @Test("DTDs and entity declarations are refused (billion laughs)")
    func xmlBomb() throws {
        var doctype = #"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">"#
        for level in 1...9 {
            doctype += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1 == 0 ? "" : String(level - 1));", count: 10) + "\">"
        }
        doctype += #"]><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row><c t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>"#
        let data = try Support.package(sheets: [("S", doctype)])
        #expect(Support.readError(data) == .forbiddenXML(part: "xl/worksheets/sheet1.xml"))
        let external = try Support.package(sheets: [("S", #"<?xml version="1.0"?><!DOCTYPE x SYSTEM "file:///etc/passwd"><worksheet/>"#)])
        #expect(Support.readError(external) == .forbiddenXML(part: "xl/worksheets/sheet1.xml"))
    }

    @Test("a ZIP bomb: a part inflating beyond the limit is refused without inflating it all")
    func zipBomb() throws {
        // 60 MB of a repeated row compresses to a few dozen kilobytes.
        let row = #"<row><c t="inlineStr"><is><t>AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA</t></is></c></row>"#
        let body = String(repeating: row, count: 60_000_000 / row.utf8.count)
        let data = try Support.package(sheets: [("S", body)])
        #expect(data.count < 1_000_000)
        let clock = ContinuousClock()
        let start = clock.now
        #expect(Support.readError(data) == .tooLarge(part: "xl/worksheets/sheet1.xml", limit: 50_000_000))
        #expect(clock.now - start < .seconds(5))
        // A lower limit applies the same way, and a declared size that lies is caught while inflating.
        let small = XLSXReader.Limits(maxPartSize: 1_000_000)
        #expect(Support.readError(data, limits: small) == .tooLarge(part: "xl/worksheets/sheet1.xml", limit: 1_000_000))
        var lying = data
        try patchDeclaredSize(of: "xl/worksheets/sheet1.xml", in: &lying, to: 1000)
        #expect(Support.readError(lying) == .corruptArchive(part: "xl/worksheets/sheet1.xml", reason: "it inflates to more bytes than declared"))
    }

    @Test("too many cells, also through padding to a far-away cell")
    func cellLimit() throws {
        let limits = XLSXReader.Limits(maxCells: 1000)
        let many = try Support.package(sheets: [("回答", String(repeating: "<row><c><v>1</v></c><c><v>2</v></c></row>", count: 600))])
        #expect(Support.readError(many, limits: limits) == .tooManyCells(sheet: "回答", limit: 1000))
        let far = try Support.package(sheets: [("回答", #"<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#)])
        #expect(Support.readError(far) == .tooManyCells(sheet: "回答", limit: 1_000_000))
        #expect(Support.readError(many) == nil)
    }

    @Test("the file size limit and the total uncompressed size limit")
    func sizeLimits() throws {
        let data = try XLSXWriter().write(Support.assessmentWorkbook(rows: 50))
        #expect(Support.readError(data, limits: .init(maxFileSize: 100)) == .tooLarge(part: nil, limit: 100))
        #expect(Support.readError(data, limits: .init(maxTotalSize: 5_000)) == .tooLarge(part: nil, limit: 5_000))
    }

    @Test("every truncation of a valid file throws")
    func truncations() throws {
        let data = try XLSXWriter().write(Support.assessmentWorkbook(rows: 5))
        for length in stride(from: 0, to: data.count, by: 1) {
            let error = Support.readError(data.prefix(length))
            #expect(error != nil, "a file cut to \(length) of \(data.count) bytes was read")
        }
    }

    @Test("random byte changes never crash; damaged data is caught by the checksums", arguments: [1, 2, 3, 4])
    func byteFlips(seed: Int) throws {
        let data = try XLSXWriter().write(Support.assessmentWorkbook(rows: 5))
        var generator = SeededGenerator(seed: UInt64(seed))
        var failures = 0
        let rounds = 500
        for _ in 0..<rounds {
            var damaged = data
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let index = Int.random(in: 0..<damaged.count, using: &generator)
                damaged[index] ^= UInt8.random(in: 1...255, using: &generator)
            }
            if let error = Support.readError(damaged) {
                failures += 1
                #expect(!error.description.isEmpty)
            }
        }
        // Changes to fields nobody reads (timestamps, version numbers) leave a readable file; most changes do not.
        #expect(failures > rounds / 2)
    }

    @Test("random garbage, random slices and ZIP headers followed by garbage never crash")
    func garbage() throws {
        let valid = try XLSXWriter().write(Support.assessmentWorkbook(rows: 2))
        var generator = SeededGenerator(seed: 99)
        for round in 0..<300 {
            var bytes: [UInt8]
            switch round % 3 {
            case 0:
                bytes = (0..<Int.random(in: 0...600, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                bytes.replaceSubrange(0..<min(4, bytes.count), with: [0x50, 0x4B, 0x03, 0x04].prefix(bytes.count))
            case 1:
                let start = Int.random(in: 0..<valid.count, using: &generator)
                let end = Int.random(in: start...valid.count, using: &generator)
                bytes = [0x50, 0x4B, 0x03, 0x04] + Array(valid[start..<end])
            default:
                // Keep the archive, shuffle a region of the central directory.
                bytes = Array(valid)
                let region = max(0, bytes.count - 400)..<bytes.count
                for _ in 0..<8 {
                    let a = Int.random(in: region, using: &generator), b = Int.random(in: region, using: &generator)
                    bytes.swapAt(a, b)
                }
            }
            _ = Support.readError(Data(bytes))
        }
    }

    @Test("encrypted entries and unknown compression methods are named")
    func unsupportedZip() throws {
        let data = try XLSXWriter().write(Support.assessmentWorkbook(rows: 1))
        var encrypted = data
        try patchCentralField(of: "xl/workbook.xml", in: &encrypted, offset: 8, value: 0x0001, width: 2)
        #expect(Support.readError(encrypted) == .unsupportedArchive(part: "xl/workbook.xml", reason: "it is encrypted"))
        var lzma = data
        try patchCentralField(of: "xl/workbook.xml", in: &lzma, offset: 10, value: 14, width: 2)
        guard case .unsupportedArchive(part: "xl/workbook.xml", let reason)? = Support.readError(lzma) else {
            Issue.record("an unknown compression method should be named")
            return
        }
        #expect(reason.contains("method 14"))
    }

    @Test("error descriptions read as sentences that name the place")
    func descriptions() {
        let samples: [XLSXReadError] = [
            .invalidCell(sheet: "回答", cell: "F12", reason: "\"maybe\" is not a boolean (expected 1 or 0)"),
            .corruptArchive(part: "xl/worksheets/sheet1.xml", reason: "its checksum does not match (the data is damaged)"),
            .tooLarge(part: "xl/sharedStrings.xml", limit: 50_000_000),
            .malformedXML(part: "xl/workbook.xml", line: 2, column: 7, reason: "an element is not closed properly"),
        ]
        #expect(samples[0].description == "Sheet 回答, cell F12: \"maybe\" is not a boolean (expected 1 or 0).")
        #expect(samples[1].description.contains("xl/worksheets/sheet1.xml"))
        #expect(samples[2].description.contains("50000000 bytes"))
        #expect(samples[3].description.contains("line 2, column 7"))
        #expect((samples[0] as any Error).localizedDescription == samples[0].description)
        #expect((XLSXWriteError.noSheets as any Error).localizedDescription == XLSXWriteError.noSheets.description)
    }

    // MARK: - Patching ZIP fields

    /// Changes a field of an entry's central directory header.
    private func patchCentralField(of path: String, in data: inout Data, offset: Int, value: Int, width: Int) throws {
        let name = Array(path.utf8)
        let bytes = Array(data)
        var position = 0
        while position + 46 + name.count <= bytes.count {
            if bytes[position] == 0x50, bytes[position + 1] == 0x4B, bytes[position + 2] == 1, bytes[position + 3] == 2,
               Array(bytes[(position + 46)..<(position + 46 + name.count)]) == name {
                for byte in 0..<width { data[position + offset + byte] = UInt8((value >> (8 * byte)) & 0xFF) }
                return
            }
            position += 1
        }
        throw Support.SupportError("no central directory entry for \(path)")
    }

    private func patchDeclaredSize(of path: String, in data: inout Data, to size: Int) throws {
        try patchCentralField(of: path, in: &data, offset: 24, value: size, width: 4)
    }
}
