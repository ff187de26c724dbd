import Foundation

/// Marquee's version, recorded in dataset versions, model files and exports.
public enum MarqueeVersion {
    /// The released version of this source tree (semantic versioning).
    public static let current = "0.1.0"

    /// The commit of the checkout this Marquee was built from (12 hex digits, with `+dirty` when
    /// the tree had changes), read from the source folder compiled in — not from the working
    /// directory of whoever runs it. `nil` when the sources are not a git checkout any more.
    public static let gitCommit: String? = {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path
        guard let commit = git(["-C", sources, "rev-parse", "--short=12", "HEAD"]), !commit.isEmpty else {
            return nil
        }
        let dirty = git(["-C", sources, "status", "--porcelain", "--untracked-files=no", "--", "Sources"])
        return commit + ((dirty ?? "").isEmpty ? "" : "+dirty")
    }()

    /// Version and commit together: what caches and records key on, so an upgrade invalidates them.
    public static var build: String { current + (gitCommit.map { "+" + $0 } ?? "") }

    private static func git(_ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
