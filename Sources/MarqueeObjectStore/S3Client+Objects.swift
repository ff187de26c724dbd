import Crypto
import Foundation
import MarqueeCore
import MarqueeFetch

/// An object's size, entity tag and user metadata, from HEAD or a listing.
public struct S3Object: Sendable, Equatable {
    /// Where it is.
    public var location: S3Location
    /// Bytes.
    public var size: Int
    /// The entity tag without quotes: the MD5 of a single-part upload, `MD5-OF-MD5S-N` of a
    /// multipart one.
    public var etag: String
    /// `x-amz-meta-sha256`, which Marquee sets on every upload (HEAD only).
    public var sha256: String?
}

extension S3Client {
    /// Whether `bucket` exists and these credentials can see it.
    /// - Throws: `MarqueeError` 77 when access is refused, 69 when the endpoint is unreachable.
    public func bucketExists(_ bucket: String) async throws(MarqueeError) -> Bool {
        let response = try await send("HEAD", S3Location(bucket: bucket, key: ""), accept: [404])
        return response.status != 404
    }

    /// Creates `bucket` in the configured region (`BucketAlreadyOwnedByYou` counts as success).
    public func createBucket(_ bucket: String) async throws(MarqueeError) {
        let region = region(of: bucket)
        let body =
            region == "us-east-1" || configuration.endpoint != nil
            ? Data()
            : Data(
                "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>\(region)</LocationConstraint></CreateBucketConfiguration>"
                    .utf8)
        let response = try await send("PUT", S3Location(bucket: bucket, key: ""), body: body, accept: [409])
        if response.status == 409, S3ErrorBody(response).code != "BucketAlreadyOwnedByYou" {
            throw MarqueeError(
                .cannotCreate, "bucket \(bucket) exists and belongs to someone else", location: "s3://\(bucket)",
                hint: "choose another bucket name")
        }
    }

    /// Size, ETag and metadata of an object, or `nil` when there is none.
    public func head(_ location: S3Location) async throws(MarqueeError) -> S3Object? {
        let response = try await send("HEAD", location, accept: [404])
        guard response.status != 404 else { return nil }
        return S3Object(
            location: location, size: Int(response.header("Content-Length") ?? "") ?? 0,
            etag: Self.unquoted(response.header("ETag") ?? ""), sha256: response.header("x-amz-meta-sha256"))
    }

    /// The object's bytes.
    /// - Throws: `MarqueeError` 66 when there is no such object.
    public func get(_ location: S3Location) async throws(MarqueeError) -> Data {
        try await send("GET", location).body
    }

    /// Every object under `prefix` (a folder: keys starting `prefix/`), in key order, folder
    /// markers (keys ending in `/`) left out.
    public func list(_ prefix: S3Location) async throws(MarqueeError) -> [S3Object] {
        var objects: [S3Object] = []
        var token: String?
        repeat {
            var query = [("list-type", "2")]
            if !prefix.key.isEmpty { query.append(("prefix", prefix.key + "/")) }
            if let token { query.append(("continuation-token", token)) }
            let text = String(
                decoding: try await send("GET", S3Location(bucket: prefix.bucket, key: ""), query: query).body,
                as: UTF8.self)
            for entry in XMLScan.all("Contents", in: text) {
                // Keys ending in "/" are folder markers some tools write; they hold no file.
                guard let key = XMLScan.first("Key", in: entry), !key.hasSuffix("/") else { continue }
                objects.append(
                    S3Object(
                        location: S3Location(bucket: prefix.bucket, key: key),
                        size: Int(XMLScan.first("Size", in: entry) ?? "") ?? 0,
                        etag: Self.unquoted(XMLScan.first("ETag", in: entry) ?? ""), sha256: nil))
            }
            token = XMLScan.first("IsTruncated", in: text) == "true" ? XMLScan.first("NextContinuationToken", in: text) : nil
        } while token != nil
        return objects
    }

    /// Uploads `data` in one request with `Content-MD5` (the server refuses corrupted bytes) and
    /// its SHA-256 as `x-amz-meta-sha256`. Returns the ETag.
    @discardableResult
    public func put(_ data: Data, to location: S3Location, sha256: String? = nil) async throws(MarqueeError) -> String {
        let headers = [
            ("Content-MD5", Data(Insecure.MD5.hash(data: data)).base64EncodedString()),
            ("x-amz-meta-sha256", sha256 ?? SignatureV4.sha256(data)),
        ]
        return Self.unquoted(try await send("PUT", location, headers: headers, body: data).header("ETag") ?? "")
    }

    /// Uploads the file at `url`: one PUT up to ``S3Configuration/partSize``, a multipart upload
    /// beyond (aborted on failure, so no orphaned parts are billed). Then HEADs the object and
    /// checks its size, SHA-256 metadata and ETag against the local bytes.
    /// - Throws: `MarqueeError` `.failure` when the stored object differs from the file.
    public func upload(file url: URL, to location: S3Location) async throws(MarqueeError) -> S3Object {
        let data = try InputFile.read(url.path, what: "the file to upload")
        let sha256 = SignatureV4.sha256(data)
        let partSize = max(configuration.partSize, 5 << 20)
        let expectedETag: String
        if data.count <= partSize {
            try await put(data, to: location, sha256: sha256)
            expectedETag = SignatureV4.hex(Insecure.MD5.hash(data: data))
        } else {
            expectedETag = try await multipart(data, to: location, sha256: sha256, partSize: partSize)
        }
        guard let stored = try await head(location) else {
            throw MarqueeError(.failure, "the upload of \(url.path) is not there when read back", location: "\(location)")
        }
        let sizeMatches = stored.size == data.count
        let hashMatches = stored.sha256 == nil || stored.sha256 == sha256
        // Servers that encrypt with KMS or compute ETags otherwise give non-MD5 tags; compare
        // only when the tag has the MD5 form.
        let md5Form = stored.etag.range(of: #"^[0-9a-f]{32}(-\d+)?$"#, options: .regularExpression) != nil
        guard sizeMatches, hashMatches, !md5Form || stored.etag == expectedETag else {
            throw MarqueeError(
                .failure,
                "the stored object differs from \(url.path): \(stored.size) bytes, ETag \(stored.etag) vs \(data.count) bytes, ETag \(expectedETag)",
                location: "\(location)", hint: "publish again; if it persists, check the server's storage")
        }
        return stored
    }

    /// A multipart upload; returns the ETag S3 computes for it (MD5 of the parts' MD5s, `-N`).
    private func multipart(_ data: Data, to location: S3Location, sha256: String, partSize: Int)
        async throws(MarqueeError) -> String
    {
        let started = try await send(
            "POST", location, query: [("uploads", "")], headers: [("x-amz-meta-sha256", sha256)])
        guard let uploadID = XMLScan.first("UploadId", in: String(decoding: started.body, as: UTF8.self)) else {
            throw MarqueeError(.failure, "the server started a multipart upload without an UploadId", location: "\(location)")
        }
        let count = (data.count + partSize - 1) / partSize
        var parts: [(number: Int, etag: String)] = []
        var digests = [Data](repeating: Data(), count: count)
        do throws(MarqueeError) {
            // Parts go up ``S3Configuration/partConcurrency`` at a time, each hashed (MD5 for
            // Content-MD5, SHA-256 for the signature) in its own task.
            let results = await withTaskGroup(of: Result<(Int, String, Data), MarqueeError>.self) { group in
                var next = 0
                var results: [Result<(Int, String, Data), MarqueeError>] = []
                func add() {
                    let number = next + 1
                    let part = data.subdata(in: next * partSize..<min((next + 1) * partSize, data.count))
                    next += 1
                    group.addTask {
                        let md5 = Data(Insecure.MD5.hash(data: part))
                        do throws(MarqueeError) {
                            let response = try await self.send(
                                "PUT", location, query: [("partNumber", "\(number)"), ("uploadId", uploadID)],
                                headers: [("Content-MD5", md5.base64EncodedString())], body: part)
                            return .success((number, response.header("ETag") ?? "\"\(SignatureV4.hex(md5))\"", md5))
                        } catch {
                            return .failure(error)
                        }
                    }
                }
                while next < min(count, max(1, configuration.partConcurrency)) { add() }
                for await result in group {
                    results.append(result)
                    if case .failure = result { group.cancelAll() } else if next < count { add() }
                }
                return results
            }
            for result in results {
                let (number, etag, md5) = try result.get()
                parts.append((number, etag))
                digests[number - 1] = md5
            }
            parts.sort { $0.number < $1.number }
            guard parts.count == count else {
                throw MarqueeError(.failure, "\(count - parts.count) parts of the upload did not finish", location: "\(location)")
            }
            let body =
                "<CompleteMultipartUpload>"
                + parts.map { "<Part><PartNumber>\($0.number)</PartNumber><ETag>\(XMLScan.escape($0.etag))</ETag></Part>" }
                .joined() + "</CompleteMultipartUpload>"
            let completed = try await send("POST", location, query: [("uploadId", uploadID)], body: Data(body.utf8))
            // S3 may answer 200 and report the failure in the body.
            let failure = S3ErrorBody(completed)
            if failure.code != nil {
                throw error(for: failure, status: 500, method: "POST", location: location)
            }
        } catch {
            _ = try? await send("DELETE", location, query: [("uploadId", uploadID)], accept: [404])
            throw error
        }
        return "\(SignatureV4.hex(Insecure.MD5.hash(data: Data(digests.joined()))))-\(parts.count)"
    }

    static func unquoted(_ etag: String) -> String { etag.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
}
