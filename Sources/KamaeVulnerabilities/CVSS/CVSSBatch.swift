/// Scoring of vectors given one per argument or one per input line, as `kamae cvss` does it: every vector is
/// scored or reported, so one bad line does not stop the rest.
public enum CVSSBatch {
    /// Where a vector came from, to name it in an error.
    public enum Source: Sendable, Hashable, CustomStringConvertible {
        case argument(Int)
        case line(Int)

        public var description: String {
            switch self {
            case .argument(let number): "argument \(number)"
            case .line(let number): "line \(number)"
            }
        }
    }

    public enum Outcome: Sendable, Hashable {
        case scored(vector: String, score: CVSSScore)
        case failed(vector: String, source: Source, error: CVSSError)

        public var isFailure: Bool {
            if case .failed = self { true } else { false }
        }

        /// The line to print: `vector<TAB>score<TAB>severity` for standard output, or the one-line error for
        /// standard error.
        public var text: String {
            switch self {
            case .scored(let vector, let score):
                "\(vector)\t\(score)\t\(score.severity)"
            case .failed(let vector, let source, let error):
                "\(source): \"\(vector)\": \(error)"
            }
        }
    }

    /// One line of input; nil for a blank line, which is skipped. Surrounding whitespace is ignored.
    public static func outcome(line: String, number: Int) -> Outcome? {
        let vector = trimmed(line)
        return vector.isEmpty ? nil : outcome(vector: vector, source: .line(number))
    }

    /// One command-line argument; an empty one is an error.
    public static func outcome(argument: String, number: Int) -> Outcome {
        outcome(vector: trimmed(argument), source: .argument(number))
    }

    /// Lines numbered from 1, blank lines skipped.
    public static func process(lines: some Sequence<String>) -> [Outcome] {
        lines.enumerated().compactMap { outcome(line: $0.element, number: $0.offset + 1) }
    }

    public static func process(arguments: [String]) -> [Outcome] {
        arguments.enumerated().map { outcome(argument: $0.element, number: $0.offset + 1) }
    }

    private static func outcome(vector: String, source: Source) -> Outcome {
        do {
            return .scored(vector: vector, score: try CVSS.score(vector))
        } catch {
            return .failed(vector: vector, source: source, error: error)
        }
    }

    private static func trimmed(_ text: String) -> String {
        let isSpace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }
        let bytes = text.utf8
        guard let first = bytes.firstIndex(where: { !isSpace($0) }),
              let last = bytes.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(text[first...last])
    }
}
