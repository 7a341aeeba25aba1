import Foundation
import Testing

@testable import KamaeTrust

/// Each way of tampering with stored audit rows, and the first problem the verifier names for it.
@Suite struct AuditTamperTests {
    static let key = AuditSigningKey.generate()
    let chain = AuditFixtures.chain(count: 10)

    func checkpoint(at sequence: Int64, in records: [AuditRecord], key: AuditSigningKey = Self.key) -> AuditCheckpoint {
        try! key.checkpoint(for: records[Int(sequence) - 1], createdAt: AuditFixtures.start)
    }

    func verify(_ records: [AuditRecord], checkpoints: [AuditCheckpoint] = []) -> AuditProblem? {
        var verifier = AuditChainVerifier(checkpoints: checkpoints, publicKey: Self.key.publicKey)
        return verifier.verify(records)
    }

    @Test func intactChainVerifiesWithAndWithoutCheckpoints() {
        #expect(verify(chain) == nil)
        #expect(verify(chain, checkpoints: [checkpoint(at: 3, in: chain), checkpoint(at: 10, in: chain)]) == nil)
        #expect(verify([]) == nil)
        var plain = AuditChainVerifier()
        #expect(plain.verify(chain) == nil)
        #expect(plain.verifiedCount == 10)
    }

    @Test func editingAnyFieldOfAMiddleRecordIsNamed() {
        for (field, edited) in AuditFixtures.fieldEdits(of: chain[4]) {
            var records = chain
            records[4] = edited
            #expect(verify(records) == .edited(sequence: 5), "edited \(field)")
        }
    }

    @Test func editingTheStoredLinksOrHashIsNamed() {
        var records = chain
        records[4] = AuditFixtures.replacing(chain[4], previousHash: chain[2].hash)
        #expect(verify(records) == .edited(sequence: 5))
        records = chain
        records[4] = AuditFixtures.replacing(chain[4], hash: chain[3].hash)
        #expect(verify(records) == .edited(sequence: 5))
    }

    @Test func editingAndRecomputingTheHashIsCaughtByTheNextRecord() {
        var records = chain
        records[4] = AuditFixtures.rehashed(AuditFixtures.replacing(chain[4], actorLogin: .some("attacker")))
        #expect(verify(records) == .rewritten(sequence: 5))
    }

    @Test func rewritingTheLastRecordIsCaughtOnlyByACheckpointThere() {
        var records = chain
        records[9] = AuditFixtures.rehashed(AuditFixtures.replacing(chain[9], details: "{\"forged\":\"yes\"}"))
        // Nothing follows it, so the chain alone cannot tell: this is why checkpoints are signed often.
        #expect(verify(records) == nil)
        #expect(verify(records, checkpoints: [checkpoint(at: 10, in: chain)]) == .checkpointMismatch(sequence: 10))
    }

    @Test func deletingMiddleRowsNamesTheMissingSequences() {
        var records = chain
        records.remove(at: 4)
        #expect(verify(records) == .deleted(from: 5, through: 5))
        records = chain
        records.removeSubrange(3...5)
        #expect(verify(records) == .deleted(from: 4, through: 6))
        records = chain
        records.removeFirst()
        #expect(verify(records) == .deleted(from: 1, through: 1))
    }

    @Test func deletingAMiddleRowAndRenumberingIsStillNamedAtItsPlace() {
        var records = Array(chain[0..<4])
        for record in chain[5...] {
            records.append(AuditFixtures.replacing(record, sequence: record.sequence - 1))
        }
        #expect(verify(records) == .edited(sequence: 5))
    }

    @Test func deletingTheTailAfterACheckpointIsTruncation() {
        var records = chain
        records.removeLast(4)
        #expect(verify(records) == nil, "without a checkpoint a shorter chain is still a valid chain")
        #expect(verify(records, checkpoints: [checkpoint(at: 8, in: chain)]) == .truncated(checkpointSequence: 8, lastSequence: 6))
        #expect(verify([], checkpoints: [checkpoint(at: 1, in: chain)]) == .truncated(checkpointSequence: 1, lastSequence: 0))
        // Rows after the newest checkpoint are not covered by it.
        #expect(verify(Array(chain[0..<9]), checkpoints: [checkpoint(at: 8, in: chain)]) == nil)
    }

    @Test func insertingAForgedRowWithADuplicateSequence() throws {
        var random = SeededRandom(seed: 42)
        var forgedEntry = AuditFixtures.entry(99, using: &random)
        forgedEntry.action = "answer.updated"
        let forged = try AuditChain.append(forgedEntry, after: chain[3])
        var records = chain
        records.insert(forged, at: 4)
        #expect(verify(records) == .inserted(sequence: 5))
    }

    @Test func insertingAForgedRowAndRenumberingTheRest() throws {
        var random = SeededRandom(seed: 42)
        let forged = try AuditChain.append(AuditFixtures.entry(99, using: &random), after: chain[3])
        let renumbered = chain[4...].map { AuditFixtures.replacing($0, sequence: $0.sequence + 1) }
        // Renumbered with their hashes recomputed: record 6 is intact but still links to record 4.
        #expect(verify(Array(chain[0..<4]) + [forged] + renumbered.map(AuditFixtures.rehashed)) == .inserted(sequence: 5))
        // Renumbered only: record 6's contents (its sequence) no longer match its hash.
        #expect(verify(Array(chain[0..<4]) + [forged] + renumbered) == .edited(sequence: 6))
    }

    @Test func swappingTwoRowsIsReordering() {
        var records = chain
        records.swapAt(4, 5)
        #expect(verify(records) == .reordered(sequence: 6, expectedSequence: 5))
        records = chain
        records.swapAt(2, 7)
        #expect(verify(records) == .reordered(sequence: 8, expectedSequence: 3))
        records = chain
        records.append(records.removeFirst())
        #expect(verify(records) == .deleted(from: 1, through: 1), "a row moved to the end is missing from its place")
        records = chain
        records.append(chain[2])
        #expect(verify(records) == .reordered(sequence: 3, expectedSequence: 11))
    }

    @Test func swappingContentsUnderTheSameSequenceNumbersIsEditing() {
        var records = chain
        records[4] = AuditFixtures.replacing(chain[5], sequence: 5)
        records[5] = AuditFixtures.replacing(chain[4], sequence: 6)
        #expect(verify(records) == .edited(sequence: 5))
    }

    @Test func aChainFromAnotherStartIsUnlinked() {
        var records = chain
        records[0] = AuditFixtures.rehashed(AuditFixtures.replacing(chain[0], previousHash: chain[5].hash))
        #expect(verify(Array(records[0..<1])) == .unlinked(sequence: 1))
    }

    @Test func aConsistentRewriteIsCaughtOnlyByTheSignedCheckpoint() throws {
        // The attacker rebuilds the whole chain with one changed entry, recomputing every hash.
        var random = SeededRandom(seed: 1)
        var rewritten: [AuditRecord] = []
        for index in 0..<10 {
            var entry = AuditFixtures.entry(index, using: &random)
            if index == 2 { entry.actorLogin = "someone-else" }
            rewritten.append(try AuditChain.append(entry, after: rewritten.last))
        }
        #expect(rewritten[1] == chain[1])
        #expect(verify(rewritten) == nil, "the hash chain alone cannot see a consistent rewrite")
        let genuine = [checkpoint(at: 5, in: chain), checkpoint(at: 10, in: chain)]
        #expect(verify(rewritten, checkpoints: genuine) == .checkpointMismatch(sequence: 5))
        // Replacing the stored checkpoints too needs the signing key, which lives outside the database.
        let attackerKey = AuditSigningKey.generate()
        let forged = [checkpoint(at: 5, in: rewritten, key: attackerKey), checkpoint(at: 10, in: rewritten, key: attackerKey)]
        #expect(verify(rewritten, checkpoints: forged) == .forgedCheckpoint(sequence: 5))
    }

    @Test func alteredCheckpointsAreRefused() {
        let genuine = checkpoint(at: 5, in: chain)
        let moved = AuditCheckpoint(sequence: 4, hash: chain[3].hash, createdAt: genuine.createdAt, signature: genuine.signature)
        let redated = AuditCheckpoint(
            sequence: 5, hash: genuine.hash, createdAt: genuine.createdAt.addingTimeInterval(1), signature: genuine.signature)
        #expect(verify(chain, checkpoints: [genuine, moved]) == .forgedCheckpoint(sequence: 4))
        #expect(verify(chain, checkpoints: [redated]) == .forgedCheckpoint(sequence: 5))
        #expect(genuine.hasValidSignature(from: Self.key.publicKey))
    }

    @Test func theFirstProblemIsReturnedOnceWhenItBecomesCertain() {
        var records = chain
        records[2] = AuditFixtures.replacing(chain[2], details: "{}")
        records[6] = AuditFixtures.replacing(chain[6], details: "{}")
        var verifier = AuditChainVerifier()
        let answers = records.map { verifier.check($0) }
        #expect(answers[2] == .edited(sequence: 3))
        #expect(answers.compactMap { $0 }.count == 1)
        #expect(verifier.finish() == .edited(sequence: 3))
        #expect(verifier.verifiedCount == 2)
    }

    @Test func aDeletionIsCertainOnlyOneRecordLater() {
        var verifier = AuditChainVerifier()
        #expect(verifier.check(chain[0]) == nil)
        #expect(verifier.check(chain[2]) == nil)
        #expect(verifier.check(chain[3]) == .deleted(from: 2, through: 2))
        var atTheEnd = AuditChainVerifier()
        #expect(atTheEnd.check(chain[0]) == nil)
        #expect(atTheEnd.check(chain[3]) == nil)
        #expect(atTheEnd.finish() == .deleted(from: 2, through: 3))
    }

    @Test(arguments: [
        AuditProblem.edited(sequence: 5), .rewritten(sequence: 5), .deleted(from: 5, through: 5), .deleted(from: 5, through: 7),
        .inserted(sequence: 5), .reordered(sequence: 5, expectedSequence: 4), .unlinked(sequence: 5),
        .truncated(checkpointSequence: 5, lastSequence: 3), .checkpointMismatch(sequence: 5), .forgedCheckpoint(sequence: 5),
    ])
    func messagesNameTheSequenceInBothLanguages(_ problem: AuditProblem) {
        #expect(problem.sequence == 5)
        #expect(problem.english.contains("5"))
        #expect(problem.japanese.contains("No.5"))
        #expect(problem.english != problem.japanese)
    }
}
