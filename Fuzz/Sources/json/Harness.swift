import Foundation
import FuzzSupport
import MarqueeCore
import MarqueeHTML

// The JSON parser (strict and lenient) and the JSON-LD block reader.
@_cdecl("marquee_fuzz_one")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    if let parsed = try? JSONParser().parse(text) { _ = parsed.value.serialized() }
    if let parsed = try? JSONParser(options: .lenient).parse(text) { _ = parsed.value.serialized() }
    if case .success(let block) = JSONLD.parse(text) { _ = JSONLD.flatten(block.value) }
    return 0
}

@_cdecl("fuzz_json_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
