import Foundation
import Logging
import MarqueeCore
import MarqueeFetch
import Synchronization

/// Sends HTTP requests for an ``S3Client``: libcurl in production, canned answers in tests.
public protocol S3Transport: Sendable {
    /// Sends `request` once.
    func send(_ request: HTTPRequest) async throws(FetchError) -> HTTPRequest.Response
}

/// The libcurl transport.
public struct CurlTransport: S3Transport {
    /// Creates it.
    public init() {}

    /// Sends `request` with `HTTPRequest.send()` (MarqueeFetch).
    public func send(_ request: HTTPRequest) async throws(FetchError) -> HTTPRequest.Response {
        try await request.send()
    }
}

/// How an ``S3Client`` reaches its server.
public struct S3Configuration: Sendable {
    /// `http(s)://host[:port]` of an S3-compatible server (path-style requests), or `nil` for
    /// AWS (`https://BUCKET.s3.REGION.amazonaws.com`).
    public var endpoint: String?
    /// The region signed for; followed when the server names another.
    public var region: String
    /// The credentials signed with.
    public var credentials: AWSCredentials
    /// Retries of a failed request (connection errors, 5xx, 429/SlowDown), with backoff.
    public var retries = 4
    /// Seconds before the first retry; doubled for each next one.
    public var backoff = 0.5
    /// Files larger than this go up in parts of this size (S3's minimum part is 5 MiB).
    public var partSize = 16 << 20
    /// Parts of a multipart upload in flight at once.
    public var partConcurrency = 4

    /// A configuration; the endpoint is checked by ``S3Client/init(configuration:transport:logger:)``.
    public init(endpoint: String?, region: String, credentials: AWSCredentials) {
        self.endpoint = endpoint
        self.region = region
        self.credentials = credentials
    }
}

/// A small S3 client: SigV4-signed requests, retries with exponential backoff, the bucket's
/// region followed when the server names it, and S3's error codes turned into `MarqueeError`s
/// that say what to do (missing bucket → 69 with `--create-bucket`; access denied or bad
/// signature → 77 naming which credentials were used, never the secret).
public final class S3Client: Sendable {
    /// The settings.
    public let configuration: S3Configuration
    let transport: any S3Transport
    let logger: Logger
    let endpoint: (scheme: String, host: String)?
    /// Regions learnt from the server, by bucket.
    private let regions = Mutex<[String: String]>([:])

    /// A client.
    /// - Throws: `MarqueeError` `.usage` (64) for an endpoint that is not `http(s)://host[:port]`.
    public init(configuration: S3Configuration, transport: any S3Transport = CurlTransport(), logger: Logger)
        throws(MarqueeError)
    {
        self.configuration = configuration
        self.transport = transport
        self.logger = logger
        if let text = configuration.endpoint {
            guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
                let host = url.host, !host.isEmpty, url.path.isEmpty || url.path == "/", url.query == nil
            else {
                throw MarqueeError(
                    .usage, "--endpoint \(text) is not an http(s)://HOST[:PORT] URL",
                    hint: "give the server's root URL, e.g. http://127.0.0.1:8333")
            }
            let hostPort = url.port.map { "\(host):\($0)" } ?? host
            endpoint = (scheme, hostPort)
        } else {
            endpoint = nil
        }
    }

    /// The region requests for `bucket` are signed for.
    public func region(of bucket: String) -> String { regions.withLock { $0[bucket] } ?? configuration.region }

    /// One signed request, retried and region-followed.
    /// - Parameters:
    ///   - accept: Statuses besides 2xx returned rather than thrown (404 for "does it exist?").
    /// - Throws: `MarqueeError` with S3's code and message, mapped as the type's comment says.
    func send(
        _ method: String, _ location: S3Location, query: [(String, String)] = [], headers: [(String, String)] = [],
        body: Data = Data(), accept: Set<Int> = []
    ) async throws(MarqueeError) -> HTTPRequest.Response {
        let payloadHash = SignatureV4.sha256(body)
        var followed = false
        var attempt = 0
        while true {
            let region = region(of: location.bucket)
            let (host, url) = address(location, region: region)
            let queryString = SignatureV4.canonicalQuery(query)
            let signer = SignatureV4(credentials: configuration.credentials, region: region)
            let path = SignatureV4.encodePath(url.path)
            let signed = signer.sign(
                method: method, host: host, path: path, query: query, headers: headers, payloadSHA256: payloadHash,
                date: Date())
            var request = HTTPRequest(
                method: method, url: "\(url.scheme)://\(host)\(path)\(queryString.isEmpty ? "" : "?" + queryString)",
                headers: headers.filter { !signed.map(\.0).contains($0.0.lowercased()) } + signed, body: body)
            request.connectTimeout = 10
            logger.debug("s3 request", metadata: ["method": "\(method)", "object": "\(location)", "attempt": "\(attempt + 1)"])
            let response: HTTPRequest.Response
            do {
                response = try await transport.send(request)
            } catch {
                if attempt < configuration.retries, [.connect, .timeout, .transport].contains(error.kind) {
                    try await pause(attempt, "\(error.message)")
                    attempt += 1
                    continue
                }
                throw MarqueeError(
                    .unavailable, "cannot reach the S3 endpoint \(endpointShown(region: region)): \(error.message)",
                    location: "\(location)",
                    hint: configuration.endpoint == nil
                        ? "check the network, or give --endpoint for an S3-compatible server"
                        : "check --endpoint and that the server is running")
            }
            if (200...299).contains(response.status) || accept.contains(response.status) { return response }
            let failure = S3ErrorBody(response)
            if !followed, let named = failure.region ?? response.header("x-amz-bucket-region"), named != region,
                [301, 307, 400].contains(response.status) || failure.code == "PermanentRedirect"
            {
                logger.info(
                    "following the bucket's region", metadata: ["bucket": "\(location.bucket)", "region": "\(named)"])
                regions.withLock { $0[location.bucket] = named }
                followed = true
                continue
            }
            if attempt < configuration.retries,
                [500, 502, 503, 504, 429].contains(response.status)
                    || ["SlowDown", "InternalError", "RequestTimeout"].contains(failure.code ?? "")
            {
                try await pause(attempt, "HTTP \(response.status) \(failure.code ?? "")")
                attempt += 1
                continue
            }
            throw error(for: failure, status: response.status, method: method, location: location)
        }
    }

    private func pause(_ attempt: Int, _ why: String) async throws(MarqueeError) {
        let seconds = configuration.backoff * Double(1 << attempt) * Double.random(in: 0.75...1.25)
        logger.warning("s3 request failed; retrying", metadata: ["reason": "\(why)", "after_seconds": "\(seconds)"])
        do { try await Task.sleep(for: .seconds(seconds)) } catch {
            throw MarqueeError(.temporary, "interrupted while waiting to retry an S3 request")
        }
    }

    /// Host header and URL: path-style on a custom endpoint, virtual-hosted on AWS (path-style
    /// for bucket names with dots, which TLS wildcard certificates do not cover).
    func address(_ location: S3Location, region: String) -> (host: String, url: (scheme: String, path: String)) {
        let keyPath = location.key.isEmpty ? "" : "/\(location.key)"
        if let endpoint { return (endpoint.host, (endpoint.scheme, "/\(location.bucket)\(keyPath)")) }
        if location.bucket.contains(".") {
            return ("s3.\(region).amazonaws.com", ("https", "/\(location.bucket)\(keyPath)"))
        }
        return ("\(location.bucket).s3.\(region).amazonaws.com", ("https", keyPath.isEmpty ? "/" : keyPath))
    }

    private func endpointShown(region: String) -> String {
        configuration.endpoint ?? "https://s3.\(region).amazonaws.com"
    }

    func error(for failure: S3ErrorBody, status: Int, method: String, location: S3Location) -> MarqueeError {
        let code = failure.code ?? "HTTP \(status)"
        let detail = failure.message.map { "\(code): \($0)" } ?? code
        switch failure.code {
        case "NoSuchBucket"?:
            return MarqueeError(
                .unavailable, "bucket \(location.bucket) does not exist (\(detail))", location: "\(location)",
                hint: "pass --create-bucket to create it, or check the bucket name and --endpoint")
        case "AccessDenied"?, "SignatureDoesNotMatch"?, "InvalidAccessKeyId"?, "ExpiredToken"?, "InvalidToken"?,
            "TokenRefreshRequired"?:
            return MarqueeError(
                .noPermission, "\(method) was refused (\(code)) with \(configuration.credentials)",
                location: "\(location)",
                hint: code == "SignatureDoesNotMatch"
                    ? "the secret key does not match that access key; check AWS_SECRET_ACCESS_KEY or the profile"
                    : "check that these credentials may \(method == "GET" || method == "HEAD" ? "read" : "write") this bucket")
        case "NoSuchKey"?:
            return MarqueeError(.noInput, "no object \(location.key) in bucket \(location.bucket)", location: "\(location)")
        default:
            if failure.code == nil, status == 403 {
                return MarqueeError(
                    .noPermission, "\(method) was refused (HTTP 403) with \(configuration.credentials)",
                    location: "\(location)", hint: "check the credentials and the bucket's policy")
            }
            if failure.code == nil, status == 404 {
                return MarqueeError(.noInput, "\(location) does not exist (HTTP 404)", location: "\(location)")
            }
            return MarqueeError(
                (500...599).contains(status) ? .unavailable : .failure, "\(method) failed: \(detail)",
                location: "\(location)")
        }
    }
}

/// The `<Error>` document S3 answers failures with.
struct S3ErrorBody {
    var code: String?
    var message: String?
    var region: String?

    init(_ response: HTTPRequest.Response) {
        let text = String(decoding: response.body, as: UTF8.self)
        code = XMLScan.first("Code", in: text)
        message = XMLScan.first("Message", in: text)
        region = XMLScan.first("Region", in: text)
    }
}
