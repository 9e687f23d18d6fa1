// swift-tools-version: 6.1
import PackageDescription

// Layering, one direction only:
//   HandletDomain (records, rules, store; no terminal code)
//   HandletDemo (the seeded demo-workspace generator) uses HandletDomain's `package` store API
//   CNcursesw -> TerminalUI (cell grid, widgets, backends; no domain code)
//   HandletConsole (screens) uses both; `handlet` (executable) wires the CLI.
// The benchmarks (Tests/EndToEndTests/Benchmarks) compile only when a scripts/bench-*.sh sets
// HANDLET_BENCHMARKS=1: inside `swift test` they could only be skipped, and the suite runs with none skipped.
let benchmarks = Context.environment["HANDLET_BENCHMARKS"] == "1"
// The domain's test hooks (Sources/HandletDomain/Store/TestHooks.swift: rewriting records,
// dropping the audit log's triggers) exist only in builds that run tests: debug, and the
// benchmarks' release builds. The release binary that ships has none of them.
let testHooks: [SwiftSetting] = [benchmarks ? .define("HANDLET_TEST_HOOKS") : .define("HANDLET_TEST_HOOKS", .when(configuration: .debug))]

let package = Package(
    name: "handlet",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "handlet", targets: ["handlet"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // SHA-256 of recordings and notices; Foundation on Linux has no CryptoKit.
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // keys.toml (the user's rebindings): TOML is a real grammar and its parser is not ours to write.
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        // Auto-Send delivery runs the operator's gateway command with a timeout, bounded output and
        // stdin written concurrently: the house rule is not to hand-write child-process running.
        .package(url: "https://github.com/swiftlang/swift-subprocess", exact: "1.0.2"),
        // Data-subject exports (Art. 20): CSV quoting and a .zip archive are formats with their own
        // rules (quotes, newlines in fields; central directory, CRC): read and written by libraries.
        // Asterisk CDR imports read through the same CSV library: it pulls rows from an InputStream
        // one at a time (constant memory on a million-row Master.csv); SwiftCSV loads the whole file.
        .package(url: "https://github.com/yaslab/CSV.swift", exact: "2.5.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
    ],
    targets: [
        .target(
            name: "HandletDomain",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                // Audit verify streams a million rows through the SQLite C API (GRDB's own module).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: testHooks
        ),
        .target(
            name: "HandletDemo",
            dependencies: [
                // Writes only through the domain: its bulk-write path for the rows, sessions for the history.
                "HandletDomain",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "CNcursesw",
            cSettings: [.define("_XOPEN_SOURCE_EXTENDED"), .define("NCURSES_WIDECHAR", to: "1")],
            linkerSettings: [.linkedLibrary("ncursesw")]
        ),
        .target(name: "TerminalUI", dependencies: ["CNcursesw"]),
        // The console and the CLI reach the workspace only through `WorkspaceSession`: neither
        // depends on GRDB, and a test fails if any target but the domain (and the demo) imports it.
        // Member import visibility stops GRDB's members leaking in through HandletDomain.
        .target(
            name: "HandletConsole",
            dependencies: ["HandletDomain", "TerminalUI", .product(name: "TOMLKit", package: "TOMLKit")],
            swiftSettings: [.enableUpcomingFeature("MemberImportVisibility")]
        ),
        .executableTarget(
            name: "handlet",
            dependencies: [
                "HandletDomain", "HandletDemo", "TerminalUI", "HandletConsole",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: testHooks + [.enableUpcomingFeature("MemberImportVisibility")]
        ),
        // A widget gallery: previews themes and gives the engine's end-to-end tests a real binary.
        .executableTarget(name: "handlet-gallery", dependencies: ["TerminalUI"], path: "Sources/TerminalGallery"),
        // libFuzzer target over the sanitiser, the text field and the key decoder (scripts/fuzz-terminal.sh);
        // a plain build makes it a regression runner over files.
        .executableTarget(name: "handlet-fuzz", dependencies: ["TerminalUI"], path: "Sources/TerminalFuzz"),
        // The Auto-Send decision function's evaluations per second (scripts/bench-autosend.sh).
        .executableTarget(name: "handlet-autosend-bench", dependencies: ["HandletDomain"], path: "Sources/AutoSendBench"),
        // What the test targets share: running child processes (`handlet`, sqlite3), the fixture
        // workspaces, session shortcuts. Only `package` domain API, no XCTest: it is a plain module.
        // Empty without the test hooks (a plain release build of every target).
        .target(name: "HandletTestSupport", dependencies: ["HandletDomain"], path: "Tests/HandletTestSupport",
                swiftSettings: testHooks),
        .testTarget(name: "HandletDomainTests", dependencies: ["HandletDomain", "HandletTestSupport"]),
        .testTarget(name: "HandletDemoTests", dependencies: ["HandletDemo", "HandletDomain", "HandletTestSupport"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI"]),
        .testTarget(name: "HandletConsoleTests",
                    dependencies: ["HandletConsole", "HandletDomain", "TerminalUI", "HandletTestSupport"]),
        // Depends on `handlet` only so that `swift test` builds the binary these tests run.
        .testTarget(name: "EndToEndTests", dependencies: ["HandletDomain", "handlet", "HandletTestSupport"],
                    exclude: benchmarks ? [] : ["Benchmarks"]),
    ]
)
