#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Directory walking and whole-file reads with plain POSIX calls: an OSV database is hundreds of thousands of
/// small files, and Foundation's per-path URL and attribute work costs more than the reads themselves.
enum FileSystem {
    /// Paths of the regular files under `root` (recursively, following symbolic links to files) whose names end in
    /// `suffix` (compared case-insensitively), sorted.
    static func files(under root: String, suffix: String) throws(IngestError) -> [String] {
        var found: [String] = []
        var pending = [root]
        let wanted = suffix.lowercased()
        while let directory = pending.popLast() {
            guard let handle = opendir(directory) else {
                throw .unreadable(file: directory, reason: errorText())
            }
            defer { closedir(handle) }
            while let entry = readdir(handle) {
                let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                    String(cString: UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
                }
                if name == "." || name == ".." { continue }
                let path = directory + "/" + name
                switch kind(of: entry.pointee.d_type, path: path) {
                case .directory: pending.append(path)
                case .file where name.lowercased().hasSuffix(wanted): found.append(path)
                default: break
                }
            }
        }
        return found.sorted()
    }

    /// The whole file's bytes.
    static func read(_ path: String) throws(IngestError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .unreadable(file: path, reason: errorText()) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .unreadable(file: path, reason: errorText()) }
        var bytes = [UInt8](repeating: 0, count: max(0, Int(status.st_size)))
        var filled = 0
        while true {
            if filled == bytes.count {
                // The file grew since fstat, or reports no size (procfs, pipes): keep reading.
                bytes.append(contentsOf: repeatElement(0, count: max(4096, bytes.count)))
            }
            let count = bytes.withUnsafeMutableBytes { buffer in
                readBytes(descriptor, buffer.baseAddress.map { $0 + filled }, buffer.count - filled)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(file: path, reason: errorText())
            }
            if count == 0 { break }
            filled += count
        }
        bytes.removeSubrange(filled...)
        return bytes
    }

    /// A file opened for positioned reads, closed when released. Shared between threads: its state never changes
    /// after opening and `pread` does not move a shared file offset.
    final class ReadOnlyFile: @unchecked Sendable {
        let path: String
        let size: Int
        private let descriptor: Int32

        init(_ path: String) throws(IngestError) {
            self.path = path
            descriptor = open(path, O_RDONLY)
            guard descriptor >= 0 else { throw .unreadable(file: path, reason: FileSystem.errorText()) }
            var status = stat()
            guard fstat(descriptor, &status) == 0 else {
                close(descriptor)
                throw .unreadable(file: path, reason: FileSystem.errorText())
            }
            size = Int(status.st_size)
        }

        deinit { close(descriptor) }

        /// Exactly the bytes `range` of the file; a range past the end is an error.
        func read(_ range: Range<Int>) throws(IngestError) -> [UInt8] {
            guard range.lowerBound >= 0, range.upperBound <= size else {
                throw .malformed(file: path, location: "byte \(range.lowerBound)", reason: "points past the end of the file")
            }
            var bytes = [UInt8](repeating: 0, count: range.count)
            var filled = 0
            while filled < range.count {
                let count = bytes.withUnsafeMutableBytes { buffer in
                    pread(descriptor, buffer.baseAddress.map { $0 + filled }, range.count - filled, off_t(range.lowerBound + filled))
                }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { throw .unreadable(file: path, reason: count < 0 ? FileSystem.errorText() : "the file is shorter than it says") }
                filled += count
            }
            return bytes
        }
    }

    private static func readBytes(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
        #if canImport(Darwin)
        Darwin.read(descriptor, buffer, count)
        #elseif canImport(Musl)
        Musl.read(descriptor, buffer, count)
        #else
        Glibc.read(descriptor, buffer, count)
        #endif
    }

    private enum Kind { case file, directory, other }

    private static func kind(of type: UInt8, path: String) -> Kind {
        switch Int32(type) {
        case Int32(DT_REG): return .file
        case Int32(DT_DIR): return .directory
        default:
            // Symbolic links and file systems that do not report the type: ask stat.
            var status = stat()
            guard stat(path, &status) == 0 else { return .other }
            switch status.st_mode & S_IFMT {
            case S_IFREG: return .file
            case S_IFDIR: return .directory
            default: return .other
            }
        }
    }

    private static func errorText() -> String {
        String(cString: strerror(errno))
    }
}
