import Foundation
import FuzzSupport
import MarqueeML
import MarqueeStore

// The CSV reader and the ratings-table parser built on it.
@_cdecl("marquee_fuzz_one")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: bytes, count: count)
    for row in CSVReader(data: data) { _ = row.fields.count }
    _ = try? RatingTable.parse(csv: data, source: "fuzz.csv")
    return 0
}

@_cdecl("fuzz_csv_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
