// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Marquee",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "marquee", targets: ["marquee"]),
        .library(name: "MarqueeCore", targets: ["MarqueeCore"]),
        .library(name: "MarqueeHTML", targets: ["MarqueeHTML"]),
        .library(name: "MarqueeNormalize", targets: ["MarqueeNormalize"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", exact: "2.0.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]
        ),
        .target(
            name: "MarqueeCore",
            dependencies: [.product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "MarqueeHTML",
            dependencies: ["CLibXML2", "MarqueeCore", .product(name: "Logging", package: "swift-log")]
        ),
        .target(name: "MarqueeNormalize"),
        .executableTarget(
            name: "marquee",
            dependencies: [
                "MarqueeCore",
                "MarqueeHTML",
                "MarqueeNormalize",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "MarqueeTestKit",
            dependencies: ["MarqueeCore"]
        ),
        .testTarget(
            name: "MarqueeCoreTests",
            dependencies: [
                "MarqueeCore", "MarqueeTestKit",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "MarqueeHTMLTests",
            dependencies: [
                "MarqueeHTML", "MarqueeTestKit",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "MarqueeNormalizeTests",
            dependencies: [
                "MarqueeNormalize", "MarqueeTestKit",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "MarqueeCLITests",
            dependencies: ["marquee", "MarqueeTestKit"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
