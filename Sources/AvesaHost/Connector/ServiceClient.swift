import Foundation

/// The polite HTTP client of one (tenant, service) credential: every request goes
/// through the rate limiter, the authenticator, the engine and the retry policy.
///
/// Per attempt: wait for a slot and a token → authorize (so credentials are fresh when
/// sent, however long the wait) → send → release →
///  - 2xx: observe rate headers, return;
///  - throttled (429 or a manifest throttle status): pause this key for Retry-After (or
///    the backoff) and retry, without touching other keys; up to twice the policy's
///    attempts, not charged to the run's retry budget (the service said "later", and one
///    tenant's throttling must not spend the budget every tenant's failures draw on);
///  - 401 with a refreshable token: refresh once (shared by concurrent callers), retry;
///  - 5xx, 408, timeouts, transport errors: back off with full jitter (at least the
///    Retry-After a 5xx carries, for which the whole key pauses) and retry, while attempts
///    and the run's retry budget last;
///  - other 4xx: fail at once with the status, the redacted URL and a body snippet.
public final class ServiceClient: Sendable {
    /// Whose credential this is.
    public let key: RateLimitKey
    /// The limiter of this key.
    public let limiter: RateLimiter
    /// Counters of this key.
    public let metrics: ConnectorMetrics
    private let engine: CurlEngine
    private let authenticator: any RequestAuthenticator
    private let policy: RetryPolicy
    private let budget: RetryBudget
    private let signals: RateLimitSpec

    /// Creates the client of `key` from its parts.
    public init(key: RateLimitKey, engine: CurlEngine, authenticator: any RequestAuthenticator, limiter: RateLimiter,
                signals: RateLimitSpec, policy: RetryPolicy = RetryPolicy(), budget: RetryBudget = RetryBudget(retries: 1000),
                metrics: ConnectorMetrics = ConnectorMetrics()) {
        self.key = key
        self.engine = engine
        self.authenticator = authenticator
        self.limiter = limiter
        self.signals = signals
        self.policy = policy
        self.budget = budget
        self.metrics = metrics
    }

    /// The API host named by the token endpoint (Salesforce), if any.
    public func instanceURL() async throws -> String? {
        try await authenticator.instanceURL()
    }

    /// Sends `request` with auth, limits and retries; returns a 2xx response or throws
    /// `ConnectorError`. `attempts` caps the tries after server and transport errors
    /// (default: the retry policy's), for optional requests such as an incremental count
    /// probe that must not spend the run's retry budget on a failing endpoint; throttling is
    /// waited out and retried as for any request, since it says "later", not "broken".
    public func send(_ request: HTTPClientRequest, attempts: Int? = nil) async throws -> HTTPClientResponse {
        var attempt = 0
        var refreshedAfter401 = false
        while true {
            attempt += 1
            let outcome = try await attemptOnce(request)
            let failure: String
            switch outcome {
            case .success(let response, _):
                let retryAfter = RetryAfter.seconds(from: response.header(signals.retryAfterHeader ?? "Retry-After"))
                if response.status == 401, !refreshedAfter401, await authenticator.invalidate(after: outcome.authorizedRequest) {
                    refreshedAfter401 = true
                    attempt -= 1  // A token refresh is not a failed attempt.
                    continue
                }
                if let quota = Self.quotaExhaustion(response) {
                    metrics.recordError("quota")
                    throw ConnectorError.quotaExhausted("\(key): \(quota)")
                }
                let decision = Self.isConcurrencyLimit(response)
                    ? .throttled(retryAfter: retryAfter)
                    : policy.decide(status: response.status, throttleStatuses: signals.throttleStatuses, retryAfter: retryAfter)
                switch decision {
                case .accept:
                    await observeRateHeaders(response)
                    return response
                case .throttled(let seconds):
                    metrics.recordThrottle()
                    await limiter.pause(seconds: seconds ?? policy.backoff(afterAttempt: attempt))
                    failure = "HTTP \(response.status) (throttled) from \(URLRedactor.redact(request.url))"
                    if attempt >= policy.maxAttempts * 2 {
                        throw ConnectorError.retriesExhausted(attempts: attempt, last: failure)
                    }
                    metrics.recordRetry()
                    continue
                case .retry:
                    failure = "HTTP \(response.status) from \(URLRedactor.redact(request.url)): \(response.bodySnippet(limit: 200))"
                    // A 503 with Retry-After (a node restarting) holds the whole key back,
                    // not only this request, and the next attempt waits for it.
                    if let retryAfter { await limiter.pause(seconds: retryAfter) }
                case .fail:
                    metrics.recordError("http_\(response.status)")
                    if response.status == 401 || response.status == 403 {
                        throw ConnectorError.authentication("HTTP \(response.status) from \(URLRedactor.redact(request.url)): \(response.bodySnippet(limit: 200))")
                    }
                    throw ConnectorError.httpStatus(status: response.status, url: URLRedactor.redact(request.url), snippet: response.bodySnippet())
                }
            case .failure(let error):
                guard error.isRetryable else {
                    metrics.recordError("transport")
                    throw ConnectorError.transport(error)
                }
                failure = error.description
            }
            guard attempt < (attempts ?? policy.maxAttempts), budget.take() else {
                if attempts == nil { metrics.recordError("retries_exhausted") }  // a capped request is optional
                throw ConnectorError.retriesExhausted(attempts: attempt, last: failure)
            }
            metrics.recordRetry()
            try await Task.sleep(nanoseconds: UInt64(policy.backoff(afterAttempt: attempt) * 1e9))
        }
    }

    private enum Outcome {
        case success(HTTPClientResponse, authorized: HTTPClientRequest)
        case failure(HTTPClientError)

        var authorizedRequest: HTTPClientRequest {
            if case .success(_, let request) = self { return request }
            return HTTPClientRequest(url: "")
        }
    }

    private func attemptOnce(_ request: HTTPClientRequest) async throws -> Outcome {
        var authorized = request
        try await limiter.acquire()
        do {
            try await authenticator.authorize(&authorized)
        } catch {
            await limiter.release()
            throw error
        }
        let started = RateLimiter.monotonicSeconds()
        do {
            let response = try await engine.execute(authorized)
            await limiter.release()
            metrics.recordResponse(bytes: response.body.count, seconds: RateLimiter.monotonicSeconds() - started)
            return .success(response, authorized: authorized)
        } catch let error as HTTPClientError {
            await limiter.release()
            return .failure(error)
        } catch {
            await limiter.release()
            throw error
        }
    }

    /// Slows down before the service refuses: a spent window (remaining 0) pauses until
    /// the reset; a usage header near its limit lowers the rate.
    private func observeRateHeaders(_ response: HTTPClientResponse) async {
        if let name = signals.remainingHeader, let remaining = response.header(name).flatMap(Double.init), remaining <= 0,
           let resetName = signals.resetHeader, let reset = response.header(resetName).flatMap(Double.init) {
            let seconds = signals.resetKind == .unixTime ? reset - Date().timeIntervalSince1970 : reset
            await limiter.pause(seconds: seconds)
        }
        if let name = signals.usageHeader, let usage = response.header(name), let fraction = Self.usageFraction(usage) {
            // Full speed below 80% of the quota, then down to 10% of the rate at 100%.
            await limiter.throttle(toFraction: fraction < 0.8 ? 1 : max(0.1, (1 - fraction) * 5))
        }
    }

    /// Reads "api-usage=used/limit" (Salesforce Sforce-Limit-Info) as used / limit.
    static func usageFraction(_ header: String) -> Double? {
        guard let equals = header.firstIndex(of: "=") else { return nil }
        let parts = header[header.index(after: equals)...].split(separator: "/")
        guard parts.count == 2, let used = Double(parts[0].trimmingCharacters(in: .whitespaces)),
              let limit = Double(parts[1].trimmingCharacters(in: .whitespaces)), limit > 0 else { return nil }
        return used / limit
    }

    /// Recognises quota exhaustion that is not a 429 (Salesforce answers 403
    /// REQUEST_LIMIT_EXCEEDED, "TotalRequests Limit exceeded", when the org's daily API limit
    /// is spent): retrying cannot help.
    static func quotaExhaustion(_ response: HTTPClientResponse) -> String? {
        guard response.status == 403, response.body.count < 64_000, !isConcurrencyLimit(response) else { return nil }
        let text = String(decoding: response.body, as: UTF8.self)
        return text.contains("REQUEST_LIMIT_EXCEEDED") ? "HTTP 403 REQUEST_LIMIT_EXCEEDED: \(response.bodySnippet(limit: 200))" : nil
    }

    /// Recognises a limit on requests running at once rather than on requests per day:
    /// Salesforce's 403 REQUEST_LIMIT_EXCEEDED "ConcurrentRequests (Concurrent API Requests)
    /// Limit exceeded" (and the long-transaction variants, `ConcurrentPerOrgLongTxn`) clears
    /// as soon as other requests end, so it is throttling, retried after a pause.
    static func isConcurrencyLimit(_ response: HTTPClientResponse) -> Bool {
        guard response.status == 403, response.body.count < 64_000 else { return false }
        let text = String(decoding: response.body, as: UTF8.self)
        return text.contains("REQUEST_LIMIT_EXCEEDED") && text.contains("Concurrent")
    }
}
