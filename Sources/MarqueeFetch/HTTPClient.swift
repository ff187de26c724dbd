import CCurl
import Dispatch
import Foundation
import MarqueeCore
import Synchronization

/// Settings of an ``HTTPClient``.
public struct HTTPClientConfiguration: Sendable {
    /// The `User-Agent` header, naming the crawler and how to reach its operator.
    public var userAgent = "Marquee/\(MarqueeVersion.current)"
    /// Seconds to wait for a connection.
    public var connectTimeout: Double = 10
    /// Seconds for a whole hop (connection, request and body).
    public var totalTimeout: Double = 30
    /// Redirects followed at most.
    public var maxRedirects = 10
    /// Largest body accepted, after decompression (a cap against gzip bombs too).
    public var maxBodyBytes = 20 << 20
    /// Extra request headers (`Accept-Language`, conditional-GET headers).
    public var headers: [(name: String, value: String)] = []
    /// Connect to loopback, private-network, link-local and other non-public addresses. When
    /// `false`, the address libcurl is about to connect to is checked — after DNS, on every
    /// redirect hop — and a private one fails the fetch with ``FetchError/Kind/privateAddress``.
    /// (Through a proxy only the proxy's address is seen.) Crawls turn this off unless told
    /// `--allow-private`; a plain client, like curl, allows them.
    public var allowPrivateAddresses = true
    /// Names pinned to addresses, `HOST:PORT:ADDRESS` as curl's `--resolve` takes them (a
    /// staging host, or a test pointing a public-looking name at a local server).
    public var resolve: [String] = []
    /// Asked before each redirect is followed, with the URL it leads to; throwing refuses that
    /// hop and fails the fetch with the error thrown. A crawl checks the target against the
    /// site's hosts and robots.txt here (``FetcherStack``), as Scrapy sends a redirect back
    /// through its offsite and robots middlewares. `nil` follows every redirect.
    public var redirectCheck: (@Sendable (_ target: String) async throws(FetchError) -> Void)?

    /// Defaults: 10 s connect, 30 s total, 10 redirects, 20 MiB bodies.
    public init() {}
}

/// Fetches pages over HTTP(S) with libcurl: http and https only, compressed bodies decoded (and
/// capped), redirects followed one by one so the chain is recorded and loops are caught, typed
/// errors. The proxy comes from the standard `http_proxy`/`https_proxy`/`no_proxy` variables, as
/// libcurl reads them. Each fetch runs on a dispatch worker so callers can await it.
public struct HTTPClient: PageFetcher {
    /// The settings.
    public var configuration: HTTPClientConfiguration

    /// Creates a client.
    public init(configuration: HTTPClientConfiguration = HTTPClientConfiguration()) {
        self.configuration = configuration
    }

    private static let initialise: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    /// Runs `curl_global_init` once per process.
    static func initialiseCurl() { initialise }

    /// Fetches `url`, following redirects (each hop checked by ``HTTPClientConfiguration/redirectCheck``).
    /// - Throws: ``FetchError`` for failures before a usable response; HTTP error statuses are results.
    public func fetch(_ url: String) async throws(FetchError) -> FetchedPage {
        Self.initialise
        var configuration = configuration
        configuration.headers += RequestHeaders.extra
        let started = Date()
        var current = url
        var visited: Set<String> = [url]
        var redirects: [String] = []
        var elapsed = 0.0
        while true {
            let hop = try await Self.hop(current, configuration)
            elapsed += hop.timings.total
            if (300...399).contains(hop.status), let location = hop.redirectURL {
                guard redirects.count < configuration.maxRedirects else {
                    throw FetchError(
                        kind: .tooManyRedirects, url: url, message: "more than \(configuration.maxRedirects) redirects")
                }
                guard visited.insert(location).inserted else {
                    throw FetchError(kind: .redirectLoop, url: url, message: "\(current) redirects back to \(location)")
                }
                try await configuration.redirectCheck?(location)
                redirects.append(current)
                current = location
                continue
            }
            return FetchedPage(
                requestedURL: url, finalURL: current, status: hop.status, headers: hop.headers, body: hop.body,
                redirects: redirects,
                timings: .init(connect: hop.timings.connect, firstByte: hop.timings.firstByte, total: elapsed),
                fetchedAt: started.addingTimeInterval(elapsed))
        }
    }

    /// One hop on a dispatch worker (libcurl's easy interface blocks).
    private static func hop(_ url: String, _ configuration: HTTPClientConfiguration) async throws(FetchError)
        -> Transfer.Hop
    {
        let result: Result<Transfer.Hop, FetchError> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: Result { () throws(FetchError) in try perform(url, configuration) })
            }
        }
        return try result.get()
    }

    /// One request/response, no redirect following.
    private static func perform(_ url: String, _ configuration: HTTPClientConfiguration) throws(FetchError)
        -> Transfer.Hop
    {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), parsed.host?.isEmpty == false
        else {
            throw FetchError(
                kind: .invalidURL, url: url,
                message: "not an absolute URL: give one such as https://www.imdb.com/title/tt0133093/")
        }
        guard scheme == "http" || scheme == "https" else {
            throw FetchError(
                kind: .disallowedScheme, url: url, message: "only http and https are fetched, not \(scheme)")
        }
        guard let handle = HandlePool.shared.take() ?? curl_easy_init() else {
            throw FetchError(kind: .transport, url: url, message: "libcurl could not create a handle")
        }
        defer { HandlePool.shared.put(handle) }
        let transfer = Transfer(limit: configuration.maxBodyBytes)
        var headerList: UnsafeMutablePointer<curl_slist>?
        for header in configuration.headers {
            headerList = curl_slist_append(headerList, "\(header.name): \(header.value)")
        }
        defer { curl_slist_free_all(headerList) }
        var resolveList: UnsafeMutablePointer<curl_slist>?
        for entry in configuration.resolve { resolveList = curl_slist_append(resolveList, entry) }
        defer { curl_slist_free_all(resolveList) }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let guardState = UnsafeMutablePointer<marquee_socket_guard>.allocate(capacity: 1)
        guardState.initialize(to: marquee_socket_guard())
        guardState.pointee.allow_private = configuration.allowPrivateAddresses ? 1 : 0
        defer { guardState.deallocate() }
        let code: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { buffer in
            marquee_curl_guard_sockets(handle, guardState)
            marquee_curl_set_string(handle, CURLOPT_URL, url)
            marquee_curl_set_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
            marquee_curl_set_string(handle, CURLOPT_USERAGENT, configuration.userAgent)
            marquee_curl_set_string(handle, CURLOPT_ACCEPT_ENCODING, "")  // every encoding libcurl decodes
            marquee_curl_set_long(handle, CURLOPT_FOLLOWLOCATION, 0)
            marquee_curl_set_long(handle, CURLOPT_NOSIGNAL, 1)
            // HTTP/2 over TLS where the server offers it (ALPN), HTTP/1.1 otherwise and for http://.
            marquee_curl_set_long(handle, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS))
            marquee_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(configuration.connectTimeout * 1000))
            marquee_curl_set_long(handle, CURLOPT_TIMEOUT_MS, Int(configuration.totalTimeout * 1000))
            marquee_curl_set_off_t(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(configuration.maxBodyBytes))
            marquee_curl_set_slist(handle, CURLOPT_HTTPHEADER, headerList)
            marquee_curl_set_slist(handle, CURLOPT_RESOLVE, resolveList)
            return transfer.perform(handle, errorBuffer: buffer.baseAddress)
        }
        if guardState.pointee.blocked != 0 {
            let address = withUnsafeBytes(of: guardState.pointee.blocked_address) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            throw FetchError(
                kind: .privateAddress, url: url,
                message:
                    "\(URL(string: url)?.host ?? url) connects to \(address), a loopback or private address (pass --allow-private to fetch it)"
            )
        }
        guard code == CURLE_OK else {
            let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            throw FetchError(kind: transfer.exceeded ? .tooLarge : kind(of: code), url: url, message: message)
        }
        var status = 0
        marquee_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var redirect: UnsafeMutablePointer<CChar>?
        marquee_curl_get_string(handle, CURLINFO_REDIRECT_URL, &redirect)
        var connect = 0.0
        var firstByte = 0.0
        var total = 0.0
        marquee_curl_get_double(handle, CURLINFO_CONNECT_TIME, &connect)
        marquee_curl_get_double(handle, CURLINFO_STARTTRANSFER_TIME, &firstByte)
        marquee_curl_get_double(handle, CURLINFO_TOTAL_TIME, &total)
        return Transfer.Hop(
            status: status, headers: transfer.headers, body: transfer.body,
            redirectURL: redirect.map { String(cString: $0) },
            timings: .init(connect: connect, firstByte: firstByte, total: total))
    }

    static func kind(of code: CURLcode) -> FetchError.Kind {
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: .dns
        case CURLE_COULDNT_CONNECT: .connect
        case CURLE_OPERATION_TIMEDOUT: .timeout
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            .tls
        case CURLE_FILESIZE_EXCEEDED: .tooLarge
        case CURLE_UNSUPPORTED_PROTOCOL: .disallowedScheme
        default: .transport
        }
    }
}

/// Collects one hop's headers and body from libcurl's callbacks.
final class Transfer {
    struct Hop {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: Data
        var redirectURL: String?
        var timings: FetchedPage.Timings
    }

    let limit: Int
    var body = Data()
    var headers: [(name: String, value: String)] = []
    var exceeded = false

    init(limit: Int) {
        self.limit = limit
    }

    /// Runs `handle`, collecting its headers and body here and its error text in `errorBuffer`.
    func perform(_ handle: UnsafeMutableRawPointer, errorBuffer: UnsafeMutablePointer<CChar>?) -> CURLcode {
        let context = Unmanaged.passUnretained(self).toOpaque()
        marquee_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        marquee_curl_set_callback(handle, CURLOPT_WRITEFUNCTION, Transfer.write)
        marquee_curl_set_pointer(handle, CURLOPT_WRITEDATA, context)
        marquee_curl_set_callback(handle, CURLOPT_HEADERFUNCTION, Transfer.header)
        marquee_curl_set_pointer(handle, CURLOPT_HEADERDATA, context)
        return withExtendedLifetime(self) { curl_easy_perform(handle) }
    }

    static let write: marquee_curl_data_callback = { data, size, count, context in
        let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
        let length = size * count
        guard transfer.body.count + length <= transfer.limit else {
            transfer.exceeded = true
            return 0  // makes libcurl stop with CURLE_WRITE_ERROR
        }
        if let data { transfer.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: length) }
        return length
    }

    static let header: marquee_curl_data_callback = { data, size, count, context in
        let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
        let length = size * count
        guard let data else { return length }
        // Byte-wise: HTTP's optional whitespace and line ends are ASCII (Foundation's Unicode
        // trimming cost more than the rest of a fetch's bookkeeping).
        let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
            .trimmingASCIISpaces
        if line.hasPrefix("HTTP/") {
            transfer.headers.removeAll()  // a new response (after 100 Continue) starts afresh
        } else if let colon = line.utf8.firstIndex(of: UInt8(ascii: ":")) {
            transfer.headers.append(
                (String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingASCIISpaces))
        }
        return length
    }
}

/// Reused libcurl easy handles: `curl_easy_reset` clears a handle's options but keeps its open
/// connections, so the next fetch to the same host reuses a keep-alive connection instead of
/// connecting again.
final class HandlePool: Sendable {
    /// A handle used by one transfer at a time, so moving it between threads is safe.
    private struct Handle: @unchecked Sendable {
        let pointer: UnsafeMutableRawPointer
    }

    static let shared = HandlePool()
    private let handles = Mutex<[Handle]>([])
    private let capacity = 64

    func take() -> UnsafeMutableRawPointer? { handles.withLock { $0.popLast()?.pointer } }

    func put(_ pointer: UnsafeMutableRawPointer) {
        curl_easy_reset(pointer)
        let handle = Handle(pointer: pointer)
        let kept = handles.withLock { pool in
            guard pool.count < capacity else { return false }
            pool.append(handle)
            return true
        }
        if !kept { curl_easy_cleanup(pointer) }
    }
}

/// Headers added to every request made in the current task (``HTTPClient`` reads them): how the
/// crawler sends `If-None-Match`/`If-Modified-Since` for one URL through the polite, retrying
/// layers without each of them passing headers along.
public enum RequestHeaders {
    /// The extra headers.
    @TaskLocal public static var extra: [(name: String, value: String)] = []
}

extension String {
    /// Without leading and trailing ASCII spaces, tabs and line ends.
    var trimmingASCIISpaces: String {
        let bytes = Array(utf8)
        var (lower, upper) = (0, bytes.count)
        while lower < upper, bytes[lower] == 0x20 || (bytes[lower] >= 0x09 && bytes[lower] <= 0x0D) { lower += 1 }
        while upper > lower, bytes[upper - 1] == 0x20 || (bytes[upper - 1] >= 0x09 && bytes[upper - 1] <= 0x0D) {
            upper -= 1
        }
        return lower == 0 && upper == bytes.count ? self : String(decoding: bytes[lower..<upper], as: UTF8.self)
    }
}
