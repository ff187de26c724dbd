import Foundation
import FuzzSupport
import MarqueeFetch

// robots.txt: parse, group choice, decisions for a few URLs and agents.
@_cdecl("marquee_fuzz_one")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let robots = RobotsTxt(String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self))
    for agent in ["Marquee", "*", "googlebot"] {
        _ = robots.crawlDelay(for: agent)
        for url in ["https://a.example/", "https://a.example/film/x?y=1", "https://a.example/%E2%98%83/$"] {
            _ = robots.decision(for: url, agent: agent)
        }
    }
    return 0
}

@_cdecl("fuzz_robots_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzz)
}
