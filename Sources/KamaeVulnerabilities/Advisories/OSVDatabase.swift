import Foundation

/// Reads OSV advisories from one JSON file, a directory of them (recursively, `*.json`), or a zip such as
/// osv.dev's per-ecosystem `all.zip`. Documents are parsed in parallel and one at a time per worker, so memory
/// holds only the documents being parsed and what the caller keeps; zip entries are inflated one by one.
public enum OSVDatabase {
    /// How much was read.
    public struct Statistics: Sendable, Equatable {
        public var documents = 0
        public var records = 0
        public var withdrawn = 0
    }

    /// Parses every advisory and keeps `transform`'s non-nil results, in document order. Withdrawn records are
    /// counted and not passed on: bulk exports still carry them. The first failing document (in document order)
    /// is the error thrown.
    public static func collect<T: Sendable>(
        at url: URL,
        concurrency: Int = ProcessInfo.processInfo.activeProcessorCount,
        _ transform: @Sendable (Advisory) -> T?
    ) throws(IngestError) -> (values: [T], statistics: Statistics) {
        let workers = max(1, concurrency)
        let sink = ResultSink<T>()
        switch try OSVSourceLayout(url) {
        case let .file(path):
            let data = try FileSystem.read(path)
            let advisories = try OSVDecoder.decode(data, file: path)
            sink.add(ordinal: 0, advisories: advisories, transform)
        case let .directory(paths):
            let queue = WorkQueue(count: paths.count)
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while !sink.hasFailed, let batch = queue.nextBatch() {
                    for ordinal in batch {
                        do {
                            let data = try FileSystem.read(paths[ordinal])
                            sink.add(ordinal: ordinal, advisories: try OSVDecoder.decode(data, file: paths[ordinal]), transform)
                        } catch {
                            sink.fail(ordinal: ordinal, error)
                        }
                    }
                }
            }
        case let .zip(path):
            let archive = try ZipEntries(path: path)
            let entries = archive.entries.filter { !$0.name.hasSuffix("/") && $0.name.lowercased().hasSuffix(".json") }
                .sorted { $0.localHeaderOffset < $1.localHeaderOffset }
            // Contiguous shares, so that each worker reads its part of the file front to back.
            let share = (entries.count + workers - 1) / workers
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var reader = ZipEntries.WindowedReader(archive)
                for ordinal in (worker * share)..<min(entries.count, (worker + 1) * share) {
                    if sink.hasFailed { return }
                    let name = "\(path)#\(entries[ordinal].name)"
                    do {
                        let data = try reader.contents(of: entries[ordinal])
                        sink.add(ordinal: ordinal, advisories: try OSVDecoder.decode(data, file: name), transform)
                    } catch {
                        sink.fail(ordinal: ordinal, error)
                    }
                }
            }
        }
        return try sink.finish()
    }

    /// The records of one OSV document held in memory (one record, an array, or `{"vulns": [...]}`);
    /// `file` names it in errors. Withdrawn records are returned too, marked `isWithdrawn`.
    public static func advisories(in data: Data, file: String) throws(IngestError) -> [Advisory] {
        try OSVDecoder.decode(data, file: file)
    }

    /// Every live (not withdrawn) advisory at `url`.
    public static func read(at url: URL) throws(IngestError) -> [Advisory] {
        try collect(at: url) { $0 }.values
    }


}

/// What `--osv PATH` points at.
private enum OSVSourceLayout {
    case file(String)
    case directory([String])
    case zip(String)

    init(_ url: URL) throws(IngestError) {
        let path = url.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .unreadable(file: path, reason: "no such file or directory")
        }
        if isDirectory.boolValue {
            self = .directory(try FileSystem.files(under: path, suffix: ".json"))
            return
        }
        // A zip starts with a local file header (PK\3\4) or, when empty, the end-of-directory record (PK\5\6).
        let handle = FileHandle(forReadingAtPath: path)
        let magic = (try? handle?.read(upToCount: 4)) ?? nil
        try? handle?.close()
        if let magic, magic.count == 4, magic.starts(with: [0x50, 0x4B]), [3, 5].contains(magic[magic.startIndex + 2]) {
            self = .zip(path)
        } else {
            self = .file(path)
        }
    }
}

/// Hands out batches of document ordinals to workers.
private final class WorkQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private let count: Int
    private let batchSize = 64

    init(count: Int) { self.count = count }

    func nextBatch() -> Range<Int>? {
        lock.lock()
        defer { lock.unlock() }
        guard next < count else { return nil }
        let batch = next..<min(next + batchSize, count)
        next = batch.upperBound
        return batch
    }
}

/// Collects results from workers under a lock and remembers the earliest failure.
private final class ResultSink<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var parts: [(ordinal: Int, values: [T])] = []
    private var statistics = OSVDatabase.Statistics()
    private var failure: (ordinal: Int, error: IngestError)?
    private var failed = false

    var hasFailed: Bool {
        lock.lock()
        defer { lock.unlock() }
        return failed
    }

    func add(ordinal: Int, advisories: [Advisory], _ transform: (Advisory) -> T?) {
        var values: [T] = []
        var withdrawn = 0
        for advisory in advisories {
            if advisory.isWithdrawn {
                withdrawn += 1
            } else if let value = transform(advisory) {
                values.append(value)
            }
        }
        lock.lock()
        defer { lock.unlock() }
        statistics.documents += 1
        statistics.records += advisories.count
        statistics.withdrawn += withdrawn
        if !values.isEmpty { parts.append((ordinal, values)) }
    }

    func fail(ordinal: Int, _ error: any Error) {
        let ingestError = error as? IngestError ?? .unreadable(file: "?", reason: String(describing: error))
        lock.lock()
        defer { lock.unlock() }
        failed = true
        if let earlier = failure, earlier.ordinal <= ordinal { return }
        failure = (ordinal, ingestError)
    }

    func finish() throws(IngestError) -> (values: [T], statistics: OSVDatabase.Statistics) {
        lock.lock()
        defer { lock.unlock() }
        if let failure { throw failure.error }
        return (parts.sorted { $0.ordinal < $1.ordinal }.flatMap(\.values), statistics)
    }
}
