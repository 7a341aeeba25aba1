/// Checks an audit trail record by record, in sequence order, in constant memory (apart from the checkpoints),
/// and names the first problem.
///
/// Feed every record to `check` in the order storage returns them (ascending sequence), then call `finish`.
/// `check` returns a problem the moment it is certain; after the first problem the rest is ignored, because what
/// follows a break cannot be trusted to be diagnosed correctly. One record of look-ahead tells a deletion from a
/// reordering: after a jump in the sequence, a smaller number following it means the rows were moved, not removed.
public struct AuditChainVerifier: Sendable {
    /// What the verifier keeps of the last record it accepted.
    private struct Accepted: Sendable {
        let sequence: Int64
        let hash: AuditHash
        let previousHash: AuditHash
    }

    /// A record that jumped ahead of the expected sequence, held until the next record shows why.
    private struct Jump: Sendable {
        let expectedSequence: Int64
        let sequence: Int64
    }

    private let checkpoints: [AuditCheckpoint]
    private var nextCheckpointIndex = 0
    private var last: Accepted?
    private var pendingJump: Jump?
    private var problem: AuditProblem?
    private var problemReported = false
    /// One encoding buffer for all records, so that checking allocates nothing per record.
    private var encodingBuffer: [UInt8] = []

    /// How many records were found intact so far.
    public private(set) var verifiedCount: Int64 = 0

    /// A verifier for the chain alone: catches edits, deletions, insertions and reordering, but neither a consistent
    /// rewrite nor a cut-off tail.
    public init() {
        checkpoints = []
    }

    /// A verifier that also holds the chain to signed checkpoints. A checkpoint whose signature does not verify
    /// with `publicKey` is the first problem reported.
    public init(checkpoints: [AuditCheckpoint], publicKey: AuditPublicKey) {
        self.checkpoints = checkpoints.sorted { $0.sequence < $1.sequence }
        if let forged = self.checkpoints.first(where: { $0.sequence < 1 || !$0.hasValidSignature(from: publicKey) }) {
            problem = .forgedCheckpoint(sequence: forged.sequence)
        }
    }

    /// Checks the next record; returns the first problem when it becomes certain, and nil otherwise.
    public mutating func check(_ record: AuditRecord) -> AuditProblem? {
        if problem != nil { return reportOnce() }
        if let jump = pendingJump {
            // Smaller numbers after a jump: rows were moved. Otherwise the skipped ones are gone.
            return record.sequence < jump.sequence
                ? fail(.reordered(sequence: jump.sequence, expectedSequence: jump.expectedSequence))
                : fail(.deleted(from: jump.expectedSequence, through: jump.sequence - 1))
        }
        let expectedSequence = (last?.sequence ?? 0) + 1
        if record.sequence > expectedSequence {
            pendingJump = Jump(expectedSequence: expectedSequence, sequence: record.sequence)
            return nil
        }
        if record.sequence < expectedSequence {
            return record.sequence == last?.sequence
                ? fail(.inserted(sequence: record.sequence))
                : fail(.reordered(sequence: record.sequence, expectedSequence: expectedSequence))
        }
        if !record.hasIntactHash(scratch: &encodingBuffer) {
            return fail(.edited(sequence: record.sequence))
        }
        if record.previousHash != (last?.hash ?? .genesis) {
            guard let last else { return fail(.unlinked(sequence: record.sequence)) }
            // The record itself is intact but no longer matches its predecessor. If it links to the record before
            // that one, the predecessor was slipped in between; otherwise the predecessor was rewritten, hash and all.
            return fail(
                record.previousHash == last.previousHash
                    ? .inserted(sequence: last.sequence) : .rewritten(sequence: last.sequence))
        }
        while nextCheckpointIndex < checkpoints.count, checkpoints[nextCheckpointIndex].sequence == record.sequence {
            if checkpoints[nextCheckpointIndex].hash != record.hash {
                return fail(.checkpointMismatch(sequence: record.sequence))
            }
            nextCheckpointIndex += 1
        }
        last = Accepted(sequence: record.sequence, hash: record.hash, previousHash: record.previousHash)
        verifiedCount += 1
        return nil
    }

    /// Ends the check: nil when the whole trail is intact, otherwise the first problem (which `check` may already
    /// have returned). Catches what only the end can show: a jump at the very end and a tail cut off before a checkpoint.
    public mutating func finish() -> AuditProblem? {
        if problem == nil, let jump = pendingJump {
            problem = .deleted(from: jump.expectedSequence, through: jump.sequence - 1)
        }
        if problem == nil, nextCheckpointIndex < checkpoints.count {
            problem = .truncated(
                checkpointSequence: checkpoints[nextCheckpointIndex].sequence, lastSequence: last?.sequence ?? 0)
        }
        problemReported = true
        return problem
    }

    /// Checks a whole sequence of records and finishes, for callers that have them at hand.
    public mutating func verify(_ records: some Sequence<AuditRecord>) -> AuditProblem? {
        for record in records {
            if let problem = check(record) { return problem }
        }
        return finish()
    }

    private mutating func fail(_ found: AuditProblem) -> AuditProblem {
        problem = found
        problemReported = true
        return found
    }

    private mutating func reportOnce() -> AuditProblem? {
        guard !problemReported else { return nil }
        problemReported = true
        return problem
    }
}
