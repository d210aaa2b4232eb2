/* The attach socket PERSIST/attach: a SOCK_STREAM unix socket (Node's net module speaks it) with
   explicit framing in both directions. Every frame is
     [1 byte type][4 bytes big-endian payload length][payload]
   monitor -> client: 5 ready (empty; first frame on every connection: the client is registered and
     all output from here on reaches it, so a CLI can start the container only after it), 2 stdout
     data, 3 stderr data, 4 exit code (decimal text; sent to every client once the code is known,
     right before the monitor closes the connection).
   client -> monitor: 0 stdin data, 1 stdin end (closes the container's stdin, unless
     --leave-stdin-open or a terminal), 6 resize ("HEIGHT WIDTH", as on the ctl fifo).
   A client that closes without sending type 1 has only detached. Unknown client frame types are
   skipped. Clients connecting late get only output produced from then on (logs has the rest). */
#ifndef MONITOR_ATTACH_H
#define MONITOR_ATTACH_H

#include <stdbool.h>
#include <stddef.h>

enum {
	FRAME_STDIN = 0,
	FRAME_STDIN_EOF = 1,
	FRAME_STDOUT = 2,
	FRAME_STDERR = 3,
	FRAME_EXIT = 4,
	FRAME_READY = 5,
	FRAME_RESIZE = 6,
};
#define FRAME_HEADER 5

int attach_open(const char *persist_dir);
/* Sends one frame to every client; a client that does not take it within 5 s is dropped. */
void attach_broadcast(int type, const char *data, size_t len);
/* Pauses or resumes reading client input (while the container's stdin is full). */
void attach_set_input(bool enabled);
/* Sends the exit code to every client, disconnects them and stops listening. */
void attach_finish(int exit_code);

/* Binds a unix socket of the given type at dir/name, going through /proc/self/fd when the path is
   longer than sun_path allows. Returns the fd or -1. */
int bind_unix_socket(const char *dir, const char *name, int type);

#endif
