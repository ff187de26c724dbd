import Crypto
import Foundation

/// SHA-256 digests as lower-case hex, for content addresses, dataset ids and file checks.
public enum Hashing {
    /// The SHA-256 of `data`, hex-encoded.
    public static func sha256(_ data: some DataProtocol) -> String {
        hex(SHA256.hash(data: data))
    }

    /// Lower-case hex of `bytes` (a table lookup per nibble: this runs for every page body).
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The SHA-256 of the UTF-8 bytes of `text`, hex-encoded.
    public static func sha256(_ text: String) -> String { sha256(Data(text.utf8)) }

    /// HMAC-SHA-256 of `message` under `key`, hex-encoded: a keyed hash, so values cannot be
    /// recovered by hashing guesses without the key.
    public static func hmacSHA256(key: String, message: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: SymmetricKey(data: Data(key.utf8)))
        return hex(code)
    }

    /// An incremental SHA-256, for hashing a stream without holding it.
    public struct Stream {
        private var hasher = SHA256()

        /// Starts an empty hash.
        public init() {}

        /// Adds bytes.
        public mutating func update(_ data: some DataProtocol) { hasher.update(data: data) }

        /// Adds the UTF-8 bytes of `text`.
        public mutating func update(_ text: String) { hasher.update(data: Data(text.utf8)) }

        /// The digest so far, hex-encoded.
        public func finalize() -> String { Hashing.hex(hasher.finalize()) }
    }
}
