import Crypto
import Foundation

/// Streams a backup (`BackupFormat`) to a byte sink, table by table and row by row, so that a database of any size
/// is written without holding it in memory.
///
/// Call `beginTable` for every manifest table in the manifest's order (empty ones too), `writeRow` for each of its
/// rows, then `finish`, which writes the trailer. Nothing after an error is meaningful: discard the output.
public final class BackupWriter {
    /// Bytes are handed to the sink in chunks of about this size.
    private static let chunkBytes = 1 << 20

    private let sink: (Data) throws -> Void
    private let manifest: BackupManifest
    private var checksum = SHA256()
    private var pending: [UInt8] = []
    private var linesWritten = 0
    private var tableIndex = -1
    private var columnCount = 0
    private var rowCounts: [Int] = []
    private var isFinished = false

    /// Writes the magic and the manifest lines.
    public init(manifest: BackupManifest, sink: @escaping (Data) throws -> Void) throws {
        self.manifest = manifest
        self.sink = sink
        guard manifest.isWellFormed else { throw BackupError(.malformedManifest, line: 2) }
        try writeLine(Array(BackupFormat.magic.utf8))
        try writeLine(BackupFormat.manifestLine(manifest))
    }

    public convenience init(manifest: BackupManifest, fileHandle: FileHandle) throws {
        try self.init(manifest: manifest) { try fileHandle.write(contentsOf: $0) }
    }

    public func beginTable(_ name: String, columns: [String]) throws {
        precondition(!isFinished, "BackupWriter used after finish()")
        let nextIndex = tableIndex + 1
        guard let position = manifest.tables.firstIndex(of: name) else {
            throw BackupError(.unknownTable(name), line: linesWritten + 1)
        }
        guard position == nextIndex else {
            let expected = nextIndex < manifest.tables.count ? manifest.tables[nextIndex] : "—"
            throw BackupError(.tableOutOfOrder(expected: expected, found: name), line: linesWritten + 1)
        }
        guard Set(columns).count == columns.count, !columns.isEmpty else {
            throw BackupError(.malformedTableHeader, line: linesWritten + 1)
        }
        tableIndex = nextIndex
        columnCount = columns.count
        rowCounts.append(0)
        try writeLine(BackupFormat.tableHeaderLine(name: name, columns: columns))
    }

    public func writeRow(_ row: [BackupValue]) throws {
        precondition(!isFinished, "BackupWriter used after finish()")
        guard tableIndex >= 0 else { throw BackupError(.rowOutsideTable, line: linesWritten + 1) }
        guard row.count == columnCount else {
            throw BackupError(
                .columnMismatch(table: manifest.tables[tableIndex], expected: columnCount, found: row.count),
                line: linesWritten + 1)
        }
        var line: [UInt8] = [UInt8(ascii: "[")]
        for (index, value) in row.enumerated() {
            if index > 0 { line.append(UInt8(ascii: ",")) }
            guard value.appendJSON(to: &line) else { throw BackupError(.unrepresentableDate, line: linesWritten + 1) }
        }
        line.append(UInt8(ascii: "]"))
        rowCounts[tableIndex] += 1
        try writeLine(line)
    }

    /// Writes the trailer (row counts and the checksum of everything before it) and hands over the last bytes.
    public func finish() throws {
        precondition(!isFinished, "BackupWriter.finish() called twice")
        if tableIndex + 1 < manifest.tables.count {
            throw BackupError(.missingTable(manifest.tables[tableIndex + 1]), line: linesWritten + 1)
        }
        isFinished = true
        let digest = HexText.encode(checksum.finalize())
        pending.append(contentsOf: BackupFormat.trailerLine(tables: manifest.tables, rowCounts: rowCounts, sha256: digest))
        pending.append(0x0A)
        try flush()
    }

    /// Every line before the trailer goes through the checksum.
    private func writeLine(_ line: [UInt8]) throws {
        let start = pending.count
        pending.append(contentsOf: line)
        pending.append(0x0A)
        checksum.update(data: pending[start...])
        linesWritten += 1
        if pending.count >= Self.chunkBytes { try flush() }
    }

    private func flush() throws {
        guard !pending.isEmpty else { return }
        try sink(Data(pending))
        pending.removeAll(keepingCapacity: true)
    }
}
