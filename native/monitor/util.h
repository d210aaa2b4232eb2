/* Small helpers shared by every part of the monitor: cleanup attributes, I/O loops, paths. */
#ifndef MONITOR_UTIL_H
#define MONITOR_UTIL_H

#include <stdbool.h>
#include <stdlib.h>
#include <sys/types.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _cleanup_close_ _cleanup_(cleanup_closep)
#define _cleanup_free_ _cleanup_(cleanup_freep)

static inline void cleanup_closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}

static inline void cleanup_freep(void *p)
{
	free(*(void **)p);
}

/* Writes all of buf, retrying on EINTR and short writes; -1 with errno on failure. */
int write_all(int fd, const void *buf, size_t len);

/* Writes data to path through a temporary file in the same directory and rename(2). */
int write_file_atomic(const char *path, const char *data, size_t len);

/* Reads up to cap-1 bytes of a small file into buf, NUL-terminated; -1 with errno on failure. */
ssize_t read_small_file(const char *path, char *buf, size_t cap);

/* malloc'd "dir/name"; aborts on allocation failure (the monitor cannot do anything useful then). */
char *path_join(const char *dir, const char *name);

/* malloc'd absolute form of path (relative paths are taken from the current directory). */
char *path_absolute(const char *path);

char *xstrdup(const char *s);

int set_nonblock(int fd, bool on);

/* Before exec in a child: default signal dispositions and an empty mask, since ignored signals and the
   blocked mask survive exec and would leak into the runtime and the container. */
void reset_child_signals(void);

#endif
