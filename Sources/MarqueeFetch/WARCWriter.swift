import Crypto
import Foundation
import MarqueeCore

/// Appends records to `PREFIX-NNNNN.warc.gz` files in a folder, one gzip member per record (so
/// tools can seek to any record), starting a new file past `maxBytes`. Each file begins with a
/// `warcinfo` record. Safe to share between concurrent fetches.
public actor WARCWriter {
    /// The folder.
    public let directory: URL
    /// File name prefix.
    public let prefix: String
    /// Rotate once a file is at least this large.
    public let maxBytes: Int
    private var handle: FileHandle?
    private var size = 0
    private var sequence = 0
    /// Files written so far, in order.
    public private(set) var files: [URL] = []

    /// A writer into `directory` (created if needed); files are numbered after existing ones.
    public init(directory: URL, prefix: String = "marquee", maxBytes: Int = 1 << 30) {
        self.directory = directory
        self.prefix = prefix
        self.maxBytes = maxBytes
    }

    /// Appends records (e.g. a request and its response) to the current file.
    public func write(_ records: [WARCRecord]) throws(MarqueeError) {
        if handle == nil || size >= maxBytes { try rotate() }
        var bytes = Data()
        for record in records { bytes += Gzip.compress(record.serialized) }
        do {
            try handle!.write(contentsOf: bytes)
        } catch {
            throw MarqueeError(.failure, "cannot write WARC: \(error.localizedDescription)", location: files.last?.path)
        }
        size += bytes.count
    }

    /// Appends `records` to one named file (created with a `warcinfo` record if new), as
    /// `marquee fetch --warc FILE` does.
    public static func append(_ records: [WARCRecord], to file: URL) throws(MarqueeError) {
        var bytes = Data()
        if !FileManager.default.fileExists(atPath: file.path) {
            bytes += Gzip.compress(WARCRecord.info(filename: file.lastPathComponent).serialized)
            _ = FileManager.default.createFile(atPath: file.path, contents: nil)
        }
        for record in records { bytes += Gzip.compress(record.serialized) }
        do {
            let handle = try FileHandle(forWritingTo: file)
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: bytes)
        } catch {
            throw MarqueeError(.failure, "cannot write WARC: \(error.localizedDescription)", location: file.path)
        }
    }

    /// Closes the current file.
    public func close() {
        try? handle?.close()
        handle = nil
    }

    private func rotate() throws(MarqueeError) {
        close()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            var url: URL
            repeat {
                url = directory.appendingPathComponent(String(format: "%@-%05d.warc.gz", prefix, sequence))
                sequence += 1
            } while FileManager.default.fileExists(atPath: url.path)
            _ = FileManager.default.createFile(atPath: url.path, contents: nil)  // opening it next reports any failure
            handle = try FileHandle(forWritingTo: url)
            files.append(url)
            size = 0
            try write([WARCRecord.info(filename: url.lastPathComponent)])
        } catch let error as MarqueeError {
            throw error
        } catch {
            throw MarqueeError(
                .failure, "cannot start a WARC file: \(error.localizedDescription)", location: directory.path)
        }
    }
}

/// Reads the records of a WARC file (gzip members or plain).
public enum WARCReader {
    /// Every record of `url`, in order.
    /// - Throws: `MarqueeError` `.dataError` naming the file and byte offset of a malformed record.
    public static func records(_ url: URL) throws(MarqueeError) -> [WARCRecord] {
        guard let raw = try? Data(contentsOf: url) else {
            throw MarqueeError(.failure, "cannot read", location: url.path)
        }
        return try records(data: raw, source: url.path)
    }

    /// Every record of a WARC file's bytes (gzip members or plain); `source` names it in errors.
    public static func records(data raw: Data, source: String) throws(MarqueeError) -> [WARCRecord] {
        let data = raw.starts(with: [0x1F, 0x8B]) ? try Gzip.decompressMembers(raw) : raw
        var records: [WARCRecord] = []
        var position = data.startIndex
        let separator = Data("\r\n\r\n".utf8)
        while position < data.endIndex {
            guard let headEnd = data[position...].firstRange(of: separator) else {
                throw MarqueeError(.dataError, "record header not terminated at byte \(position)", location: source)
            }
            let lines = String(decoding: data[position..<headEnd.lowerBound], as: UTF8.self).components(
                separatedBy: "\r\n")
            guard lines.first?.hasPrefix("WARC/") == true else {
                throw MarqueeError(.dataError, "no WARC version line at byte \(position)", location: source)
            }
            let headers = lines.dropFirst().compactMap { line -> (name: String, value: String)? in
                guard let colon = line.firstIndex(of: ":") else { return nil }
                return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
            }
            guard
                let length = headers.first(where: { $0.name.lowercased() == "content-length" }).flatMap({
                    Int($0.value)
                }),
                length >= 0, length <= data.endIndex - headEnd.upperBound
            else {
                throw MarqueeError(.dataError, "bad Content-Length at byte \(position)", location: source)
            }
            records.append(
                WARCRecord(headers: headers, block: Data(data[headEnd.upperBound..<(headEnd.upperBound + length)])))
            position = headEnd.upperBound + length + 4
        }
        return records
    }
}
