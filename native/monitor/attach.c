#define _GNU_SOURCE
#include "attach.h"
#include "ctr_io.h"
#include "loop.h"
#include "msg.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>

#define MAX_CLIENTS 16
/* A client that stops reading for this long is dropped rather than stalling the container. */
#define SEND_TIMEOUT_SEC 5

struct client {
	int fd;
	bool input_done;
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
	loop_del(c->fd);
	close(c->fd);
	c->fd = -1;
}

static void on_client(int fd, uint32_t events, void *data)
{
	(void)fd;
	struct client *c = data;
	if ((events & EPOLLIN) && !c->input_done && input_enabled) {
		ssize_t n = recv(c->fd, inbuf, sizeof inbuf, MSG_DONTWAIT);
		if (n > 0) {
			io_stdin_write(inbuf, (size_t)n);
			return;
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n == 0 && !(events & EPOLLHUP)) {
			/* Half-closed: the client is done sending but still wants the output. */
			c->input_done = true;
			loop_mod(c->fd, client_events(c));
			io_stdin_eof();
			return;
		}
		drop_client(c);
		return;
	}
	if (events & (EPOLLHUP | EPOLLERR))
		drop_client(c);
}

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
	c->fd = cfd;
	c->input_done = false;
	if (loop_add(cfd, client_events(c), on_client, c) < 0) {
		pwarn("watch attach client: %s", strerror(errno));
		close(cfd);
		c->fd = -1;
		return;
	}
	pdebug("attach client %d connected", cfd);
}

int attach_open(const char *persist_dir)
{
	for (int i = 0; i < MAX_CLIENTS; i++)
		clients[i].fd = -1;
	listen_fd = bind_unix_socket(persist_dir, "attach", SOCK_SEQPACKET | SOCK_NONBLOCK);
	if (listen_fd < 0)
		return -1;
	return loop_add(listen_fd, EPOLLIN, on_listen, NULL);
}

void attach_broadcast(const char *frame, size_t len)
{
	for (int i = 0; i < MAX_CLIENTS; i++) {
		struct client *c = &clients[i];
		if (c->fd < 0)
			continue;
		while (send(c->fd, frame, len, MSG_NOSIGNAL) < 0) {
			if (errno == EINTR)
				continue;
			pdebug("send to attach client %d: %s", c->fd, strerror(errno));
			drop_client(c);
			break;
		}
	}
}

void attach_set_input(bool enabled)
{
	if (enabled == input_enabled)
		return;
	input_enabled = enabled;
	for (int i = 0; i < MAX_CLIENTS; i++)
		if (clients[i].fd >= 0)
			loop_mod(clients[i].fd, client_events(&clients[i]));
}

void attach_close_all(void)
{
	for (int i = 0; i < MAX_CLIENTS; i++)
		if (clients[i].fd >= 0)
			drop_client(&clients[i]);
	if (listen_fd >= 0) {
		loop_del(listen_fd);
		close(listen_fd);
		listen_fd = -1;
	}
}
