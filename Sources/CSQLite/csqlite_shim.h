// Shim over the system SQLite header (libsqlite3-dev).
//
// SQLITE_TRANSIENT and SQLITE_STATIC are cast macros that Swift does not import; these
// static inline functions return them as typed destructor values.
#ifndef AVESA_CSQLITE_SHIM_H
#define AVESA_CSQLITE_SHIM_H

#include <sqlite3.h>

/// SQLite copies the bound bytes before the bind call returns.
static inline sqlite3_destructor_type csqlite_transient(void) { return SQLITE_TRANSIENT; }

/// The bound bytes must stay valid until the statement is reset or re-bound.
static inline sqlite3_destructor_type csqlite_static(void) { return SQLITE_STATIC; }

#endif
