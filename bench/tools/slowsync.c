// Emulates storage with a slow flush (network block storage): every fsync/fdatasync
// takes SLOWSYNC_US extra microseconds. For benchmarks only.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <unistd.h>
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static useconds_t delay(void) { const char *v = getenv("SLOWSYNC_US"); return v ? (useconds_t)atoi(v) : 2000; }
int fsync(int fd) { if (!real_fsync) real_fsync = dlsym(RTLD_NEXT, "fsync"); usleep(delay()); return real_fsync(fd); }
int fdatasync(int fd) { if (!real_fdatasync) real_fdatasync = dlsym(RTLD_NEXT, "fdatasync"); usleep(delay()); return real_fdatasync(fd); }
