import Foundation
import MarqueeCore
import Synchronization

/// Page bodies on disk, content-addressed by SHA-256 and gzip-compressed, each body stored once
/// however many URLs or fetches share it.
///
/// Bodies are appended to pack files, `ROOT/packs/<created>-<pid>-<random>.pack`: one inode per
/// few hundred megabytes instead of one per page. Each process writes its own pack and never
/// appends to another's, so crawlers can share a folder. A record is self-describing —
///
///     "MQB1" · SHA-256 (32 bytes) · stored length (UInt32 LE) · CRC-32 of the stored bytes · gzip bytes
///
/// — so the index (digest → pack, offset) is rebuilt by reading the record headers, helped by the
/// `.idx` file a pack gets when its writer finishes (its digests and offsets; only a hint: a missing
/// or damaged one means a scan). A write returns only after its bytes are in the file, and the
/// crawler records a page after its body is written, so a recorded page's body survives the
/// process being killed at any point; a kill mid-write leaves a torn tail that readers stop at.
/// Reading checks the record's CRC and the body's digest. Folders written by earlier versions
/// (`ROOT/ab/<sha256>.gz`, one file per body) are still read.
public struct PageStore: Sendable {
    /// The folder.
    public let root: URL
    private let packs: PackSet

    /// A store in `root` (created when first written to).
    public init(root: URL) {
        self.root = root
        packs = PackSet(folder: root.appendingPathComponent("packs"))
    }

    /// Where a body written by an earlier version (one gzip file per body) lives.
    public func location(of sha256: String) -> URL {
        root.appendingPathComponent(String(sha256.prefix(2))).appendingPathComponent(sha256 + ".gz")
    }

    /// Stores `body` (if not already there) and returns its SHA-256 and whether it was new.
    /// - Throws: `MarqueeError` `.failure` when the pack cannot be written.
    @discardableResult
    public func put(_ body: Data) throws(MarqueeError) -> (sha256: String, isNew: Bool) {
        let digest = Hashing.sha256(body)
        let key = PackSet.Digest(hex: digest)!
        if try packs.contains(key) || (packs.hasLooseBodies && FileManager.default.fileExists(atPath: location(of: digest).path)) {
            return (digest, false)
        }
        let isNew = try packs.append(key, Gzip.compress(body))
        return (digest, isNew)
    }

    /// The body with this digest, checked against it.
    /// - Throws: `MarqueeError` `.dataError` when missing or corrupt.
    public func get(_ sha256: String) throws(MarqueeError) -> Data {
        let stored: Data
        if let key = PackSet.Digest(hex: sha256), let packed = try packs.read(key) {
            stored = packed
        } else {
            let url = location(of: sha256)
            guard let loose = try? Data(contentsOf: url) else {
                throw MarqueeError(
                    .dataError, "no stored body \(sha256)", location: root.path,
                    hint: "was the page recorded with another --pages folder?")
            }
            stored = loose
        }
        let body = try Gzip.decompress(stored)
        guard Hashing.sha256(body) == sha256 else {
            throw MarqueeError(.dataError, "stored body \(sha256) does not match its digest", location: root.path)
        }
        return body
    }

    /// Finishes the pack this store writes (its `.idx` hint is written and the next body starts a
    /// new pack). Also done when the last copy of the store goes away.
    /// - Throws: `MarqueeError` `.failure` when the hint cannot be written.
    public func seal() throws(MarqueeError) { try packs.seal() }
}

/// The pack files of one folder, their in-memory index and this process's open pack.
final class PackSet: Sendable {
    /// A SHA-256 as four words (a compact dictionary key).
    struct Digest: Hashable, Sendable {
        var words: (UInt64, UInt64, UInt64, UInt64)

        init?(hex: String) {
            let bytes = Array(hex.utf8)
            guard bytes.count == 64 else { return nil }
            var raw = [UInt8](repeating: 0, count: 32)
            for i in 0..<32 {
                guard let high = Self.nibble(bytes[2 * i]), let low = Self.nibble(bytes[2 * i + 1]) else { return nil }
                raw[i] = high << 4 | low
            }
            self.init(raw: raw[...])
        }

        init(raw: ArraySlice<UInt8>) {
            func word(_ at: Int) -> UInt64 {
                (0..<8).reduce(0) { $0 << 8 | UInt64(raw[raw.startIndex + at + $1]) }
            }
            words = (word(0), word(8), word(16), word(24))
        }

        var raw: [UInt8] {
            [words.0, words.1, words.2, words.3].flatMap { word in (0..<8).map { UInt8(truncatingIfNeeded: word >> (56 - 8 * $0)) } }
        }

        private static func nibble(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
            default: nil
            }
        }

        static func == (a: Self, b: Self) -> Bool { a.words == b.words }
        func hash(into hasher: inout Hasher) { hasher.combine(words.0) }
    }

    struct Location {
        var pack: Int32
        var offset: Int64
        var length: Int32
    }

    static let recordMagic = Array("MQB1".utf8)
    static let indexMagic = Array("MQI1".utf8)
    static let headerSize = 44
    static let indexEntrySize = 44
    /// A pack is finished and a new one started beyond this size.
    static let packLimit: Int64 = 256 << 20

    private struct Writer {
        var pack: Int32
        var descriptor: Int32
        var offset: Int64
        var entries: [(Digest, Location)] = []
    }

    private struct State {
        var index: [Digest: Location] = [:]
        var names: [String] = []
        var numbers: [String: Int32] = [:]
        var scanned: [Int64] = []
        var readers: [Int32: Int32] = [:]
        var writer: Writer?
        var loaded = false
        var loose: Bool?
    }

    let folder: URL
    private let state = Mutex(State())

    init(folder: URL) { self.folder = folder }

    deinit {
        try? seal()
        state.withLock { state in
            for descriptor in state.readers.values { close(descriptor) }
        }
    }

    /// Whether the store's folder has bodies from before packs (`ab/` folders), looked at once.
    var hasLooseBodies: Bool {
        state.withLock { state in
            if let loose = state.loose { return loose }
            let root = folder.deletingLastPathComponent()
            let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
            let loose = names.contains { name in name.utf8.count == 2 && name.utf8.allSatisfy { $0.isHexDigit } }
            state.loose = loose
            return loose
        }
    }

    func contains(_ digest: Digest) throws(MarqueeError) -> Bool {
        try state.withLock { (state: inout State) throws(MarqueeError) -> Bool in
            if !state.loaded { try refresh(&state) }
            return state.index[digest] != nil
        }
    }

    /// Appends one record to this process's pack; false when another thread stored it first.
    func append(_ digest: Digest, _ stored: Data) throws(MarqueeError) -> Bool {
        var record = Self.recordMagic + digest.raw
        withUnsafeBytes(of: UInt32(stored.count).littleEndian) { record += $0 }
        let crc = stored.withUnsafeBytes { Gzip.crc32($0) }
        withUnsafeBytes(of: crc.littleEndian) { record += $0 }
        record += stored
        return try state.withLock { (state: inout State) throws(MarqueeError) -> Bool in
            if !state.loaded { try refresh(&state) }
            if state.index[digest] != nil { return false }
            var writer: Writer
            if let open = state.writer { writer = open } else { writer = try openPack(&state) }
            guard Self.writeAll(record, to: writer.descriptor, at: writer.offset) else {
                let reason = String(cString: strerror(errno))
                throw MarqueeError(
                    .failure, "cannot store a page body: \(reason)", location: state.names[Int(writer.pack)],
                    hint: "is the disk full or the folder read-only?")
            }
            let location = Location(pack: writer.pack, offset: writer.offset, length: Int32(stored.count))
            writer.offset += Int64(record.count)
            writer.entries.append((digest, location))
            state.index[digest] = location
            state.scanned[Int(writer.pack)] = writer.offset
            state.writer = writer
            if writer.offset >= Self.packLimit { try finish(&state) }
            return true
        }
    }

    /// The stored (compressed) bytes of `digest`, or nil when no pack has it.
    func read(_ digest: Digest) throws(MarqueeError) -> Data? {
        let found = try state.withLock { (state: inout State) throws(MarqueeError) -> (Location, Int32, String)? in
            if !state.loaded || state.index[digest] == nil { try refresh(&state) }  // packs of other processes
            guard let location = state.index[digest] else { return nil }
            let name = state.names[Int(location.pack)]
            if let descriptor = state.readers[location.pack] { return (location, descriptor, name) }
            let descriptor = open(folder.appendingPathComponent(name).path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                throw MarqueeError(.dataError, "cannot open the pack: \(String(cString: strerror(errno)))", location: name)
            }
            state.readers[location.pack] = descriptor
            return (location, descriptor, name)
        }
        guard let (location, descriptor, name) = found else { return nil }
        let path = folder.appendingPathComponent(name).path
        guard let record = Self.readAll(descriptor, at: location.offset, count: Self.headerSize + Int(location.length)),
            Array(record[0..<4]) == Self.recordMagic, Digest(raw: record[4..<36]) == digest
        else {
            throw MarqueeError(.dataError, "the pack record at offset \(location.offset) is damaged", location: path)
        }
        let crc = record[40..<44].enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * $1.offset) }
        let stored = Data(record[Self.headerSize...])
        guard stored.withUnsafeBytes({ Gzip.crc32($0) }) == crc else {
            throw MarqueeError(.dataError, "the pack record at offset \(location.offset) fails its CRC", location: path)
        }
        return stored
    }

    func seal() throws(MarqueeError) {
        try state.withLock { (state: inout State) throws(MarqueeError) in try finish(&state) }
    }

    // MARK: - Under the lock

    /// Indexes every pack (or its new tail) not indexed yet: from its `.idx` hint when there is
    /// one, then by reading record headers up to the first incomplete record.
    private func refresh(_ state: inout State) throws(MarqueeError) {
        state.loaded = true
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".pack") }.sorted()
        for name in names {
            let pack: Int32
            if let known = state.numbers[name] {
                pack = known
            } else {
                pack = Int32(state.names.count)
                state.names.append(name)
                state.numbers[name] = pack
                state.scanned.append(0)
                state.scanned[Int(pack)] = loadHint(for: name, pack: pack, into: &state.index)
            }
            if pack == state.writer?.pack { continue }
            let path = folder.appendingPathComponent(name).path
            var info = stat()
            guard stat(path, &info) == 0, Int64(info.st_size) > state.scanned[Int(pack)] else { continue }
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { continue }
            defer { close(descriptor) }
            var offset = state.scanned[Int(pack)]
            while offset + Int64(Self.headerSize) <= Int64(info.st_size),
                let header = Self.readAll(descriptor, at: offset, count: Self.headerSize),
                Array(header[0..<4]) == Self.recordMagic
            {
                let length = header[36..<40].enumerated().reduce(Int64(0)) { $0 | Int64($1.element) << (8 * $1.offset) }
                let end = offset + Int64(Self.headerSize) + length
                guard end <= Int64(info.st_size) else { break }  // torn or still being written
                let digest = Digest(raw: header[4..<36])
                if state.index[digest] == nil {
                    state.index[digest] = Location(pack: pack, offset: offset, length: Int32(length))
                }
                offset = end
            }
            state.scanned[Int(pack)] = offset
        }
    }

    /// Reads `NAME.idx` into `index`; returns the pack length it covers (0 without a usable hint).
    private func loadHint(for name: String, pack: Int32, into index: inout [Digest: Location]) -> Int64 {
        let url = folder.appendingPathComponent(String(name.dropLast(5)) + ".idx")
        guard let data = try? Data(contentsOf: url), data.count >= 20, Array(data.prefix(4)) == Self.indexMagic
        else { return 0 }
        let bytes = [UInt8](data)
        func integer(_ at: Int, _ width: Int) -> Int64 {
            (0..<width).reduce(Int64(0)) { $0 | Int64(bytes[at + $1]) << (8 * $1) }
        }
        let covered = integer(4, 8), count = Int(integer(12, 8))
        guard count >= 0, bytes.count == 20 + count * Self.indexEntrySize else { return 0 }
        for entry in 0..<count {
            let at = 20 + entry * Self.indexEntrySize
            let digest = Digest(raw: bytes[at..<at + 32])
            if index[digest] == nil {
                index[digest] = Location(pack: pack, offset: integer(at + 32, 8), length: Int32(integer(at + 40, 4)))
            }
        }
        return covered
    }

    private func openPack(_ state: inout State) throws(MarqueeError) -> Writer {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw MarqueeError(.failure, "cannot create the pack folder: \(error)", location: folder.path)
        }
        var random = SystemRandomNumberGenerator()
        let stamp = Microseconds.isoSeconds(Microseconds.from(Date())).filter(\.isNumber)
        let name = "\(stamp)-\(getpid())-\(String(random.next() as UInt32, radix: 16)).pack"
        let descriptor = open(
            folder.appendingPathComponent(name).path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw MarqueeError(
                .failure, "cannot create a pack: \(String(cString: strerror(errno)))",
                location: folder.appendingPathComponent(name).path)
        }
        let pack = Int32(state.names.count)
        state.names.append(name)
        state.numbers[name] = pack
        state.scanned.append(0)
        return Writer(pack: pack, descriptor: descriptor, offset: 0)
    }

    /// Closes this process's pack and writes its `.idx` hint (a temporary file renamed into place).
    private func finish(_ state: inout State) throws(MarqueeError) {
        guard let writer = state.writer else { return }
        state.writer = nil
        close(writer.descriptor)
        var hint = Self.indexMagic
        withUnsafeBytes(of: UInt64(writer.offset).littleEndian) { hint += $0 }
        withUnsafeBytes(of: UInt64(writer.entries.count).littleEndian) { hint += $0 }
        for (digest, location) in writer.entries {
            hint += digest.raw
            withUnsafeBytes(of: UInt64(location.offset).littleEndian) { hint += $0 }
            withUnsafeBytes(of: UInt32(location.length).littleEndian) { hint += $0 }
        }
        let name = String(state.names[Int(writer.pack)].dropLast(5)) + ".idx"
        let temporary = folder.appendingPathComponent(".\(name).tmp"), final = folder.appendingPathComponent(name)
        do {
            try Data(hint).write(to: temporary)
            guard rename(temporary.path, final.path) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw MarqueeError(.failure, "cannot write the pack index: \(error)", location: final.path)
        }
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, at offset: Int64) -> Bool {
        bytes.withUnsafeBytes { buffer in
            var done = 0
            while done < buffer.count {
                let written = pwrite(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
                guard written > 0 else { return false }
                done += written
            }
            return true
        }
    }

    private static func readAll(_ descriptor: Int32, at offset: Int64, count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        let complete = bytes.withUnsafeMutableBytes { buffer in
            var done = 0
            while done < count {
                let got = pread(descriptor, buffer.baseAddress! + done, count - done, off_t(offset) + off_t(done))
                guard got > 0 else { return false }
                done += got
            }
            return true
        }
        return complete ? bytes : nil
    }
}

extension UInt8 {
    fileprivate var isHexDigit: Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(self)
    }
}
