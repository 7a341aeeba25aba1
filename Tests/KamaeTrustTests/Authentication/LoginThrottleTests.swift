import Foundation
import PropertyBased
import Testing
@testable import KamaeTrust

struct LoginThrottleTests {
    let throttle = LoginThrottle()
    let lastFailure = Date(timeIntervalSince1970: 1_700_000_000)
    static let minute: TimeInterval = 60

    @Test func defaultsAreDocumented() {
        let policy = LoginThrottlePolicy()
        #expect(policy.failuresBeforeLock == 5)
        #expect(policy.initialLockDuration == 15 * Self.minute)
        #expect(policy.maximumLockDuration == 24 * 60 * Self.minute)
        #expect(policy.sourceAddressFailureLimit == 20)
        #expect(policy.sourceAddressWindow == 10 * Self.minute)
    }

    @Test(arguments: 0...4)
    func allowsFewerThanFiveFailures(failures: Int) {
        #expect(throttle.accountDecision(consecutiveFailures: failures, lastFailureAt: lastFailure, now: lastFailure) == .allowed)
    }

    @Test func fifthFailureLocksForFifteenMinutes() {
        let until = lastFailure.addingTimeInterval(15 * Self.minute)
        #expect(throttle.accountDecision(consecutiveFailures: 5, lastFailureAt: lastFailure, now: lastFailure) == .locked(until: until))
        #expect(throttle.accountDecision(
            consecutiveFailures: 5, lastFailureAt: lastFailure, now: until.addingTimeInterval(-1)) == .locked(until: until))
        #expect(throttle.accountDecision(consecutiveFailures: 5, lastFailureAt: lastFailure, now: until) == .allowed)
    }

    @Test func eachFurtherLockDoublesUpToADay() {
        let minutes = (5...14).map { throttle.lockDuration(afterConsecutiveFailures: $0) / Self.minute }
        #expect(minutes == [15, 30, 60, 120, 240, 480, 960, 1440, 1440, 1440])
        #expect(throttle.lockDuration(afterConsecutiveFailures: 4) == 0)
        #expect(throttle.lockDuration(afterConsecutiveFailures: 1_000_000) == 24 * 60 * Self.minute)
    }

    @Test func sixthFailureAfterTheFirstLockLocksForThirtyMinutes() {
        let decision = throttle.accountDecision(consecutiveFailures: 6, lastFailureAt: lastFailure, now: lastFailure.addingTimeInterval(60))
        #expect(decision == .locked(until: lastFailure.addingTimeInterval(30 * Self.minute)))
    }

    @Test func successResetsTheCount() {
        // The caller stores 0 after a success; no failure time is needed then.
        #expect(throttle.accountDecision(consecutiveFailures: 0, lastFailureAt: lastFailure, now: lastFailure) == .allowed)
        #expect(throttle.accountDecision(consecutiveFailures: 0, lastFailureAt: nil, now: lastFailure) == .allowed)
    }

    @Test func customPolicy() {
        let strict = LoginThrottle(policy: LoginThrottlePolicy(failuresBeforeLock: 3, initialLockDuration: 60, maximumLockDuration: 300))
        #expect(strict.accountDecision(consecutiveFailures: 2, lastFailureAt: lastFailure, now: lastFailure) == .allowed)
        #expect(strict.accountDecision(consecutiveFailures: 3, lastFailureAt: lastFailure, now: lastFailure)
            == .locked(until: lastFailure.addingTimeInterval(60)))
        #expect((3...8).map { strict.lockDuration(afterConsecutiveFailures: $0) } == [60, 120, 240, 300, 300, 300])
    }

    @Test func lockDurationNeverShrinksAndStaysWithinBounds() async {
        await propertyCheck(input: Gen.int(in: 5...10_000)) { failures in
            let duration = throttle.lockDuration(afterConsecutiveFailures: failures)
            #expect(duration >= 15 * Self.minute && duration <= 24 * 60 * Self.minute)
            #expect(throttle.lockDuration(afterConsecutiveFailures: failures + 1) >= duration)
        }
    }

    // MARK: Source address

    let now = Date(timeIntervalSince1970: 1_700_000_600)

    @Test func allowsNineteenFailuresInTenMinutes() {
        let failures = (0..<19).map { now.addingTimeInterval(-Double($0) * 25) }
        #expect(throttle.sourceAddressDecision(failureTimes: failures, now: now) == .allowed)
    }

    @Test func twentiethFailureLocksUntilTheOldestAgesOut() {
        // One failure every 25 s: the oldest of the 20 was 475 s ago.
        let failures = (0..<20).map { now.addingTimeInterval(-Double($0) * 25) }
        let oldest = now.addingTimeInterval(-475)
        #expect(throttle.sourceAddressDecision(failureTimes: failures.shuffled(), now: now)
            == .locked(until: oldest.addingTimeInterval(10 * Self.minute)))
        #expect(throttle.sourceAddressDecision(failureTimes: failures, now: oldest.addingTimeInterval(10 * Self.minute)) == .allowed)
    }

    @Test func withMoreFailuresTheLockLastsUntilEnoughAgeOut() {
        // 30 failures in the last 290 s: allowed again once the 11th newest-from-oldest leaves.
        let failures = (0..<30).map { now.addingTimeInterval(-Double($0) * 10) }
        let releasing = now.addingTimeInterval(-190)
        #expect(throttle.sourceAddressDecision(failureTimes: failures, now: now)
            == .locked(until: releasing.addingTimeInterval(10 * Self.minute)))
    }

    @Test func ignoresFailuresOutsideTheWindow() {
        let old = (0..<50).map { now.addingTimeInterval(-10 * Self.minute - Double($0)) }
        let recent = (0..<19).map { now.addingTimeInterval(-Double($0)) }
        #expect(throttle.sourceAddressDecision(failureTimes: old + recent, now: now) == .allowed)
        let future = (1...5).map { now.addingTimeInterval(Double($0)) }
        #expect(throttle.sourceAddressDecision(failureTimes: recent + future, now: now) == .allowed)
    }
}
