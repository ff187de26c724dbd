import Foundation

/// Checks, before long work starts, that an output file can be created where it is asked for,
/// so a fit or a build is not thrown away at the end for a mistyped folder.
public enum OutputLocation {
    /// Throws `.cannotCreate` (exit 73) when `file`'s folder does not exist, is not a folder, or
    /// is not writable, or when `file` itself is an existing folder.
    public static func check(_ file: URL, what: String = "the output") throws(MarqueeError) {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: file.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw MarqueeError(
                .cannotCreate, "cannot write \(what): it is a folder", location: file.path,
                hint: "give a file name inside it")
        }
        let folder = file.deletingLastPathComponent()
        guard manager.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw MarqueeError(
                .cannotCreate, "cannot write \(what): the folder \(folder.path) does not exist", location: file.path,
                hint: "create it first (mkdir -p \(folder.path)) or choose another path")
        }
        guard manager.isWritableFile(atPath: folder.path) else {
            throw MarqueeError(
                .cannotCreate, "cannot write \(what): the folder \(folder.path) is not writable", location: file.path,
                hint: "choose a folder you can write to")
        }
    }

    /// Throws `.cannotCreate` (exit 73) when the output folder `folder` cannot be made or written:
    /// it is a file, or the nearest existing folder above it is not writable.
    public static func checkFolder(_ folder: URL, what: String = "the output folder") throws(MarqueeError) {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        var existing = folder.standardizedFileURL
        while !manager.fileExists(atPath: existing.path, isDirectory: &isDirectory) {
            let parent = existing.deletingLastPathComponent()
            if parent.path == existing.path { break }
            existing = parent
        }
        guard isDirectory.boolValue else {
            throw MarqueeError(
                .cannotCreate, "cannot write \(what): \(existing.path) is a file, not a folder", location: folder.path,
                hint: "choose another path")
        }
        guard manager.isWritableFile(atPath: existing.path) else {
            throw MarqueeError(
                .cannotCreate, "cannot write \(what): the folder \(existing.path) is not writable",
                location: folder.path, hint: "choose a folder you can write to")
        }
    }
}
