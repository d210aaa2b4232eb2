#define _GNU_SOURCE
#include "ctr_io.h"
#include "attach.h"
#include "k8s_log.h"
#include "loop.h"
#include "msg.h"
#include "util.h"

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>

static int out_fd = -1, err_fd = -1, in_fd = -1;
static bool is_tty, keep_stdin;

/* Input accepted from a client but not yet taken by the container. */
static char pending[IO_CHUNK];
static size_t pending_len, pending_off;
static bool eof_after_pending;

static char outbuf[IO_CHUNK];

static void close_output(int *fdp)
{
	loop_del(*fdp);
	close(*fdp);
	*fdp = -1;
}

enum read_result { READ_DATA, READ_AGAIN, READ_END };

static enum read_result read_output(int *fdp, int stream)
{
	ssize_t n = read(*fdp, outbuf, sizeof outbuf);
	if (n > 0) {
		klog_write(stream, outbuf, (size_t)n);
		attach_broadcast(stream, outbuf, (size_t)n);
		return READ_DATA;
	}
	if (n < 0 && errno == EINTR)
		return READ_DATA;
	if (n < 0 && errno == EAGAIN)
		return READ_AGAIN;
	/* EOF, or EIO from a pty master whose last slave closed. */
	if (n < 0 && errno != EIO)
		pwarn("read container output: %s", strerror(errno));
	close_output(fdp);
	return READ_END;
}

static void on_output(int fd, uint32_t events, void *data)
{
	(void)events;
	int stream = (int)(long)data;
	int *fdp = fd == out_fd ? &out_fd : &err_fd;
	read_output(fdp, stream);
}

void io_init(int out, int err, int in, bool tty, bool leave_stdin_open)
{
	out_fd = out;
	err_fd = err;
	in_fd = in;
	is_tty = tty;
	keep_stdin = leave_stdin_open;
	if (out_fd >= 0) {
		set_nonblock(out_fd, true);
		if (loop_add(out_fd, EPOLLIN, on_output, (void *)(long)STREAM_STDOUT) < 0)
			die("watch container stdout: %s", strerror(errno));
	}
	if (err_fd >= 0) {
		set_nonblock(err_fd, true);
		if (loop_add(err_fd, EPOLLIN, on_output, (void *)(long)STREAM_STDERR) < 0)
			die("watch container stderr: %s", strerror(errno));
	}
	if (in_fd >= 0)
		set_nonblock(in_fd, true);
}

bool io_has_stdin(void)
{
	return in_fd >= 0;
}

bool io_stdin_ready(void)
{
	return pending_len == 0;
}

static void close_stdin(void)
{
	if (in_fd < 0)
		return;
	loop_del(in_fd);
	close(in_fd);
	in_fd = -1;
	pending_len = pending_off = 0;
	attach_set_input(true);
}

static void on_stdin_writable(int fd, uint32_t events, void *data);

/* Writes what it can; keeps the rest and waits for the container to read. */
static void push_pending(void)
{
	while (pending_off < pending_len) {
		ssize_t n = write(in_fd, pending + pending_off, pending_len - pending_off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {
				if (loop_add(in_fd, EPOLLOUT, on_stdin_writable, NULL) < 0 && errno != EEXIST)
					pwarn("watch container stdin: %s", strerror(errno));
				attach_set_input(false);
				return;
			}
			/* EPIPE: the container closed its stdin; later input has nowhere to go. */
			pdebug("write container stdin: %s", strerror(errno));
			close_stdin();
			return;
		}
		pending_off += (size_t)n;
	}
	pending_len = pending_off = 0;
	loop_del(in_fd);
	attach_set_input(true);
	if (eof_after_pending)
		close_stdin();
}

static void on_stdin_writable(int fd, uint32_t events, void *data)
{
	(void)fd;
	(void)events;
	(void)data;
	push_pending();
}

void io_stdin_write(const char *buf, size_t len)
{
	if (in_fd < 0 || len == 0)
		return;
	if (len > sizeof pending - pending_len)
		len = sizeof pending - pending_len;
	memcpy(pending + pending_len, buf, len);
	pending_len += len;
	push_pending();
}

void io_stdin_eof(void)
{
	if (in_fd < 0 || is_tty || keep_stdin)
		return;
	if (pending_len > 0) {
		eof_after_pending = true;
		return;
	}
	pdebug("closing container stdin");
	close_stdin();
}

int io_resize(unsigned short rows, unsigned short cols)
{
	if (!is_tty || out_fd < 0) {
		errno = ENOTTY;
		return -1;
	}
	struct winsize ws = {.ws_row = rows, .ws_col = cols};
	return ioctl(out_fd, TIOCSWINSZ, &ws);
}

void io_drain(void)
{
	/* Bounded, in case something outside the container's pid namespace still holds the pipe and
	   keeps writing: the exit must not wait for it. */
	for (int i = 0; i < 4096 && out_fd >= 0; i++)
		if (read_output(&out_fd, STREAM_STDOUT) != READ_DATA)
			break;
	for (int i = 0; i < 4096 && err_fd >= 0; i++)
		if (read_output(&err_fd, STREAM_STDERR) != READ_DATA)
			break;
}

bool io_output_open(void)
{
	return out_fd >= 0 || err_fd >= 0;
}
