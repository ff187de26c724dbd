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
        .library(name: "MarqueeStore", targets: ["MarqueeStore"]),
        .library(name: "MarqueeFetch", targets: ["MarqueeFetch"]),
        .library(name: "MarqueeML", targets: ["MarqueeML"]),
        .library(name: "MarqueeExport", targets: ["MarqueeExport"]),
        .library(name: "MarqueeScrape", targets: ["MarqueeScrape"]),
        .library(name: "MarqueePipeline", targets: ["MarqueePipeline"]),
        .library(name: "MarqueePostgres", targets: ["MarqueePostgres"]),
        .library(name: "MarqueeObjectStore", targets: ["MarqueeObjectStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", exact: "2.0.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", exact: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift.git", exact: "7.10.0"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", exact: "0.6.0"),
        .package(url: "https://github.com/apple/swift-protobuf.git", exact: "1.39.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", exact: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", exact: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", exact: "2.4.1"),
        // `make docs`: swift package generate-documentation (the DocC catalogs in Sources/*/*.docc).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin.git", exact: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]
        ),
        .target(
            name: "MarqueeCore",
            dependencies: [
                "CZlib", .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // libxml2 helpers in C: the arena allocator documents are parsed into, native CSS matching.
        .target(name: "CMarqueeXML", dependencies: ["CLibXML2"]),
        .target(
            name: "MarqueeHTML",
            dependencies: ["CLibXML2", "CMarqueeXML", "MarqueeCore", .product(name: "Logging", package: "swift-log")]
        ),
        .target(name: "MarqueeNormalize"),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"]), .brew(["curl"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        .target(
            name: "MarqueeFetch",
            dependencies: [
                "CCurl", "MarqueeCore", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // PostgreSQL backends (postgres-nio): the shared crawl frontier and page bodies, for many
        // workers on many machines; the store's tables and `store copy`.
        .target(
            name: "MarqueePostgres",
            dependencies: [
                "MarqueeCore", "MarqueeFetch", "MarqueeStore", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // S3-compatible object storage: SigV4 on swift-crypto, requests through libcurl.
        .target(
            name: "MarqueeObjectStore",
            dependencies: [
                "MarqueeCore", "MarqueeFetch", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "MarqueeStore",
            dependencies: [
                "MarqueeCore", "MarqueeNormalize", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"), .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "MarqueeScrape",
            dependencies: [
                "MarqueeCore", "MarqueeHTML", "MarqueeNormalize", "MarqueeFetch", "MarqueeStore",
                .product(name: "TOMLKit", package: "TOMLKit"), .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .target(
            name: "MarqueePipeline",
            dependencies: [
                "MarqueeCore", "MarqueeScrape", "MarqueeStore", "MarqueeML", "MarqueeExport",
                .product(name: "TOMLKit", package: "TOMLKit"), .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "CMarqueeKernels"),
        .target(
            name: "MarqueeML",
            // The training, scoring and top-k loops live in CMarqueeKernels: C stays fast enough
            // unoptimised for `swift test`, and no unsafe flag keeps the package from being a
            // versioned dependency.
            dependencies: ["CMarqueeKernels", "MarqueeCore", "MarqueeStore", "MarqueeNormalize"]
        ),
        .target(
            name: "MarqueeExport",
            dependencies: [
                "MarqueeCore", "MarqueeML", .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "marquee",
            dependencies: [
                "MarqueeCore",
                "MarqueeHTML",
                "MarqueeNormalize",
                "MarqueeStore",
                "MarqueeFetch",
                "MarqueeML",
                "MarqueeExport",
                "MarqueeScrape",
                "MarqueePipeline",
                "MarqueePostgres",
                "MarqueeObjectStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "MarqueeTestKit",
            dependencies: ["MarqueeCore", "MarqueeFetch", "MarqueePostgres", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "MarqueePipelineTests",
            dependencies: [
                "MarqueePipeline", "MarqueeStore", "MarqueeCore", "MarqueeTestKit",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "MarqueeScrapeTests",
            dependencies: [
                "MarqueeScrape", "MarqueeCore", "MarqueeStore", "MarqueeTestKit",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
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
            name: "MarqueeStoreTests",
            dependencies: [
                "MarqueeStore", "MarqueePostgres", "MarqueeTestKit", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "MarqueeFetchTests",
            dependencies: ["MarqueeFetch", "MarqueeTestKit", "MarqueeCore"]
        ),
        .testTarget(
            name: "MarqueePostgresTests",
            dependencies: [
                "MarqueePostgres", "MarqueeFetch", "MarqueeCore", "MarqueeStore", "MarqueeTestKit",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "MarqueeObjectStoreTests",
            dependencies: ["MarqueeObjectStore", "MarqueeFetch", "MarqueeCore", "MarqueeTestKit"]
        ),
        .testTarget(
            name: "MarqueeMLTests",
            dependencies: ["MarqueeML", "MarqueeStore", "MarqueeTestKit"]
        ),
        .testTarget(
            name: "MarqueeExportTests",
            dependencies: ["MarqueeExport", "MarqueeML", "MarqueeTestKit"]
        ),
        .testTarget(
            name: "MarqueeCLITests",
            dependencies: ["marquee", "MarqueeTestKit", "MarqueeCore", "MarqueeFetch", "MarqueeStore", "MarqueePostgres"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
