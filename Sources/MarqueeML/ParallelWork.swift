import Dispatch
import MarqueeCore
import Synchronization

/// Runs independent pieces of work on up to `parallelism` threads, each thread taking the next
/// undone index, and returns the results in index order. The first error stops the handing out
/// of new work and is thrown once the running pieces end. Results do not depend on `parallelism`.
func parallelMap<Result: Sendable>(
    _ count: Int, parallelism: Int, _ work: @Sendable (Int) throws(MarqueeError) -> Result
) throws(MarqueeError) -> [Result] {
    let results = Mutex([Result?](repeating: nil, count: count))
    let failure = Mutex<MarqueeError?>(nil)
    let next = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: max(1, min(parallelism, count))) { _ in
        while true {
            let index = next.add(1, ordering: .relaxed).oldValue
            guard index < count, failure.withLock({ $0 == nil }) else { return }
            do throws(MarqueeError) {
                let result = try work(index)
                results.withLock { $0[index] = result }
            } catch {
                failure.withLock { $0 = $0 ?? error }
            }
        }
    }
    if let error = failure.withLock({ $0 }) { throw error }
    return results.withLock { $0.map { $0! } }
}
