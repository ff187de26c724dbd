import CCurl
import Dispatch
import Foundation
import MarqueeCore

/// One HTTP request with any method and body, sent once with libcurl and never redirected: what
/// API clients (the S3 client of `MarqueeObjectStore`) need beside page fetching. Connections are
/// reused across requests to the same host, as ``HTTPClient``'s are.
public struct HTTPRequest: Sendable {
    /// A response: status, headers in the order received, body.
    public struct Response: Sendable {
        /// HTTP status.
        public var status: Int
        /// Headers, names as sent.
        public var headers: [(name: String, value: String)]
        /// The body.
        public var body: Data

        /// Creates a response (tests build them by hand).
        public init(status: Int, headers: [(name: String, value: String)] = [], body: Data = Data()) {
            self.status = status
            self.headers = headers
            self.body = body
        }

        /// The first header called `name`, compared without case.
        public func header(_ name: String) -> String? {
            headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
        }
    }

    /// `GET`, `PUT`, `POST`, `HEAD`, `DELETE`…
    public var method: String
    /// The absolute http(s) URL, already percent-encoded.
    public var url: String
    /// Request headers (libcurl adds `Host` and `Content-Length`).
    public var headers: [(name: String, value: String)]
    /// The body sent (empty: none).
    public var body: Data
    /// Seconds to wait for a connection.
    public var connectTimeout: Double = 10
    /// Seconds for the whole exchange.
    public var totalTimeout: Double = 600
    /// Largest response body kept; a larger one fails with ``FetchError/Kind/tooLarge``.
    public var maxResponseBytes = 1 << 30

    /// A request; see the properties.
    public init(method: String, url: String, headers: [(name: String, value: String)] = [], body: Data = Data()) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// Sends the request on a dispatch worker (libcurl's easy interface blocks).
    /// - Throws: ``FetchError`` when no response arrived (DNS, connection, timeout, TLS).
    public func send() async throws(FetchError) -> Response {
        let request = self
        let result: Result<Response, FetchError> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: Result { () throws(FetchError) in try request.perform() })
            }
        }
        return try result.get()
    }

    private func perform() throws(FetchError) -> Response {
        HTTPClient.initialiseCurl()
        guard let scheme = URL(string: url)?.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw FetchError(kind: .invalidURL, url: url, message: "not an http(s) URL")
        }
        guard let handle = HandlePool.shared.take() ?? curl_easy_init() else {
            throw FetchError(kind: .transport, url: url, message: "libcurl could not create a handle")
        }
        defer { HandlePool.shared.put(handle) }
        let transfer = Transfer(limit: maxResponseBytes)
        var headerList: UnsafeMutablePointer<curl_slist>?
        // No `Expect: 100-continue` round trip; libcurl's default form Content-Type is replaced.
        var sent = headers
        if !sent.contains(where: { $0.name.lowercased() == "content-type" }) {
            sent.append(("Content-Type", body.isEmpty ? "" : "application/octet-stream"))
        }
        for header in sent + [("Expect", "")] {
            headerList = curl_slist_append(headerList, header.value.isEmpty ? "\(header.name):" : "\(header.name): \(header.value)")
        }
        defer { curl_slist_free_all(headerList) }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let code: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { buffer in
            body.withUnsafeBytes { bytes in
                marquee_curl_set_string(handle, CURLOPT_URL, url)
                marquee_curl_set_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
                marquee_curl_set_string(handle, CURLOPT_USERAGENT, "Marquee/\(MarqueeVersion.current)")
                marquee_curl_set_long(handle, CURLOPT_FOLLOWLOCATION, 0)
                marquee_curl_set_long(handle, CURLOPT_NOSIGNAL, 1)
                marquee_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(connectTimeout * 1000))
                marquee_curl_set_long(handle, CURLOPT_TIMEOUT_MS, Int(totalTimeout * 1000))
                if method == "HEAD" {
                    marquee_curl_set_long(handle, CURLOPT_NOBODY, 1)
                } else {
                    marquee_curl_set_string(handle, CURLOPT_CUSTOMREQUEST, method)
                }
                if !body.isEmpty || ["PUT", "POST"].contains(method) {
                    // POSTFIELDS sends the bytes with any method; the pointer outlives the transfer.
                    marquee_curl_set_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bytes.count))
                    marquee_curl_set_pointer(
                        handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress ?? UnsafeRawPointer(buffer.baseAddress!)))
                }
                marquee_curl_set_slist(handle, CURLOPT_HTTPHEADER, headerList)
                return transfer.perform(handle, errorBuffer: buffer.baseAddress)
            }
        }
        guard code == CURLE_OK else {
            let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            throw FetchError(kind: transfer.exceeded ? .tooLarge : HTTPClient.kind(of: code), url: url, message: message)
        }
        var status = 0
        marquee_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return Response(status: status, headers: transfer.headers, body: transfer.body)
    }
}
