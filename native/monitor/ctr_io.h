/* The container's stdio as the monitor holds it: output pipes (or the pty master) are read into the
   log and the attach clients; stdin (pipe or pty master) is fed from attach clients without ever
   blocking the monitor. */
#ifndef MONITOR_CTR_IO_H
#define MONITOR_CTR_IO_H

#include <stdbool.h>
#include <stddef.h>

/* Stream ids, as in conmon's attach protocol; the output ones are also the attach frame types. */
enum { STREAM_STDIN = 1, STREAM_STDOUT = 2, STREAM_STDERR = 3 };

/* Largest chunk read from the container or an attach client at once. */
#define IO_CHUNK 8192

/* Takes ownership of the fds (-1 for absent). With a terminal, out_fd is the pty master and in_fd a
   dup of it. Registers the output fds in the loop. */
void io_init(int out_fd, int err_fd, int in_fd, bool tty, bool leave_stdin_open);
bool io_has_stdin(void);
/* False while earlier input still waits for the container: callers stop reading their clients. */
bool io_stdin_ready(void);
void io_stdin_write(const char *buf, size_t len);
/* An attach client ended its input: close the container's stdin (not for a terminal, not with
   --leave-stdin-open). */
void io_stdin_eof(void);
int io_resize(unsigned short rows, unsigned short cols);
/* Reads whatever the container left in its output pipes, without blocking. */
void io_drain(void);
bool io_output_open(void);

#endif
