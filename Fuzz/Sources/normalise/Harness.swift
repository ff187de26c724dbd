import Foundation
import FuzzSupport
import MarqueeNormalize

// Every normaliser Marquee ships, on the same text, with and without a scale.
@_cdecl("marquee_fuzz_one")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    let registry = NormalizerRegistry.standard
    for name in registry.names {
        _ = try? registry[name]?(text)
        _ = try? registry[name]?(text, options: NormalizeOptions(locale: "de-DE", scale: 10))
    }
    return 0
}

@_cdecl("fuzz_normalise_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
