#define _GNU_SOURCE
#include "attach.h"
#include "ctl.h"
#include "ctr_io.h"
#include "loop.h"
#include "msg.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>

#define MAX_CLIENTS 16
/* A client that stops reading for this long is dropped rather than stalling the container. */
#define SEND_TIMEOUT_SEC 5
/* Longest control payload (resize) a client may send; anything longer is a broken client. */
#define CTL_PAYLOAD_MAX 32

_Static_assert((int)FRAME_STDOUT == (int)STREAM_STDOUT && (int)FRAME_STDERR == (int)STREAM_STDERR,
	       "output frame types are the stream ids");

/* Frames arrive in arbitrary pieces on a stream socket, so each client carries its parser state. */
struct client {
	int fd;
	/* The client will send nothing more (it half-closed); output still goes to it. */
	bool input_done;
	/* It hung up while input was paused: kept out of the loop until its last input can be read. */
	bool parked;
	unsigned char hdr[FRAME_HEADER];
	size_t hdr_len;
	uint32_t left; /* payload bytes of the current frame still to come */
	char ctl[CTL_PAYLOAD_MAX + 1];
	size_t ctl_len;
};

static int listen_fd = -1;
static struct client clients[MAX_CLIENTS];
static bool input_enabled = true;
static char inbuf[IO_CHUNK];

int bind_unix_socket(const char *dir, const char *name, int type)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	_cleanup_close_ int dirfd = -1;
	int n = snprintf(addr.sun_path, sizeof addr.sun_path, "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= sizeof addr.sun_path) {
		dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (dirfd < 0)
			return -1;
		n = snprintf(addr.sun_path, sizeof addr.sun_path, "/proc/self/fd/%d/%s", dirfd, name);
		if (n < 0 || (size_t)n >= sizeof addr.sun_path) {
			errno = ENAMETOOLONG;
			return -1;
		}
	}
	int fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	unlink(addr.sun_path);
	if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0 || chmod(addr.sun_path, 0700) < 0 ||
	    listen(fd, 16) < 0) {
		int saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

static uint32_t client_events(const struct client *c)
{
	return (!c->input_done && input_enabled) ? EPOLLIN : 0;
}

static void drop_client(struct client *c)
{
	pdebug("attach client %d gone", c->fd);
	if (!c->parked)
		loop_del(c->fd);
	close(c->fd);
	c->fd = -1;
}

static void on_client(int fd, uint32_t events, void *data);

static void handle_ctl_frame(struct client *c, int type)
{
	c->ctl[c->ctl_len] = '\0';
	if (type == FRAME_RESIZE) {
		int height, width;
		if (sscanf(c->ctl, "%d %d", &height, &width) == 2)
			ctl_resize(height, width);
		else
			pwarn("attach client %d: bad resize request \"%s\"", c->fd, c->ctl);
	}
}

/* Feeds received bytes through the client's frame parser. Returns false on a protocol error. */
static bool parse_input(struct client *c, const char *buf, size_t len)
{
	while (len > 0) {
		if (c->hdr_len < FRAME_HEADER) {
			size_t take = FRAME_HEADER - c->hdr_len;
			if (take > len)
				take = len;
			memcpy(c->hdr + c->hdr_len, buf, take);
			c->hdr_len += take;
			buf += take;
			len -= take;
			if (c->hdr_len < FRAME_HEADER)
				return true;
			c->left = (uint32_t)c->hdr[1] << 24 | (uint32_t)c->hdr[2] << 16 | (uint32_t)c->hdr[3] << 8 |
				  (uint32_t)c->hdr[4];
			c->ctl_len = 0;
			if (c->hdr[0] == FRAME_RESIZE && c->left > CTL_PAYLOAD_MAX) {
				pwarn("attach client %d: oversized control frame", c->fd);
				return false;
			}
		}
		int type = c->hdr[0];
		size_t take = c->left < len ? c->left : len;
		if (type == FRAME_STDIN) {
			io_stdin_write(buf, take);
		} else if (type == FRAME_RESIZE) {
			memcpy(c->ctl + c->ctl_len, buf, take);
			c->ctl_len += take;
		}
		buf += take;
		len -= take;
		c->left -= (uint32_t)take;
		if (c->left > 0)
			return true;
		c->hdr_len = 0;
		if (type == FRAME_STDIN_EOF)
			io_stdin_eof();
		else if (type == FRAME_RESIZE)
			handle_ctl_frame(c, type);
		else if (type != FRAME_STDIN)
			pdebug("attach client %d: skipped frame of unknown type %d", c->fd, type);
	}
	return true;
}

static void on_client(int fd, uint32_t events, void *data)
{
	(void)fd;
	struct client *c = data;
	if ((events & EPOLLIN) && !c->input_done && input_enabled) {
		ssize_t n = recv(c->fd, inbuf, sizeof inbuf, MSG_DONTWAIT);
		if (n > 0) {
			if (!parse_input(c, inbuf, (size_t)n))
				drop_client(c);
			return;
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n == 0 && !(events & EPOLLHUP)) {
			/* Half-closed: the client sends nothing more but still wants the output. Not an end of
			   input for the container: only a type 1 frame is. */
			c->input_done = true;
			loop_mod(c->fd, client_events(c));
			return;
		}
		drop_client(c);
		return;
	}
	if (events & (EPOLLHUP | EPOLLERR)) {
		if (!c->input_done && !input_enabled && !(events & EPOLLERR)) {
			/* Gone while its input waits (it may end with a type 1 frame): a hung-up socket would
			   report HUP for ever, so it leaves the loop until input resumes. */
			loop_del(c->fd);
			c->parked = true;
			return;
		}
		drop_client(c);
	}
}

static int send_frame(int fd, int type, const char *data, size_t len);

static void on_listen(int fd, uint32_t events, void *data)
{
	(void)events;
	(void)data;
	int cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
	if (cfd < 0) {
		if (errno != EAGAIN && errno != EINTR)
			pwarn("accept attach client: %s", strerror(errno));
		return;
	}
	struct client *c = NULL;
	for (int i = 0; i < MAX_CLIENTS && c == NULL; i++)
		if (clients[i].fd < 0)
			c = &clients[i];
	if (c == NULL) {
		pwarn("too many attach clients, refusing one");
		close(cfd);
		return;
	}
	struct timeval tv = {.tv_sec = SEND_TIMEOUT_SEC};
	setsockopt(cfd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	*c = (struct client){.fd = cfd};
	if (loop_add(cfd, client_events(c), on_client, c) < 0) {
		pwarn("watch attach client: %s", strerror(errno));
		close(cfd);
		c->fd = -1;
		return;
	}
	if (send_frame(cfd, FRAME_READY, NULL, 0) < 0) {
		drop_client(c);
		return;
	}
	pdebug("attach client %d connected", cfd);
}

int attach_open(const char *persist_dir)
{
	for (int i = 0; i < MAX_CLIENTS; i++)
		clients[i].fd = -1;
	listen_fd = bind_unix_socket(persist_dir, "attach", SOCK_STREAM | SOCK_NONBLOCK);
	if (listen_fd < 0)
		return -1;
	return loop_add(listen_fd, EPOLLIN, on_listen, NULL);
}

/* Blocking (bounded by SO_SNDTIMEO) so a frame is never left half-sent to a client we keep. */
static int send_frame(int fd, int type, const char *data, size_t len)
{
	unsigned char hdr[FRAME_HEADER] = {(unsigned char)type, (unsigned char)(len >> 24), (unsigned char)(len >> 16),
					   (unsigned char)(len >> 8), (unsigned char)len};
	struct iovec iov[2] = {{.iov_base = hdr, .iov_len = sizeof hdr}, {.iov_base = (void *)data, .iov_len = len}};
	struct msghdr msg = {.msg_iov = iov, .msg_iovlen = 2};
	while (msg.msg_iovlen > 0) {
		ssize_t n = sendmsg(fd, &msg, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		size_t skip = (size_t)n;
		while (msg.msg_iovlen > 0 && skip >= msg.msg_iov[0].iov_len) {
			skip -= msg.msg_iov[0].iov_len;
			msg.msg_iov++;
			msg.msg_iovlen--;
		}
		if (msg.msg_iovlen > 0) {
			msg.msg_iov[0].iov_base = (char *)msg.msg_iov[0].iov_base + skip;
			msg.msg_iov[0].iov_len -= skip;
		}
	}
	return 0;
}

void attach_broadcast(int type, const char *data, size_t len)
{
	for (int i = 0; i < MAX_CLIENTS; i++) {
		struct client *c = &clients[i];
		/* A parked client has hung up: sending would only fail and lose its unread input. */
		if (c->fd < 0 || c->parked)
			continue;
		if (send_frame(c->fd, type, data, len) < 0) {
			pdebug("send to attach client %d: %s", c->fd, strerror(errno));
			drop_client(c);
		}
	}
}

void attach_set_input(bool enabled)
{
	if (enabled == input_enabled)
		return;
	input_enabled = enabled;
	for (int i = 0; i < MAX_CLIENTS; i++) {
		struct client *c = &clients[i];
		if (c->fd < 0)
			continue;
		if (c->parked && enabled) {
			c->parked = false;
			if (loop_add(c->fd, client_events(c), on_client, c) < 0)
				drop_client(c);
		} else if (!c->parked) {
			loop_mod(c->fd, client_events(c));
		}
	}
}

void attach_finish(int exit_code)
{
	char text[16];
	int n = snprintf(text, sizeof text, "%d", exit_code);
	attach_broadcast(FRAME_EXIT, text, (size_t)n);
	for (int i = 0; i < MAX_CLIENTS; i++)
		if (clients[i].fd >= 0)
			drop_client(&clients[i]);
	if (listen_fd >= 0) {
		loop_del(listen_fd);
		close(listen_fd);
		listen_fd = -1;
	}
}
