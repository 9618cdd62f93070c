import Foundation

/// Where an MPD listens: a host (name, IP address or socket path), a port and a password.
///
/// Unset parts are libmpdclient's defaults, which are `mpc`'s: `$MPD_HOST`
/// (which may be `password@host`, a socket path or `@abstract`), `$MPD_PORT`,
/// else localhost:6600.
public struct MPDAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String?
    public var port: Int?
    public var password: String?

    public init(host: String? = nil, port: Int? = nil, password: String? = nil) {
        self.host = host
        self.port = port
        self.password = password
    }

    /// Reads `[password@]HOST[:PORT]`, `[password@][IPv6]:PORT`, or a socket path (`/…` or `@…`).
    ///
    /// - Throws: ``MPDError/badAddress(_:)`` for an empty host or a port outside 1–65535.
    public init(parsing text: String) throws(MPDError) {
        var rest = Substring(text)
        var password: String?
        if let at = rest.lastIndex(of: "@"), at != rest.startIndex {
            password = String(rest[..<at])
            rest = rest[rest.index(after: at)...]
        }
        if rest.hasPrefix("/") || rest.hasPrefix("@") {
            self.init(host: String(rest), port: nil, password: password)
            return
        }
        var host = rest
        var port: Int?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw .badAddress(text) }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":"), let value = Int(after.dropFirst()) else { throw .badAddress(text) }
                port = value
            }
        } else if let colon = rest.lastIndex(of: ":"), rest.firstIndex(of: ":") == colon {
            guard let value = Int(rest[rest.index(after: colon)...]) else { throw .badAddress(text) }
            host = rest[..<colon]
            port = value
        }
        guard !host.isEmpty else { throw .badAddress(text) }
        if let port, !(1...65535).contains(port) { throw .badAddress(text) }
        self.init(host: String(host), port: port, password: password)
    }

    /// `host:port` as given, with the defaults named (never the password).
    public var description: String {
        let shownHost = host ?? ProcessInfo.processInfo.environment["MPD_HOST"].map { $0.split(separator: "@").last.map(String.init) ?? $0 }
            ?? "localhost"
        if shownHost.hasPrefix("/") || shownHost.hasPrefix("@") { return shownHost }
        let shownPort = port.map(String.init) ?? ProcessInfo.processInfo.environment["MPD_PORT"] ?? "6600"
        return "\(shownHost):\(shownPort)"
    }
}
