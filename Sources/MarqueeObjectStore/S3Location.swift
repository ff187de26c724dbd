import Foundation
import MarqueeCore

/// `s3://BUCKET/KEY-OR-PREFIX`: where an object or a folder of objects lives.
public struct S3Location: Sendable, Equatable, CustomStringConvertible {
    /// The bucket.
    public var bucket: String
    /// The key, or a prefix without leading or trailing `/` (empty: the whole bucket).
    public var key: String

    /// A location in `bucket`.
    public init(bucket: String, key: String) {
        self.bucket = bucket
        self.key = key.split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
    }

    /// Parses `s3://bucket/prefix`.
    /// - Throws: `MarqueeError` `.usage` (64) saying what a valid URI and bucket name look like.
    public init(parsing uri: String) throws(MarqueeError) {
        guard uri.hasPrefix("s3://") else {
            throw MarqueeError(.usage, "\(uri) is not an s3:// URI", hint: "give s3://BUCKET/PREFIX")
        }
        let rest = uri.dropFirst(5)
        let bucket = String(rest.prefix { $0 != "/" })
        let valid =
            (3...63).contains(bucket.count)
            && bucket.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == ".") }
            && bucket.first!.isASCII && (bucket.first!.isLowercase || bucket.first!.isNumber)
            && (bucket.last!.isLowercase || bucket.last!.isNumber) && !bucket.contains("..")
        guard valid else {
            throw MarqueeError(
                .usage, "\"\(bucket)\" is not a valid bucket name", location: uri,
                hint: "bucket names are 3–63 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit")
        }
        self.init(bucket: bucket, key: String(rest.dropFirst(bucket.count)))
    }

    /// Whether `text` names an S3 location rather than a local path.
    public static func isURI(_ text: String) -> Bool { text.hasPrefix("s3://") }

    /// `s3://bucket/key`.
    public var description: String { key.isEmpty ? "s3://\(bucket)" : "s3://\(bucket)/\(key)" }

    /// The location of `path` under this prefix.
    public func appending(_ path: String) -> S3Location {
        S3Location(bucket: bucket, key: key.isEmpty ? path : "\(key)/\(path)")
    }
}
