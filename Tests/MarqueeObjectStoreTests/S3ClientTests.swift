import Foundation
import Logging
import MarqueeCore
import MarqueeFetch
import Synchronization
import Testing

@testable import MarqueeObjectStore

/// Answers from a script, recording each request.
final class ScriptedTransport: S3Transport {
    let script: Mutex<[Result<HTTPRequest.Response, FetchError>]>
    let sent = Mutex<[HTTPRequest]>([])

    init(_ script: [Result<HTTPRequest.Response, FetchError>]) { self.script = Mutex(script) }

    func send(_ request: HTTPRequest) async throws(FetchError) -> HTTPRequest.Response {
        sent.withLock { $0.append(request) }
        let next = script.withLock { $0.isEmpty ? nil : $0.removeFirst() }
        guard let next else { return HTTPRequest.Response(status: 200) }
        return try next.get()
    }
}

@Suite struct S3ClientTests {
    static let credentials = AWSCredentials(accessKeyID: "AKIDTESTKEY1", secretAccessKey: "very-secret", source: "a test")

    func client(_ transport: ScriptedTransport, endpoint: String? = nil) throws -> S3Client {
        var configuration = S3Configuration(endpoint: endpoint, region: "us-east-1", credentials: Self.credentials)
        configuration.backoff = 0.001
        configuration.retries = 2
        return try S3Client(configuration: configuration, transport: transport, logger: Logger(label: "test"))
    }

    static func failure(_ status: Int, _ code: String, extra: String = "", headers: [(name: String, value: String)] = [])
        -> Result<HTTPRequest.Response, FetchError>
    {
        .success(
            HTTPRequest.Response(
                status: status, headers: headers,
                body: Data("<?xml version=\"1.0\"?><Error><Code>\(code)</Code><Message>m</Message>\(extra)</Error>".utf8)))
    }

    @Test func followsTheRegionTheServerNames() async throws {
        let transport = ScriptedTransport([
            Self.failure(400, "AuthorizationHeaderMalformed", extra: "<Region>eu-west-1</Region>"),
            .success(HTTPRequest.Response(status: 200, body: Data("ok".utf8))),
        ])
        let client = try client(transport)
        let data = try await client.get(S3Location(bucket: "films", key: "a.csv"))
        #expect(data == Data("ok".utf8))
        let urls = transport.sent.withLock { $0.map(\.url) }
        #expect(urls == ["https://films.s3.us-east-1.amazonaws.com/a.csv", "https://films.s3.eu-west-1.amazonaws.com/a.csv"])
        let second = transport.sent.withLock { $0[1].headers.first { $0.name == "Authorization" }!.value }
        #expect(second.contains("/eu-west-1/s3/aws4_request"))
        #expect(client.region(of: "films") == "eu-west-1")
    }

    @Test func retriesServerErrorsAndConnectionFailuresThenGivesUp() async throws {
        let transport = ScriptedTransport([
            Self.failure(503, "SlowDown"), .failure(FetchError(kind: .connect, url: "x", message: "refused")),
            .success(HTTPRequest.Response(status: 200)),
        ])
        _ = try await client(transport, endpoint: "http://127.0.0.1:9").get(S3Location(bucket: "films", key: "a"))
        #expect(transport.sent.withLock { $0.count } == 3)

        let down = ScriptedTransport(Array(repeating: .failure(FetchError(kind: .connect, url: "x", message: "refused")), count: 3))
        let error = await #expect(throws: MarqueeError.self) {
            try await client(down, endpoint: "http://127.0.0.1:9").get(S3Location(bucket: "films", key: "a"))
        }
        #expect(error?.code == .unavailable && error?.message.contains("http://127.0.0.1:9") == true)
        #expect(down.sent.withLock { $0.count } == 3)
    }

    @Test func errorsSayWhatToDoAndNeverTheSecret() async throws {
        let cases: [(Result<HTTPRequest.Response, FetchError>, MarqueeError.Code, String)] = [
            (Self.failure(404, "NoSuchBucket"), .unavailable, "--create-bucket"),
            (Self.failure(403, "SignatureDoesNotMatch"), .noPermission, "a test"),
            (Self.failure(403, "InvalidAccessKeyId"), .noPermission, "…KEY1"),
            (Self.failure(404, "NoSuchKey"), .noInput, "no object"),
        ]
        for (answer, code, needle) in cases {
            let error = await #expect(throws: MarqueeError.self) {
                try await client(ScriptedTransport([answer]), endpoint: "http://127.0.0.1:9")
                    .get(S3Location(bucket: "films", key: "a"))
            }
            #expect(error?.code == code)
            #expect(error?.description.contains(needle) == true, "\(error?.description ?? "")")
            #expect(error?.description.contains("very-secret") == false)
        }
        #expect(throws: MarqueeError.self) { try client(ScriptedTransport([]), endpoint: "ftp://x") }
        #expect(throws: MarqueeError.self) { try client(ScriptedTransport([]), endpoint: "http://host/path") }
    }

    @Test func listingsPageAndLeaveFolderMarkersOut() async throws {
        func page(_ keys: [String], next: String?) -> Result<HTTPRequest.Response, FetchError> {
            let contents = keys.map { "<Contents><Key>\($0)</Key><Size>3</Size><ETag>&quot;abc&quot;</ETag></Contents>" }
            let tail = next.map { "<IsTruncated>true</IsTruncated><NextContinuationToken>\($0)</NextContinuationToken>" }
                ?? "<IsTruncated>false</IsTruncated>"
            return .success(HTTPRequest.Response(status: 200, body: Data("<ListBucketResult>\(contents.joined())\(tail)</ListBucketResult>".utf8)))
        }
        let transport = ScriptedTransport([page(["ml/", "ml/movies.csv"], next: "t/1"), page(["ml/ratings.csv"], next: nil)])
        let objects = try await client(transport, endpoint: "http://127.0.0.1:9").list(S3Location(bucket: "data", key: "ml"))
        #expect(objects.map(\.location.key) == ["ml/movies.csv", "ml/ratings.csv"])
        #expect(objects.first?.etag == "abc")
        let urls = transport.sent.withLock { $0.map(\.url) }
        #expect(urls.count == 2 && urls[1].contains("continuation-token=t%2F1") && urls[0].contains("prefix=ml%2F"))
    }
}
