import Foundation
import MarqueeCore
import MarqueeTestKit
import Testing

/// The working directory's folder wins; then PREFIX/share/marquee beside PREFIX/bin; then the
/// checkout above the executable; nothing found is `nil`.
@Test func shippedFilesAreFoundBesideTheBinaryOrInItsCheckout() throws {
    let folder = try makeScratchFolder("shipped")
    defer { try? FileManager.default.removeItem(at: folder) }
    let manager = FileManager.default
    let prefix = folder.appendingPathComponent("prefix")
    try manager.createDirectory(at: prefix.appendingPathComponent("bin"), withIntermediateDirectories: true)
    try manager.createDirectory(at: prefix.appendingPathComponent("share/marquee/scrapers"), withIntermediateDirectories: true)
    let installed = prefix.appendingPathComponent("bin/marquee")
    let work = folder.appendingPathComponent("work")
    try manager.createDirectory(at: work, withIntermediateDirectories: true)

    #expect(ShippedFiles.locate("scrapers", workingDirectory: work.path, executable: installed)
        == prefix.appendingPathComponent("share/marquee/scrapers").path)
    #expect(ShippedFiles.locate("pipelines", workingDirectory: work.path, executable: installed) == nil)
    try manager.createDirectory(at: work.appendingPathComponent("scrapers"), withIntermediateDirectories: true)
    #expect(ShippedFiles.locate("scrapers", workingDirectory: work.path, executable: installed) == "scrapers")

    let checkout = folder.appendingPathComponent("checkout")
    try manager.createDirectory(at: checkout.appendingPathComponent(".build/debug"), withIntermediateDirectories: true)
    try manager.createDirectory(at: checkout.appendingPathComponent("features"), withIntermediateDirectories: true)
    manager.createFile(atPath: checkout.appendingPathComponent("Package.swift").path, contents: Data())
    #expect(ShippedFiles.locate(
        "features", workingDirectory: work.path, executable: checkout.appendingPathComponent(".build/debug/marquee"))
        == checkout.appendingPathComponent("features").path)
}
