/* The sync pipe: one JSON line to the CLI, `{"pid":N}` or `{"error":"..."}`, then the pipe is closed. */
#ifndef MONITOR_SYNC_H
#define MONITOR_SYNC_H

#include <stddef.h>
#include <sys/types.h>

void sync_init(int fd);
void sync_send_pid(pid_t pid);
/* No-op once a message was sent, so the first failure is the one reported. */
void sync_send_error(const char *message);

/* Appends s to out as the inside of a JSON string (quotes and control characters escaped), truncating
   to fit; returns the length written. Exposed for tests of the exact wire format. */
size_t json_escape(const char *s, char *out, size_t cap);

#endif
