import Foundation
import Glibc
import PluginABI

/// The `avesa_host_services` table handed to one plugin's `init`: log, http,
/// free_response, free_string and now_unix_ms.
///
/// Ownership: the table and this object are immortal (allocated once per plugin bridge,
/// deliberately never freed), because the plugin may keep the table pointer for the life
/// of the process. `host_context` points at this object (unretained; the leaked retain
/// keeps it alive).
///
/// Which (tenant, service): the table is given to the plugin once, so `host_context`
/// identifies the plugin, not the tenant. The host finds the calling (tenant, service)
/// from the hook call in progress on the calling thread (`HookWorker.currentCall`), so
/// hooks of different tenants send their requests through different `ServiceClient`s.
final class HostServices: @unchecked Sendable {
    /// The plugin's service name (log attribution, messages).
    let service: String
    let logSink: any PluginLogSink
    let clock: @Sendable () -> Int64
    /// The immortal C table.
    let table: UnsafePointer<avesa_host_services>

    /// Creates the immortal table for `service`.
    static func make(service: String, logSink: any PluginLogSink, clock: @escaping @Sendable () -> Int64) -> HostServices {
        let services = HostServices(service: service, logSink: logSink, clock: clock)
        _ = Unmanaged.passRetained(services)  // Immortal: the plugin may keep the table forever.
        return services
    }

    private init(service: String, logSink: any PluginLogSink, clock: @escaping @Sendable () -> Int64) {
        self.service = service
        self.logSink = logSink
        self.clock = clock
        let table = UnsafeMutablePointer<avesa_host_services>.allocate(capacity: 1)
        table.initialize(to: avesa_host_services())
        table.pointee.struct_size = UInt32(MemoryLayout<avesa_host_services>.size)
        table.pointee.abi_version = ABIVersion.host.packed
        table.pointee.log = HostServices.logFunction
        table.pointee.http = HostServices.httpFunction
        table.pointee.free_response = HostServices.freeResponseFunction
        table.pointee.free_string = HostServices.freeStringFunction
        table.pointee.now_unix_ms = HostServices.nowFunction
        self.table = UnsafePointer(table)
        table.pointee.host_context = Unmanaged.passUnretained(self).toOpaque()
    }

    /// The real clock: milliseconds since the UNIX epoch.
    static let systemClock: @Sendable () -> Int64 = { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

    static func from(_ context: UnsafeMutableRawPointer?) -> HostServices? {
        context.map { Unmanaged<HostServices>.fromOpaque($0).takeUnretainedValue() }
    }

    private static let logFunction: @convention(c) (UnsafeMutableRawPointer?, avesa_log_level, UnsafePointer<CChar>?) -> Void = {
        context, level, message in
        guard let services = HostServices.from(context), let message else { return }
        let text = String(decoding: UnsafeRawBufferPointer(start: message, count: strlen(message)), as: UTF8.self)
        services.logSink.log(service: services.service, level: PluginLogLevel(rawValue: level) ?? .info, message: text)
    }

    private static let httpFunction: @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<avesa_http_request>?,
                                                     UnsafeMutablePointer<UnsafeMutablePointer<avesa_http_response>?>?,
                                                     UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> avesa_status = {
        context, request, outResponse, outError in
        outResponse?.pointee = nil
        outError?.pointee = nil
        guard let services = HostServices.from(context) else { return AVESA_ERR_INVALID_ARGUMENT }
        switch services.perform(request) {
        case .success(let response):
            guard let outResponse else {
                free(response)
                return AVESA_ERR_INVALID_ARGUMENT
            }
            outResponse.pointee = response
            return AVESA_OK
        case .failure(let failure):
            outError?.pointee = strdup(failure.message)
            return failure.status
        }
    }

    private static let freeResponseFunction: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<avesa_http_response>?) -> Void = {
        _, response in free(response)  // One allocation holds the struct, headers, strings and body.
    }

    private static let freeStringFunction: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<CChar>?) -> Void = {
        _, string in free(string)
    }

    private static let nowFunction: @convention(c) (UnsafeMutableRawPointer?) -> Int64 = { context in
        HostServices.from(context)?.clock() ?? HostServices.systemClock()
    }
}
