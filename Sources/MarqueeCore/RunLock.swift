import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive lock for one run of a command (`flock` on a lock file), so two cron runs never
/// work on the same frontier or store at once. The kernel drops it when the process ends —
/// even on `kill -9` — so a crashed run never leaves a stale lock behind.
public final class RunLock: Sendable {
    /// The lock file.
    public let path: String
    private let descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    /// Takes the lock on `path` at once, or fails.
    /// - Parameters:
    ///   - path: the lock file (created when missing; its folder must exist).
    ///   - purpose: what the holder is doing (`marquee scrape letterboxd`), written into
    ///     the file so a refused run can say who holds it.
    /// - Throws: ``MarqueeError`` `.temporary` (exit 75) when another process holds it, naming
    ///   that process; `.failure` when the file cannot be opened.
    public static func acquire(_ path: String, purpose: String) throws(MarqueeError) -> RunLock {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            if errno == EROFS || errno == EACCES || errno == ENOENT || errno == ENOTDIR {
                throw MarqueeError(
                    .cannotCreate, "cannot create the lock file beside the state it guards: \(reason)", location: path,
                    hint: "choose a location in a folder you can write to")
            }
            throw MarqueeError(.failure, "cannot open the lock file: \(reason)", location: path)
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
            close(descriptor)
            throw MarqueeError(
                .temporary, "another run holds the lock" + (holder.map { $0.isEmpty ? "" : " (\($0))" } ?? ""),
                location: path, hint: "retry when it has finished")
        }
        let note = "pid \(getpid()), \(purpose), since \(Microseconds.isoSeconds(Microseconds.from(Date())))\n"
        _ = ftruncate(descriptor, 0)
        _ = note.withCString { write(descriptor, $0, strlen($0)) }
        return RunLock(path: path, descriptor: descriptor)
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
