import Foundation

/// `avesa-host run`: syncs every enabled tenant × service × table (or a selection) and
/// prints one line per table. Exit 0 when every table succeeded, 1 when some failed
/// (named in the summary), 2 for usage errors.
enum RunCommand {
    static let usage = """
    Usage: avesa-host run [--tenant-id ID]... [--service S] [--table T] [--full] [--every DURATION]
                          [--rate-limit SERVICE=RATE]... [--concurrency N] [--page-size N] [--json]

      --tenant-id ID          only this tenant (repeatable)
      --service S, --table T  only this service / table
      --full                  ignore watermarks: fetch whole histories, close rows no longer seen
      --every DURATION        repeat every DURATION (30s, 5m, 1h) until interrupted
      --rate-limit S=RATE     override S's limits for this run: N/s|N/min|N/h[,burst=B][,concurrency=C]
      --concurrency N         table syncs in flight at once across all tenants (default 8)

    """

    static func run(_ arguments: [String], options global: GlobalOptions, context: CLIContext) throws(CLIError) {
        if arguments.contains("--help") || arguments.contains("-h") { context.writeOut(usage); return }
        var options = PipelineOptions()
        var tenants: [String] = []
        var every: Double?
        var json = false
        var rest = arguments[...]
        func value(_ name: String) throws(CLIError) -> String {
            guard let next = rest.popFirst(), !next.hasPrefix("--") else { throw .usage("run: \(name) needs a value") }
            return next
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "--tenant-id": tenants.append(try value(argument))
            case "--service": options.service = try value(argument)
            case "--table": options.table = try value(argument)
            case "--full": options.full = true
            case "--json": json = true
            case "--every":
                let text = try value(argument)
                guard let seconds = Self.duration(text) else { throw .usage("run: --every needs a duration like 30s, 5m or 1h, got \"\(text)\"") }
                every = seconds
            case "--concurrency":
                guard let n = Int(try value(argument)), (1...256).contains(n) else { throw .usage("run: --concurrency needs 1 to 256") }
                options.concurrency = n
            case "--page-size":
                guard let n = Int(try value(argument)), n >= 1 else { throw .usage("run: --page-size needs a positive number") }
                options.pageSize = n
            case "--rate-limit":
                let text = try value(argument)
                guard let equals = text.firstIndex(of: "=") else { throw .usage("run: --rate-limit needs SERVICE=RATE, got \"\(text)\"") }
                do {
                    options.rateOverrides[String(text[..<equals])] = try RateLimitOverride.parse(String(text[text.index(after: equals)...]))
                } catch {
                    throw .usage("run: \(error)")
                }
            default:
                throw .usage("run: unknown argument \(argument)")
            }
        }
        for tenant in tenants { _ = try ControlCommandSupport.tenantID(tenant) }
        options.tenants = tenants.isEmpty ? nil : tenants
        if let configuration = try applyConfiguration(global, to: &options, commandLineConcurrency: arguments.contains("--concurrency")),
           every == nil {
            every = configuration.scheduleSeconds
        }
        // A repeating run is a schedule: a tenant another run holds is left for the next tick.
        options.skipBusyTenants = every != nil
        let setup = try PipelineSetup.load(global, context: context)
        var anyFailed = false
        repeat {
            let report = try execute(setup, options: options, global: global, context: context)
            anyFailed = !report.failed.isEmpty
            printReport(report, json: json, context: context)
            if let every {
                context.writeError("next run in \(Int(every)) s (Ctrl-C to stop)\n")
                Thread.sleep(forTimeInterval: every)
            }
        } while every != nil
        if anyFailed { throw .failure("some tables failed (see above)") }
    }

    static func execute(_ setup: PipelineSetup, options: PipelineOptions, global: GlobalOptions,
                        context: CLIContext) throws(CLIError) -> RunReport {
        let control = ControlWorker(store: setup.store)
        let engine = CurlEngine()
        defer { engine.shutdown(); control.stop() }
        let format = global.logFormat
        let interactive = context.terminal.isInteractive && format == .text
        let runner = PipelineRunner(plugins: setup.plugins, mappings: setup.mappings, dataDirectory: global.dataDirectory,
                                    control: control, vault: setup.vault, engine: engine, options: options,
                                    log: { event in
                                        context.writeError((interactive ? "\r\u{1B}[2K" : "") + (format == .json ? event.json : event.text) + "\n")
                                    })
        let display = ProgressDisplay(counter: runner.progress, interactive: interactive, write: context.writeError)
        display.start()
        defer { display.stop() }
        do {
            return try AsyncBridge.wait { try await runner.run() }
        } catch let error as ControlError {
            throw .failure(error.description)
        } catch {
            throw .failure("\(error)")
        }
    }

    /// Applies the configuration file (`--config` / `AVESA_CONFIG`), if any, to `options`:
    /// every command that runs syncs (run, backfill) honours its throttles and sizes.
    /// - Returns: the configuration, or nil when there is none.
    static func applyConfiguration(_ global: GlobalOptions, to options: inout PipelineOptions,
                                   commandLineConcurrency: Bool = false) throws(CLIError) -> PipelineConfiguration? {
        guard let path = global.configFile else { return nil }
        let configuration: PipelineConfiguration
        do { configuration = try PipelineConfiguration.load(path: path) } catch { throw .failure("invalid configuration: \(error)") }
        configuration.apply(to: &options, commandLineConcurrency: commandLineConcurrency)
        return configuration
    }

    static func printReport(_ report: RunReport, json: Bool, context: CLIContext) {
        if json {
            var writer = JSONWriter()
            writer.beginObject()
            writer.key("run_id"); writer.int(report.runID)
            writer.key("records"); writer.int(report.records)
            writer.key("tables"); writer.beginArray()
            for table in report.tables {
                writer.beginObject()
                writer.key("tenant"); writer.string(table.tenant.rawValue)
                writer.key("service"); writer.string(table.service)
                writer.key("table"); writer.string(table.table)
                writer.key("status"); writer.string(table.status.rawValue)
                writer.key("records"); writer.int(table.records)
                writer.key("pages"); writer.int(table.pages)
                writer.key("error"); if let error = table.error { writer.string(error) } else { writer.null() }
                writer.endObject()
            }
            writer.endArray()
            writer.key("skipped_tenants"); writer.beginArray()
            for tenant in report.skippedTenants { writer.string(tenant.rawValue) }
            writer.endArray()
            writer.endObject()
            context.writeOut(String(decoding: writer.bytes, as: UTF8.self) + "\n")
            return
        }
        var table = TextTable(header: ["TENANT", "SERVICE", "TABLE", "STATUS", "RECORDS", "PAGES", "NOTE"])
        for t in report.tables {
            table.rows.append([t.tenant.rawValue, t.service, t.table, t.status.rawValue, String(t.records), String(t.pages), t.error ?? ""])
        }
        context.writeOut(table.render())
        let failed = report.failed
        let names = failed.map { "\($0.tenant)/\($0.service)/\($0.table)" }.joined(separator: ", ")
        let line = "run \(report.runID): \(report.tables.count) tables, \(report.records) records, \(failed.count) failed"
        context.writeOut(line + (failed.isEmpty ? "" : ": " + names) + "\n")
        if !report.skippedTenants.isEmpty {
            let skipped = report.skippedTenants.map(\.rawValue).joined(separator: ", ")
            context.writeOut("skipped (another run is syncing them; the next run picks them up): \(skipped)\n")
        }
    }

    /// Seconds in `30s`, `5m`, `1h` (or a bare number of seconds).
    static func duration(_ text: String) -> Double? {
        RunSchedule.seconds(text)
    }
}
