import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeObjectStore

/// `marquee publish EXPORT_DIR s3://BUCKET/PREFIX`.
struct Publish: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Upload an export to S3-compatible object storage and print the storageUri for the manifests.",
        discussion: """
            Every file under EXPORT_DIR goes to s3://BUCKET/PREFIX/… (manifest.json last), one PUT \
            with Content-MD5 up to --part-size and a multipart upload beyond; each object is read \
            back (HEAD) and its size, SHA-256 and ETag checked against the file. Failed requests \
            are retried with exponential backoff. Credentials: AWS_ACCESS_KEY_ID, \
            AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, else the shared credentials/config files \
            for AWS_PROFILE (default "default"). Exit 69 when the bucket is missing (pass \
            --create-bucket) or the endpoint unreachable, 77 when the credentials are refused \
            (the error names where they came from, never the secret), 78 without credentials.
            """)

    @OptionGroup var global: LoggingOptions
    @OptionGroup var objectStore: ObjectStoreOptions
    @Argument(help: "The folder marquee export wrote.") var export: String
    @Argument(help: "Where to: s3://BUCKET/PREFIX.") var destination: String
    @Flag(help: "Create the bucket when it does not exist.") var createBucket = false
    @Option(help: "Files larger than this many MiB are uploaded in parts of this size (at least 5).")
    var partSize = 16
    @Option(help: "text or json (the storage URI and every object with its checksums).")
    var format: OutputFormat = .text

    func validate() throws {
        guard partSize >= 5, partSize <= 5_120 else {
            throw ValidationError("--part-size must be 5…5120 MiB (S3's limits for a part)")
        }
    }

    func run() async throws {
        let logger = global.makeLogger("marquee.publish")
        try await reportingErrors {
            let prefix = try S3Location(parsing: destination)
            let client = try objectStore.client(logger: logger)
            var configuration = client.configuration
            configuration.partSize = partSize << 20
            let text = format == .text
            let result = try await ObjectStoreTransfer.publish(
                directory: URL(fileURLWithPath: export), to: prefix,
                client: try S3Client(configuration: configuration, logger: logger), createBucket: createBucket
            ) { file in
                if text { print("  \(file.path) → \(file.object) (\(file.bytes) bytes, sha256 \(file.sha256.prefix(12))…)") }
            }
            if format == .json { return try printJSON(result) }
            if result.createdBucket { print("created bucket \(prefix.bucket)") }
            print("published \(result.files.count) files from \(export)")
            print("storageUri: \(result.storageURI)")
        }
    }
}
