import Foundation
import ZIPFoundation

/// A bounds-checked reader of ZIP archives held in memory.
///
/// It parses the end-of-central-directory record, the central directory and the local headers itself,
/// checking every offset and length against the data, so that a damaged or hostile file gives an error
/// instead of a crash, an endless loop or an unbounded allocation. Inflating uses ZIPFoundation's
/// `Data.decompress`, fed in a way that never hands zlib fewer bytes than it is told about.
struct ZipReader {
    struct Entry {
        /// The path as stored, with backslashes turned into slashes and no leading slash.
        let path: String
        let flags: UInt16
        let method: UInt16
        let crc32: UInt32
        let compressedSize: Int
        let uncompressedSize: Int
        let localHeaderOffset: Int
    }

    private let bytes: Data
    private(set) var entries: [Entry] = []
    private var entryByKey: [String: Int] = [:]

    /// The most entries an archive may have; a workbook has a few dozen.
    static let maxEntries = 10_000

    init(_ data: Data) throws(XLSXReadError) {
        bytes = data.startIndex == 0 ? data : Data(data)
        try readCentralDirectory()
    }

    /// The entry at `path`, compared ignoring case (OPC part names are case-insensitive) and a leading slash.
    func entry(_ path: String) -> Entry? {
        entryByKey[Self.key(path)].map { entries[$0] }
    }

    private static func key(_ path: String) -> String {
        var path = path.replacingOccurrences(of: "\\", with: "/")
        while path.hasPrefix("/") { path.removeFirst() }
        return path.lowercased()
    }

    // MARK: Little-endian fields

    private func u16(_ offset: Int) -> Int? {
        guard offset >= 0, offset <= bytes.count - 2 else { return nil }
        return Int(bytes[offset]) | Int(bytes[offset + 1]) << 8
    }

    private func u32(_ offset: Int) -> Int? {
        guard offset >= 0, offset <= bytes.count - 4 else { return nil }
        return Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]) << 16 | Int(bytes[offset + 3]) << 24
    }

    private func u64(_ offset: Int) -> Int? {
        guard let low = u32(offset), let high = u32(offset + 4) else { return nil }
        guard high < 0x8000 else { return Int.max } // beyond any sensible size: reported by the bounds checks
        return low | high << 32
    }

    // MARK: Central directory

    private static let endOfCentralDirectorySignature = 0x0605_4B50
    private static let zip64LocatorSignature = 0x0706_4B50
    private static let zip64EndSignature = 0x0606_4B50
    private static let centralHeaderSignature = 0x0201_4B50
    private static let localHeaderSignature = 0x0403_4B50

    private mutating func readCentralDirectory() throws(XLSXReadError) {
        let count = bytes.count
        guard count >= 22 else { throw .corruptArchive(part: nil, reason: "the file is too short to be a ZIP archive (\(count) bytes)") }
        var endRecord: Int?
        var position = count - 22
        let lowest = max(0, count - 22 - 0xFFFF)
        while position >= lowest {
            if bytes[position] == 0x50, u32(position) == Self.endOfCentralDirectorySignature {
                endRecord = position
                break
            }
            position -= 1
        }
        guard let end = endRecord, let diskNumber = u16(end + 4), let directoryDisk = u16(end + 6),
              var entryCount = u16(end + 10), var directorySize = u32(end + 12), var directoryOffset = u32(end + 16)
        else {
            throw .corruptArchive(part: nil, reason: "the end of the ZIP directory is missing (the file may be truncated)")
        }
        var directoryEnd = end
        if end >= 20, u32(end - 20) == Self.zip64LocatorSignature {
            guard let zip64End = u64(end - 12), zip64End >= 0, zip64End <= end - 56,
                  u32(zip64End) == Self.zip64EndSignature,
                  let count64 = u64(zip64End + 32), let size64 = u64(zip64End + 40), let offset64 = u64(zip64End + 48)
            else { throw .corruptArchive(part: nil, reason: "the ZIP64 end of directory record is damaged") }
            entryCount = count64
            directorySize = size64
            directoryOffset = offset64
            directoryEnd = zip64End
        } else if diskNumber != 0 || directoryDisk != 0 {
            throw .unsupportedArchive(part: nil, reason: "it is split over several ZIP volumes")
        }
        guard entryCount <= Self.maxEntries else {
            throw .unsupportedArchive(part: nil, reason: "it has \(entryCount) ZIP entries; at most \(Self.maxEntries) are accepted")
        }
        guard directoryOffset >= 0, directorySize >= 0, directorySize <= directoryEnd,
              directoryOffset <= directoryEnd - directorySize
        else { throw .corruptArchive(part: nil, reason: "the ZIP directory lies outside the file (the file may be truncated)") }

        var offset = directoryOffset
        let directoryLimit = directoryOffset + directorySize
        entries.reserveCapacity(entryCount)
        for index in 0..<entryCount {
            guard offset <= directoryLimit - 46, u32(offset) == Self.centralHeaderSignature,
                  let flags = u16(offset + 8), let method = u16(offset + 10), let crc = u32(offset + 16),
                  var compressed = u32(offset + 20), var uncompressed = u32(offset + 24),
                  let nameLength = u16(offset + 28), let extraLength = u16(offset + 30),
                  let commentLength = u16(offset + 32), var localOffset = u32(offset + 42)
            else { throw .corruptArchive(part: nil, reason: "ZIP directory entry \(index + 1) is damaged") }
            let nameStart = offset + 46
            let extraStart = nameStart + nameLength
            let next = extraStart + extraLength + commentLength
            guard next <= directoryLimit else {
                throw .corruptArchive(part: nil, reason: "ZIP directory entry \(index + 1) runs past the directory")
            }
            let rawName = bytes[nameStart..<extraStart]
            let path = Self.cleanPath(String(decoding: rawName, as: UTF8.self))
            if uncompressed == 0xFFFF_FFFF || compressed == 0xFFFF_FFFF || localOffset == 0xFFFF_FFFF {
                guard let values = zip64Values(extraStart: extraStart, length: extraLength,
                                               uncompressed: uncompressed == 0xFFFF_FFFF,
                                               compressed: compressed == 0xFFFF_FFFF,
                                               offset: localOffset == 0xFFFF_FFFF)
                else { throw .corruptArchive(part: path, reason: "its ZIP64 sizes are missing or damaged") }
                uncompressed = values.uncompressed ?? uncompressed
                compressed = values.compressed ?? compressed
                localOffset = values.offset ?? localOffset
            }
            let entry = Entry(path: path, flags: UInt16(flags), method: UInt16(method), crc32: UInt32(crc),
                              compressedSize: compressed, uncompressedSize: uncompressed,
                              localHeaderOffset: localOffset)
            let key = Self.key(path)
            if entryByKey[key] == nil { entryByKey[key] = entries.count }
            entries.append(entry)
            offset = next
        }
    }

    private func zip64Values(extraStart: Int, length: Int, uncompressed: Bool, compressed: Bool, offset: Bool)
        -> (uncompressed: Int?, compressed: Int?, offset: Int?)? {
        var position = extraStart
        let end = extraStart + length
        while position <= end - 4, let id = u16(position), let size = u16(position + 2) {
            let body = position + 4
            guard body + size <= end else { return nil }
            if id == 0x0001 {
                var cursor = body
                func next() -> Int? {
                    guard cursor + 8 <= body + size, let value = u64(cursor) else { return nil }
                    cursor += 8
                    return value
                }
                var result: (uncompressed: Int?, compressed: Int?, offset: Int?) = (nil, nil, nil)
                if uncompressed { guard let value = next() else { return nil }; result.uncompressed = value }
                if compressed { guard let value = next() else { return nil }; result.compressed = value }
                if offset { guard let value = next() else { return nil }; result.offset = value }
                return result
            }
            position = body + size
        }
        return nil
    }

    private static func cleanPath(_ path: String) -> String {
        var path = path.replacingOccurrences(of: "\\", with: "/")
        while path.hasPrefix("/") { path.removeFirst() }
        return path
    }

    // MARK: Contents

    private enum InflateFailure: Error {
        case truncated
        case tooLarge
        case longerThanDeclared
    }

    /// The uncompressed bytes of `entry`, refusing more than `limit` bytes.
    func contents(of entry: Entry, limit: Int) throws(XLSXReadError) -> Data {
        let part = entry.path
        if entry.flags & 0x0041 != 0 { throw .unsupportedArchive(part: part, reason: "it is encrypted") }
        guard entry.uncompressedSize <= limit else { throw .tooLarge(part: part, limit: limit) }
        let header = entry.localHeaderOffset
        guard header >= 0, header <= bytes.count - 30, u32(header) == Self.localHeaderSignature,
              let nameLength = u16(header + 26), let extraLength = u16(header + 28)
        else { throw .corruptArchive(part: part, reason: "its local ZIP header is missing or damaged") }
        let start = header + 30 + nameLength + extraLength
        guard entry.compressedSize >= 0, start <= bytes.count, entry.compressedSize <= bytes.count - start else {
            throw .corruptArchive(part: part, reason: "its data runs past the end of the file (the file may be truncated)")
        }
        let compressed = bytes[start..<(start + entry.compressedSize)]
        let output: Data
        switch entry.method {
        case 0:
            guard entry.compressedSize == entry.uncompressedSize else {
                throw .corruptArchive(part: part, reason: "its stored size does not match its declared size")
            }
            output = Data(compressed)
        case 8:
            output = try inflate(compressed, entry: entry, limit: limit)
        default:
            throw .unsupportedArchive(part: part, reason: "it uses ZIP compression method \(entry.method); only stored and deflate are supported")
        }
        guard output.count == entry.uncompressedSize else {
            throw .corruptArchive(part: part, reason: "it has \(output.count) bytes instead of the declared \(entry.uncompressedSize)")
        }
        guard output.crc32(checksum: 0) == entry.crc32 else {
            throw .corruptArchive(part: part, reason: "its checksum does not match (the data is damaged)")
        }
        return output
    }

    private func inflate(_ compressed: Data, entry: Entry, limit: Int) throws(XLSXReadError) -> Data {
        let chunkSize = 64 * 1024
        var output = Data()
        output.reserveCapacity(min(entry.uncompressedSize, limit))
        var consumed = compressed.startIndex
        let end = compressed.endIndex
        let declared = entry.uncompressedSize
        do {
            _ = try Data.decompress(size: Int64(compressed.count), bufferSize: chunkSize, skipCRC32: true,
                                    provider: { _, requested in
                // zlib is told that every chunk has `requested` bytes, so a short final chunk is padded with
                // zeros; asking again once everything was handed over means the deflate stream is truncated.
                guard consumed < end else { throw InflateFailure.truncated }
                let take = min(requested, end - consumed)
                var chunk = Data(compressed[consumed..<(consumed + take)])
                consumed += take
                if take < requested { chunk.append(Data(count: requested - take)) }
                return chunk
            }, consumer: { chunk in
                guard output.count + chunk.count <= limit else { throw InflateFailure.tooLarge }
                guard output.count + chunk.count <= declared else { throw InflateFailure.longerThanDeclared }
                output.append(chunk)
            })
        } catch InflateFailure.tooLarge {
            throw .tooLarge(part: entry.path, limit: limit)
        } catch InflateFailure.longerThanDeclared {
            throw .corruptArchive(part: entry.path, reason: "it inflates to more bytes than declared")
        } catch InflateFailure.truncated {
            throw .corruptArchive(part: entry.path, reason: "its compressed data ends early")
        } catch {
            throw .corruptArchive(part: entry.path, reason: "its compressed data is damaged")
        }
        return output
    }
}
