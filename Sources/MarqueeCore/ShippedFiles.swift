import Foundation

/// Finds the files that ship with Marquee — scraper specs (`scrapers/`), feature views
/// (`features/`), pipelines (`pipelines/`) and the demo's data (`data/`, `fixtures/`) — so that
/// the command line works from any directory. The working directory's own folder wins (a
/// project's specs override the shipped ones); otherwise the first of these roots that has it:
///
/// 1. `<prefix>/share/marquee`, beside `<prefix>/bin/marquee` (`make install PREFIX=…`);
/// 2. the source checkout the executable was built in (a folder above it holding `Package.swift`).
public enum ShippedFiles {
    /// The running executable (`/proc/self/exe`, symbolic links resolved).
    public static var executable: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    }

    /// The roots searched for shipped files, in order, for the executable at `executable`.
    public static func roots(executable: URL) -> [URL] {
        let bin = executable.deletingLastPathComponent()
        var roots = [bin.deletingLastPathComponent().appendingPathComponent("share/marquee")]
        var folder = bin
        while folder.path != "/" {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
                roots.append(folder)
                break
            }
            folder = folder.deletingLastPathComponent()
        }
        return roots
    }

    /// `name` (`scrapers`, `features`, …) as a path: itself when it exists under
    /// `workingDirectory` (or is absolute), else under the first root that has it; `nil` when
    /// none does.
    public static func locate(_ name: String, workingDirectory: String, executable: URL = executable) -> String? {
        if name.hasPrefix("/") { return FileManager.default.fileExists(atPath: name) ? name : nil }
        if FileManager.default.fileExists(atPath: (workingDirectory as NSString).appendingPathComponent(name)) {
            return name
        }
        return roots(executable: executable).map { $0.appendingPathComponent(name).path }
            .first { FileManager.default.fileExists(atPath: $0) }
    }
}
