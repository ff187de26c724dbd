import Foundation

/// Reads an input file with one error vocabulary for every command: a missing file or a folder
/// is `.noInput` (exit 66), an unreadable one `.noPermission` (77), and the message names the
/// path and what was expected there — never Foundation's internal error text.
public enum InputFile {
    /// The bytes of `path`; `what` names the file in errors ("the model", "the page").
    public static func read(_ path: String, what: String) throws(MarqueeError) -> Data {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw MarqueeError(.noInput, "\(what) does not exist", location: path, hint: "check the path")
        }
        guard !isDirectory.boolValue else {
            throw MarqueeError(.noInput, "\(what) is a folder, not a file", location: path, hint: "give a file inside it")
        }
        guard manager.isReadableFile(atPath: path), let data = manager.contents(atPath: path) else {
            throw MarqueeError(
                .noPermission, "\(what) cannot be read (permission denied)", location: path,
                hint: "check the file's permissions")
        }
        return data
    }
}
