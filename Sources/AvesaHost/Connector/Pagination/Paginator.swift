/// The pagination strategies of the ABI as one pure state machine: given where a page
/// came from and what it held, where the next page is — or that the table is done (with
/// a new watermark for delta queries). No I/O; `PageStream` drives it.
///
/// Stop rules: an empty page always ends page-number and offset paging; a short page or
/// a reached total ends them when the manifest says so; body links end when missing (or
/// `done` is true); keyset paging ends on an empty page (unless the total says rows
/// remain past it), once its records reach the total, or on a short page when the
/// manifest says so; a next link,
/// token or last key seen before is an error, never a hang.
public struct Paginator: Sendable {
    /// What comes after a page.
    public enum Step: Sendable, Equatable {
        /// Fetch this position next.
        case next(PagePosition)
        /// The table is complete; `watermark` is a delta link when the API gave one.
        case finished(watermark: String?)
    }

    public let spec: PaginationSpec
    /// Records requested per page.
    public let pageSize: Int
    private var seen: Set<String> = []

    /// A paginator for `spec` asking for `pageSize` records per page.
    public init(spec: PaginationSpec, pageSize: Int) {
        self.spec = spec
        self.pageSize = pageSize
    }

    /// The query parameters that select `position` (empty for positions that are URLs).
    public func parameters(for position: PagePosition) -> [(String, String)] {
        switch (spec.kind, position) {
        case (.pageNumber, .start): return spec.pageParam.map { [($0, String(spec.firstPage))] } ?? []
        case (.pageNumber, .page(let n)), (.linkHeader, .page(let n)): return spec.pageParam.map { [($0, String(n))] } ?? []
        case (.offsetLimit, .start): return spec.pageParam.map { [($0, "0")] } ?? []
        case (.offsetLimit, .offset(let n)): return spec.pageParam.map { [($0, String(n))] } ?? []
        case (.cursor, .token(let token)): return spec.pageParam.map { [($0, token)] } ?? []
        case (.keyset, .after(_, let skip)) where skip > 0: return spec.pageParam.map { [($0, String(skip))] } ?? []
        default: return []
        }
    }

    /// Decides the step after a page fetched at `position` (`url` is the URL it was
    /// fetched from, for resolving relative links).
    public mutating func step(after position: PagePosition, url: String, summary: PageSummary) throws(ConnectorError) -> Step {
        switch spec.kind {
        case .none:
            return .finished(watermark: nil)
        case .pageNumber:
            guard !pageEnds(summary, offsetAfter: nil) else { return .finished(watermark: nil) }
            let current: Int
            switch position {
            case .page(let n): current = n
            default: current = Int(spec.firstPage)
            }
            return .next(.page(current + 1))
        case .offsetLimit:
            let current: Int
            if case .offset(let n) = position { current = n } else { current = 0 }
            if summary.recordCount == 0, spec.stopConditions.contains(.total), let total = summary.total, current + pageSize < total {
                // Empty while the total says rows remain (access rules hid the whole page, as
                // ServiceNow's do): step over it rather than end the table there.
                return .next(.offset(current + pageSize))
            }
            let after = current + summary.recordCount
            guard !pageEnds(summary, offsetAfter: after) else { return .finished(watermark: nil) }
            return .next(.offset(after))
        case .cursor:
            guard summary.recordCount > 0 || !spec.stopConditions.contains(.emptyPage) || summary.nextValue != nil,
                  let token = summary.nextValue, !token.isEmpty, summary.done != true else { return .finished(watermark: nil) }
            try remember(token, what: "cursor token")
            return .next(.token(token))
        case .nextURL, .deltaLink:
            if let next = summary.nextValue, !next.isEmpty, summary.done != true {
                let resolved = try Self.followable(next, from: url, what: "next link")
                try remember(resolved, what: "next link")
                return .next(.url(resolved))
            }
            return .finished(watermark: try summary.deltaLink.map { (link) throws(ConnectorError) in
                try Self.followable(link, from: url, what: "delta link")
            })
        case .keyset:
            return try keysetStep(after: position, summary: summary)
        case .linkHeader:
            guard let next = summary.linkNext, !(summary.recordCount == 0 && spec.stopConditions.contains(.emptyPage)) else {
                return .finished(watermark: nil)
            }
            let resolved = try Self.followable(next, from: url, what: "Link rel=\"next\"")
            try remember(resolved, what: "Link rel=\"next\"")
            return .next(.url(resolved))
        }
    }

    /// Keyset paging: on from the page's last key; over a page access rules emptied while the
    /// total says matches remain (by offset from the same key); done on an empty page past
    /// the total, or once the records received reach the total (counted by what came, not by
    /// the size asked: a service may send fewer than asked).
    private mutating func keysetStep(after position: PagePosition, summary: PageSummary) throws(ConnectorError) -> Step {
        var key: String?, skip = 0
        if case .after(let from, let skipped) = position { key = from; skip = skipped }
        let total = spec.stopConditions.contains(.total) ? summary.total : nil
        guard summary.recordCount > 0 else {
            if let total, skip + pageSize < total, spec.pageParam != nil { return .next(.after(key: key, skip: skip + pageSize)) }
            return .finished(watermark: nil)
        }
        guard let last = summary.lastKey, !last.isEmpty else {
            throw .pagination("keyset paging needs the primary key of the page's last record, and it has none")
        }
        if let total, skip + summary.recordCount >= total { return .finished(watermark: nil) }
        if summary.done == true { return .finished(watermark: nil) }
        // Only for services that never shorten a page while rows remain (not ServiceNow,
        // whose access rules do): fewer than asked past the key is the end.
        if spec.stopConditions.contains(.shortPage), summary.recordCount < pageSize { return .finished(watermark: nil) }
        try remember(last, what: "last key")
        return .next(.after(key: last, skip: 0))
    }

    private func pageEnds(_ summary: PageSummary, offsetAfter: Int?) -> Bool {
        if summary.recordCount == 0 { return true }
        if spec.stopConditions.contains(.shortPage) && summary.recordCount < pageSize { return true }
        if spec.stopConditions.contains(.total), let total = summary.total, let offsetAfter, offsetAfter >= total { return true }
        if spec.stopConditions.contains(.missingNext), spec.kind == .pageNumber, summary.linkNext == nil, summary.nextValue == nil,
           summary.done == nil, summary.total == nil {
            return false  // No link information at all: page numbers go on until a short/empty page.
        }
        return summary.done == true
    }

    /// `link` resolved against `url`, if it stays on `url`'s origin: the request carries
    /// the tenant's credentials, which must never go to another host or in clear text. A
    /// link to the same host over plain http (a TLS-terminating proxy that rewrote it) is
    /// followed on the page's own origin; another host or port is refused.
    static func followable(_ link: String, from url: String, what: String) throws(ConnectorError) -> String {
        let resolved = URLResolution.resolve(link, against: url)
        guard let target = URLResolution.origin(of: resolved), let own = URLResolution.origin(of: url), target != own else {
            return resolved
        }
        if target.scheme == "http", own.scheme == "https", target.host == own.host, target.port == nil {
            return own.text + resolved.dropFirst(target.text.count)
        }
        throw .pagination("the \(what) points to \(URLRedactor.redact(target.text)), not to the service's \(URLRedactor.redact(own.text)); the tenant's credentials are sent only there")
    }

    private mutating func remember(_ value: String, what: String) throws(ConnectorError) {
        guard seen.insert(value).inserted else {
            throw .pagination("the \(what) did not advance (\(URLRedactor.redact(value)) was already fetched)")
        }
    }
}
