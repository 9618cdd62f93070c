import ArgumentParser
import Clustering
import Features
import Foundation
import SongAtlas

/// Checks that a numeric option lies in its documented range, with a one-line error naming the flag.
func requireRange<Value: Comparable>(_ value: Value, _ range: ClosedRange<Value>, flag: String) throws {
    guard range.contains(value) else {
        throw ValidationError("\(flag) must be between \(range.lowerBound) and \(range.upperBound), got \(value)")
    }
}

/// Checks a number of seconds that must be positive and at most `maximum`.
func requirePositiveSeconds(_ value: Double, maximum: Double, flag: String) throws {
    guard value > 0 && value <= maximum else {
        throw ValidationError("\(flag) must be more than 0 and at most \(Int(maximum)) seconds, got \(value)")
    }
}

/// `-k`: a number of playlists, or `auto`.
enum ClusterCountArgument: ExpressibleByArgument, Equatable, CustomStringConvertible {
    case automatic
    case fixed(Int)

    /// The most playlists `-k` may ask for.
    static let maximum = 1000

    init?(argument: String) {
        if argument.lowercased() == "auto" {
            self = .automatic
        } else if let k = Int(argument) {
            self = .fixed(k)
        } else {
            return nil
        }
    }

    var description: String {
        switch self {
        case .automatic: return "auto"
        case let .fixed(k): return "\(k)"
        }
    }

    /// The fixed count, or nil for `auto`.
    var count: Int? {
        if case let .fixed(k) = self { return k }
        return nil
    }

    func validate() throws {
        if let count { try requireRange(count, 1...Self.maximum, flag: "-k") }
    }
}

/// `--grid`: `WIDTHxHEIGHT`, or `auto`.
enum GridArgument: ExpressibleByArgument, Equatable, CustomStringConvertible {
    case automatic
    case fixed(width: Int, height: Int)

    init?(argument: String) {
        if argument.lowercased() == "auto" {
            self = .automatic
            return
        }
        let parts = argument.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]) else { return nil }
        self = .fixed(width: width, height: height)
    }

    var description: String {
        switch self {
        case .automatic: return "auto"
        case let .fixed(width, height): return "\(width)x\(height)"
        }
    }

    /// The fixed size, or nil for `auto`.
    var size: (width: Int, height: Int)? {
        if case let .fixed(width, height) = self { return (width, height) }
        return nil
    }

    func validate() throws {
        guard let size else { return }
        let limit = SelfOrganizingMap.maximumUnitCount
        // Each side is checked before multiplying, so no size can overflow.
        guard size.width >= 1, size.height >= 1, size.width <= limit, size.height <= limit,
              (2...limit).contains(size.width * size.height) else {
            throw ValidationError("--grid must be WIDTHxHEIGHT with 2 to \(limit) units, got \(description)")
        }
    }
}

/// `--weights`: `group=number,…`, each weight from 0 to 1000, not all 0 (groups not
/// given keep their default weight).
struct WeightsArgument: ExpressibleByArgument {
    /// The largest weight a group may have.
    static let maximum = 1000.0

    var weights = FeatureWeights()
    private var given: [(group: FeatureGroup, value: Double)] = []

    init?(argument: String) {
        for part in argument.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, let group = FeatureGroup(rawValue: pair[0]), let value = Double(pair[1]) else {
                return nil
            }
            given.append((group, value))
            switch group {
            case .timbre: weights.timbre = value
            case .harmony: weights.harmony = value
            case .rhythm: weights.rhythm = value
            case .loudness: weights.loudness = value
            case .texture: weights.texture = value
            }
        }
        if given.isEmpty { return nil }
    }

    static var helpText: String {
        "group=number pairs, groups " + FeatureGroup.allCases.map(\.rawValue).joined(separator: ", ")
    }

    func validate() throws {
        for (group, value) in given where !(value >= 0 && value <= Self.maximum) {
            throw ValidationError("--weights: \(group.rawValue) must be between 0 and \(Int(Self.maximum)), got \(value)")
        }
        if let problem = weights.problem { throw ValidationError("--weights: \(problem)") }
    }
}
