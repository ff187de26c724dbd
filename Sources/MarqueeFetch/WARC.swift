import Crypto
import Foundation
import MarqueeCore

/// One WARC 1.1 record: named header fields and a block.
public struct WARCRecord: Sendable, Hashable {
    /// Header fields in order (`WARC-Type`, `WARC-Record-ID`, …), `Content-Length` included.
    public var headers: [(name: String, value: String)]
    /// The record block (for `response`: the HTTP status line, headers and payload).
    public var block: Data

    /// The first header named `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Creates a record.
    public init(headers: [(name: String, value: String)], block: Data) {
        self.headers = headers
        self.block = block
    }

    public static func == (lhs: WARCRecord, rhs: WARCRecord) -> Bool {
        lhs.block == rhs.block
            && lhs.headers.map { "\($0.name): \($0.value)" } == rhs.headers.map { "\($0.name): \($0.value)" }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(block)
        for header in headers { hasher.combine("\(header.name): \(header.value)") }
    }

    /// The record's bytes: version line, header fields, blank line, block, two CRLFs.
    public var serialized: Data {
        var head = "WARC/1.1\r\n"
        for header in headers { head += "\(header.name): \(header.value)\r\n" }
        return Data((head + "\r\n").utf8) + block + Data("\r\n\r\n".utf8)
    }

    /// `sha1:` + base32 of the SHA-1, the digest form WARC tools write and check.
    public static func digest(_ data: Data) -> String {
        "sha1:" + base32(Array(Insecure.SHA1.hash(data: data)))
    }

    static func base32(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var output = ""
        var buffer = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | Int(byte)
            bits += 8
            while bits >= 5 {
                output.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
        }
        if bits > 0 { output.append(alphabet[(buffer << (5 - bits)) & 31]) }
        while output.count % 8 != 0 { output.append("=") }
        return output
    }

    /// A `response` record for a fetched page, and the `request` record that asked for it.
    /// libcurl hands over decoded bodies, so `Content-Encoding`, `Transfer-Encoding` and
    /// `Content-Length` are rewritten to describe the payload as stored.
    public static func exchange(_ page: FetchedPage, userAgent: String) -> (request: WARCRecord, response: WARCRecord) {
        let date = Microseconds.iso(Microseconds.from(page.fetchedAt))
        let responseID = "<urn:uuid:\(UUID().uuidString.lowercased())>"
        let dropped: Set<String> = ["content-encoding", "transfer-encoding", "content-length"]
        var head = "HTTP/1.1 \(page.status) \(HTTPStatusText.reason(page.status))\r\n"
        for header in page.headers where !dropped.contains(header.name.lowercased()) {
            head += "\(header.name): \(header.value)\r\n"
        }
        head += "Content-Length: \(page.body.count)\r\n\r\n"
        let responseBlock = Data(head.utf8) + page.body
        let response = WARCRecord(
            headers: [
                ("WARC-Type", "response"), ("WARC-Record-ID", responseID), ("WARC-Date", date),
                ("WARC-Target-URI", page.finalURL), ("Content-Type", "application/http;msgtype=response"),
                ("WARC-Payload-Digest", digest(page.body)), ("WARC-Block-Digest", digest(responseBlock)),
                ("Content-Length", String(responseBlock.count)),
            ], block: responseBlock)
        let components = URLComponents(string: page.finalURL)
        var path = components?.percentEncodedPath ?? "/"
        if path.isEmpty { path = "/" }
        if let query = components?.percentEncodedQuery { path += "?" + query }
        let host = (components?.host ?? "") + (components?.port.map { ":\($0)" } ?? "")
        let requestBlock = Data(
            "GET \(path) HTTP/1.1\r\nHost: \(host)\r\nUser-Agent: \(userAgent)\r\nAccept-Encoding: gzip, deflate, br\r\n\r\n"
                .utf8)
        let request = WARCRecord(
            headers: [
                ("WARC-Type", "request"), ("WARC-Record-ID", "<urn:uuid:\(UUID().uuidString.lowercased())>"),
                ("WARC-Date", date), ("WARC-Target-URI", page.finalURL), ("WARC-Concurrent-To", responseID),
                ("Content-Type", "application/http;msgtype=request"), ("WARC-Block-Digest", digest(requestBlock)),
                ("Content-Length", String(requestBlock.count)),
            ], block: requestBlock)
        return (request, response)
    }

    /// The `warcinfo` record that opens each file Marquee writes.
    public static func info(filename: String) -> WARCRecord {
        let fields = Data(
            "software: Marquee/\(MarqueeVersion.current)\r\nformat: WARC File Format 1.1\r\nconformsTo: https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n"
                .utf8)
        return WARCRecord(
            headers: [
                ("WARC-Type", "warcinfo"), ("WARC-Record-ID", "<urn:uuid:\(UUID().uuidString.lowercased())>"),
                ("WARC-Date", Microseconds.iso(Microseconds.from(Date()))), ("WARC-Filename", filename),
                ("Content-Type", "application/warc-fields"), ("Content-Length", String(fields.count)),
            ], block: fields)
    }

    /// The page a `response` record holds (status, headers, payload), or nil for other records.
    public func page() -> FetchedPage? {
        guard header("WARC-Type") == "response", let uri = header("WARC-Target-URI"),
            let end = block.firstRange(of: Data("\r\n\r\n".utf8))
        else { return nil }
        let lines = String(decoding: block[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        guard let statusLine = lines.first, statusLine.hasPrefix("HTTP/"),
            let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "")
        else { return nil }
        let headers = lines.dropFirst().compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        let date = header("WARC-Date").flatMap(Microseconds.parse).map { Date(timeIntervalSince1970: Double($0) / 1e6) }
        return FetchedPage(
            requestedURL: uri, finalURL: uri, status: status, headers: headers, body: Data(block[end.upperBound...]),
            timings: .init(connect: 0, firstByte: 0, total: 0), fetchedAt: date ?? Date(timeIntervalSince1970: 0))
    }
}

/// Reason phrases for status lines.
enum HTTPStatusText {
    static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 204: "No Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 304: "Not Modified"
        case 400: "Bad Request"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 410: "Gone"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}

/// Appends records to `PREFIX-NNNNN.warc.gz` files in a folder, one gzip member per record (so
/// tools can seek to any record), starting a new file past `maxBytes`. Each file begins with a
/// `warcinfo` record. Safe to share between concurrent fetches.
public actor WARCWriter {
    /// The folder.
    public let directory: URL
    /// File name prefix.
    public let prefix: String
    /// Rotate once a file is at least this large.
    public let maxBytes: Int
    private var handle: FileHandle?
    private var size = 0
    private var sequence = 0
    /// Files written so far, in order.
    public private(set) var files: [URL] = []

    /// A writer into `directory` (created if needed); files are numbered after existing ones.
    public init(directory: URL, prefix: String = "marquee", maxBytes: Int = 1 << 30) {
        self.directory = directory
        self.prefix = prefix
        self.maxBytes = maxBytes
    }

    /// Appends records (e.g. a request and its response) to the current file.
    public func write(_ records: [WARCRecord]) throws(MarqueeError) {
        if handle == nil || size >= maxBytes { try rotate() }
        var bytes = Data()
        for record in records { bytes += Gzip.compress(record.serialized) }
        do {
            try handle!.write(contentsOf: bytes)
        } catch {
            throw MarqueeError(.failure, "cannot write WARC: \(error.localizedDescription)", location: files.last?.path)
        }
        size += bytes.count
    }

    /// Appends `records` to one named file (created with a `warcinfo` record if new), as
    /// `marquee fetch --warc FILE` does.
    public static func append(_ records: [WARCRecord], to file: URL) throws(MarqueeError) {
        var bytes = Data()
        if !FileManager.default.fileExists(atPath: file.path) {
            bytes += Gzip.compress(WARCRecord.info(filename: file.lastPathComponent).serialized)
            FileManager.default.createFile(atPath: file.path, contents: nil)
        }
        for record in records { bytes += Gzip.compress(record.serialized) }
        do {
            let handle = try FileHandle(forWritingTo: file)
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: bytes)
        } catch {
            throw MarqueeError(.failure, "cannot write WARC: \(error.localizedDescription)", location: file.path)
        }
    }

    /// Closes the current file.
    public func close() {
        try? handle?.close()
        handle = nil
    }

    private func rotate() throws(MarqueeError) {
        close()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            var url: URL
            repeat {
                url = directory.appendingPathComponent(String(format: "%@-%05d.warc.gz", prefix, sequence))
                sequence += 1
            } while FileManager.default.fileExists(atPath: url.path)
            FileManager.default.createFile(atPath: url.path, contents: nil)
            handle = try FileHandle(forWritingTo: url)
            files.append(url)
            size = 0
            try write([WARCRecord.info(filename: url.lastPathComponent)])
        } catch let error as MarqueeError {
            throw error
        } catch {
            throw MarqueeError(
                .failure, "cannot start a WARC file: \(error.localizedDescription)", location: directory.path)
        }
    }
}

/// Reads the records of a WARC file (gzip members or plain).
public enum WARCReader {
    /// Every record of `url`, in order.
    /// - Throws: ``MarqueeError`` `.dataError` naming the file and byte offset of a malformed record.
    public static func records(_ url: URL) throws(MarqueeError) -> [WARCRecord] {
        guard let raw = try? Data(contentsOf: url) else {
            throw MarqueeError(.failure, "cannot read", location: url.path)
        }
        return try records(data: raw, source: url.path)
    }

    /// Every record of a WARC file's bytes (gzip members or plain); `source` names it in errors.
    public static func records(data raw: Data, source: String) throws(MarqueeError) -> [WARCRecord] {
        let data = raw.starts(with: [0x1F, 0x8B]) ? try Gzip.decompressMembers(raw) : raw
        var records: [WARCRecord] = []
        var position = data.startIndex
        let separator = Data("\r\n\r\n".utf8)
        while position < data.endIndex {
            guard let headEnd = data[position...].firstRange(of: separator) else {
                throw MarqueeError(.dataError, "record header not terminated at byte \(position)", location: source)
            }
            let lines = String(decoding: data[position..<headEnd.lowerBound], as: UTF8.self).components(
                separatedBy: "\r\n")
            guard lines.first?.hasPrefix("WARC/") == true else {
                throw MarqueeError(.dataError, "no WARC version line at byte \(position)", location: source)
            }
            let headers = lines.dropFirst().compactMap { line -> (name: String, value: String)? in
                guard let colon = line.firstIndex(of: ":") else { return nil }
                return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
            }
            guard
                let length = headers.first(where: { $0.name.lowercased() == "content-length" }).flatMap({
                    Int($0.value)
                }),
                length >= 0, length <= data.endIndex - headEnd.upperBound
            else {
                throw MarqueeError(.dataError, "bad Content-Length at byte \(position)", location: source)
            }
            records.append(
                WARCRecord(headers: headers, block: Data(data[headEnd.upperBound..<(headEnd.upperBound + length)])))
            position = headEnd.upperBound + length + 4
        }
        return records
    }
}

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
    /// - Throws: ``MarqueeError`` `.dataError` naming a `.meta.json` that is not valid.
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
    /// - Throws: ``MarqueeError`` `.dataError` when there is nothing there or it cannot be read.
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
