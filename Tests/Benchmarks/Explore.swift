import Foundation
import Messaging

/// `--only explore`: sweeps the knobs the API leaves to the caller (records per `send`, sends
/// in flight, consumer batch size) and librdkafka tuning, to pick the settings of the main run.
/// 300-byte records; each variant is the best of `--repeat` runs.
func explore(_ kafka: KafkaBench, records: Int, repeats: Int, scratch: URL) async throws {
    var lines = ["| variant | records | best s | best records/s | all runs records/s | CPU µs/record |", "|---|---:|---:|---:|---|---:|"]
    func measure(_ name: String, _ body: () async throws -> Timed) async throws {
        var runs: [Timed] = []
        for _ in 0..<repeats { runs.append(try await body()) }
        guard let best = runs.min(by: { $0.wall < $1.wall }) else { return }
        let rates = runs.map { grouped(Double(records) / $0.wall.seconds) }.joined(separator: ", ")
        let cpu = (runs.map(\.cpu.seconds).min() ?? 0) / Double(records) * 1e6
        lines.append("| \(name) | \(grouped(Double(records))) | \(format(best.wall.seconds, 2)) | "
            + "\(grouped(Double(records) / best.wall.seconds)) | \(rates) | \(format(cpu, 2)) |")
        progress("\(name): \(rates)")
    }
    let size = 300
    let file = try kafka.payloadFile(count: records, size: size, in: scratch)
    try await measure("kcat -P") {
        let run = try await kafka.produceWithKcat(topic: try await kafka.freshTopic("x-kcat"), file: file)
        return Timed(wall: run.untilMark, cpu: run.cpu)
    }
    let shapes: [(batch: Int, concurrency: Int)] = [
        (1_000, 1), (10_000, 1), (50_000, 1), (1_000, 8), (10_000, 2), (10_000, 4), (10_000, 8), (records, 1),
    ]
    for shape in shapes {
        try await measure("Swift send \(shape.batch) × \(shape.concurrency) in flight") {
            try await kafka.produceWithSwift(
                topic: try await kafka.freshTopic("x-swift"), count: records, size: size,
                batchSize: shape.batch, concurrency: shape.concurrency)
        }
    }
    let tunings: [(String, [String: String])] = [
        ("linger.ms=1", ["linger.ms": "1"]),
        ("linger.ms=20", ["linger.ms": "20"]),
        ("batch.size=4000000", ["batch.size": "4000000"]),
    ]
    for (name, properties) in tunings {
        try await measure("Swift send 10000 × 4, \(name)") {
            try await kafka.produceWithSwift(
                topic: try await kafka.freshTopic("x-swift"), count: records, size: size,
                batchSize: 10_000, concurrency: 4, properties: properties)
        }
    }

    let readTopic = try await kafka.freshTopic("x-read")
    _ = try await kafka.produceWithSwift(topic: readTopic, count: records, size: size, batchSize: 10_000, concurrency: 4)
    try await measure("kcat -C -G") {
        let run = try await kafka.consumeWithKcat(topic: readTopic, count: records, recordSize: size)
        return Timed(wall: run.steady, cpu: run.cpu)
    }
    for batch in [100, 500, 2_000, 10_000] {
        try await measure("Swift consumer maxBatchSize \(batch)") {
            let run = try await kafka.consumeWithSwift(topic: readTopic, count: records, maxBatchSize: batch)
            return Timed(wall: run.steady, cpu: run.cpu)
        }
    }
    try await measure("Swift consumer 500, queued.max.messages.kbytes=65536") {
        let run = try await kafka.consumeWithSwift(
            topic: readTopic, count: records, properties: ["queued.max.messages.kbytes": "65536"])
        return Timed(wall: run.steady, cpu: run.cpu)
    }
    print("")
    print(lines.joined(separator: "\n"))
}
