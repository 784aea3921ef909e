import Foundation

/// Limits failed logins per (client address, e-mail): after `maxFailures` failures within
/// `windowSeconds`, further attempts for that pair are refused until the oldest counted
/// failure leaves the window. A successful login clears the pair.
///
/// In memory, per process; the table is bounded (`maxKeys`, oldest entries dropped first).
/// The client address is the socket peer, never `X-Forwarded-For` (which clients forge).
/// Invariant: `failures` only under `lock`.
public final class LoginRateLimiter: @unchecked Sendable {
    public let maxFailures: Int
    public let windowSeconds: Int64
    private let maxKeys: Int
    private let lock = NSLock()
    private var failures: [String: [Int64]] = [:]

    public init(maxFailures: Int = 5, windowSeconds: Int64 = 900, maxKeys: Int = 100_000) {
        self.maxFailures = maxFailures
        self.windowSeconds = windowSeconds
        self.maxKeys = maxKeys
    }

    static func key(client: String, email: String) -> String { client + "\u{0}" + email.lowercased() }

    /// Seconds to wait before trying again, or nil when an attempt is allowed now.
    public func retryAfter(client: String, email: String, now: Int64) -> Int64? {
        lock.withLock {
            let key = Self.key(client: client, email: email)
            let recent = (failures[key] ?? []).filter { $0 > now - windowSeconds }
            failures[key] = recent.isEmpty ? nil : recent
            guard recent.count >= maxFailures, let oldest = recent.first else { return nil }
            return max(1, oldest + windowSeconds - now)
        }
    }

    /// Admits an attempt and counts it as a failure until `recordSuccess` clears the pair;
    /// returns the seconds to wait instead when the pair is over its limit. Counting before
    /// the password check means a burst of parallel guesses cannot slip past the limit.
    public func beginAttempt(client: String, email: String, now: Int64) -> Int64? {
        lock.withLock {
            let key = Self.key(client: client, email: email)
            if failures[key] == nil && failures.count >= maxKeys { prune(now: now) }
            var recent = (failures[key] ?? []).filter { $0 > now - windowSeconds }
            if recent.count >= maxFailures, let oldest = recent.first {
                failures[key] = recent
                return max(1, oldest + windowSeconds - now)
            }
            recent.append(now)
            failures[key] = recent
            return nil
        }
    }

    /// Records a failed attempt.
    public func recordFailure(client: String, email: String, now: Int64) {
        lock.withLock {
            let key = Self.key(client: client, email: email)
            if failures[key] == nil && failures.count >= maxKeys { prune(now: now) }
            var list = (failures[key] ?? []).filter { $0 > now - windowSeconds }
            list.append(now)
            if list.count > maxFailures { list.removeFirst(list.count - maxFailures) }
            failures[key] = list
        }
    }

    /// Clears the pair after a successful login.
    public func recordSuccess(client: String, email: String) {
        _ = lock.withLock { failures.removeValue(forKey: Self.key(client: client, email: email)) }
    }

    private func prune(now: Int64) {
        failures = failures.filter { $0.value.last.map { $0 > now - windowSeconds } ?? false }
        if failures.count >= maxKeys {
            let victims = failures.sorted { ($0.value.last ?? 0) < ($1.value.last ?? 0) }.prefix(failures.count / 2)
            for victim in victims { failures.removeValue(forKey: victim.key) }
        }
    }
}
