/* The attach socket PERSIST/attach (SOCK_SEQPACKET, like conmon's). Each record the monitor sends is
   one byte of stream id (2 stdout, 3 stderr) followed by the data; each record a client sends goes to
   the container's stdin. A client's shutdown(SHUT_WR) closes the container's stdin (unless
   --leave-stdin-open or a terminal); a client that just closes has detached. */
#ifndef MONITOR_ATTACH_H
#define MONITOR_ATTACH_H

#include <stdbool.h>
#include <stddef.h>

int attach_open(const char *persist_dir);
void attach_broadcast(const char *frame, size_t len);
/* Pauses or resumes reading client input (while the container's stdin is full). */
void attach_set_input(bool enabled);
/* Disconnects every client (they see end of file) and stops listening. */
void attach_close_all(void);

/* Binds a unix socket of the given type at dir/name, going through /proc/self/fd when the path is
   longer than sun_path allows. Returns the fd or -1. */
int bind_unix_socket(const char *dir, const char *name, int type);

#endif
