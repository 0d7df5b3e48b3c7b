import Foundation
import Testing
@testable import ScenarioScheduler

/// The tick's planning pipeline hands chunks back in the order given, whatever order the
/// cores finish them in, and a chunk's error where a sequential loop would meet it.
@Suite struct PlanningPipelineTests {
    struct Odd: Error, Equatable { var value: Int }

    @Test(arguments: [true, false]) func chunksComeBackInSubmissionOrder(parallel: Bool) throws {
        let pipeline = PlanningPipeline<[Int], [Int]>(parallel: parallel) { chunk in
            // Early chunks take longest: they finish last when run in parallel.
            if chunk[0] < 40 { Thread.sleep(forTimeInterval: 0.002 * Double(40 - chunk[0]) / 10) }
            return chunk.map { $0 * $0 }
        }
        let indices = stride(from: 0, to: 100, by: 10).map { start in pipeline.submit(Array(start..<start + 10)) }
        let results = try indices.flatMap { try pipeline.result($0) }
        #expect(results == (0..<100).map { $0 * $0 })
    }

    @Test func aChunkErrorIsThrownWhenThatChunkIsConsumed() throws {
        let pipeline = PlanningPipeline<Int, Int> { value in
            guard value.isMultiple(of: 2) else { throw Odd(value: value) }
            return value
        }
        let first = pipeline.submit(2), second = pipeline.submit(3)
        #expect(try pipeline.result(first) == 2)
        #expect(throws: Odd(value: 3)) { try pipeline.result(second) }
        // Consumed: asking again is refused, not a wait forever.
        #expect(throws: (any Error).self) { try pipeline.result(first) }
    }
}
