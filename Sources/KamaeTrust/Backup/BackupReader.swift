import Crypto
import Foundation

/// Reads a backup in two passes, so that a damaged file is refused before anything is restored:
/// `verify()` reads the whole file once and checks every line, the row counts and the checksum; only the
/// `VerifiedBackup` it returns can yield the tables and rows, in a second pass.
///
/// The second pass checks everything again and throws at its end if the file changed in between, so restore
/// inside one database transaction and roll back on any error.
public struct BackupReader: Sendable {
    private let source: BackupSource

    public init(fileURL: URL) {
        source = .file(fileURL)
    }

    public init(data: Data) {
        source = .data(data)
    }

    /// The first pass: throws the first `BackupError` (with its line) or returns what the file holds.
    public func verify() throws -> VerifiedBackup {
        var lines = try LineSplitter(source)
        var parser = BackupParser(verifiedTables: nil)
        while let line = try lines.next() {
            _ = try parser.consume(line)
        }
        try parser.finish(lineCount: lines.lineNumber)
        return VerifiedBackup(source: source, manifest: try parser.requireManifest(), tables: parser.tablesSoFar)
    }
}

/// A backup that passed the first pass.
public struct VerifiedBackup: Sendable {
    fileprivate let source: BackupSource
    public let manifest: BackupManifest
    /// Every table section with its columns and row count, in file order: enough to compare with the live schema
    /// before restoring anything.
    public let tables: [BackupTable]

    /// The second pass: tables and rows in file order.
    public func events() throws -> BackupEvents {
        BackupEvents(lines: try LineSplitter(source), parser: BackupParser(verifiedTables: tables))
    }
}

/// Yields a verified backup's tables and rows one at a time, reading the file as it goes.
public struct BackupEvents {
    private var lines: LineSplitter
    private var parser: BackupParser

    fileprivate init(lines: LineSplitter, parser: BackupParser) {
        self.lines = lines
        self.parser = parser
    }

    /// The next table or row; nil after the trailer was checked again.
    public mutating func next() throws -> BackupEvent? {
        while let line = try lines.next() {
            if let event = try parser.consume(line) { return event }
        }
        try parser.finish(lineCount: lines.lineNumber)
        return nil
    }
}

enum BackupSource: Sendable {
    case file(URL)
    case data(Data)
}

/// One line of the file without its LF; `isTerminated` is false for bytes after the last LF.
struct BackupLine {
    let bytes: [UInt8]
    let number: Int
    let isTerminated: Bool
}

/// Splits a file or data into lines, reading a chunk at a time, holding at most one line plus one chunk.
struct LineSplitter {
    private static let chunkBytes = 1 << 20

    private let file: FileHandle?
    private let maximumLineBytes: Int
    private var remainingData: Data
    private var buffer: [UInt8] = []
    private var lineStart = 0
    private var scanned = 0
    private var reachedEnd = false
    private(set) var lineNumber = 0

    init(_ source: BackupSource, maximumLineBytes: Int = BackupFormat.maximumLineBytes) throws {
        self.maximumLineBytes = maximumLineBytes
        switch source {
        case .file(let url):
            file = try FileHandle(forReadingFrom: url)
            remainingData = Data()
        case .data(let data):
            file = nil
            remainingData = data
        }
    }

    mutating func next() throws -> BackupLine? {
        while true {
            if let newline = buffer[scanned...].firstIndex(of: 0x0A), newline - lineStart <= maximumLineBytes {
                return takeLine(upTo: newline, isTerminated: true)
            }
            scanned = buffer.count
            // Line 1 can only be the magic: a file of another kind is refused at once, not after 256 MiB.
            if lineNumber == 0, buffer.count > BackupFormat.magic.utf8.count {
                throw BackupError(.badMagic, line: 1)
            }
            if buffer.count - lineStart > maximumLineBytes {
                throw BackupError(.lineTooLong, line: lineNumber + 1)
            }
            if reachedEnd {
                return lineStart < buffer.count ? takeLine(upTo: buffer.count, isTerminated: false) : nil
            }
            guard let chunk = try readChunk() else {
                reachedEnd = true
                try file?.close()
                continue
            }
            buffer.removeFirst(lineStart)
            scanned -= lineStart
            lineStart = 0
            buffer.append(contentsOf: chunk)
        }
    }

    private mutating func takeLine(upTo end: Int, isTerminated: Bool) -> BackupLine {
        lineNumber += 1
        let line = BackupLine(bytes: Array(buffer[lineStart..<end]), number: lineNumber, isTerminated: isTerminated)
        lineStart = isTerminated ? end + 1 : end
        scanned = lineStart
        return line
    }

    private mutating func readChunk() throws -> Data? {
        if let file {
            guard let chunk = try file.read(upToCount: Self.chunkBytes), !chunk.isEmpty else { return nil }
            return chunk
        }
        guard !remainingData.isEmpty else { return nil }
        let chunk = remainingData.prefix(Self.chunkBytes)
        remainingData = remainingData.dropFirst(chunk.count)
        return chunk
    }
}

/// Checks the lines of a backup in order and turns them into events; the same rules for both passes.
struct BackupParser {
    private enum Stage {
        case magic, manifest, body, end
    }

    private struct ManifestLine: Decodable {
        let createdAt: String
        let kamaeVersion: String
        let schemaMigrations: [String]
        let tables: [String]
    }

    /// A table header or the trailer: which one depends on the keys present.
    private struct ControlLine: Decodable {
        let table: String?
        let columns: [String]?
        let rowCounts: [String: Int]?
        let sha256: String?
    }

    private let verifiedTables: [BackupTable]?
    private let decoder = JSONDecoder()
    private var stage = Stage.magic
    private var checksum = SHA256()
    private var manifest: BackupManifest?
    private(set) var tablesSoFar: [BackupTable] = []

    /// `verifiedTables` are the first pass's findings, which give the second pass's table events their row counts.
    init(verifiedTables: [BackupTable]?) {
        self.verifiedTables = verifiedTables
    }

    mutating func consume(_ line: BackupLine) throws -> BackupEvent? {
        if stage == .end { throw BackupError(.trailingGarbage, line: line.number) }
        guard line.isTerminated else { throw BackupError(.truncated, line: line.number) }
        switch stage {
        case .magic:
            guard line.bytes.elementsEqual(BackupFormat.magic.utf8) else { throw BackupError(.badMagic, line: line.number) }
            stage = .manifest
        case .manifest:
            manifest = try decodeManifest(line)
            stage = .body
        case .body:
            switch line.bytes.first {
            case UInt8(ascii: "["): return try row(line)
            case UInt8(ascii: "{"): return try control(line)
            default: throw BackupError(.malformedRow, line: line.number)
            }
        case .end:
            break
        }
        absorb(line)
        return nil
    }

    /// Adds a line before the trailer to the checksum, with its LF.
    private mutating func absorb(_ line: BackupLine) {
        checksum.update(data: line.bytes)
        checksum.update(data: [0x0A])
    }

    func finish(lineCount: Int) throws {
        guard stage == .end else { throw BackupError(.truncated, line: lineCount + 1) }
    }

    func requireManifest() throws -> BackupManifest {
        guard let manifest else { throw BackupError(.truncated, line: 2) }
        return manifest
    }

    private func decodeManifest(_ line: BackupLine) throws -> BackupManifest {
        guard let decoded = try? decoder.decode(ManifestLine.self, from: Data(line.bytes)),
            let ticks = UTCTimestamp.parseTicks(decoded.createdAt, fractionDigits: 6)
        else { throw BackupError(.malformedManifest, line: line.number) }
        let manifest = BackupManifest(
            createdAt: UTCTimestamp.date(ticks: ticks, fractionDigits: 6), kamaeVersion: decoded.kamaeVersion,
            schemaMigrations: decoded.schemaMigrations, tables: decoded.tables)
        guard manifest.isWellFormed else { throw BackupError(.malformedManifest, line: line.number) }
        return manifest
    }

    private mutating func row(_ line: BackupLine) throws -> BackupEvent {
        guard let table = tablesSoFar.last else { throw BackupError(.rowOutsideTable, line: line.number) }
        guard let cells = try? decoder.decode([DecodedCell].self, from: Data(line.bytes)) else {
            throw BackupError(.malformedRow, line: line.number)
        }
        guard cells.count == table.columns.count else {
            throw BackupError(
                .columnMismatch(table: table.name, expected: table.columns.count, found: cells.count), line: line.number)
        }
        tablesSoFar[tablesSoFar.count - 1] = BackupTable(
            name: table.name, columns: table.columns, rowCount: table.rowCount + 1)
        absorb(line)
        return .row(cells.map(\.value))
    }

    private mutating func control(_ line: BackupLine) throws -> BackupEvent? {
        let decoded = try? decoder.decode(ControlLine.self, from: Data(line.bytes))
        let isTrailer = decoded.map { $0.sha256 != nil || $0.rowCounts != nil }
            ?? line.bytes.starts(with: Array("{\"rowCounts\"".utf8))
        if isTrailer {
            try trailer(line, decoded: decoded)
            return nil
        }
        guard let decoded, let name = decoded.table, let columns = decoded.columns, !columns.isEmpty,
            Set(columns).count == columns.count
        else { throw BackupError(.malformedTableHeader, line: line.number) }
        let tables = manifest?.tables ?? []
        let nextIndex = tablesSoFar.count
        guard tables.contains(name) else { throw BackupError(.unknownTable(name), line: line.number) }
        guard nextIndex < tables.count, tables[nextIndex] == name else {
            let expected = nextIndex < tables.count ? tables[nextIndex] : "—"
            throw BackupError(.tableOutOfOrder(expected: expected, found: name), line: line.number)
        }
        tablesSoFar.append(BackupTable(name: name, columns: columns, rowCount: 0))
        absorb(line)
        let rowCount = verifiedTables.map { $0[nextIndex].rowCount } ?? 0
        return .table(BackupTable(name: name, columns: columns, rowCount: rowCount))
    }

    /// The trailer must be byte for byte the line the writer would have written for what was read; when it is not,
    /// the error says which part differs.
    private mutating func trailer(_ line: BackupLine, decoded: ControlLine?) throws {
        let tables = manifest?.tables ?? []
        if tablesSoFar.count < tables.count {
            throw BackupError(.missingTable(tables[tablesSoFar.count]), line: line.number)
        }
        let digest = HexText.encode(checksum.finalize())
        let counts = tablesSoFar.map(\.rowCount)
        let expected = BackupFormat.trailerLine(tables: tables, rowCounts: counts, sha256: digest)
        guard line.bytes != expected else {
            stage = .end
            return
        }
        guard let decoded, let declaredDigest = decoded.sha256, let declaredCounts = decoded.rowCounts else {
            throw BackupError(.malformedTrailer, line: line.number)
        }
        if declaredDigest != digest { throw BackupError(.checksumMismatch, line: line.number) }
        for table in tablesSoFar where declaredCounts[table.name] != table.rowCount {
            throw BackupError(
                .rowCountMismatch(table: table.name, declared: declaredCounts[table.name] ?? 0, actual: table.rowCount),
                line: line.number)
        }
        throw BackupError(.malformedTrailer, line: line.number)
    }
}
