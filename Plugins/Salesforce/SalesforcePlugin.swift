import PluginABI
import PluginKit

// Salesforce REST API (/services/data/vNN.0/queryAll?q=SOQL). Declarative: OAuth2 client
// credentials at {login_url}/services/oauth2/token (the org's My Domain: the flow is not
// served by login.salesforce.com), whose response's `instance_url` is the API host; SOQL
// queries as the `q` parameter (the incremental variant adds a SystemModstamp filter),
// through `queryAll` so that records deleted since (in the recycle bin, `IsDeleted: true`,
// their SystemModstamp the deletion time) arrive as deletions; paging by the relative `nextRecordsUrl` until `done` is true,
// with the batch size in the `Sforce-Query-Options` header; `COUNT()` for planning; API
// usage from `Sforce-Limit-Info: api-usage=used/limit`.

/// Paging by `nextRecordsUrl` until `done: true`; batch size 200–2000 via a header.
private let queryPaging = PaginationDeclaration(
    kind: AVESA_PAGINATION_NEXT_URL, defaultPageSize: 2000, maxPageSize: 2000,
    stopFlags: AVESA_STOP_ON_MISSING_NEXT, nextPointer: "/nextRecordsUrl", donePointer: "/done",
    sizeHeader: "Sforce-Query-Options", sizeHeaderTemplate: "batchSize={size}")

/// One sObject queried with SOQL; `fields` are selected besides Id, SystemModstamp and
/// IsDeleted (`deletable: false` for objects without it: User).
private func object(_ name: String, _ description: String, fields: String, deletable: Bool = true,
                    canonical: String? = nil) -> EndpointDeclaration {
    let select = "SELECT Id, SystemModstamp, \(deletable ? "IsDeleted, " : "")\(fields) FROM \(name)"
    return EndpointDeclaration(
        name: name, description: description, path: "/queryAll", recordsPointer: "/records",
        primaryKey: "Id", cursorField: "SystemModstamp", cursorFormat: AVESA_TIME_ISO8601_OFFSET,
        incrementalParam: "q",
        incrementalTemplate: "\(select) WHERE SystemModstamp > {since} ORDER BY SystemModstamp, Id",
        pagination: queryPaging, params: [(name: "q", value: "\(select) ORDER BY SystemModstamp, Id")],
        countPath: "/query?q=SELECT+COUNT()+FROM+\(name)", countPointer: "/totalSize",
        canonicalTable: canonical, flags: AVESA_ENDPOINT_INCREMENTAL)
}

private let service = ServiceDeclaration(
    name: "salesforce", displayName: "Salesforce", version: "1.1.0", vendor: "Avesa",
    description: "Salesforce CRM through the REST query API: accounts, contacts, cases, opportunities, leads, activities, contracts, products and assets.",
    baseURLTemplate: "{instance_url}/services/data/v{api_version}",
    auth: AuthDeclaration(kind: AVESA_AUTH_OAUTH2_CLIENT_CREDENTIALS,
                          tokenURL: "{login_url}/services/oauth2/token",
                          clientID: "{client_id}", clientSecret: "{client_secret}",
                          instanceURLPointer: "/instance_url"),
    credentialFields: [
        FieldDeclaration("login_url", label: "My Domain URL", flags: AVESA_FIELD_REQUIRED | AVESA_FIELD_URL,
                         description: "The org's My Domain login URL (https://yourcompany.my.salesforce.com; sandboxes https://yourcompany--sandbox.sandbox.my.salesforce.com). The client credentials flow is not served by login.salesforce.com or test.salesforce.com.",
                         example: "https://acme.my.salesforce.com"),
        FieldDeclaration("client_id", label: "Consumer key", flags: AVESA_FIELD_REQUIRED,
                         description: "The connected app's consumer key."),
        FieldDeclaration("client_secret", label: "Consumer secret", flags: AVESA_FIELD_REQUIRED | AVESA_FIELD_SECRET,
                         description: "The connected app's consumer secret."),
        FieldDeclaration("api_version", label: "API version", flags: AVESA_FIELD_REQUIRED,
                         description: "REST API version without the v.", defaultValue: "62.0"),
    ],
    headers: [(name: "Accept", value: "application/json")],
    rateLimit: RateLimitDeclaration(requestsPerSecond: 10, burst: 20, maxConcurrent: 8,
                                    throttleStatuses: [429, 503], usageHeader: "Sforce-Limit-Info"),
    endpoints: [
        object("Account", "Accounts", fields: "Name, AccountNumber, Type, Industry, Phone, Website, BillingStreet, BillingCity, BillingState, BillingCountry, CreatedDate, LastModifiedDate", canonical: "companies"),
        object("Contact", "Contacts", fields: "AccountId, FirstName, LastName, Email, Phone, Title, CreatedDate, LastModifiedDate", canonical: "contacts"),
        object("Case", "Support cases", fields: "CaseNumber, AccountId, ContactId, Subject, Status, Priority, Origin, Type, OwnerId, IsClosed, CreatedDate, ClosedDate, LastModifiedDate", canonical: "tickets"),
        object("CaseComment", "Case comments", fields: "ParentId, CommentBody, IsPublished, CreatedDate"),
        object("Opportunity", "Opportunities", fields: "AccountId, Name, StageName, Amount, CloseDate, OwnerId"),
        object("OpportunityLineItem", "Opportunity products", fields: "OpportunityId, Product2Id, Quantity, UnitPrice, TotalPrice"),
        object("Lead", "Leads", fields: "FirstName, LastName, Company, Email, Status"),
        object("User", "Users", fields: "Name, Email, IsActive", deletable: false),
        object("Task", "Tasks", fields: "WhatId, WhoId, Subject, Status, ActivityDate, OwnerId"),
        object("Event", "Events", fields: "WhatId, WhoId, Subject, StartDateTime, EndDateTime, OwnerId"),
        object("Contract", "Contracts", fields: "AccountId, ContractNumber, Status, StartDate, EndDate"),
        object("Product2", "Products", fields: "Name, ProductCode, IsActive"),
        object("Pricebook2", "Price books", fields: "Name, IsActive, IsStandard"),
        object("Asset", "Assets", fields: "AccountId, Name, SerialNumber, Status, InstallDate"),
    ])

/// The manifest, built once on first use.
nonisolated(unsafe) private let manifest = ManifestBuilder.build(service)

/// The plugin's only exported symbol; see `avesa_plugin_entry` in avesa_plugin.h.
@_cdecl("avesa_plugin_entry")
public func avesaPluginEntry(
    _ negotiation: UnsafeMutablePointer<avesa_negotiation>?,
    _ output: UnsafeMutablePointer<UnsafePointer<avesa_plugin>?>?
) -> avesa_status {
    answerPluginEntry(negotiation, output, manifest: manifest)
}
