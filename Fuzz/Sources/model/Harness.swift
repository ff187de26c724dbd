import Foundation
import FuzzSupport
import MarqueeML

// The model-file reader, and predictions from whatever it accepts.
@_cdecl("marquee_fuzz_one")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard let loaded = try? ModelFile.decode(Data(bytes: bytes, count: count), source: "fuzz") else { return 0 }
    let model = loaded.model
    if !model.userIDs.isEmpty, !model.itemIDs.isEmpty { _ = model.predict(user: 0, item: 0) }
    return 0
}

@_cdecl("fuzz_model_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
