import Foundation

/// Limits failed logins per (client, e-mail) and per client: after `maxFailures` failures
/// of one pair, or `maxClientFailures` of one client over any e-mails, within
/// `windowSeconds`, further attempts are refused until the oldest counted failure leaves
/// the window. A successful login clears its pair and takes back its count from the client.
///
/// The client is `SocketAddress.clientKey` of the socket peer (an IPv4 address or an IPv6
/// /64, which one host can rotate through), never `X-Forwarded-For` (which clients forge).
/// A peer on loopback (a local reverse proxy, whose users all share its address) is not
/// limited per client (`limitClient`), only per pair.
///
/// In memory, per process; the table is bounded (`maxKeys`, oldest entries dropped first).
/// Invariant: `failures` only under `lock`.
public final class LoginRateLimiter: @unchecked Sendable {
    public let maxFailures: Int
    /// Failed attempts of one client, whatever the e-mails, within the window.
    public let maxClientFailures: Int
    public let windowSeconds: Int64
    private let maxKeys: Int
    private let lock = NSLock()
    private var failures: [String: [Int64]] = [:]

    public init(maxFailures: Int = 5, maxClientFailures: Int = 50, windowSeconds: Int64 = 900, maxKeys: Int = 100_000) {
        self.maxFailures = maxFailures
        self.maxClientFailures = maxClientFailures
        self.windowSeconds = windowSeconds
        self.maxKeys = maxKeys
    }

    static func key(client: String, email: String) -> String { client + "\u{0}" + email.lowercased() }
    /// The key of a client's failures over every e-mail (no e-mail holds `\u{1}`).
    static func key(client: String) -> String { client + "\u{1}" }

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
    /// - Parameter limitClient: false for a peer on loopback: a local reverse proxy, whose
    ///   users would all share one client's limit (an attacker could lock them all out).
    public func beginAttempt(client: String, email: String, now: Int64, limitClient: Bool = true) -> Int64? {
        lock.withLock {
            let key = Self.key(client: client, email: email)
            var limits: [(key: String, most: Int)] = [(key, maxFailures)]
            if limitClient { limits.append((Self.key(client: client), maxClientFailures)) }
            if limits.contains(where: { failures[$0.key] == nil }) && failures.count >= maxKeys { prune(now: now) }
            let lists = limits.map { (failures[$0.key] ?? []).filter { $0 > now - windowSeconds } }
            // The longest wait of the limits reached, if any.
            let wait = zip(limits, lists).compactMap { limit, recent in
                recent.count >= limit.most ? recent.first.map { max(1, $0 + windowSeconds - now) } : nil
            }.max()
            for (limit, var recent) in zip(limits, lists) {
                if wait == nil { recent.append(now) }
                failures[limit.key] = recent.isEmpty ? nil : recent
            }
            return wait
        }
    }

    /// Takes back an attempt `beginAttempt` admitted at `now` that never checked a password
    /// (the server shed it): it counts against neither the pair nor the client.
    public func cancelAttempt(client: String, email: String, now: Int64) {
        lock.withLock {
            for key in [Self.key(client: client, email: email), Self.key(client: client)] {
                guard var list = failures[key], let index = list.lastIndex(of: now) else { continue }
                list.remove(at: index)
                failures[key] = list.isEmpty ? nil : list
            }
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

    /// Clears the pair after a successful login, and takes back the client's count of the
    /// attempt admitted at `now` (its failed guesses at other e-mails stay counted).
    public func recordSuccess(client: String, email: String, now: Int64? = nil) {
        lock.withLock {
            failures.removeValue(forKey: Self.key(client: client, email: email))
            let clientKey = Self.key(client: client)
            guard var list = failures[clientKey], let index = now.flatMap({ list.lastIndex(of: $0) }) ?? list.indices.last else { return }
            list.remove(at: index)
            failures[clientKey] = list.isEmpty ? nil : list
        }
    }

    private func prune(now: Int64) {
        failures = failures.filter { $0.value.last.map { $0 > now - windowSeconds } ?? false }
        if failures.count >= maxKeys {
            let victims = failures.sorted { ($0.value.last ?? 0) < ($1.value.last ?? 0) }.prefix(failures.count / 2)
            for victim in victims { failures.removeValue(forKey: victim.key) }
        }
    }
}
