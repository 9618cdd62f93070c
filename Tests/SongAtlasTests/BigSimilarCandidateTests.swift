import AudioDecoding
import Clustering
import Features
import Foundation
import Library
@testable import SongAtlas
import TestSupport
import XCTest

/// The lean candidate rules of the duplicate search (``DuplicateFinder/fingerprintCandidates(_:)`` and
/// ``DuplicateFinder/distanceCandidates(_:hasFingerprint:)``) against the rules they replace: every pair the
/// old all-items index made a candidate and that scores from ``DuplicateFinder/borderlineThreshold`` is still a
/// candidate (on SampleAudio's real fingerprints and their re-encodes, and on seeded synthetic copies), and the
/// length window gives the same pairs as comparing every pair.
final class BigSimilarCandidateTests: XCTestCase {
    /// The rule before the index was lean: pairs sharing at least 3 distinct items each held by 2 to 32 files.
    private func oldCandidates(_ fingerprints: [[UInt32]?]) -> Set<[Int]> {
        var owners: [UInt32: [Int]] = [:]
        for (index, values) in fingerprints.enumerated() {
            guard let values else { continue }
            for value in Set(values) { owners[value, default: []].append(index) }
        }
        var shared: [[Int]: Int] = [:]
        for (_, holders) in owners where holders.count > 1 && holders.count <= 32 {
            for first in 0..<holders.count {
                for second in (first + 1)..<holders.count { shared[[holders[first], holders[second]], default: 0] += 1 }
            }
        }
        return Set(shared.filter { $0.value >= 3 }.keys)
    }

    /// The old candidates that score from the borderline threshold, and whether each is a new candidate.
    private func check(_ fingerprints: [[UInt32]?], file: StaticString = #filePath, line: UInt = #line) -> Int {
        let new = Set(DuplicateFinder.fingerprintCandidates(fingerprints).map { [$0.a, $0.b] })
        var scored = 0
        for pair in oldCandidates(fingerprints) {
            guard let first = fingerprints[pair[0]], let second = fingerprints[pair[1]],
                  let match = FingerprintMatch.best(first, second),
                  match.score >= DuplicateFinder.borderlineThreshold else { continue }
            scored += 1
            XCTAssertTrue(new.contains(pair), "pair \(pair) scores \(match.score) but is no longer a candidate",
                          file: file, line: line)
        }
        return scored
    }

    func testEveryPairOfRealFingerprintsScoringFromBorderlineIsStillACandidate() throws {
        guard FFmpegEncoder.executable != nil else { throw XCTSkip("no ffmpeg") }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let samples = try FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent("SampleAudio").path)
            .filter { $0.hasSuffix(".flac") }.sorted()
            .map { repositoryRoot.appendingPathComponent("SampleAudio/\($0)").path }
        var copies: [String] = []
        for source in samples where source.hasSuffix("dnb-01.flac") || source.hasSuffix("piano-02.flac") {
            let stem = URL(fileURLWithPath: source).deletingPathExtension().lastPathComponent
            for (options, name) in [
                (["-c:a", "libmp3lame", "-b:a", "128k"], "mp3-128k.mp3"),
                (["-c:a", "aac", "-b:a", "96k"], "aac-96k.m4a"),
                (["-c:a", "libopus", "-b:a", "96k"], "opus-96k.opus"),
                (["-af", "volume=4dB", "-c:a", "libmp3lame", "-b:a", "192k"], "louder.mp3"),
                (["-af", "adelay=1500:all=1", "-c:a", "libmp3lame", "-b:a", "192k"], "silence-first.mp3"),
                (["-af", "afade=t=out:st=10:d=5", "-c:a", "libmp3lame", "-b:a", "96k"], "fade-out.mp3"),
            ] {
                let output = directory.file("\(stem)-\(name)")
                try FFmpegEncoder.run(["-nostdin", "-v", "error", "-y", "-i", source] + options + [output])
                copies.append(output)
            }
        }
        let report = Atlas.analyze(paths: samples + copies, jobs: 2)
        XCTAssertEqual(report.failures, [], "\(report.failures)")
        let fingerprints = report.tracks.sorted { $0.path < $1.path }
            .map { $0.fingerprint.flatMap { $0.isUsable ? $0.values : nil } }
        XCTAssertEqual(fingerprints.compactMap { $0 }.count, samples.count + copies.count, "every file fingerprinted")
        // Each copy with its original and the other copies: 2 × 7 × 6 / 2 pairs at least.
        XCTAssertGreaterThanOrEqual(check(fingerprints), 42)
    }

    func testEverySyntheticCopyPairScoringFromBorderlineIsStillACandidate() {
        var generator = SeededGenerator(seed: 11)
        var fingerprints: [[UInt32]?] = []
        for song in 0..<400 {
            // Lengths from 3 s to 2 minutes of items; every fourth song a copy of the one before it.
            if song % 4 == 3, let original = fingerprints.last! {
                let offset = Int.random(in: 0...6, using: &generator)
                // Between 20 % and 90 % of the items one bit off.
                let flipShare = Double.random(in: 0.2...0.9, using: &generator)
                var values = (0..<offset).map { _ in UInt32.random(in: 0...UInt32.max, using: &generator) }
                for value in original.dropLast(offset) {
                    var item = value
                    if Double.random(in: 0..<1, using: &generator) < flipShare {
                        item ^= 1 << UInt32.random(in: 0..<32, using: &generator)
                    }
                    values.append(item)
                }
                fingerprints.append(values)
            } else if song % 50 == 7 {
                fingerprints.append(nil)
            } else {
                let count = Int.random(in: 24...970, using: &generator)
                fingerprints.append((0..<count).map { _ in UInt32.random(in: 0...UInt32.max, using: &generator) })
            }
        }
        XCTAssertGreaterThanOrEqual(check(fingerprints), 80)
    }

    func testASilenceItemHeldByManyFilesMakesNoPairs() {
        let silence: [UInt32] = Array(repeating: 0, count: 300)
        var generator = SeededGenerator(seed: 5)
        let fingerprints: [[UInt32]?] = (0..<40).map { _ in
            silence + (0..<300).map { _ in UInt32.random(in: 0...UInt32.max, using: &generator) }
        }
        XCTAssertEqual(DuplicateFinder.fingerprintCandidates(fingerprints).count, 0)
        XCTAssertEqual(oldCandidates(fingerprints).count, 0)
    }

    func testTheLengthWindowGivesThePairsOfEveryPair() {
        var generator = SeededGenerator(seed: 7)
        var durations: [Double] = []
        var hasFingerprint: [Bool] = []
        for index in 0..<1500 {
            let duration: Double
            switch index % 5 {
            case 0:   // at the tolerance from the length before (L − base = 2 % of L + 0.25 s), a rounding either side
                let base = durations.last ?? 1
                let boundary = (base + 0.25) / (1 - DuplicateFinder.distanceLengthTolerance)
                duration = [boundary, boundary.nextUp, boundary.nextDown][index / 5 % 3]
            case 1: duration = durations.last ?? 1   // equal lengths
            default: duration = Double.random(in: 0.5...600, using: &generator)
            }
            durations.append(duration)
            hasFingerprint.append(Int.random(in: 0..<4, using: &generator) != 0)
        }
        var expected: [[Int]] = []
        for a in durations.indices {
            for b in (a + 1)..<durations.count where (!hasFingerprint[a] || !hasFingerprint[b])
                && DuplicateFinder.lengthsAgree(durations[a], durations[b], share: DuplicateFinder.distanceLengthTolerance,
                                                seconds: 0.25) {
                expected.append([a, b])
            }
        }
        let found = DuplicateFinder.distanceCandidates(durations, hasFingerprint: hasFingerprint).map { [$0.a, $0.b] }
        XCTAssertGreaterThan(expected.count, 1500)
        XCTAssertEqual(found, expected)
    }
}
