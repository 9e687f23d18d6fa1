import Foundation
@testable import HandletDomain
import XCTest

/// The audit chain, notices and recordings are identified by SHA-256 in lower-case hex: the
/// hand-written hex (issue 26) must write exactly what the per-byte formatter wrote.
final class SHA256HexTests: XCTestCase {
    func testKnownDigestsInLowerCaseHex() {
        XCTAssertEqual(SHA256Hex.of(Data("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256Hex.of(Data()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let bytes: [UInt8] = Array(0...255)
        XCTAssertEqual(SHA256Hex.hex(bytes), bytes.map { String(format: "%02x", $0) }.joined())
    }
}
