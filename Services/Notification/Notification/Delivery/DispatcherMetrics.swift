import Metrics
import Synchronization

/// The dispatcher's metric handles, made once per label and dimensions and then kept.
///
/// Creating a swift-metrics `Counter` or `Timer` asks the metrics factory each time (a lock
/// and a lookup by label and dimensions in the Prometheus registry, the dimensions hashed
/// anew): three times per e-mail when they were made per call.
final class DispatcherMetrics: Sendable {
    private struct Key: Hashable {
        var label: String
        var channel: String
        var outcome: String?
    }

    private let counters = Mutex<[Key: Counter]>([:])
    private let timers = Mutex<[Key: Timer]>([:])

    /// Adds one to `label` for the channel (and outcome, when given).
    func increment(_ label: String, channel: String, outcome: String? = nil) {
        let key = Key(label: label, channel: channel, outcome: outcome)
        let counter = counters.withLock { counters in
            if let known = counters[key] { return known }
            var dimensions = [("channel", channel)]
            if let outcome { dimensions.append(("outcome", outcome)) }
            let made = Counter(label: label, dimensions: dimensions)
            counters[key] = made
            return made
        }
        counter.increment()
    }

    /// Records a duration under `label` for the channel.
    func record(_ elapsed: Duration, in label: String, channel: String) {
        let key = Key(label: label, channel: channel, outcome: nil)
        let timer = timers.withLock { timers in
            if let known = timers[key] { return known }
            let made = Timer(label: label, dimensions: [("channel", channel)])
            timers[key] = made
            return made
        }
        timer.recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }

    /// How many handles have been made (each label, channel and outcome once).
    var handlesMade: Int {
        counters.withLock { $0.count } + timers.withLock { $0.count }
    }
}
