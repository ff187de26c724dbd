// swift-tools-version: 6.1
// Benchmarks live in their own package so `swift test` in the main package never builds them.
import PackageDescription

let package = Package(
    name: "MarqueeBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(
            name: "html-bench",
            dependencies: [.product(name: "MarqueeHTML", package: "main")],
            path: "Sources/html-bench"
        ),
        .executableTarget(
            name: "store-bench",
            dependencies: [.product(name: "MarqueeStore", package: "main"), .product(name: "MarqueeCore", package: "main")],
            path: "Sources/store-bench"
        ),
        .executableTarget(
            name: "parse-bench",
            dependencies: [
                .product(name: "MarqueeScrape", package: "main"), .product(name: "MarqueeHTML", package: "main"),
            ],
            path: "Sources/parse-bench"
        ),
        .executableTarget(
            name: "entity-bench",
            dependencies: [.product(name: "MarqueeScrape", package: "main")],
            path: "Sources/entity-bench"
        ),
    ],
    swiftLanguageModes: [.v6]
)
