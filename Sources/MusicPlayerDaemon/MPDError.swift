/// Why talking to MPD failed: the one error type of the MPD edge.
public enum MPDError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No daemon answered at the address.
    case unreachable(address: String, reason: String)
    /// The daemon refused the password.
    case refused(address: String, reason: String)
    /// The daemon refused a command, or the connection broke during it.
    case failed(command: String, reason: String)
    /// The daemon does not say where its music is (it does only over a local socket) and none was given.
    case unknownMusicDirectory(address: String)
    /// The address given cannot be read.
    case badAddress(String)

    public var description: String {
        switch self {
        case let .unreachable(address, reason): return "cannot reach MPD at \(address): \(reason)"
        case let .refused(address, reason): return "MPD at \(address) refused the password: \(reason)"
        case let .failed(command, reason): return "MPD refused '\(command)': \(reason)"
        case let .unknownMusicDirectory(address):
            return "MPD at \(address) does not say where its music directory is (it does only over a local socket)"
        case let .badAddress(text): return "'\(text)' is not HOST, HOST:PORT, [IPv6]:PORT or a socket path"
        }
    }
}
