#include <sqlite3.h>

// SQLITE_TRANSIENT is a macro casting -1 to a function pointer, which Swift cannot import.
// Binding with it makes SQLite copy the bytes before the call returns, so Swift buffers may be temporary.
static inline sqlite3_destructor_type aurora_sqlite_transient(void) { return SQLITE_TRANSIENT; }
