import Foundation
import MarqueeTestKit
import Testing

/// `scripts/install.sh` (what `make install` runs after its release build) puts the binary in
/// PREFIX/bin and what ships with it in PREFIX/share/marquee; from an empty directory the
/// installed `marquee` then lists the sites and runs the whole demo offline; a working
/// directory's own `scrapers/` overrides the shipped one.
@Test func anInstalledMarqueeRunsTheDemoFromAnEmptyDirectory() throws {
    let folder = try makeScratchFolder("install")
    defer { try? FileManager.default.removeItem(at: folder) }
    let prefix = folder.appendingPathComponent("prefix")
    let install = try runMarquee(
        [SharedData.repositoryRoot.appendingPathComponent("scripts/install.sh").path, prefix.path, try marqueeBinary().path],
        executable: "/bin/bash")
    #expect(install.status == 0, "\(install.stderr)")
    let installed = prefix.appendingPathComponent("bin/marquee").path
    let empty = folder.appendingPathComponent("empty")
    try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)

    let sites = try runMarquee(["sites"], in: empty, executable: installed)
    #expect(sites.status == 0 && sites.stdout.contains("letterboxd"), "\(sites.stderr)")
    let config = try runMarquee(["config"], in: empty, executable: installed)
    #expect(config.stdout.contains(prefix.appendingPathComponent("share/marquee/scrapers").path), "\(config.stdout)")

    let demo = try runMarquee(["demo", "--format", "json"], in: empty, executable: installed)
    #expect(demo.status == 0, "\(demo.stderr)")
    let run = try JSONSerialization.jsonObject(with: Data(demo.stdout.utf8)) as? [String: Any]
    #expect(run?["status"] as? String == "ok", "\(demo.stdout.prefix(400))")

    // A project's own specs win over the shipped ones.
    let own = empty.appendingPathComponent("scrapers")
    try FileManager.default.createDirectory(at: own, withIntermediateDirectories: true)
    try FileManager.default.copyItem(
        at: SharedData.repositoryRoot.appendingPathComponent("scrapers/imdb.toml"), to: own.appendingPathComponent("imdb.toml"))
    let overridden = try runMarquee(["sites"], in: empty, executable: installed)
    #expect(overridden.stdout.hasPrefix("imdb") && !overridden.stdout.contains("letterboxd"), "\(overridden.stdout)")
}
