/* Invoking the OCI runtime: `RUNTIME [--runtime-arg]... --root ROOT VERB...`. */
#ifndef MONITOR_RUNTIME_H
#define MONITOR_RUNTIME_H

#include "opts.h"

#include <stddef.h>
#include <sys/types.h>

/* Forks and execs the runtime with the given verb and arguments (NULL-terminated) and stdio fds.
   Returns the child's pid or -1. */
pid_t runtime_spawn(const struct opts *o, const char *const *verb_args, int in, int out, int err);

/* waitpid for one child, retrying on EINTR; returns the raw status or -1. */
int runtime_wait(pid_t pid);

/* Reads what is buffered in fd (non-blocking) into buf, trimmed of surrounding whitespace. */
void read_trimmed(int fd, char *buf, size_t cap);

/* The console socket for --terminal: a listening unix socket whose path is passed to the runtime as
   --console-socket. Its path is put in *path (malloc'd). */
int console_socket_open(const char *persist_dir, char **path);
/* Takes the pty master the runtime sent over the console socket; -1 if it sent none. */
int console_socket_take_master(int listen_fd);

#endif
