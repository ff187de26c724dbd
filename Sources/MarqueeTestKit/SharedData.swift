import Foundation

/// Where the project's own fixtures and the team's shared real data live, for tests.
///
/// Shared data (`../shared` beside the repository, or `$MARQUEE_SHARED`) is read in place and
/// never copied; tests that need it skip with ``SharedData/skipMessage`` when it is absent.
public enum SharedData {
    /// The repository root (found from this file's path).
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `fixtures/` in the repository.
    public static var fixtures: URL { repositoryRoot.appendingPathComponent("fixtures") }

    /// The shared folder: `$MARQUEE_SHARED`, else `../shared` beside the repository.
    public static var shared: URL {
        if let override = ProcessInfo.processInfo.environment["MARQUEE_SHARED"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }

    /// `shared/realpages`, or `nil` when it is not on this machine.
    public static var realPages: URL? { existing(shared.appendingPathComponent("realpages")) }

    /// `shared/movielens/ml-latest-small`, or `nil` when it is not on this machine.
    public static var movieLensSmall: URL? {
        existing(shared.appendingPathComponent("movielens/ml-latest-small"))
    }

    /// Whether the tests run in CI (`CI=true`), where a missing dependency fails a test instead
    /// of skipping it.
    public static var inCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// Whether a test that needs something runs: when it is `present`, and always in CI (where
    /// the test then fails on what is missing rather than skip).
    public static func runs(_ present: Bool) -> Bool { present || inCI }

    /// The message a test prints when it skips for lack of shared data.
    public static func skipMessage(_ what: String) -> String {
        "skipped: \(what) not found at \(shared.path) (set MARQUEE_SHARED to the team's shared folder)"
    }

    private static func existing(_ url: URL) -> URL? {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
            ? url : nil
    }
}

/// A new empty folder under the temporary directory (`marquee-PURPOSE-UUID`); the caller removes it.
public func makeScratchFolder(_ purpose: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-\(purpose)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}
