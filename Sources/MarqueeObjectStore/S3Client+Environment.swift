import Foundation
import Logging
import MarqueeCore

extension S3Client {
    /// A client configured as the AWS CLI would be: credentials and region from the environment
    /// and shared files (``AWSCredentials/resolve(environment:)``), the endpoint from `endpoint`,
    /// else `AWS_ENDPOINT_URL_S3`, else `AWS_ENDPOINT_URL`, else AWS.
    /// - Throws: `MarqueeError` 78 without credentials, 64 for a bad endpoint.
    public static func fromEnvironment(
        endpoint: String?, region: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
        logger: Logger
    ) throws(MarqueeError) -> S3Client {
        let credentials = try AWSCredentials.resolve(environment: environment)
        let endpoint = endpoint ?? environment["AWS_ENDPOINT_URL_S3"] ?? environment["AWS_ENDPOINT_URL"]
        let configuration = S3Configuration(
            endpoint: endpoint.flatMap { $0.isEmpty ? nil : $0 },
            region: region ?? AWSCredentials.region(environment: environment), credentials: credentials)
        return try S3Client(configuration: configuration, logger: logger)
    }
}
