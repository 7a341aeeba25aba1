import Foundation

/// The numbers behind `LoginThrottle`. Defaults follow common guidance for online
/// services (e.g. NIST SP 800-63B §5.2.2 asks for rate limiting that tolerates a
/// few typos but makes online guessing slow).
public struct LoginThrottlePolicy: Sendable, Hashable {
    /// Consecutive failures on one account before it is locked: 5.
    public let failuresBeforeLock: Int
    /// Length of the first lock: 15 minutes. Each further failure locks again for
    /// twice as long as the previous lock.
    public let initialLockDuration: TimeInterval
    /// Ceiling for the doubling: 24 hours, so a real user is never locked out for good.
    public let maximumLockDuration: TimeInterval
    /// Failures from one source address, across all accounts, before it is refused: 20.
    /// Catches one client spraying guesses over many accounts.
    public let sourceAddressFailureLimit: Int
    /// The sliding window those failures are counted in: 10 minutes.
    public let sourceAddressWindow: TimeInterval

    public init(
        failuresBeforeLock: Int = 5,
        initialLockDuration: TimeInterval = 15 * 60,
        maximumLockDuration: TimeInterval = 24 * 60 * 60,
        sourceAddressFailureLimit: Int = 20,
        sourceAddressWindow: TimeInterval = 10 * 60
    ) {
        precondition(failuresBeforeLock > 0 && sourceAddressFailureLimit > 0, "Limits must allow at least one attempt")
        precondition(initialLockDuration > 0 && maximumLockDuration >= initialLockDuration, "Lock durations must grow from a positive start")
        precondition(sourceAddressWindow > 0, "The source-address window must be positive")
        self.failuresBeforeLock = failuresBeforeLock
        self.initialLockDuration = initialLockDuration
        self.maximumLockDuration = maximumLockDuration
        self.sourceAddressFailureLimit = sourceAddressFailureLimit
        self.sourceAddressWindow = sourceAddressWindow
    }
}

public enum LoginThrottleDecision: Sendable, Hashable {
    case allowed
    case locked(until: Date)
}

/// Decides whether a login attempt may even be checked. Pure: the caller stores
/// the counters and the clock is passed in.
///
/// Usage: ask before verifying a password; on failure record it (increment the
/// account's count, set its last failure time, append the source address's failure
/// time); on success reset the account's count to 0. Attempts refused while locked
/// are not verified and are not recorded as failures.
public struct LoginThrottle: Sendable, Hashable {
    public let policy: LoginThrottlePolicy

    public init(policy: LoginThrottlePolicy = LoginThrottlePolicy()) {
        self.policy = policy
    }

    /// From the `failuresBeforeLock`-th consecutive failure on, every failure locks
    /// the account, each lock twice as long as the one before, up to the maximum.
    public func accountDecision(consecutiveFailures: Int, lastFailureAt: Date?, now: Date) -> LoginThrottleDecision {
        guard let lastFailureAt, consecutiveFailures >= policy.failuresBeforeLock else { return .allowed }
        let lockUntil = lastFailureAt.addingTimeInterval(lockDuration(afterConsecutiveFailures: consecutiveFailures))
        return now < lockUntil ? .locked(until: lockUntil) : .allowed
    }

    /// 0 below the threshold; otherwise initial × 2^(failures − threshold), capped.
    public func lockDuration(afterConsecutiveFailures failures: Int) -> TimeInterval {
        guard failures >= policy.failuresBeforeLock else { return 0 }
        // Past 62 doublings the exponent would overflow; the cap is long reached by then.
        let doublings = min(failures - policy.failuresBeforeLock, 62)
        return min(policy.initialLockDuration * Double(1 << doublings), policy.maximumLockDuration)
    }

    /// Counts the source address's failures inside the sliding window ending at `now`.
    /// At the limit, the address is refused until enough of them age out of the window.
    /// Only the latest `sourceAddressFailureLimit` times ever matter, so that is all a
    /// caller needs to keep.
    public func sourceAddressDecision(failureTimes: [Date], now: Date) -> LoginThrottleDecision {
        let windowStart = now.addingTimeInterval(-policy.sourceAddressWindow)
        let recent = failureTimes.filter { $0 > windowStart && $0 <= now }.sorted()
        guard recent.count >= policy.sourceAddressFailureLimit else { return .allowed }
        // Once this failure leaves the window, fewer than the limit remain.
        let releasing = recent[recent.count - policy.sourceAddressFailureLimit]
        return .locked(until: releasing.addingTimeInterval(policy.sourceAddressWindow))
    }
}
