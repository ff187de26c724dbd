import Foundation
import FuzzSupport
import MarqueePipeline
import MarqueeStore

// The other TOML loaders: pipelines (`pipelines/*.toml`), feature views (`features/*.toml`) and
// datasets (`features/datasets/*.toml`). The first byte picks the loader, the rest is the file.
@_cdecl("marquee_fuzz_one")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard count > 0 else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: bytes + 1, count: count - 1), as: UTF8.self)
    switch bytes[0] % 3 {
    case 0: _ = try? PipelineSpec.parse(text: text, path: "pipelines/fuzz.toml")
    case 1: _ = try? FeatureCatalog.parseView(text: text, path: "features/fuzz.toml")
    default: _ = try? FeatureCatalog.parseDataset(text: text, path: "features/datasets/fuzz.toml")
    }
    return 0
}

@_cdecl("fuzz_pipeline_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
