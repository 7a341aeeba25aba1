import Foundation
import PropertyBased
import Testing

@testable import KamaeTrust

/// Random chains verify clean, and every single random mutation of a chain whose last record is under a signed
/// checkpoint is detected, with the problem named where it can be.
@Suite struct AuditPropertyTests {
    static let key = AuditSigningKey.generate()

    enum Mutation: CaseIterable, Sendable {
        case editField, rewrite, delete, duplicate, insertForged, swap, truncateTail, moveToEnd
    }

    @Test func randomChainsVerifyClean() async {
        await propertyCheck(count: 150, input: Gen.uint64(), Gen.int(in: 0...30)) { seed, count in
            let chain = AuditFixtures.chain(count: count, seed: seed)
            var random = SeededRandom(seed: seed)
            let checkpoints = chain.filter { _ in Bool.random(using: &random) }.map {
                try! Self.key.checkpoint(for: $0, createdAt: $0.occurredAt)
            }
            var verifier = AuditChainVerifier(checkpoints: checkpoints, publicKey: Self.key.publicKey)
            #expect(verifier.verify(chain) == nil)
            #expect(verifier.verifiedCount == Int64(count))
        }
    }

    @Test func anySingleMutationIsDetected() async {
        await propertyCheck(count: 600, input: Gen.uint64(), Gen.int(in: 2...25), Gen<Mutation>.case) { seed, count, mutation in
            let chain = AuditFixtures.chain(count: count, seed: seed)
            var random = SeededRandom(seed: ~seed)
            let (mutated, expected) = Self.apply(mutation, to: chain, using: &random)
            let checkpoint = try! Self.key.checkpoint(for: chain[count - 1], createdAt: AuditFixtures.start)
            var verifier = AuditChainVerifier(checkpoints: [checkpoint], publicKey: Self.key.publicKey)
            let problem = verifier.verify(mutated)
            #expect(problem != nil, "\(mutation) was not detected")
            if let expected { #expect(problem == expected, "\(mutation)") }
        }
    }

    /// The mutated chain and, where the mutation determines it, the problem the verifier must name.
    static func apply(
        _ mutation: Mutation, to chain: [AuditRecord], using random: inout SeededRandom
    ) -> ([AuditRecord], AuditProblem?) {
        var records = chain
        let last = chain.count - 1
        let index = Int.random(in: 0...last, using: &random)
        let sequence = chain[index].sequence
        switch mutation {
        case .editField:
            records[index] = AuditFixtures.fieldEdits(of: chain[index]).randomElement(using: &random)!.edited
            return (records, .edited(sequence: sequence))
        case .rewrite:
            records[index] = AuditFixtures.rehashed(AuditFixtures.fieldEdits(of: chain[index]).randomElement(using: &random)!.edited)
            return (records, index == last ? .checkpointMismatch(sequence: sequence) : .rewritten(sequence: sequence))
        case .delete:
            records.remove(at: index)
            return (
                records,
                index == last
                    ? .truncated(checkpointSequence: sequence, lastSequence: sequence - 1)
                    : .deleted(from: sequence, through: sequence)
            )
        case .duplicate:
            records.insert(chain[index], at: index + 1)
            return (records, .inserted(sequence: sequence))
        case .insertForged:
            let entry = AuditFixtures.entry(1000, using: &random)
            records.insert(try! AuditChain.append(entry, after: index == 0 ? nil : chain[index - 1]), at: index)
            // A forged record in the checkpoint's own place meets the checkpoint before its duplicate shows.
            return (records, index == last ? .checkpointMismatch(sequence: sequence) : .inserted(sequence: sequence))
        case .swap:
            let other = (index + Int.random(in: 1...last, using: &random)) % chain.count
            records.swapAt(index, other)
            let (early, late) = (min(index, other), max(index, other))
            return (records, .reordered(sequence: chain[late].sequence, expectedSequence: chain[early].sequence))
        case .truncateTail:
            let removed = Int.random(in: 1...chain.count, using: &random)
            records.removeLast(removed)
            return (records, .truncated(checkpointSequence: chain[last].sequence, lastSequence: Int64(chain.count - removed)))
        case .moveToEnd:
            let moved = min(index, last - 1)
            records.append(records.remove(at: moved))
            return (records, nil)
        }
    }
}
