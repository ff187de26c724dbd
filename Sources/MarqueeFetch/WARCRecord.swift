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

    /// Two records are equal when their header lines (in order) and their blocks are the same.
    public static func == (lhs: WARCRecord, rhs: WARCRecord) -> Bool {
        lhs.block == rhs.block
            && lhs.headers.map { "\($0.name): \($0.value)" } == rhs.headers.map { "\($0.name): \($0.value)" }
    }

    /// Hashes the same fields `==` compares.
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
