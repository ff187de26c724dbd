import Foundation
import FuzzSupport
import MarqueeScrape

// The scraper-spec loader: TOML, rules, selectors, regexes, normaliser names, URL patterns.
@_cdecl("marquee_fuzz_one")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    _ = try? SpecLoader.load(text: text, path: "scrapers/fuzz.toml")
    return 0
}

@_cdecl("fuzz_spec_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
