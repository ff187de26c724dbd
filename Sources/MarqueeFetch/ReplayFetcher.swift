import Crypto
import Foundation
import MarqueeCore

/// Serves pages from WARC files and never touches the network: a URL with no recorded response
/// fails with `not-recorded`.
public struct ReplayFetcher: PageFetcher {
    private let pages: [String: FetchedPage]

    /// Indexes every `response` record of `files` (the last one of a URL wins).
    public init(files: [URL]) throws(MarqueeError) {
        var pages: [String: FetchedPage] = [:]
        for file in files {
            for record in try WARCReader.records(file) {
                if let page = record.page() { pages[page.finalURL] = page }
            }
        }
        self.pages = pages
    }

    /// Every `*.warc.gz` / `*.warc` file of a folder, sorted.
    public init(directory: URL) throws(MarqueeError) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        let files = names.filter { $0.hasSuffix(".warc.gz") || $0.hasSuffix(".warc") }.sorted()
            .map { directory.appendingPathComponent($0) }
        guard !files.isEmpty else {
            throw MarqueeError(
                .dataError, "no WARC files", location: directory.path, hint: "record with --warc DIR first")
        }
        try self.init(files: files)
    }

    /// Serves a fixtures folder: every `NAME.html` (any depth) with a sibling `NAME.meta.json`
    /// holding `{"url": …, "status": 200, "headers": {"Content-Type": …}, "fetched_at": ISO 8601}`
    /// (status, headers and time optional). Pages without a `.meta.json` are skipped.
    /// - Throws: `MarqueeError` `.dataError` naming a `.meta.json` that is not valid.
    public init(fixtures directory: URL) throws(MarqueeError) {
        var pages: [String: FetchedPage] = [:]
        let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)
        while let file = enumerator?.nextObject() as? URL {
            guard file.pathExtension == "html" else { continue }
            let metaURL = file.deletingPathExtension().appendingPathExtension("meta.json")
            guard let metaText = try? String(contentsOf: metaURL, encoding: .utf8) else { continue }
            guard let meta = try? JSONParser().parse(metaText).value, let url = meta["url"]?.stringValue,
                let body = try? Data(contentsOf: file)
            else {
                throw MarqueeError(
                    .dataError, "not a fixture description", location: metaURL.path,
                    hint: #"write {"url": "https://…", "status": 200, "headers": {…}}"#)
            }
            let headers =
                meta["headers"]?.objectValue?.members.compactMap { member in
                    member.value.stringValue.map { (name: member.key, value: $0) }
                } ?? []
            let fetchedAt = meta["fetched_at"]?.stringValue.flatMap(Microseconds.parse)
                .map { Date(timeIntervalSince1970: Double($0) / 1e6) }
            pages[url] = FetchedPage(
                requestedURL: url, finalURL: url, status: Int(meta["status"]?.doubleValue ?? 200), headers: headers,
                body: body, timings: .init(connect: 0, firstByte: 0, total: 0),
                fetchedAt: fetchedAt ?? Date(timeIntervalSince1970: 0))
        }
        self.pages = pages
    }

    /// Serves whatever `url` holds: a WARC file, a folder of WARC files, or a fixtures folder.
    /// - Throws: `MarqueeError` `.dataError` when there is nothing there or it cannot be read.
    public init(path url: URL) throws(MarqueeError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw MarqueeError(
                .dataError, "nothing to replay", location: url.path, hint: "give a WARC file or a folder")
        }
        guard isDirectory.boolValue else {
            try self.init(files: [url])
            return
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        if names.contains(where: { $0.hasSuffix(".warc.gz") || $0.hasSuffix(".warc") }) {
            try self.init(directory: url)
        } else {
            try self.init(fixtures: url)
        }
    }

    /// URLs recorded.
    public var urls: [String] { pages.keys.sorted() }

    /// The recorded page, or `not-recorded`.
    public func fetch(_ url: String) async throws(FetchError) -> FetchedPage {
        guard var page = pages[url] else {
            throw FetchError(
                kind: .notRecorded, url: url, message: "not in the recording (replay never uses the network)")
        }
        page = FetchedPage(
            requestedURL: url, finalURL: page.finalURL, status: page.status, headers: page.headers, body: page.body,
            timings: page.timings, fetchedAt: page.fetchedAt)
        return page
    }
}

/// Fetches through `base` and records every response (with its request) into a WARC writer.
public struct RecordingFetcher: PageFetcher {
    /// The fetcher recorded.
    public let base: any PageFetcher
    /// Where records go.
    public let writer: WARCWriter
    /// Written into request records.
    public let userAgent: String

    /// Wraps `base`.
    public init(base: any PageFetcher, writer: WARCWriter, userAgent: String) {
        self.base = base
        self.writer = writer
        self.userAgent = userAgent
    }

    /// Fetches and records.
    public func fetch(_ url: String) async throws(FetchError) -> FetchedPage {
        let page = try await base.fetch(url)
        let (request, response) = WARCRecord.exchange(page, userAgent: userAgent)
        do {
            try await writer.write([request, response])
        } catch {
            throw FetchError(kind: .transport, url: url, message: "recording failed: \(error)")
        }
        return page
    }
}
