import Foundation
import KamaeCore
import Synchronization

/// Answers this process has read, per assessment, valid while the assessment's `answers_stamp` is unchanged.
/// Every answer write stores a new random stamp in the same transaction, so a reader that sees the stamp it cached
/// holds exactly the stored answers — whichever instance wrote them. Pages and the API then need one small row
/// instead of 176 answer rows per assessment.
final class AnswerCache: Sendable {
    struct Entry: Sendable {
        var stamp: String
        var answers: [String: Answer]
        var revisions: [String: Int]
        /// Filled by the first reader that scores this content (scores depend only on the answers and the catalog).
        var score: AssessmentScore?
    }

    static let shared = AnswerCache()

    /// Enough for every assessment of a few hundred institutions; beyond it the cache starts over (a reload is cheap).
    private let capacity = 2_000
    private let entries = Mutex<[UUID: Entry]>([:])

    func entry(_ assessmentID: UUID, stamp: String) -> Entry? {
        entries.withLock { entries in
            guard let entry = entries[assessmentID], entry.stamp == stamp else { return nil }
            return entry
        }
    }

    func store(_ entry: Entry, for assessmentID: UUID) {
        // An empty stamp is the migration default of rows written before stamps existed: never trusted.
        guard !entry.stamp.isEmpty else { return }
        entries.withLock { entries in
            if entries.count >= capacity, entries[assessmentID] == nil { entries.removeAll(keepingCapacity: true) }
            entries[assessmentID] = entry
        }
    }

    func storeScore(_ score: AssessmentScore, for assessmentID: UUID, stamp: String) {
        entries.withLock { entries in
            guard entries[assessmentID]?.stamp == stamp else { return }
            entries[assessmentID]?.score = score
        }
    }

    static func newStamp() -> String { UUID().uuidString }
}
