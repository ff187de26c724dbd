// swift-tools-version: 6.1
// A program that uses Marquee as a library, the way a notebook would: it depends on the Marquee
// package by path (a tagged release works the same: `.package(url: …, from: "…")`).
import PackageDescription

let package = Package(
    name: "MarqueeNotebook",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "Marquee", path: "../..")],
    targets: [
        .executableTarget(
            name: "notebook",
            dependencies: [
                .product(name: "MarqueeHTML", package: "Marquee"),
                .product(name: "MarqueeNormalize", package: "Marquee"),
                .product(name: "MarqueeStore", package: "Marquee"),
                .product(name: "MarqueeML", package: "Marquee"),
                .product(name: "MarqueeExport", package: "Marquee"),
            ])
    ],
    swiftLanguageModes: [.v6]
)
