import MarqueeCore

extension ScraperSet {
    /// The sites, their hosts and page kinds with each kind's record, fields (required ones
    /// apart) and link rules — what `marquee sites --format json` prints.
    public var summaryJSON: JSONValue {
        .array(
            sites.map { site in
                let pages = site.pages.map { page -> JSONValue in
                    .object(
                        JSONObject([
                            ("kind", .string(page.kind)), ("record", .string(page.record.rawValue)),
                            ("description", .string(page.description)),
                            ("fields", .array(page.fields.map { .string($0.name) })),
                            ("required", .array(page.fields.filter(\.required).map { .string($0.name) })),
                            ("links", .array(page.links.map { .string($0.name) })),
                        ]))
                }
                return .object(
                    JSONObject([
                        ("site", .string(site.site)), ("hosts", .array(site.hosts.map(JSONValue.string))),
                        ("pages", .array(pages)),
                    ]))
            })
    }

    /// The same as text: one line per site (hosts, rate), one per page kind (record, fields with
    /// `*` for required ones, links), ending with the legend. Ends with a newline.
    public var summaryText: String {
        var out = ""
        for site in sites {
            out += "\(site.site)  (\(site.hosts.joined(separator: ", ")); \(site.requestsPerSecond) req/s)\n"
            for page in site.pages {
                let fields = page.fields.map { $0.required ? "\($0.name)*" : $0.name }.joined(separator: ", ")
                let links = page.links.isEmpty ? "" : "  links: " + page.links.map(\.name).joined(separator: ", ")
                let each = page.each == nil ? "" : " (one per item)"
                out += "  \(page.kind) → \(page.record.rawValue)\(each): \(fields)\(links)\n"
            }
        }
        return out + "(* required)\n"
    }
}
