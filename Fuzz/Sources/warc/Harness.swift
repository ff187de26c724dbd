import Foundation
import FuzzSupport
import MarqueeFetch

// The WARC reader (plain and gzip members) and turning records back into pages.
@_cdecl("marquee_fuzz_one")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: bytes, count: count)
    if let records = try? WARCReader.records(data: data, source: "fuzz") {
        for record in records { _ = record.page() }
    }
    return 0
}

@_cdecl("fuzz_warc_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
