import Foundation
import Logging
import MarqueeCore

/// One file of a publish: local path, object, size and checksums.
public struct PublishedFile: Codable, Sendable, Equatable {
    /// Path relative to the folder published.
    public var path: String
    /// `s3://bucket/prefix/path`.
    public var object: String
    /// Bytes.
    public var bytes: Int
    /// SHA-256 of the bytes, also stored as the object's `x-amz-meta-sha256`.
    public var sha256: String
    /// The ETag the server reported after upload (verified against the local MD5s).
    public var etag: String
}

/// What ``ObjectStoreTransfer/publish(directory:to:client:createBucket:onFile:)`` did.
public struct PublishResult: Codable, Sendable {
    /// The prefix the files went under: the `storageUri` serving manifests point at.
    public var storageURI: String
    /// Whether the bucket had to be created.
    public var createdBucket: Bool
    /// Every file, in upload order (`manifest.json` last).
    public var files: [PublishedFile]

    enum CodingKeys: String, CodingKey {
        case files
        case storageURI = "storage_uri"
        case createdBucket = "created_bucket"
    }
}

/// Folders to and from object storage.
public enum ObjectStoreTransfer {
    /// Uploads every file under `directory` (an export) to `prefix`, each verified after upload;
    /// `manifest.json` goes last, so a reader that finds it finds a complete export.
    /// - Throws: `MarqueeError` 66 for a missing or empty folder, 69 for a missing bucket without
    ///   `createBucket` (hint: `--create-bucket`), 77 for refused credentials.
    public static func publish(
        directory: URL, to prefix: S3Location, client: S3Client, createBucket: Bool,
        onFile: @Sendable (PublishedFile) -> Void = { _ in }
    ) async throws(MarqueeError) -> PublishResult {
        let paths = try files(in: directory)
        var created = false
        if try await !client.bucketExists(prefix.bucket) {
            guard createBucket else {
                throw MarqueeError(
                    .unavailable, "bucket \(prefix.bucket) does not exist (NoSuchBucket)", location: "\(prefix)",
                    hint: "pass --create-bucket to create it, or check the bucket name and --endpoint")
            }
            try await client.createBucket(prefix.bucket)
            created = true
            client.logger.info("created bucket", metadata: ["bucket": "\(prefix.bucket)"])
        }
        var published: [PublishedFile] = []
        for path in paths {
            let object = prefix.appending(path)
            let stored = try await client.upload(file: directory.appendingPathComponent(path), to: object)
            let file = PublishedFile(
                path: path, object: "\(object)", bytes: stored.size, sha256: stored.sha256 ?? "", etag: stored.etag)
            published.append(file)
            onFile(file)
        }
        return PublishResult(storageURI: "\(prefix)", createdBucket: created, files: published)
    }

    /// The files under `directory`, relative and sorted, `manifest.json` moved last.
    static func files(in directory: URL) throws(MarqueeError) -> [String] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw MarqueeError(
                .noInput, "no such folder", location: directory.path, hint: "give the --out folder of marquee export")
        }
        let root = directory.standardizedFileURL.resolvingSymlinksInPath().path
        var paths: [String] = []
        let enumerator = FileManager.default.enumerator(
            at: directory.standardizedFileURL.resolvingSymlinksInPath(), includingPropertiesForKeys: [.isRegularFileKey])
        while let url = enumerator?.nextObject() as? URL {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
            paths.append(String(url.resolvingSymlinksInPath().path.dropFirst(root.count + 1)))
        }
        guard !paths.isEmpty else {
            throw MarqueeError(.noInput, "the folder is empty", location: directory.path, hint: "run marquee export first")
        }
        return paths.sorted { ($0 == "manifest.json" ? 1 : 0, $0) < ($1 == "manifest.json" ? 1 : 0, $1) }
    }

    /// Downloads `location` into `directory`: the one object, when it names one, else every
    /// object under it as a folder (relative paths kept). Returns the local path — the file, or
    /// the folder. Each download's size is checked against the listing.
    /// - Throws: `MarqueeError` 66 when nothing is there.
    public static func download(_ location: S3Location, into directory: URL, client: S3Client)
        async throws(MarqueeError) -> URL
    {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw MarqueeError(.cannotCreate, "cannot create the download folder", location: directory.path)
        }
        if !location.key.isEmpty, let object = try await client.head(location) {
            let target = directory.appendingPathComponent(String(location.key.split(separator: "/").last!))
            try write(try await client.get(location), to: target, expected: object.size, from: location)
            return target
        }
        let objects = try await client.list(location)
        guard !objects.isEmpty else {
            throw MarqueeError(
                .noInput, "no objects under \(location)", location: "\(location)",
                hint: "check the prefix (marquee publish prints the storage URI it wrote)")
        }
        for object in objects {
            let relative = location.key.isEmpty ? object.location.key : String(object.location.key.dropFirst(location.key.count + 1))
            let parts = relative.split(separator: "/")
            guard !parts.isEmpty, !parts.contains(".."), !parts.contains(".") else {
                throw MarqueeError(
                    .dataError, "refusing to write object key \(object.location.key) outside the download folder",
                    location: "\(object.location)")
            }
            let target = directory.appendingPathComponent(relative)
            try? FileManager.default.createDirectory(
                at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try write(try await client.get(object.location), to: target, expected: object.size, from: object.location)
        }
        return directory
    }

    private static func write(_ data: Data, to target: URL, expected: Int, from location: S3Location)
        throws(MarqueeError)
    {
        guard data.count == expected else {
            throw MarqueeError(
                .unavailable, "the download was cut short: \(data.count) of \(expected) bytes", location: "\(location)",
                hint: "try again")
        }
        do { try data.write(to: target, options: .atomic) } catch {
            throw MarqueeError(.cannotCreate, "cannot write the downloaded object", location: target.path)
        }
    }
}
