import Fluent
import Foundation
import KamaeCore
import KamaeTrust
import SQLKit
import Synchronization

/// Failed sign-ins: counted on the account row (so every instance sees them) and, in memory, per source address
/// and per unknown login — the latter so that a locked-out unknown login answers exactly like a known one.
final class SignInThrottle: Sendable {
    static let shared = SignInThrottle()

    let throttle = LoginThrottle()
    private let recent = Mutex<[String: [Date]]>([:])
    /// Enough memory for an attack from many addresses; beyond it the oldest picture is dropped.
    private let maximumKeys = 10_000

    /// When the sign-in must be refused without looking at the password: the lock's end.
    func lock(address: String, login: String, user: UserRecord?, now: Date) -> Date? {
        let times = recent.withLock { $0 }
        if case let .locked(until) = throttle.sourceAddressDecision(failureTimes: times["address:" + address] ?? [], now: now) { return until }
        if let user {
            if let until = user.lockedUntil, until > now { return until }
            return nil
        }
        let failures = times["login:" + login.lowercased()] ?? []
        if case let .locked(until) = throttle.accountDecision(consecutiveFailures: failures.count, lastFailureAt: failures.last, now: now) { return until }
        return nil
    }

    /// Counts a failure; returns the end of the lock it starts, if it starts one.
    func recordFailure(address: String, login: String, user: UserRecord?, on database: any Database, now: Date) async throws -> Date? {
        remember("address:" + address, now, keep: throttle.policy.sourceAddressFailureLimit)
        guard let user else {
            let failures = remember("login:" + login.lowercased(), now, keep: throttle.policy.failuresBeforeLock * 8)
            if case let .locked(until) = throttle.accountDecision(consecutiveFailures: failures.count, lastFailureAt: now, now: now) { return until }
            return nil
        }
        // One atomic increment: parallel failures all count.
        let sql = database as! any SQLDatabase
        let id = try user.requireID()
        guard let row = try await sql.raw("""
            UPDATE users SET failed_logins = failed_logins + 1, last_failed_at = \(bind: now) WHERE id = \(bind: id) RETURNING failed_logins
            """).first()
        else { return nil }
        let failures = try row.decode(column: "failed_logins", as: Int.self)
        user.failedLogins = failures
        guard case let .locked(until) = throttle.accountDecision(consecutiveFailures: failures, lastFailureAt: now, now: now) else { return nil }
        try await sql.raw("UPDATE users SET locked_until = \(bind: until) WHERE id = \(bind: id)").run()
        // Every half-finished sign-in of the account ends with the lock: the password is due again afterwards.
        try await sql.raw("DELETE FROM user_sessions WHERE user_id = \(bind: id) AND stage <> 'full'").run()
        user.lockedUntil = until
        return until
    }

    @discardableResult
    private func remember(_ key: String, _ time: Date, keep: Int) -> [Date] {
        recent.withLock { recent in
            if recent.count >= maximumKeys, recent[key] == nil { recent.removeAll(keepingCapacity: true) }
            var times = recent[key] ?? []
            times.append(time)
            if times.count > keep { times.removeFirst(times.count - keep) }
            recent[key] = times
            return times
        }
    }

    static func lockedMessage(until: Date, now: Date) -> LocalizedText {
        let minutes = max(1, Int((until.timeIntervalSince(now) / 60).rounded(.up)))
        return LocalizedText(
            ja: "ログインの失敗が続いたため、一時的にロックされています。約 \(minutes) 分後にもう一度お試しください。解除を急ぐ場合は管理者に連絡してください。",
            en: "Too many failed sign-ins: sign-in is locked for about \(minutes) more minute(s). Ask your administrator if it cannot wait."
        )
    }
}
