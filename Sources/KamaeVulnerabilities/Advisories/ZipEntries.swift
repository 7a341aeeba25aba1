import Foundation
import ZIPFoundation

/// Reads the entries of a zip archive (incl. ZIP64, which bulk exports with more than 65,535 entries need) from its
/// central directory, and inflates them with ZIPFoundation's zlib binding. Entries are read in large sequential
/// windows, so a worker makes a few dozen reads for a whole share of the archive instead of several per entry;
/// with ZIPFoundation's `Archive` iteration a 200,000-entry archive took about four times as long.
struct ZipEntries: Sendable {
    struct Entry: Sendable {
        let name: String
        let method: UInt16
        let crc32: UInt32
        let compressedSize: Int
        let uncompressedSize: Int
        let localHeaderOffset: Int
        let isEncrypted: Bool
    }

    /// Entries larger than this are refused rather than inflated: an advisory is kilobytes, not gigabytes.
    static let maximumEntrySize = 64 * 1_048_576

    let file: FileSystem.ReadOnlyFile
    /// In central-directory order.
    let entries: [Entry]

    init(path: String) throws(IngestError) {
        file = try FileSystem.ReadOnlyFile(path)
        entries = try Self.centralDirectory(of: file)
    }

    // MARK: Central directory

    private static func centralDirectory(of file: FileSystem.ReadOnlyFile) throws(IngestError) -> [Entry] {
        let path = file.path
        // The end-of-central-directory record is the last 22 bytes plus a comment of at most 65,535 bytes.
        let tailStart = max(0, file.size - 22 - 65535)
        let tail = try file.read(tailStart..<file.size)
        guard tail.count >= 22, let end = stride(from: tail.count - 22, through: 0, by: -1).first(where: {
            tail.uint32(at: $0) == 0x0605_4B50
        }) else {
            throw .malformed(file: path, location: "end of archive", reason: "no zip end-of-central-directory record")
        }
        var count = Int(tail.uint16(at: end + 10))
        var directorySize = Int(tail.uint32(at: end + 12))
        var directoryOffset = Int(tail.uint32(at: end + 16))
        if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            // ZIP64: a locator right before the record points at the ZIP64 end-of-central-directory record.
            guard end >= 20, tail.uint32(at: end - 20) == 0x0706_4B50 else {
                throw .malformed(file: path, location: "end of archive", reason: "ZIP64 sizes without a ZIP64 locator")
            }
            let recordOffset = Int(clamping: tail.uint64(at: end - 20 + 8))
            let record = try file.read(recordOffset..<min(file.size, recordOffset + 56))
            guard record.count == 56, record.uint32(at: 0) == 0x0606_4B50 else {
                throw .malformed(file: path, location: "byte \(recordOffset)", reason: "no ZIP64 end-of-central-directory record")
            }
            count = Int(clamping: record.uint64(at: 32))
            directorySize = Int(clamping: record.uint64(at: 40))
            directoryOffset = Int(clamping: record.uint64(at: 48))
        }
        guard directoryOffset >= 0, directorySize >= 0, directoryOffset + directorySize <= file.size,
              count <= directorySize / 46 + 1 else {
            throw .malformed(file: path, location: "end of archive", reason: "the central directory lies outside the file")
        }
        let directory = try file.read(directoryOffset..<(directoryOffset + directorySize))
        var entries: [Entry] = []
        entries.reserveCapacity(count)
        var position = 0
        for index in 0..<count {
            guard position + 46 <= directory.count, directory.uint32(at: position) == 0x0201_4B50 else {
                throw .malformed(file: path, location: "central directory entry \(index)", reason: "broken entry header")
            }
            let nameLength = Int(directory.uint16(at: position + 28))
            let extraLength = Int(directory.uint16(at: position + 30))
            let commentLength = Int(directory.uint16(at: position + 32))
            let next = position + 46 + nameLength + extraLength + commentLength
            guard next <= directory.count else {
                throw .malformed(file: path, location: "central directory entry \(index)", reason: "entry runs past the directory")
            }
            var uncompressed = UInt64(directory.uint32(at: position + 24))
            var compressed = UInt64(directory.uint32(at: position + 20))
            var offset = UInt64(directory.uint32(at: position + 42))
            // The ZIP64 extra field carries, in this order, whichever of the three did not fit in 32 bits.
            var extra = position + 46 + nameLength
            let extraEnd = extra + extraLength
            while extra + 4 <= extraEnd {
                let id = directory.uint16(at: extra), size = Int(directory.uint16(at: extra + 2))
                var field = extra + 4
                if id == 0x0001 {
                    if uncompressed == 0xFFFF_FFFF, field + 8 <= extraEnd { uncompressed = directory.uint64(at: field); field += 8 }
                    if compressed == 0xFFFF_FFFF, field + 8 <= extraEnd { compressed = directory.uint64(at: field); field += 8 }
                    if offset == 0xFFFF_FFFF, field + 8 <= extraEnd { offset = directory.uint64(at: field) }
                }
                extra += 4 + size
            }
            let nameBytes = directory[(position + 46)..<(position + 46 + nameLength)]
            entries.append(Entry(
                name: String(decoding: nameBytes, as: UTF8.self),
                method: directory.uint16(at: position + 10),
                crc32: directory.uint32(at: position + 16),
                compressedSize: Int(clamping: compressed),
                uncompressedSize: Int(clamping: uncompressed),
                localHeaderOffset: Int(clamping: offset),
                isEncrypted: directory.uint16(at: position + 8) & 1 == 1
            ))
            position = next
        }
        return entries
    }

    // MARK: Contents

    /// Reads entries in file order through a window of `windowSize` bytes.
    struct WindowedReader {
        let archive: ZipEntries
        private var window: [UInt8] = []
        private var windowStart = 0
        static let windowSize = 4 * 1_048_576

        init(_ archive: ZipEntries) { self.archive = archive }

        /// The inflated bytes of one entry, checked against its CRC-32.
        mutating func contents(of entry: Entry) throws(IngestError) -> Data {
            let name = "\(archive.file.path)#\(entry.name)"
            guard !entry.isEncrypted else { throw .unsupportedFormat(file: name, reason: "the entry is encrypted") }
            guard entry.uncompressedSize <= ZipEntries.maximumEntrySize, entry.compressedSize <= ZipEntries.maximumEntrySize else {
                throw .malformed(file: name, location: "zip entry", reason: "larger than \(ZipEntries.maximumEntrySize / 1_048_576) MB")
            }
            let header = try bytes(entry.localHeaderOffset, 30)
            guard header.uint32(at: 0) == 0x0403_4B50 else {
                throw .malformed(file: name, location: "byte \(entry.localHeaderOffset)", reason: "no local file header")
            }
            let dataStart = entry.localHeaderOffset + 30 + Int(header.uint16(at: 26)) + Int(header.uint16(at: 28))
            let compressed = try bytes(dataStart, entry.compressedSize)
            let contents: Data
            switch entry.method {
            case 0:
                contents = Data(compressed)
            case 8:
                contents = try inflate(compressed, expected: entry.uncompressedSize, name: name)
            default:
                throw .unsupportedFormat(file: name, reason: "zip compression method \(entry.method) (only stored and deflate)")
            }
            guard contents.count == entry.uncompressedSize, contents.withUnsafeBytes(CRC32.checksum) == entry.crc32 else {
                throw .malformed(file: name, location: "zip entry", reason: "the contents do not match the size and CRC-32 the archive records")
            }
            return contents
        }

        private mutating func bytes(_ start: Int, _ count: Int) throws(IngestError) -> ArraySlice<UInt8> {
            guard start >= 0, count >= 0, start + count <= archive.file.size else {
                throw .malformed(file: archive.file.path, location: "byte \(start)", reason: "an entry points past the end of the archive")
            }
            if start < windowStart || start + count > windowStart + window.count {
                windowStart = start
                window = try archive.file.read(start..<min(archive.file.size, start + max(count, Self.windowSize)))
            }
            return window[(start - windowStart)..<(start - windowStart + count)]
        }

        /// Raw deflate through ZIPFoundation. Its zlib loop reads a full buffer per call, so the input is handed over
        /// in one zero-padded buffer; a stream that does not end within it is reported, never read past.
        private func inflate(_ compressed: ArraySlice<UInt8>, expected: Int, name: String) throws(IngestError) -> Data {
            let bufferSize = max(compressed.count, expected, 64) + 64
            var input = Data(compressed)
            input.append(Data(count: bufferSize - input.count))
            var output = Data(capacity: expected)
            do {
                _ = try Data.decompress(size: Int64(compressed.count), bufferSize: bufferSize, skipCRC32: true, provider: { position, _ in
                    guard position == 0 else { throw IngestError.malformed(file: name, location: "zip entry", reason: "truncated deflate stream") }
                    return input
                }, consumer: { chunk in
                    guard output.count + chunk.count <= expected else {
                        throw IngestError.malformed(file: name, location: "zip entry", reason: "inflates to more than its recorded size")
                    }
                    output.append(chunk)
                })
            } catch let error as IngestError {
                throw error
            } catch {
                throw .malformed(file: name, location: "zip entry", reason: "corrupt deflate data")
            }
            return output
        }
    }
}

extension Collection where Element == UInt8, Index == Int {
    /// Little-endian integers at an offset from `startIndex`; callers check bounds first.
    func uint16(at offset: Int) -> UInt16 {
        UInt16(self[startIndex + offset]) | UInt16(self[startIndex + offset + 1]) << 8
    }

    func uint32(at offset: Int) -> UInt32 {
        UInt32(uint16(at: offset)) | UInt32(uint16(at: offset + 2)) << 16
    }

    func uint64(at offset: Int) -> UInt64 {
        UInt64(uint32(at: offset)) | UInt64(uint32(at: offset + 4)) << 32
    }
}
