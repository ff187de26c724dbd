// swift-tools-version: 6.1
// libFuzzer harnesses, in their own package so neither `swift test` nor a release build of the
// main package ever builds them with sanitizers. `make fuzz SECONDS=N` (scripts/fuzz.sh) builds
// them with `-Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address`, so
// Marquee's own targets (Swift and C) are instrumented for coverage too, and runs each.
import PackageDescription

let fuzzing: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]
// gold fails on the sanitizer runtimes' symbols; the toolchain's lld links them.
let linking: [LinkerSetting] = [.unsafeFlags(["-sanitize=fuzzer,address", "-use-ld=lld"])]

func harness(_ name: String, _ products: [String]) -> Target {
    .executableTarget(
        name: "fuzz-\(name)",
        dependencies: ["FuzzSupport"] + products.map { .product(name: $0, package: "main") },
        path: "Sources/\(name)", swiftSettings: fuzzing, linkerSettings: linking)
}

let package = Package(
    name: "MarqueeFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "..")],
    targets: [
        .target(name: "FuzzSupport", path: "Sources/support", swiftSettings: fuzzing),
        harness("html", ["MarqueeHTML"]),
        harness("json", ["MarqueeCore", "MarqueeHTML"]),
        harness("normalise", ["MarqueeNormalize"]),
        harness("robots", ["MarqueeFetch"]),
        harness("warc", ["MarqueeFetch"]),
        harness("spec", ["MarqueeScrape"]),
        harness("pipeline", ["MarqueePipeline", "MarqueeStore"]),
        harness("model", ["MarqueeML"]),
        harness("csv", ["MarqueeStore", "MarqueeML"]),
    ],
    swiftLanguageModes: [.v6]
)
