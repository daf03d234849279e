public import Hummingbird
public import NIOCore

/// The request context of every route: Hummingbird's core plus the peer's address, which only the citizen
/// report rate limit reads (in memory, hashed with a per-process salt; never stored, never logged).
public struct ResolverContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
