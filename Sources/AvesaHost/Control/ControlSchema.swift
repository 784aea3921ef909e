/// The control database schema as an ordered list of migrations.
///
/// Times are ISO 8601 UTC text with milliseconds (`ControlClock.timestamp`), which sorts
/// as text. Credentials are stored as **one AES-256-GCM sealed JSON object per tenant
/// service** (`credentials.ciphertext` holds ciphertext followed by the 16-byte tag,
/// `nonce` the 12-byte nonce); `field_names` lists the fields in clear so listings never
/// need to decrypt. Deleting a tenant cascades to every row that names it.
public enum ControlSchema {
    /// The newest schema version this build knows.
    public static var currentVersion: Int { migrations.last?.version ?? 0 }

    /// Every migration, oldest first.
    public static let migrations: [ControlMigration] = [
        ControlMigration(version: 1, name: "tenants, users, services, credentials, watermarks", sql: """
            CREATE TABLE tenants (
                id TEXT PRIMARY KEY NOT NULL,
                name TEXT NOT NULL,
                created_at TEXT NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE users (
                id INTEGER PRIMARY KEY,
                tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
                email TEXT NOT NULL,
                role TEXT NOT NULL CHECK (role IN ('admin', 'analyst', 'viewer')),
                password_hash TEXT NOT NULL,
                created_at TEXT NOT NULL,
                UNIQUE (tenant_id, email)
            );
            CREATE TABLE tenant_services (
                tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
                service TEXT NOT NULL,
                enabled_tables TEXT,
                rate_limit_override TEXT,
                created_at TEXT NOT NULL,
                PRIMARY KEY (tenant_id, service)
            ) WITHOUT ROWID;
            CREATE TABLE credentials (
                tenant_id TEXT NOT NULL,
                service TEXT NOT NULL,
                field_names TEXT NOT NULL,
                ciphertext BLOB NOT NULL,
                nonce BLOB NOT NULL,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (tenant_id, service),
                FOREIGN KEY (tenant_id, service) REFERENCES tenant_services(tenant_id, service) ON DELETE CASCADE
            ) WITHOUT ROWID;
            CREATE TABLE watermarks (
                tenant_id TEXT NOT NULL,
                service TEXT NOT NULL,
                table_name TEXT NOT NULL,
                cursor TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (tenant_id, service, table_name),
                FOREIGN KEY (tenant_id, service) REFERENCES tenant_services(tenant_id, service) ON DELETE CASCADE
            ) WITHOUT ROWID;
            """),
        ControlMigration(version: 2, name: "runs, run tables, chunks, tenant locks", sql: """
            CREATE TABLE runs (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                started_at TEXT NOT NULL,
                finished_at TEXT,
                status TEXT NOT NULL,
                summary TEXT
            );
            CREATE TABLE run_tables (
                run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
                service TEXT NOT NULL,
                table_name TEXT NOT NULL,
                status TEXT NOT NULL,
                records INTEGER NOT NULL DEFAULT 0,
                pages INTEGER NOT NULL DEFAULT 0,
                requests INTEGER NOT NULL DEFAULT 0,
                retries INTEGER NOT NULL DEFAULT 0,
                throttles INTEGER NOT NULL DEFAULT 0,
                error TEXT,
                started_at TEXT NOT NULL,
                finished_at TEXT,
                PRIMARY KEY (run_id, tenant_id, service, table_name)
            ) WITHOUT ROWID;
            CREATE TABLE chunks (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
                service TEXT NOT NULL,
                table_name TEXT NOT NULL,
                since TEXT,
                until TEXT,
                status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'done', 'failed')),
                resume_cursor TEXT,
                records INTEGER NOT NULL DEFAULT 0,
                error TEXT,
                updated_at TEXT NOT NULL
            );
            CREATE INDEX chunks_by_table ON chunks (tenant_id, service, table_name, status);
            CREATE INDEX chunks_by_run ON chunks (run_id);
            CREATE TABLE run_locks (
                tenant_id TEXT PRIMARY KEY NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
                owner_pid INTEGER NOT NULL,
                host TEXT NOT NULL,
                acquired_at TEXT NOT NULL,
                heartbeat_at TEXT NOT NULL
            ) WITHOUT ROWID;
            """),
        // The API's user and refresh-token stores (SQLiteUserDirectory, SQLiteRefreshTokenStore):
        // user ids become text and times integers; no user rows existed before this version.
        ControlMigration(version: 3, name: "API users and refresh tokens", sql: """
            DROP TABLE users;
            CREATE TABLE users (
                id TEXT PRIMARY KEY,
                tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
                email TEXT NOT NULL,
                role TEXT NOT NULL CHECK (role IN ('admin', 'analyst', 'viewer')),
                password_hash TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                UNIQUE (tenant_id, email)
            );
            CREATE TABLE refresh_tokens (
                token_hash TEXT PRIMARY KEY,
                family_id TEXT NOT NULL,
                user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                tenant_id TEXT NOT NULL,
                issued_at INTEGER NOT NULL,
                expires_at INTEGER NOT NULL,
                rotated_at INTEGER NULL,
                revoked_at INTEGER NULL
            );
            CREATE INDEX ix_refresh_tokens_family ON refresh_tokens (family_id);
            """),
        // A tenant's runs without reading every tenant's run tables (the pipeline endpoints).
        ControlMigration(version: 4, name: "run tables by tenant", sql: """
            CREATE INDEX run_tables_by_tenant ON run_tables (tenant_id, run_id);
            """),
        // Lock owners across containers that share a host name: a per-process token and the
        // pid namespace (`LockOwner`). Rows written before have neither.
        ControlMigration(version: 5, name: "lock owner tokens and pid namespaces", sql: """
            ALTER TABLE run_locks ADD COLUMN pid_namespace TEXT NOT NULL DEFAULT '';
            ALTER TABLE run_locks ADD COLUMN owner_token TEXT NOT NULL DEFAULT '';
            """),
    ]
}
