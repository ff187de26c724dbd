import MarqueeCore

extension FetchError {
    /// The error as a `MarqueeError`: unreachable or failing sites are `unavailable` (exit 69),
    /// pages the site serves wrongly (too large, redirect loops) are `dataError` (65), URLs that
    /// are not http(s) are `usage` (64).
    public var marqueeError: MarqueeError {
        let code: MarqueeError.Code
        switch kind {
        case .dns, .connect, .timeout, .tls, .transport: code = .unavailable
        case .tooLarge, .tooManyRedirects, .redirectLoop, .robotsDisallowed, .offsite, .notRecorded: code = .dataError
        case .disallowedScheme, .invalidURL, .privateAddress: code = .usage
        }
        return MarqueeError(code, "\(kind.rawValue): \(message)", location: url)
    }
}
