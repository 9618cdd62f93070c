@testable import Features
import Foundation
import TestSupport
import XCTest

/// Installing, listing and loading weights files, and every way a weights
/// file or wheel can be bad: each error names the file and how to reinstall.
final class ModelStoreTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws {
        directory = try TemporaryDirectory(prefix: "songatlas-models")
    }

    override func tearDown() {
        directory.remove()
    }

    /// A store in the temporary directory holding a copy of the installed MTT weights file.
    func storeWithInstalledCopy() throws -> ModelStore {
        let installed = try MusicnnFixture.store()
        let store = ModelStore(directory: directory.url)
        try FileManager.default.copyItem(at: installed.file(for: .mtt), to: store.file(for: .mtt))
        return store
    }

    func assertError(_ store: ModelStore, _ check: (ModelError) -> Bool, file: StaticString = #filePath, line: UInt = #line) {
        do {
            _ = try store.loadWeights(.mtt)
            XCTFail("loaded a bad weights file", file: file, line: line)
        } catch {
            XCTAssertTrue(check(error), "\(error)", file: file, line: line)
            XCTAssertTrue(error.description.contains(store.file(for: .mtt).path), "names the file: \(error)", file: file, line: line)
            XCTAssertTrue(error.description.contains("songatlas model install"), "says how to reinstall: \(error)", file: file, line: line)
        }
    }

    func testInstallListsBothModelsWithLicence() throws {
        let store = try MusicnnFixture.store()
        let models = store.installedModels()
        XCTAssertEqual(models.map(\.model), [.mtt, .msd])
        for model in models {
            XCTAssertEqual(model.tagCount, 50)
            XCTAssertEqual(model.file.lastPathComponent, "\(model.model.identifier).weights")
            XCTAssertGreaterThan(model.byteCount, 792_079 * 4)
            XCTAssertTrue(model.licence.contains("Music Technology Group"), model.licence)
        }
    }

    func testInstallIsRepeatableAndAtomic() throws {
        let wheel = try MusicnnWheelLocation.require().get()
        let store = ModelStore(directory: directory.url.appendingPathComponent("new/models"))
        XCTAssertEqual(try store.install(wheel: wheel).count, 2)
        let first = try Data(contentsOf: store.file(for: .msd))
        XCTAssertEqual(try store.install(wheel: wheel).count, 2)   // replaces its own files
        XCTAssertEqual(try Data(contentsOf: store.file(for: .msd)), first)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: store.directory.path).filter { $0.hasPrefix(".") }
        XCTAssertEqual(leftovers, [], "no temporary files left behind")
    }

    func testInstallNeverOverwritesAForeignFile() throws {
        let wheel = try MusicnnWheelLocation.require().get()
        let store = ModelStore(directory: directory.url)
        let precious = Data("my notes\n".utf8)
        try precious.write(to: store.file(for: .mtt))
        XCTAssertThrowsError(try store.install(wheel: wheel)) { error in
            XCTAssertEqual(error as? ModelError, .wouldOverwrite(file: store.file(for: .mtt).path))
        }
        XCTAssertEqual(try Data(contentsOf: store.file(for: .mtt)), precious)
    }

    func testMissingWeightsFile() {
        let store = ModelStore(directory: directory.url)
        assertError(store) { if case .notInstalled(.mtt, _) = $0 { true } else { false } }
        XCTAssertEqual(store.installedModels(), [])
    }

    func testTruncatedWeightsFile() throws {
        let store = try storeWithInstalledCopy()
        let data = try Data(contentsOf: store.file(for: .mtt))
        for length in [4, 20, data.count / 2, data.count - 1] {
            try data.prefix(length).write(to: store.file(for: .mtt))
            assertError(store) { if case .truncated = $0 { true } else { false } }
        }
    }

    func testForeignFile() throws {
        let store = try storeWithInstalledCopy()
        try Data("PK\u{3}\u{4} not weights at all".utf8).write(to: store.file(for: .mtt))
        assertError(store) { if case .foreignFile = $0 { true } else { false } }
        try Data().write(to: store.file(for: .mtt))
        assertError(store) { if case .foreignFile = $0 { true } else { false } }
        // The other model's file under this model's name.
        try FileManager.default.removeItem(at: store.file(for: .mtt))
        try FileManager.default.copyItem(at: MusicnnFixture.store().file(for: .msd), to: store.file(for: .mtt))
        assertError(store) { if case .foreignFile(_, let reason) = $0 { reason.contains("musicnn-msd") } else { false } }
    }

    func testChecksumMismatch() throws {
        let store = try storeWithInstalledCopy()
        var bytes = [UInt8](try Data(contentsOf: store.file(for: .mtt)))
        bytes[bytes.count - 1000] ^= 0x01      // one bit of one weight
        try Data(bytes).write(to: store.file(for: .mtt))
        assertError(store) { $0 == .checksumMismatch(file: store.file(for: .mtt).path) }
    }

    func testUnreadableWheel() throws {
        let store = ModelStore(directory: directory.url)
        let notZip = directory.url.appendingPathComponent("musicnn-0.1.0-py3-none-any.whl")
        try Data("not a zip".utf8).write(to: notZip)
        for wheel in [notZip, directory.url.appendingPathComponent("missing.whl")] {
            XCTAssertThrowsError(try store.install(wheel: wheel)) { error in
                guard case .unreadableWheel(let path, _) = error as? ModelError else { return XCTFail("\(error)") }
                XCTAssertEqual(path, wheel.path)
                XCTAssertTrue("\(error)".contains("pip download musicnn==0.1.0 --no-deps"))
            }
        }
        XCTAssertEqual(store.installedModels(), [])
    }

    func testDefaultDirectory() {
        XCTAssertEqual(ModelStore.defaultDirectory(environment: ["SONGATLAS_MODELS": "/m", "XDG_DATA_HOME": "/x", "HOME": "/h"]).path, "/m")
        XCTAssertEqual(ModelStore.defaultDirectory(environment: ["XDG_DATA_HOME": "/x", "HOME": "/h"]).path, "/x/songatlas/models")
        XCTAssertEqual(ModelStore.defaultDirectory(environment: ["SONGATLAS_MODELS": "", "HOME": "/h"]).path, "/h/.local/share/songatlas/models")
        XCTAssertEqual(ModelStore.defaultWheel(environment: ["HOME": "/h"]).path, "/h/.cache/songatlas/wheels/musicnn-0.1.0-py3-none-any.whl")
        XCTAssertEqual(ModelStore.defaultWheel(environment: ["XDG_CACHE_HOME": "/c"]).path, "/c/songatlas/wheels/musicnn-0.1.0-py3-none-any.whl")
    }

    func testCRC32CCheckValue() {
        let digits = Array("123456789".utf8)
        XCTAssertEqual(digits.withUnsafeBytes { CRC32C.checksum($0) }, 0xE306_9283)
    }

    func testBLASRunsOneThread() throws {
        _ = EmbeddingExtractor(weights: try MusicnnFixture.weights(.mtt))
        XCTAssertEqual(BLASThreads.current, 1)
    }
}
