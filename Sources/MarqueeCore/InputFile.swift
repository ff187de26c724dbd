import Foundation

/// Reads an input file with one error vocabulary for every command: a missing file or a folder
/// is `.noInput` (exit 66), an unreadable one `.noPermission` (77), and the message names the
/// path and what was expected there — never Foundation's internal error text.
public enum InputFile {
    /// The bytes of `path`; `what` names the file in errors ("the model", "the page").
    public static func read(_ path: String, what: String) throws(MarqueeError) -> Data {
        try requireReadable(path, what: what)
        guard let data = FileManager.default.contents(atPath: path) else { throw unreadable(path, what) }
        return data
    }

    /// Checks that `path` is a file this process can read, with `read(_:what:)`'s errors, for a
    /// caller that then reads it a piece at a time.
    public static func requireReadable(_ path: String, what: String) throws(MarqueeError) {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw MarqueeError(.noInput, "\(what) does not exist", location: path, hint: "check the path")
        }
        guard !isDirectory.boolValue else {
            throw MarqueeError(
                .noInput, "\(what) is a folder, not a file", location: path, hint: "give a file inside it")
        }
        guard manager.isReadableFile(atPath: path) else { throw unreadable(path, what) }
    }

    private static func unreadable(_ path: String, _ what: String) -> MarqueeError {
        MarqueeError(
            .noPermission, "\(what) cannot be read (permission denied)", location: path,
            hint: "check the file's permissions")
    }

    /// Checks that `path` is an existing, non-empty file without reading it (a database that
    /// SQLite opens itself): missing or a folder is `.noInput` (66), an empty file — which SQLite
    /// would quietly turn into a new database — is `.dataError` (65). `what` names it ("the
    /// frontier"); `hint` says how such a file comes to exist.
    public static func requireDatabase(_ path: String, what: String, hint: String) throws(MarqueeError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw MarqueeError(.noInput, "no \(what) here", location: path, hint: hint)
        }
        guard !isDirectory.boolValue else {
            throw MarqueeError(.noInput, "a folder, not a \(what)", location: path, hint: "give the .sqlite file")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        guard size != 0 else {
            throw MarqueeError(.dataError, "an empty file, not a \(what)", location: path, hint: hint)
        }
    }

    /// Checks that `path` is an existing folder: missing is `.noInput` (66), a file where the
    /// folder belongs too. `what` names it ("the scrapers folder").
    public static func requireFolder(_ path: String, what: String, hint: String) throws(MarqueeError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw MarqueeError(.noInput, "\(what) does not exist", location: path, hint: hint)
        }
        guard isDirectory.boolValue else {
            throw MarqueeError(.noInput, "\(what) is a file, not a folder", location: path, hint: hint)
        }
    }
}
