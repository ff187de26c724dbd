import ArgumentParser
import Foundation
import Logging
import MarqueeCore
import MarqueeObjectStore

/// `--endpoint` and `--region` of commands that read or write `s3://` locations. Credentials
/// come from the environment and AWS's shared files, as the AWS CLI reads them.
struct ObjectStoreOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "An S3-compatible server's root URL (http(s)://HOST[:PORT]); default $AWS_ENDPOINT_URL_S3, $AWS_ENDPOINT_URL, else AWS.",
            valueName: "url"))
    var endpoint: String?

    @Option(help: "The bucket's region (default $AWS_REGION, $AWS_DEFAULT_REGION, the profile's, else us-east-1).")
    var region: String?

    /// A client for these options.
    func client(logger: Logger) throws(MarqueeError) -> S3Client {
        try S3Client.fromEnvironment(endpoint: endpoint, region: region, logger: logger)
    }

    /// `path` itself when local; for `s3://…`, a downloaded copy (the object, or the folder of
    /// objects under the prefix) in a fresh temporary folder that `body` may read, removed after.
    func withLocalCopy<T>(of path: String, logger: Logger, _ body: (URL) async throws -> T) async throws -> T {
        guard S3Location.isURI(path) else { return try await body(URL(fileURLWithPath: path)) }
        let location = try S3Location(parsing: path)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-s3-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let local = try await ObjectStoreTransfer.download(location, into: folder, client: try client(logger: logger))
        logger.info("downloaded", metadata: ["from": "\(location)", "to": "\(local.path)"])
        return try await body(local)
    }
}
