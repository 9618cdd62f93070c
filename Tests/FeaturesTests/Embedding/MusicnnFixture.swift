import Features
import Foundation
import TestSupport
import XCTest

/// The TensorFlow reference fixture (`Fixtures/musicnn-reference.json`, made
/// by `scripts/make-musicnn-fixtures`; provenance inside the file) and the
/// models installed once per test process from the musicnn wheel.
enum MusicnnFixture {
    struct Reference: Decodable {
        struct Provenance: Decodable { var tool: String; var version: String }
        struct Tensor: Decodable { var name: String; var shape: [Int]; var crc32: UInt32; var samples: [[UInt32]] }
        struct Checkpoint: Decodable { var entryCount: Int; var tensors: [Tensor] }
        struct Output: Decodable { var embedding: [Float]; var tags: [Float] }
        struct Patch: Decodable { var name: String; var input: String; var mtt: Output; var msd: Output }
        struct FrontEnd: Decodable { var signal: String; var file: String; var frameCount: Int; var frames: [Int]; var logMel: [[Float]] }
        struct WholePath: Decodable { var signal: String; var file: String; var patchCount: Int; var embeddings: [[Float]]; var tags: [[Float]] }
        var provenance: Provenance
        var checkpoint: [String: Checkpoint]
        var patches: [Patch]
        var frontEnd: [FrontEnd]
        var wholePath: [WholePath]
    }

    static let reference: Reference = {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/musicnn-reference.json")
        return try! JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
    }()

    /// A patch's input: the quantised bytes / 32, time-major 187 × 96.
    static func input(_ patch: Reference.Patch) -> [Float] {
        [UInt8](Data(base64Encoded: patch.input)!).map { Float($0) / 32 }
    }

    /// Both models installed from the wheel into a temporary models directory, once.
    static let installed: Result<ModelStore, Error> = {
        switch MusicnnWheelLocation.require() {
        case .failure(let missing): return .failure(missing)
        case .success(let wheel):
            do {
                let directory = try TemporaryDirectory(prefix: "songatlas-models")
                let store = ModelStore(directory: directory.url)
                _ = try store.install(wheel: wheel)
                return .success(store)
            } catch {
                return .failure(error)
            }
        }
    }()

    /// The installed store, or a test failure that says how to get the wheel.
    static func store(file: StaticString = #filePath, line: UInt = #line) throws -> ModelStore {
        switch installed {
        case .success(let store): return store
        case .failure(let error):
            XCTFail("\(error)", file: file, line: line)
            throw error
        }
    }

    static func weights(_ model: MusicnnModel) throws -> MusicnnWeights {
        try store().loadWeights(model)
    }
}

/// IEEE CRC-32 (zlib.crc32), to compare tensors with the fixture's checksums.
enum ZlibCRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 != 0 ? (value >> 1) ^ 0xEDB8_8320 : value >> 1 }
        return value
    }

    static func checksum(_ values: [Float]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for value in values {
            let bits = value.bitPattern.littleEndian
            for shift in stride(from: 0, to: 32, by: 8) {
                crc = table[Int((crc ^ (bits >> UInt32(shift))) & 0xFF)] ^ (crc >> 8)
            }
        }
        return crc ^ 0xFFFF_FFFF
    }
}
