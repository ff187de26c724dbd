import Foundation
import MarqueeCore
import Synchronization
import Testing

@testable import MarqueeFetch

@Suite struct PageStoreTests {
    @Test func gzipRoundTripsAndRejectsDamage() throws {
        let text = Data(String(repeating: "<p>Mulholland Drive</p>\n", count: 500).utf8)
        let packed = Gzip.compress(text)
        #expect(packed.starts(with: [0x1F, 0x8B]))  // a gzip member
        #expect(packed.count < text.count / 10)
        #expect(try Gzip.decompress(packed) == text)
        #expect(try Gzip.decompress(Gzip.compress(Data())) == Data())
        var broken = packed
        broken[broken.count / 2] ^= 0xFF
        #expect(throws: MarqueeError.self) { try Gzip.decompress(broken) }
        #expect(throws: MarqueeError.self) { try Gzip.decompress(packed, limit: 100) }
    }

    static func scratch() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("marquee-pages-\(UUID().uuidString)")
    }

    static func packs(in root: URL, ending suffix: String = ".pack") throws -> [URL] {
        try FileManager.default.contentsOfDirectory(
            at: root.appendingPathComponent("packs"), includingPropertiesForKeys: nil
        ).filter { $0.lastPathComponent.hasSuffix(suffix) }
    }

    @Test func bodiesAreStoredOnceByContentAndChecked() throws {
        let root = Self.scratch()
        let store = PageStore(root: root)
        let body = Data("<html>same</html>".utf8)
        let first = try store.put(body)
        let second = try store.put(body)
        #expect(first.isNew && !second.isNew)
        #expect(first.sha256 == Hashing.sha256(body))
        #expect(try store.get(first.sha256) == body)
        try store.seal()
        // One pack holds the body; a byte changed inside it is caught by the record's CRC.
        let pack = try #require(try Self.packs(in: root).first)
        var bytes = try Data(contentsOf: pack)
        bytes[bytes.count - 3] ^= 0xFF
        try bytes.write(to: pack)
        #expect(throws: MarqueeError.self) { try PageStore(root: root).get(first.sha256) }
        #expect(throws: MarqueeError.self) { try store.get(String(repeating: "0", count: 64)) }
        #expect(throws: MarqueeError.self) { try store.get("not a digest") }
    }

    /// Many bodies go into one pack file (not one file each); a new store on the folder finds them
    /// all, from the `.idx` hint after `seal()` and by reading the record headers without one.
    @Test func packsAreFoundAgainWithAndWithoutTheirIndex() throws {
        let root = Self.scratch()
        let bodies = (0..<300).map { Data("<html><p>page \($0)</p>\(String(repeating: "x", count: $0))</html>".utf8) }
        do {
            let store = PageStore(root: root)
            for body in bodies { #expect(try store.put(body).isNew) }
            try store.seal()
        }
        #expect(try Self.packs(in: root).count == 1)
        #expect(try Self.packs(in: root, ending: ".idx").count == 1)
        let reopened = PageStore(root: root)
        for body in bodies {
            #expect(try reopened.get(Hashing.sha256(body)) == body)
            #expect(try !reopened.put(body).isNew)  // deduplicated across processes' runs
        }
        for hint in try Self.packs(in: root, ending: ".idx") { try FileManager.default.removeItem(at: hint) }
        let scanned = PageStore(root: root)
        for body in bodies { #expect(try scanned.get(Hashing.sha256(body)) == body) }
    }

    /// A writer killed mid-record leaves a torn tail: every complete record before it is read, the
    /// torn one is not found (so its page, never recorded, is fetched again), and the next writer
    /// starts a pack of its own.
    @Test func aTornTailIsIgnored() throws {
        let root = Self.scratch()
        let kept = Data("<html>kept</html>".utf8), torn = Data("<html>torn</html>".utf8)
        do {
            let store = PageStore(root: root)
            try store.put(kept)
            try store.put(torn)
            try store.seal()
        }
        for hint in try Self.packs(in: root, ending: ".idx") { try FileManager.default.removeItem(at: hint) }
        let pack = try #require(try Self.packs(in: root).first)
        let bytes = try Data(contentsOf: pack)
        try bytes.prefix(bytes.count - 5).write(to: pack)
        let store = PageStore(root: root)
        #expect(try store.get(Hashing.sha256(kept)) == kept)
        #expect(throws: MarqueeError.self) { try store.get(Hashing.sha256(torn)) }
        #expect(try store.put(torn).isNew)
        try store.seal()
        #expect(try Self.packs(in: root).count == 2)
        #expect(try PageStore(root: root).get(Hashing.sha256(torn)) == torn)
    }

    /// Eight threads storing overlapping bodies at once: each body is stored exactly once.
    @Test func concurrentPutsStoreEachBodyOnce() throws {
        let root = Self.scratch()
        let store = PageStore(root: root)
        let bodies = (0..<200).map { Data("<html>\($0)</html>".utf8) }
        let fresh = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for body in bodies.shuffled() where (try? store.put(body).isNew) == true {
                fresh.withLock { $0 += 1 }
                _ = worker
            }
        }
        #expect(fresh.withLock { $0 } == bodies.count)
        for body in bodies { #expect(try store.get(Hashing.sha256(body)) == body) }
    }

    /// Folders written before packs (one gzip file per body under `ab/`) are still read.
    @Test func looseBodiesFromEarlierVersionsAreRead() throws {
        let root = Self.scratch()
        let store = PageStore(root: root)
        let body = Data("<html>from an earlier version</html>".utf8)
        let digest = Hashing.sha256(body)
        try FileManager.default.createDirectory(
            at: store.location(of: digest).deletingLastPathComponent(), withIntermediateDirectories: true)
        try Gzip.compress(body).write(to: store.location(of: digest))
        #expect(try store.get(digest) == body)
        #expect(try !store.put(body).isNew)
        try Gzip.compress(Data("tampered".utf8)).write(to: store.location(of: digest))
        #expect(throws: MarqueeError.self) { try store.get(digest) }
    }

    @Test(arguments: [
        ("127.0.0.1", true), ("localhost", true), ("10.1.2.3", true), ("172.20.0.1", true), ("192.168.1.1", true),
        ("169.254.0.5", true), ("[::1]", true), ("fd00::1", true), ("172.32.0.1", false), ("letterboxd.com", false),
        ("8.8.8.8", false),
    ])
    func privateAddressesAreRecognised(_ host: String, _ expected: Bool) {
        #expect(Crawler.isPrivate(host: host) == expected)
    }
}
