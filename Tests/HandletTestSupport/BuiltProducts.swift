import Foundation

/// Where this package's built executables are, for tests that run them.
package enum BuiltProducts {
    package struct NotFound: Error, CustomStringConvertible {
        package let name: String
        package let searched: [String]
        package var description: String { "no built '\(name)' in \(searched.joined(separator: ", ")); run `swift build` first" }
    }

    /// The package's root folder (this file is `Tests/HandletTestSupport/BuiltProducts.swift`).
    package static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The built executable `name`: in `HANDLET_BUILD_DIR`, beside the test bundle, or in
    /// `.build/debug` or `.build/release`.
    package static func url(_ name: String) throws -> URL {
        var directories: [URL] = []
        if let override = ProcessInfo.processInfo.environment["HANDLET_BUILD_DIR"] {
            directories.append(URL(fileURLWithPath: override))
        }
        if let executable = Bundle.main.executableURL { directories.append(executable.deletingLastPathComponent()) }
        directories += Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent() }
        directories += ["debug", "release"].map { packageRoot.appendingPathComponent(".build/\($0)") }
        for directory in directories {
            let candidate = directory.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw NotFound(name: name, searched: directories.map(\.path))
    }
}
