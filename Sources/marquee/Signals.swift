import Dispatch
import Foundation
import MarqueeCore

/// Makes SIGINT and SIGTERM request a stop at the next safe point (``StopRequest``) instead of
/// killing the process mid-write: a crawl finishes what is in flight and leaves its frontier
/// resumable, a pipeline starts no further step. A second signal ends the process at once.
enum SignalHandling {
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    static func install() {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if StopRequest.isRequested { exit(128 + number) }
                StopRequest.request()
                FileHandle.standardError.write(
                    Data("marquee: stopping at the next safe point (again to quit now)\n".utf8))
            }
            source.resume()
            sources.append(source)
        }
    }
}
