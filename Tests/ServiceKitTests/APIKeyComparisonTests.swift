import Hummingbird
@testable import ServiceKit
import Testing

@Suite struct APIKeyComparisonTests {
    typealias Middleware = APIKeyMiddleware<BasicRequestContext>

    @Test func equalKeysMatch() {
        #expect(Middleware.constantTimeEquals(Array("k1-secret".utf8), Array("k1-secret".utf8)))
        #expect(Middleware.constantTimeEquals([], []))
    }

    @Test func keysOfDifferentLengthDoNotMatch() {
        #expect(!Middleware.constantTimeEquals(Array("k1".utf8), Array("k1-secret".utf8)))
        #expect(!Middleware.constantTimeEquals(Array("k1-secret".utf8), Array("k1".utf8)))
        #expect(!Middleware.constantTimeEquals([], Array("k1".utf8)))
    }

    @Test func keysDifferingOnlyByTrailingZeroBytesDoNotMatch() {
        // Lengths 0 and 256 (and 3 and 259) differ by a multiple of 256
        #expect(!Middleware.constantTimeEquals([], [UInt8](repeating: 0, count: 256)))
        #expect(!Middleware.constantTimeEquals(Array("abc".utf8), Array("abc".utf8) + [UInt8](repeating: 0, count: 256)))
    }

    @Test func keysOfSameLengthWithDifferentContentDoNotMatch() {
        #expect(!Middleware.constantTimeEquals(Array("k1-secret".utf8), Array("k1-secreT".utf8)))
        #expect(!Middleware.constantTimeEquals(Array("k1-secret".utf8), Array("K1-secret".utf8)))
    }

    @Test func anyConfiguredKeyIsAccepted() {
        let middleware = Middleware(keys: ["k1", "k2"])

        #expect(middleware.isAccepted("k1"))
        #expect(middleware.isAccepted("k2"))
        #expect(!middleware.isAccepted("k3"))
        #expect(!middleware.isAccepted(""))
        #expect(!Middleware(keys: []).isAccepted("k1"))
    }
}
