/// `avesa-host backfill --tenant-id ID --service S [--table T] --since DATE [--until DATE]`:
/// fetches a range of history again (for example after a source fix), never moving a
/// watermark backwards.
enum BackfillCommand {
    static let usage = """
    Usage: avesa-host backfill --tenant-id ID --service S [--table T] --since DATE [--until DATE]

    DATE is YYYY-MM-DD or an ISO-8601 timestamp (UTC). Only tables that filter by time can
    be backfilled; watermarks never move backwards.

    """

    static func run(_ arguments: [String], options global: GlobalOptions, context: CLIContext) throws(CLIError) {
        let parsed = try CommandArguments(arguments, command: "backfill", valueOptions: ["tenant-id", "service", "table", "since", "until"],
                                          flagOptions: ["help", "h", "json"])
        if parsed.flags.contains("help") || parsed.flags.contains("h") { context.writeOut(usage); return }
        guard parsed.positional.isEmpty else { throw .usage("backfill: unexpected argument \(parsed.positional[0])") }
        guard let tenant = parsed.values["tenant-id"] else { throw .usage("backfill: --tenant-id is required") }
        guard let service = parsed.values["service"] else { throw .usage("backfill: --service is required") }
        guard let sinceText = parsed.values["since"] else { throw .usage("backfill: --since is required") }
        _ = try ControlCommandSupport.tenantID(tenant)
        func instant(_ text: String, _ name: String) throws(CLIError) -> Int64 {
            if let micros = TimestampParser.microseconds(text) { return micros }
            if let days = TimestampParser.days(text), text.count == 10 { return Int64(days) * 86_400_000_000 }
            throw .usage("backfill: --\(name) \"\(text)\" is not a date (YYYY-MM-DD) or ISO-8601 timestamp")
        }
        let since = try instant(sinceText, "since")
        let until = try parsed.values["until"].map { (text) throws(CLIError) in try instant(text, "until") }
        if let until, until <= since { throw .usage("backfill: --until must be after --since") }
        var options = PipelineOptions()
        _ = try RunCommand.applyConfiguration(global, to: &options)
        options.tenants = [tenant]
        options.service = service
        options.table = parsed.values["table"]
        options.backfill = (since, until)
        let setup = try PipelineSetup.load(global, context: context)
        let report = try RunCommand.execute(setup, options: options, global: global, context: context)
        RunCommand.printReport(report, json: parsed.flags.contains("json"), context: context)
        if !report.failed.isEmpty { throw .failure("some tables failed (see above)") }
    }
}
