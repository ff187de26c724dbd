import Foundation

extension Normalize {
    /// Query parameters that track clicks rather than select content; dropped by ``canonicalURL(_:base:)``.
    public static func isTrackingParameter(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.hasPrefix("utm_") || lower.hasPrefix("pf_rd_") || trackingParameters.contains(lower)
    }

    static let trackingParameters: Set<String> = [
        "ref", "ref_", "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "_ga", "igshid", "yclid",
    ]

    /// A URL in the one form the frontier uses to tell pages apart.
    ///
    /// Resolves a relative reference against `base`, lower-cases scheme and host, drops the default
    /// port, the fragment and tracking parameters (`utm_*`, `ref_`, `ref`, `fbclid`, `gclid`, `pf_rd_*`,
    /// …), sorts the remaining query parameters (keeping repeats in order), removes `.` and `..`
    /// segments and gives an empty path `/`. Percent-encoding is kept as given.
    /// - Throws: `missing`, `malformed` (not a URL, a relative URL without `base`, or not http/https).
    public static func canonicalURL(_ raw: String, base: String? = nil) throws(NormalizeError) -> String {
        let text = try raw.cleaned(for: "url", footnotes: false)
        let baseURL = base.flatMap { URL(string: $0) }
        guard let resolved = URL(string: text, relativeTo: baseURL)?.absoluteURL,
            var components = URLComponents(url: resolved, resolvingAgainstBaseURL: true)
        else { throw NormalizeError(.malformed, "url", raw: raw, "not a URL") }
        guard let scheme = components.scheme?.lowercased() else {
            throw NormalizeError(.malformed, "url", raw: raw, "a relative URL needs a base URL")
        }
        guard scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty else {
            throw NormalizeError(.malformed, "url", raw: raw, "only http and https URLs with a host are crawled")
        }
        components.scheme = scheme
        components.host = host.lowercased()
        if (scheme == "http" && components.port == 80) || (scheme == "https" && components.port == 443) {
            components.port = nil
        }
        components.fragment = nil
        components.percentEncodedPath = removingDotSegments(components.percentEncodedPath)
        if components.percentEncodedPath.isEmpty { components.percentEncodedPath = "/" }
        if let items = components.percentEncodedQueryItems {
            let kept = items.filter { !isTrackingParameter($0.name) }
            let sorted = kept.enumerated().sorted { ($0.element.name, $0.offset) < ($1.element.name, $1.offset) }.map(
                \.element)
            components.percentEncodedQueryItems = sorted.isEmpty ? nil : sorted
        }
        guard let url = components.string else { throw NormalizeError(.malformed, "url", raw: raw, "not a URL") }
        return url
    }

    /// RFC 3986 §5.2.4 dot-segment removal.
    static func removingDotSegments(_ path: String) -> String {
        var output: [Substring] = []
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        for (index, segment) in segments.enumerated() {
            switch segment {
            case ".":
                if index == segments.count - 1 { output.append("") }
            case "..":
                if output.count > 1 { output.removeLast() }
                if index == segments.count - 1 { output.append("") }
            default:
                output.append(segment)
            }
        }
        return output.joined(separator: "/")
    }
}
