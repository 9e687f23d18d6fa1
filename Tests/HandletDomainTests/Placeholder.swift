import XCTest
final class HandletDomainTestsPlaceholder: XCTestCase { func testBuilds() {} }
