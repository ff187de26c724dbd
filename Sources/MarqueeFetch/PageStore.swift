import Foundation
import MarqueeCore

/// Page bodies on disk, content-addressed: `ROOT/ab/<sha256>.gz`, gzip-compressed, each
/// body stored once however many URLs or fetches share it. Writes go to a temporary name and
/// are renamed into place, so a crash never leaves a half-written body under its final name.
public struct PageStore: Sendable {
    /// The folder.
    public let root: URL

    /// A store in `root` (created when first written to).
    public init(root: URL) { self.root = root }

    /// Where the body with this digest lives.
    public func location(of sha256: String) -> URL {
        root.appendingPathComponent(String(sha256.prefix(2))).appendingPathComponent(sha256 + ".gz")
    }

    /// Stores `body` (if not already there) and returns its SHA-256 and whether it was new.
    /// - Throws: `MarqueeError` `.failure` when the file cannot be written.
    @discardableResult
    public func put(_ body: Data) throws(MarqueeError) -> (sha256: String, isNew: Bool) {
        let digest = Hashing.sha256(body)
        let url = location(of: digest)
        if FileManager.default.fileExists(atPath: url.path) { return (digest, false) }
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(digest).\(UUID().uuidString).tmp")
        do {
            let compressed = Gzip.compress(body)
            if !Self.writeFile(compressed, to: temporary.path) {
                // The first body in this fan-out folder (256 of them): create it, then write.
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                guard Self.writeFile(compressed, to: temporary.path) else {
                    throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
                }
            }
            if rename(temporary.path, url.path) != 0 {
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw MarqueeError(.failure, "cannot store a page body: \(error)", location: url.path)
        }
        return (digest, true)
    }

    /// Writes `data` with plain POSIX calls: no fsync per body (the rename publishes it; a power
    /// cut may lose the newest bodies, which their missing page records then re-fetch).
    private static func writeFile(_ data: Data, to path: String) -> Bool {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        return data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                guard written > 0 else { return false }
                offset += written
            }
            return true
        }
    }

    /// The body with this digest, checked against it.
    /// - Throws: `MarqueeError` `.dataError` when missing or corrupt.
    public func get(_ sha256: String) throws(MarqueeError) -> Data {
        let url = location(of: sha256)
        guard let compressed = try? Data(contentsOf: url) else {
            throw MarqueeError(.dataError, "no stored body \(sha256)", location: url.path)
        }
        let body = try Gzip.decompress(compressed)
        guard Hashing.sha256(body) == sha256 else {
            throw MarqueeError(.dataError, "stored body does not match its digest", location: url.path)
        }
        return body
    }
}
