/// The OpenAPI 3.1 description of every route `APIRoutes` registers, built as a
/// `JSONValue` (served at `GET /openapi.json`).
enum OpenAPIDocument {
    static func build() -> JSONValue {
        var paths = JSONObject()
        paths["/auth/login"] = ["post": operation(
            "login", tag: "auth", summary: "Exchange tenant, e-mail and password for tokens", secured: false,
            body: ref("LoginRequest"),
            responses: ["200": jsonResponse("Tokens issued", ref("TokenResponse")), "400": errorRef("BadRequest"),
                        "401": errorRef("InvalidCredentials"), "415": errorRef("UnsupportedMediaType"),
                        "429": errorRef("TooManyRequests"), "503": errorRef("ServerBusy")])]
        paths["/auth/refresh"] = ["post": operation(
            "refresh", tag: "auth", summary: "Rotate a refresh token; reusing a rotated token revokes its family", secured: false,
            body: ref("RefreshRequest"),
            responses: ["200": jsonResponse("New tokens", ref("TokenResponse")), "400": errorRef("BadRequest"),
                        "401": errorRef("Unauthorized"), "415": errorRef("UnsupportedMediaType"), "503": errorRef("ServerBusy")])]
        paths["/auth/logout"] = ["post": operation(
            "logout", tag: "auth", summary: "Revoke the refresh token's family", secured: false, body: ref("RefreshRequest"),
            responses: ["204": ["description": "Logged out"], "400": errorRef("BadRequest"), "415": errorRef("UnsupportedMediaType"),
                        "503": errorRef("ServerBusy")])]
        paths["/auth/me"] = ["get": operation(
            "me", tag: "auth", summary: "The authenticated user",
            responses: ["200": jsonResponse("The user", dataOf(ref("User"))), "401": errorRef("Unauthorized")])]
        paths["/api/users"] = [
            "get": operation("listUsers", tag: "users", summary: "Users of the caller's tenant (admin)",
                             responses: ["200": jsonResponse("Users", dataOf(["type": "array", "items": ref("User")])),
                                         "401": errorRef("Unauthorized"), "403": errorRef("Forbidden")]),
            "post": operation("createUser", tag: "users", summary: "Create a user in the caller's tenant (admin)",
                              body: ref("NewUser"),
                              responses: ["201": jsonResponse("Created", dataOf(ref("User"))), "400": errorRef("BadRequest"),
                                          "401": errorRef("Unauthorized"), "403": errorRef("Forbidden"),
                                          "409": errorRef("Conflict"), "415": errorRef("UnsupportedMediaType"),
                                          "503": errorRef("ServerBusy")]),
        ]
        let windowParameters = [paramRef("period"), paramRef("from"), paramRef("to")]
        paths["/api/analytics/dashboard"] = ["get": operation(
            "dashboard", tag: "analytics", summary: "KPIs of a period, the previous period and a daily series",
            parameters: windowParameters, responses: readResponses(ref("Dashboard")))]
        paths["/api/analytics/tickets/status"] = ["get": operation(
            "ticketStatus", tag: "analytics", summary: "Tickets created in the period by status, category and priority",
            parameters: windowParameters, responses: readResponses(ref("TicketStatus")))]
        paths["/api/analytics/companies/top"] = ["get": operation(
            "topCompanies", tag: "analytics", summary: "Companies ranked by tickets, hours or billable hours",
            parameters: windowParameters + [
                parameter("metric", "Ranking metric", ["type": "string", "enum": ["tickets", "hours", "billable_hours"], "default": "tickets"]),
                parameter("limit", "Number of companies", ["type": "integer", "minimum": 1, "maximum": 100, "default": 10]),
            ], responses: readResponses(ref("TopCompanies")))]
        for entity in EntityDefinition.all {
            let schema = schemaName(entity)
            var listParameters: [JSONValue] = [paramRef("page"), paramRef("limit"),
                parameter("sort", "Sort column, `-` prefix for descending",
                          ["type": "string", "default": .string(entity.defaultSort),
                           "enum": .array(entity.sortable.flatMap { [JSONValue.string($0.name), .string("-" + $0.name)] })]),
                parameter("q", "Case-insensitive substring search in " + entity.searchColumns.joined(separator: ", "),
                          ["type": "string", "maxLength": 200]),
                parameter("from", "Only rows whose \(entity.dateColumn) is at or after this time (ISO-8601 timestamp or date)",
                          ["type": "string"]),
                parameter("to", "Only rows whose \(entity.dateColumn) is before this time (a date includes that whole day)",
                          ["type": "string"]),
                paramRef("as_of")]
            listParameters += entity.filters.map { parameter($0.parameter, "Exact match on \($0.column)", ["type": "string", "maxLength": 200]) }
            listParameters += entity.booleanFilters.map { parameter($0.parameter, "Filter on \($0.column)", ["type": "boolean"]) }
            paths["/api/\(entity.path)"] = ["get": operation(
                "list" + schema, tag: "entities", summary: "List \(entity.path) (current state, or as of a moment)",
                parameters: listParameters,
                responses: readResponses(["type": "object", "required": ["data", "pagination"], "properties": [
                    "data": ["type": "array", "items": ref(schema)], "pagination": ref("Pagination")]]))]
            paths["/api/\(entity.path)/{id}"] = ["get": operation(
                "get" + schema, tag: "entities", summary: "One \(entity.noun)" + (entity.path == "companies" || entity.path == "tickets" ? " with totals" : ""),
                parameters: [paramRef("id"), paramRef("as_of")],
                responses: readResponses(dataOf(ref(schema)), notFound: true))]
            if entity.hasHistory {
                paths["/api/\(entity.path)/{id}/history"] = ["get": operation(
                    "history" + schema, tag: "entities", summary: "Every stored version of one \(entity.noun), oldest first",
                    parameters: [paramRef("id"), parameter("as_of", "Only versions that began at or before this time", ["type": "string"])],
                    responses: readResponses(["type": "object", "required": ["data"], "properties": [
                        "id": ["type": "string"], "versions": ["type": "integer"],
                        "data": ["type": "array", "items": ["allOf": [ref(schema), ref("Validity")]]]]], notFound: true))]
            }
        }
        let runTable: JSONValue = ["type": "object", "properties": [
            "service": ["type": "string"], "table": ["type": "string"], "status": ["type": "string", "enum": ["running", "done", "failed"]],
            "records": ["type": "integer"], "pages": ["type": "integer"], "requests": ["type": "integer"], "retries": ["type": "integer"],
            "throttles": ["type": "integer"], "error": ["type": ["string", "null"]], "started_at": ["type": "string"],
            "finished_at": ["type": ["string", "null"]]]]
        paths["/api/pipeline/runs"] = ["get": operation(
            "listPipelineRuns", tag: "pipeline", summary: "The tenant's last runs (20 unless limit says otherwise) with per-table results (admin)",
            parameters: [parameter("limit", "How many runs, newest first", ["type": "integer", "minimum": 1, "maximum": 100, "default": 20])],
            responses: readResponses(dataOf(["type": "array", "items": ["type": "object", "properties": [
                "id": ["type": "integer"], "status": ["type": "string"], "started_at": ["type": "string"],
                "finished_at": ["type": ["string", "null"]], "tables": ["type": "array", "items": runTable]]]])))]
        paths["/api/pipeline/status"] = ["get": operation(
            "pipelineStatus", tag: "pipeline", summary: "Services, watermarks, last run's tables and chunks pending (admin)",
            responses: readResponses(["type": "object", "properties": [
                "services": ["type": "array", "items": ["type": "object"]],
                "watermarks": ["type": "array", "items": ["type": "object", "properties": [
                    "service": ["type": "string"], "table": ["type": "string"], "cursor": ["type": "string"], "updated_at": ["type": "string"]]]],
                "last_run_tables": ["type": "array", "items": runTable], "chunks_pending": ["type": "integer"]]]))]
        paths["/api/pipeline/run"] = ["post": operation(
            "startPipelineRun", tag: "pipeline", summary: "Start a run for the caller's tenant (admin)",
            responses: ["202": jsonResponse("Run started", ["type": "object", "required": ["run_id"], "properties": [
                "run_id": ["type": "integer"], "status": ["type": "string"]]]),
                        "403": errorRef("Forbidden"),
                        "409": errorRef("RunNotPossible")])]
        paths["/health"] = ["get": operation(
            "health", tag: "meta", summary: "Liveness: status and version", secured: false,
            responses: ["200": jsonResponse("Alive", ["type": "object", "properties": [
                "status": ["type": "string"], "version": ["type": "string"], "service": ["type": "string"]]])])]
        paths["/health/detailed"] = ["get": operation(
            "healthDetailed", tag: "meta", summary: "Databases, plugins loaded and last run per service (admin)",
            responses: readResponses(["type": "object"]))]
        paths["/metrics"] = ["get": operation(
            "metrics", tag: "meta", summary: "Prometheus text metrics (admin token, or a client on loopback)",
            responses: ["200": ["description": "Prometheus exposition format", "content": ["text/plain": ["schema": ["type": "string"]]]],
                        "403": errorRef("Forbidden")])]
        paths["/openapi.json"] = ["get": operation(
            "openapi", tag: "meta", summary: "This document", secured: false,
            responses: ["200": jsonResponse("OpenAPI 3.1 document", ["type": "object"])])]

        return [
            "openapi": "3.1.0",
            "info": ["title": "Avesa API", "version": .string(AvesaVersion.current),
                     "description": "Multi-tenant analytics over canonical companies, contacts, tickets and time entries. Every data route reads only the tenant of the bearer token; ids of other tenants answer 404. Timestamps are ISO-8601 UTC."],
            "tags": [["name": "auth"], ["name": "users"], ["name": "analytics"], ["name": "entities"], ["name": "pipeline"], ["name": "meta"]],
            "paths": .object(paths),
            "components": ["securitySchemes": ["bearerAuth": ["type": "http", "scheme": "bearer", "bearerFormat": "JWT"]],
                           "parameters": parameters(), "responses": errorResponses(), "schemas": schemas()],
            "security": [["bearerAuth": []]],
        ]
    }

    static func ref(_ schema: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(schema)")] }
    static func paramRef(_ name: String) -> JSONValue { ["$ref": .string("#/components/parameters/\(name)")] }
    static func errorRef(_ name: String) -> JSONValue { ["$ref": .string("#/components/responses/\(name)")] }
    static func dataOf(_ schema: JSONValue) -> JSONValue { ["type": "object", "required": ["data"], "properties": ["data": schema]] }

    static func schemaName(_ entity: EntityDefinition) -> String {
        switch entity.path {
        case "companies": "Company"
        case "contacts": "Contact"
        case "tickets": "Ticket"
        default: "TimeEntry"
        }
    }

    static func jsonResponse(_ description: String, _ schema: JSONValue) -> JSONValue {
        ["description": .string(description), "content": ["application/json": ["schema": schema]]]
    }

    static func readResponses(_ schema: JSONValue, notFound: Bool = false) -> JSONValue {
        var responses: JSONObject = ["200": jsonResponse("OK", schema), "400": errorRef("BadRequest"),
                                     "401": errorRef("Unauthorized"), "403": errorRef("Forbidden")]
        if notFound { responses["404"] = errorRef("NotFound") }
        return .object(responses)
    }

    static func parameter(_ name: String, _ description: String, _ schema: JSONValue, in location: String = "query",
                          required: Bool = false) -> JSONValue {
        ["name": .string(name), "in": .string(location), "required": .bool(required), "description": .string(description), "schema": schema]
    }

    static func operation(_ id: String, tag: String, summary: String, secured: Bool = true, parameters: [JSONValue] = [],
                          body: JSONValue? = nil, responses: JSONValue) -> JSONValue {
        var object: JSONObject = ["operationId": .string(id), "tags": [.string(tag)], "summary": .string(summary)]
        if !parameters.isEmpty { object["parameters"] = .array(parameters) }
        if let body {
            object["requestBody"] = ["required": true, "content": ["application/json": ["schema": body]]]
        }
        var all = responses.object ?? [:]
        if body != nil { all["413"] = errorRef("PayloadTooLarge") }
        if secured && all["401"] == nil { all["401"] = errorRef("Unauthorized") }
        // Warehouse reads are bounded per tenant (`TenantReadGate`) and in time; control
        // reads in number (`APIContext.controlReads`).
        if tag == "analytics" || tag == "entities" || tag == "pipeline" || id == "healthDetailed" { all["503"] = errorRef("ServerBusy") }
        all["500"] = errorRef("InternalError")
        object["responses"] = .object(all)
        if !secured { object["security"] = [] }
        return .object(object)
    }

    static func parameters() -> JSONValue {
        [
            "period": parameter("period", "Window: the last N whole UTC days including today (ignored when both from and to are given)",
                                ["type": "string", "enum": ["7d", "30d", "90d", "365d"], "default": "30d"]),
            "from": parameter("from", "Window start, inclusive: ISO-8601 timestamp or date (midnight UTC)", ["type": "string"]),
            "to": parameter("to", "Window end, exclusive: ISO-8601 timestamp, or a date whose whole day is included", ["type": "string"]),
            "page": parameter("page", "Page number", ["type": "integer", "minimum": 1, "maximum": 1_000_000, "default": 1]),
            "limit": parameter("limit", "Rows per page", ["type": "integer", "minimum": 1, "maximum": 500, "default": 50]),
            "as_of": parameter("as_of", "Return the state at this moment (ISO-8601 timestamp or date) from the SCD2 history",
                               ["type": "string"]),
            "id": parameter("id", "Canonical id, e.g. connectwise:123", ["type": "string"], in: "path", required: true),
        ]
    }

    static func errorResponses() -> JSONValue {
        func error(_ description: String, headers: JSONValue? = nil) -> JSONValue {
            var object: JSONObject = ["description": .string(description),
                                      "content": ["application/json": ["schema": ref("Error")]]]
            if let headers { object["headers"] = headers }
            return .object(object)
        }
        return [
            "BadRequest": error("Invalid parameter or body; the message names the parameter (code invalid_parameter, invalid_field, invalid_json)"),
            "Unauthorized": error("Missing, malformed, forged or expired token (code unauthorized)",
                                  headers: ["WWW-Authenticate": ["schema": ["type": "string"]]]),
            "InvalidCredentials": error("Unknown tenant or e-mail, or wrong password (code invalid_credentials)"),
            "Forbidden": error("The token's role may not do this (code forbidden)"),
            "NotFound": error("No such id in the caller's tenant (code not_found)"),
            "Conflict": error("Already exists (code conflict)"),
            "RunNotPossible": error("A run of this tenant is in progress (code run_in_progress), or its set-up cannot be planned, "
                                    + "say a service whose plugin is no longer loaded (code run_not_possible, the message says what)"),
            "PayloadTooLarge": error("The body is larger than 16 KiB (code body_too_large)"),
            "InternalError": error("Unexpected failure; no details are exposed (code internal_error)"),
            "UnsupportedMediaType": error("The body is not application/json (code unsupported_media_type)"),
            "TooManyRequests": error("Too many failed logins for this client and e-mail, or for this client (code too_many_attempts)",
                                     headers: ["Retry-After": ["description": "Seconds to wait", "schema": ["type": "integer"]]]),
            "ServerBusy": error("Shedding load: too many sign-ins waiting for a password check (not counted as a failure), "
                                + "too many requests of this tenant waiting for the warehouse, or too many pipeline status reads "
                                + "(code server_busy); or the request's warehouse queries ran past 10 s and were stopped (code query_timeout)",
                                headers: ["Retry-After": ["description": "Seconds to wait", "schema": ["type": "integer"]]]),
        ]
    }

    static func entitySchema(_ entity: EntityDefinition) -> JSONValue {
        var properties = JSONObject()
        for column in entity.table.columns {
            let base: JSONValue
            switch column.type {
            case .string: base = "string"
            case .integer: base = "integer"
            case .decimal: base = "number"
            case .boolean: base = "boolean"
            case .timestamp: base = "string"
            case .date: base = "string"
            }
            var schema: JSONObject = ["type": column.nullable ? [base, "null"] : base, "description": .string(column.description)]
            if column.type == .timestamp { schema["format"] = "date-time" }
            if column.type == .date { schema["format"] = "date" }
            properties[column.name] = .object(schema)
        }
        properties["source_service"] = ["type": "string"]
        properties["source_id"] = ["type": "string"]
        properties["valid_from"] = ["type": "string", "format": "date-time", "description": "When this version became valid"]
        if entity.path == "companies" || entity.path == "tickets" {
            properties["totals"] = ref(entity.path == "companies" ? "CompanyTotals" : "TicketTotals")
        }
        return ["type": "object", "description": .string(entity.table.description),
                "required": .array((entity.table.columns.map(\.name) + ["source_service", "source_id", "valid_from"]).map(JSONValue.string)),
                "properties": .object(properties)]
    }

    static func schemas() -> JSONValue {
        let number: JSONValue = ["type": "number"]
        let nullableNumber: JSONValue = ["type": ["number", "null"]]
        let integer: JSONValue = ["type": "integer"]
        let string: JSONValue = ["type": "string"]
        let dateTime: JSONValue = ["type": "string", "format": "date-time"]
        var kpiProperties: JSONObject = [:]
        for name in ["tickets_created", "tickets_resolved", "tickets_closed", "active_companies"] { kpiProperties[name] = integer }
        for name in ["hours_logged", "billable_hours"] { kpiProperties[name] = number }
        for name in ["avg_resolution_hours", "median_resolution_hours", "billable_ratio"] { kpiProperties[name] = nullableNumber }
        var currentKPIs = kpiProperties
        for name in ["tickets_open_now", "companies", "contacts", "active_contacts"] { currentKPIs[name] = integer }
        var changes: JSONObject = [:]
        for name in kpiProperties.keys { changes[name] = nullableNumber }
        let grouped: JSONValue = ["type": "array", "items": ["type": "object", "properties": [
            "value": ["type": ["string", "null"]], "count": integer]]]
        var result: JSONObject = [
            "Error": ["type": "object", "required": ["error"], "properties": ["error": [
                "type": "object", "required": ["code", "message"], "properties": ["code": string, "message": string]]]],
            "LoginRequest": ["type": "object", "required": ["tenant_id", "email", "password"], "properties": [
                "tenant_id": ["type": "string", "pattern": "^[a-z0-9][a-z0-9_-]{0,62}$"],
                "email": ["type": "string", "maxLength": 320], "password": ["type": "string", "maxLength": 1024]]],
            "RefreshRequest": ["type": "object", "required": ["refresh_token"], "properties": ["refresh_token": string]],
            "NewUser": ["type": "object", "required": ["email", "password", "role"], "properties": [
                "email": string, "password": ["type": "string", "minLength": 12],
                "role": ["type": "string", "enum": ["admin", "analyst", "viewer"]]]],
            "User": ["type": "object", "required": ["id", "tenant_id", "email", "role"], "properties": [
                "id": string, "tenant_id": string, "email": string,
                "role": ["type": "string", "enum": ["admin", "analyst", "viewer"]], "created_at": dateTime]],
            "TokenResponse": ["type": "object", "required": ["access_token", "refresh_token", "token_type", "expires_in", "user"],
                              "properties": ["access_token": string, "refresh_token": string,
                                             "token_type": ["type": "string", "const": "Bearer"],
                                             "expires_in": ["type": "integer", "description": "Access-token lifetime in seconds"],
                                             "user": ref("User")]],
            "Pagination": ["type": "object", "required": ["page", "limit", "total", "pages"], "properties": [
                "page": integer, "limit": integer, "total": integer, "pages": integer]],
            "Period": ["type": "object", "properties": ["name": string, "from": dateTime, "to": dateTime, "days": number]],
            "Dashboard": ["type": "object", "properties": [
                "period": ref("Period"), "previous_period": ref("Period"),
                "kpis": ["type": "object", "properties": .object(currentKPIs)],
                "previous": ["type": "object", "properties": .object(kpiProperties)],
                "change_percent": ["type": "object", "description": "Change against the previous period in percent; null when the previous value is 0 or null",
                                   "properties": .object(changes)],
                "series": ["type": "array", "items": ["type": "object", "properties": [
                    "date": ["type": "string", "format": "date"], "created": integer, "resolved": integer]]]]],
            "TicketStatus": ["type": "object", "properties": [
                "period": ref("Period"), "total": integer, "by_status": grouped, "by_status_category": grouped, "by_priority": grouped]],
            "TopCompanies": ["type": "object", "properties": [
                "metric": ["type": "string", "enum": ["tickets", "hours", "billable_hours"]], "period": ref("Period"),
                "data": ["type": "array", "items": ["type": "object", "properties": [
                    "rank": integer, "company_id": string, "name": ["type": ["string", "null"]], "value": number]]]]],
            "Validity": ["type": "object", "properties": [
                "valid_to": ["type": ["string", "null"], "format": "date-time"], "is_current": ["type": "boolean"]]],
            "CompanyTotals": ["type": "object", "properties": [
                "tickets": integer, "open_tickets": integer, "contacts": integer, "time_entries": integer,
                "hours": number, "billable_hours": number]],
            "TicketTotals": ["type": "object", "properties": ["time_entries": integer, "hours": number, "billable_hours": number]],
        ]
        for entity in EntityDefinition.all { result[schemaName(entity)] = entitySchema(entity) }
        return .object(result)
    }
}
