// swift-tools-version: 6.1
import PackageDescription

/// House style (../shared/STYLE.md): Swift 6 mode, `any` spelled out, imports internal unless re-exported.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "CivicTags",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "TagKit", targets: ["TagKit"]),
        .library(name: "TagPrint", targets: ["TagPrint"]),
        .library(name: "NFCWriter", targets: ["NFCWriter"]),
        .library(name: "TransitKit", targets: ["TransitKit"]),
        .library(name: "CivicKit", targets: ["CivicKit"]),
        .library(name: "TagResolver", targets: ["TagResolver"]),
        .executable(name: "tagtool", targets: ["tagtool"]),
        .executable(name: "pn532-emulator", targets: ["pn532-emulator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.21.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.0.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.20.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        // GTFS zip reading, GTFS-Realtime runtime.
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.28.0"),
    ],
    targets: [
        // C libraries, each behind its own module map.
        .systemLibrary(
            name: "CQREncode", pkgConfig: "libqrencode",
            providers: [.apt(["libqrencode-dev"])]),
        .systemLibrary(
            name: "CNFC", pkgConfig: "libnfc",
            providers: [.apt(["libnfc-dev"])]),
        .systemLibrary(
            name: "CHaru",
            providers: [.apt(["libhpdf-dev"])]),
        .systemLibrary(
            name: "CCairo", pkgConfig: "cairo",
            providers: [.apt(["libcairo2-dev"])]),
        .systemLibrary(
            name: "CVips", pkgConfig: "vips",
            providers: [.apt(["libvips-dev"])]),
        .systemLibrary(
            name: "CSodium", pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"])]),

        // Pure domain: tag IDs, NDEF, Type 2 Tag memory, QR matrix (libqrencode behind one file), SVG geometry.
        .target(name: "TagKit", dependencies: ["CQREncode"], swiftSettings: strict),
        // Print output that needs C renderers: PDF (libharu), PNG (cairo raster), label imposition.
        .target(name: "TagPrint", dependencies: ["TagKit", "CHaru", "CCairo"], swiftSettings: strict),
        // libnfc wrapper and the write workflow.
        .target(name: "NFCWriter", dependencies: ["TagKit", "TagCrypto", "CNFC"], swiftSettings: strict),
        // Pure transit domain: GTFS reading, timetables, departures, GTFS-Realtime values and their protobuf form.
        .target(
            name: "TransitKit",
            dependencies: [
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: strict),
        // Pure civic domain: local times, events and their recurrence (RFC 5545 subset), iCalendar, town alerts
        // with their areas, CAP 1.2 and Atom, opening hours. Foundation only.
        .target(name: "CivicKit", swiftSettings: strict),
        // NTAG 424 DNA cryptography: AN10922 key diversification, EV2 authentication and secure messaging,
        // SUN (secure dynamic messaging) output. AES and AES-CMAC from swift-crypto's CryptoExtras, none hand-written.
        .target(
            name: "TagCrypto",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strict),
        .testTarget(name: "TagCryptoTests", dependencies: ["TagCrypto"], swiftSettings: strict),
        // Report photos: decoded, resized and re-encoded by libvips (called only from PhotoPipeline.swift), metadata dropped.
        .target(
            name: "TagPhoto",
            dependencies: ["CVips", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict),
        // The resolver service, registry storage, and the transit adapters (stores, poller, stop pages).
        .target(
            name: "TagResolver",
            dependencies: [
                "TagKit", "TagPrint", "TransitKit", "CivicKit", "TagPhoto", "TagCrypto", "CSodium",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strict),
        // Simulated chips and the PN532 emulator, for tests and the demo only.
        .target(name: "TagTestSupport", dependencies: ["TagKit", "TagCrypto", "CPseudoTerminal"], swiftSettings: strict),
        // The photo pipeline against exiftool, vips and heif-enc: metadata gone, bombs and non-images refused.
        .testTarget(name: "TagPhotoTests", dependencies: ["TagPhoto", "TagTestSupport"], swiftSettings: strict),
        // The photo pipeline's cost per image, beside `vips thumbnail` (scripts/bench-photo.sh).
        .executableTarget(name: "tagphoto-bench", dependencies: ["TagPhoto"], swiftSettings: strict),
        // Recurrence, iCalendar, CAP/Atom, geometry and opening hours, checked against PyPI oracles.
        .testTarget(name: "CivicKitTests", dependencies: ["CivicKit", "TagTestSupport"], swiftSettings: strict),
        // posix_openpt & co. for the PN532 emulator (glibc hides them from Swift's Glibc module).
        .target(name: "CPseudoTerminal"),

        .executableTarget(
            name: "tagtool",
            dependencies: [
                "TagKit", "TagPrint", "NFCWriter", "TagCrypto", "TagResolver", "TransitKit", "CivicKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),

        // What every test target shares: backends and fresh databases, the resolver in-process and as a live
        // `tagtool serve`, a raw HTTP client, and the one gate in front of external tools (ToolGate).
        .target(
            name: "ServerTestSupport",
            dependencies: [
                "TagResolver", "TagTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: strict),

        .testTarget(
            name: "TagKitTests", dependencies: ["TagKit", "TagTestSupport", "ServerTestSupport"], swiftSettings: strict),

        // A PN532 on a pseudo-terminal for libnfc, as a separate process (prints its /dev/pts/N, reads
        // control lines on stdin). Tests, benchmarks and demos only.
        .executableTarget(name: "pn532-emulator", dependencies: ["TagKit", "TagTestSupport"], swiftSettings: strict),
        // PN532 emulator transcripts, and end to end through real libnfc against it (also the tagtool nfc CLI).
        .testTarget(
            name: "NFCWriterTests", dependencies: ["NFCWriter", "TagKit", "TagCrypto", "TagTestSupport", "ServerTestSupport"],
            swiftSettings: strict),
        // QR renderers checked with zbarimg/pdftoppm/gs, batches, and the built tagtool.
        .testTarget(
            name: "TagPrintTests", dependencies: ["TagKit", "TagPrint", "TagTestSupport", "ServerTestSupport"],
            swiftSettings: strict),
        .executableTarget(
            name: "tagtool-bench",
            dependencies: [
                "TagKit", "TagPrint", "TagTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "TagResolverTests",
            dependencies: [
                "TagKit", "TagResolver", "TagTestSupport", "ServerTestSupport", "TagCrypto",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict),
        // GTFS reading, departures, realtime (TransitKit) and their stores, poller, stop pages (Chromium).
        .testTarget(
            name: "TransitTests",
            dependencies: [
                "TransitKit", "CivicKit", "TagResolver", "TagTestSupport", "ServerTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: strict),
    ]
)
