import Crypto
import Foundation

/// AWS Signature Version 4 for S3 requests, written from AWS's published specification (canonical
/// request → string to sign → HMAC chain of date, region, service). Signs `host`,
/// `x-amz-content-sha256`, `x-amz-date` and, with temporary credentials, `x-amz-security-token`,
/// plus any `x-amz-*` and `content-md5` headers the request carries.
public struct SignatureV4: Sendable {
    /// The credentials signed with.
    public var credentials: AWSCredentials
    /// The region in the credential scope (`us-east-1`).
    public var region: String
    /// The service in the credential scope.
    public var service = "s3"

    /// A signer for `region`.
    public init(credentials: AWSCredentials, region: String) {
        self.credentials = credentials
        self.region = region
    }

    /// The headers to add to a request: `x-amz-date`, `x-amz-content-sha256`, the session token
    /// when there is one, and `Authorization`.
    /// - Parameters:
    ///   - method: The HTTP method.
    ///   - host: The `Host` header's value (`127.0.0.1:8333`, `bucket.s3.eu-west-1.amazonaws.com`).
    ///   - path: The percent-encoded path (see ``encodePath(_:)``).
    ///   - query: Query parameters, not encoded.
    ///   - headers: Other headers sent; `x-amz-*` and `content-md5` among them are signed.
    ///   - payloadSHA256: Hex SHA-256 of the body.
    ///   - date: The signing time.
    public func sign(
        method: String, host: String, path: String, query: [(String, String)], headers: [(String, String)],
        payloadSHA256: String, date: Date
    ) -> [(String, String)] {
        let amzDate = Self.timestamp(date)
        let day = String(amzDate.prefix(8))
        var signed: [(String, String)] = [
            ("host", host), ("x-amz-content-sha256", payloadSHA256), ("x-amz-date", amzDate),
        ]
        if let token = credentials.sessionToken { signed.append(("x-amz-security-token", token)) }
        for (name, value) in headers {
            let lower = name.lowercased()
            if (lower.hasPrefix("x-amz-") || lower == "content-md5" || lower == "range"),
                !signed.contains(where: { $0.0 == lower })
            {
                signed.append((lower, value))
            }
        }
        signed.sort { $0.0 < $1.0 }
        let signedNames = signed.map(\.0).joined(separator: ";")
        let canonical = [
            method, path, Self.canonicalQuery(query),
            signed.map { "\($0.0):\($0.1.trimmingCharacters(in: .whitespaces))\n" }.joined(),
            signedNames, payloadSHA256,
        ].joined(separator: "\n")
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, Self.hex(SHA256.hash(data: Data(canonical.utf8)))]
            .joined(separator: "\n")
        var key = SymmetricKey(data: Data("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        let signature = Self.hex(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key))
        var result = signed.filter { $0.0 != "host" }
        result.append(
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(signedNames), Signature=\(signature)"
            ))
        return result
    }

    /// `20130524T000000Z`.
    public static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    /// Percent-encodes everything but the unreserved characters (`A–Z a–z 0–9 - . _ ~`), and
    /// `/` too unless `slash` is false: S3's rule for paths and query components.
    public static func encode(_ text: String, slash: Bool = false) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.append(Character(UnicodeScalar(byte)))
            case UInt8(ascii: "/") where slash: out.append("/")
            default: out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    /// A path (`/bucket/key with spaces`) as S3 canonicalises and the URL carries it.
    public static func encodePath(_ path: String) -> String { encode(path, slash: true) }

    /// Sorted, encoded `key=value` pairs joined by `&`.
    public static func canonicalQuery(_ query: [(String, String)]) -> String {
        let encoded: [(key: String, value: String)] = query.map { (encode($0.0), encode($0.1)) }
        let sorted = encoded.sorted { (a, b) -> Bool in a.key == b.key ? a.value < b.value : a.key < b.key }
        return sorted.map { "\($0.key)=\($0.value)" }.joined(separator: "&")
    }

    /// Lowercase hex of a digest or bytes.
    public static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    /// Lowercase hex SHA-256 of `data`.
    public static func sha256(_ data: Data) -> String { hex(SHA256.hash(data: data)) }
}
