import Dispatch
import Foundation

/// Runs a program and collects what it writes. Standard output and standard error are drained
/// at the same time: reading one to its end first deadlocks as soon as the child fills the
/// other pipe's buffer (64 KiB on Linux) and waits for it to be read.
public enum ChildProcess {
    /// What a finished child left: its exit status and both streams.
    public struct Output: Sendable {
        /// The exit status (`Process.terminationStatus`; the signal number when a signal ended it).
        public var status: Int32
        /// Everything the process wrote to standard output.
        public var stdout: Data
        /// Everything the process wrote to standard error.
        public var stderr: Data
    }

    /// Runs `executable` (looked up on `PATH` through `/usr/bin/env`) with `arguments`.
    /// - Throws: the launch error when the program cannot be started at all.
    public static func run(_ executable: String, _ arguments: [String]) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let errors = ErrorBuffer()
        let drained = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            errors.data = err.fileHandleForReading.readDataToEndOfFile()
            drained.signal()
        }
        let output = out.fileHandleForReading.readDataToEndOfFile()
        drained.wait()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: output, stderr: errors.data)
    }

    /// Written by the draining thread before it signals, read after the wait.
    private final class ErrorBuffer: @unchecked Sendable {
        var data = Data()
    }
}
