import XCTest
final class HandletConsoleTestsPlaceholder: XCTestCase { func testBuilds() {} }
