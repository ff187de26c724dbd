import Foundation
import MarqueeCore
import MarqueeHTML

/// Every site's spec, and the routing from a page (URL or content) to a site and page kind.
public struct ScraperSet: Sendable {
    /// The specs, by site name order.
    public let sites: [SiteSpec]

    /// Wraps loaded specs.
    public init(_ sites: [SiteSpec]) {
        self.sites = sites
    }

    /// Loads `scrapers/*.toml` from `directory`.
    public static func load(directory: URL) throws(MarqueeError) -> ScraperSet {
        ScraperSet(try SpecLoader.loadAll(directory: directory))
    }

    /// The spec called `name`.
    public func site(_ name: String) -> SiteSpec? { sites.first { $0.site == name } }

    /// The page kinds whose URL patterns match `url` (on a site owning its host), in spec order,
    /// with the pattern's named groups.
    public func candidates(for url: String, site name: String? = nil) -> [(
        site: SiteSpec, page: PageSpec, captures: [String: String]
    )] {
        guard let host = URLComponents(string: url)?.host else { return [] }
        var found: [(SiteSpec, PageSpec, [String: String])] = []
        for site in sites where (name == nil || site.site == name) && site.owns(host: host) {
            for page in site.pages {
                for pattern in page.urlPatterns {
                    if let captures = pattern.captures(in: url) {
                        found.append((site, page, captures))
                        break
                    }
                }
            }
        }
        return found
    }

    /// Recognises and extracts one page.
    ///
    /// The URL is `url` when given, else the page's canonical link or `og:url`. Among the page
    /// kinds whose URL pattern matches, the first whose `detect` rules (if any) find something
    /// wins. `links: false` skips the link rules (`parse` prints records only). A page with no URL at all is matched on content alone (kinds with `detect` rules).
    /// - Throws: `MarqueeError` `.dataError` (exit 65) for an unrecognised page, naming what was tried.
    public func extract(
        data: Data, url: String? = nil, site name: String? = nil, contentType: String? = nil, links: Bool = true,
        currentYear: Int = Calendar(identifier: .gregorian).component(.year, from: Date())
    ) throws(MarqueeError) -> PageExtraction {
        if let name, site(name) == nil {
            throw MarqueeError(
                .usage, "unknown site \"\(name)\"", hint: "sites: \(sites.map(\.site).joined(separator: ", "))")
        }
        let document = HTMLDocument(data: data, url: url, contentType: contentType)
        // The page's own URL is read only when none was given (two full-tree scans saved per page).
        let metadata = url == nil ? PageMetadata(document) : nil
        let pageURL =
            url ?? metadata?.canonicalURL.flatMap(absolute) ?? metadata?.openGraph("url").flatMap(absolute)
        var tried: [String] = []
        if let pageURL {
            let candidates = candidates(for: pageURL, site: name)
            for (site, page, captures) in candidates {
                let context = PageContext(document: document, url: pageURL, captures: captures, metadata: metadata)
                if detects(site, page, context) {
                    return Extractor(site: site, page: page, context: context, currentYear: currentYear).run(
                        links: links)
                }
                tried.append("\(site.site)/\(page.kind) (URL matched, page content did not)")
            }
            if candidates.isEmpty {
                let host = URLComponents(string: pageURL)?.host ?? "?"
                let owners = sites.filter { $0.owns(host: host) && (name == nil || $0.site == name) }
                if owners.isEmpty {
                    tried.append("no site spec lists host \(host)")
                } else {
                    for site in owners {
                        tried.append(
                            "\(site.site): URL matched none of "
                                + site.pages.map {
                                    "\($0.kind) \($0.urlPatterns.map(\.source).joined(separator: " | "))"
                                }
                                .joined(separator: "; "))
                    }
                }
            }
        } else {
            for site in sites where name == nil || site.site == name {
                for page in site.pages where !page.detect.isEmpty {
                    let context = PageContext(document: document, url: "", captures: [:], metadata: metadata)
                    if detects(site, page, context) {
                        return Extractor(site: site, page: page, context: context, currentYear: currentYear).run(
                            links: links)
                    }
                }
            }
            tried.append(
                "the page has no canonical link or og:url, and no page kind's detect rules matched its content")
        }
        throw MarqueeError(
            .dataError, "unrecognised page: " + tried.joined(separator: "; "), location: pageURL,
            hint: pageURL == nil ? "pass --url with the page's address" : "check --url, or add a page kind to scrapers/"
        )
    }

    private func absolute(_ text: String) -> String? {
        guard let components = URLComponents(string: text), components.scheme != nil, components.host != nil else {
            return nil
        }
        return text
    }

    private func detects(_ site: SiteSpec, _ page: PageSpec, _ context: PageContext) -> Bool {
        guard !page.detect.isEmpty else { return true }
        let extractor = Extractor(site: site, page: page, context: context, currentYear: 0)
        return page.detect.contains { rule in
            var rule = rule
            // Detection asks whether something is there, not what it says.
            if case .css = rule.source { rule.present = true }
            if case .xpath = rule.source { rule.present = true }
            return extractor.values(rule, at: context.document.root).contains { $0 != .bool(false) }
        }
    }
}
