import Foundation
import MarqueeCore
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

    @Test func bodiesAreStoredOnceByContentAndChecked() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-pages-\(UUID().uuidString)")
        let store = PageStore(root: root)
        let body = Data("<html>same</html>".utf8)
        let first = try store.put(body)
        let second = try store.put(body)
        #expect(first.isNew && !second.isNew)
        #expect(first.sha256 == Hashing.sha256(body))
        #expect(
            store.location(of: first.sha256).path.hasSuffix(
                "/\(first.sha256.prefix(2))/\(first.sha256).gz"))
        #expect(try store.get(first.sha256) == body)
        // A file that no longer matches its name is refused.
        try Gzip.compress(Data("tampered".utf8)).write(to: store.location(of: first.sha256))
        #expect(throws: MarqueeError.self) { try store.get(first.sha256) }
        #expect(throws: MarqueeError.self) { try store.get(String(repeating: "0", count: 64)) }
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
