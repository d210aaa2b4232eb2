/* The runtime directory that holds pause.pid and pause.lock. */
#ifndef BERTH_NS_RUNDIR_H
#define BERTH_NS_RUNDIR_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* `$XDG_RUNTIME_DIR/berth`, else `/tmp/berth-UID`. Fails (exit 125) when it does not fit. */
void rundir_path(char *buf, size_t len, uid_t uid);

/* Hot path: true when `dir` exists, is a real directory (not a symlink) and is owned by `uid`. */
bool rundir_usable(const char *dir, uid_t uid);

/* Creates `dir` (mode 0700, and $XDG_RUNTIME_DIR itself if missing), then refuses it unless it is a
 * directory owned by `uid`. Fails (exit 125) on any problem. */
void rundir_ensure(const char *dir, uid_t uid);

/* The pid in `dir`/pause.pid, or 0 when there is none or it is malformed. */
pid_t pidfile_read(const char *dir);

/* Writes `dir`/pause.pid atomically (temp file + rename). Fails (exit 125) on error. */
void pidfile_write(const char *dir, pid_t pid);

/* Opens and flock(LOCK_EX)s `dir`/pause.lock; the returned fd is close-on-exec and holds the lock. */
int rundir_lock(const char *dir);

#endif
