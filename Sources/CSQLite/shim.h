/* SQLite for Swift. SQLITE_TRANSIENT and SQLITE_STATIC are cast macros Swift cannot
   import, so they are exposed as functions. */
#ifndef AVESA_CSQLITE_SHIM_H
#define AVESA_CSQLITE_SHIM_H
#include <sqlite3.h>

/** SQLITE_TRANSIENT: SQLite copies the bound value before the bind call returns. */
static inline sqlite3_destructor_type avesa_sqlite_transient(void) { return SQLITE_TRANSIENT; }
/** SQLITE_STATIC: the bound value outlives the statement's use of it. */
static inline sqlite3_destructor_type avesa_sqlite_static(void) { return SQLITE_STATIC; }
#endif
