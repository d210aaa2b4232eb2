#define _GNU_SOURCE
#include "runtime.h"
#include "attach.h"
#include "msg.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

pid_t runtime_spawn(const struct opts *o, const char *const *verb_args, int in, int out, int err)
{
	size_t nverb = 0;
	while (verb_args[nverb] != NULL)
		nverb++;
	size_t argc = 1 + o->n_runtime_args + 2 + nverb;
	const char **argv = calloc(argc + 1, sizeof *argv);
	if (argv == NULL)
		return -1;
	size_t i = 0;
	argv[i++] = o->runtime;
	for (size_t j = 0; j < o->n_runtime_args; j++)
		argv[i++] = o->runtime_args[j];
	argv[i++] = "--root";
	argv[i++] = o->runtime_root;
	for (size_t j = 0; j < nverb; j++)
		argv[i++] = verb_args[j];
	argv[i] = NULL;
	if (o->debug) {
		char line[1024];
		size_t len = 0;
		for (size_t j = 0; j < i && len + 2 < sizeof line; j++)
			len += (size_t)snprintf(line + len, sizeof line - len, "%s%s", j ? " " : "", argv[j]);
		pdebug("running %s", line);
	}
	pid_t pid = fork();
	if (pid == 0) {
		reset_child_signals();
		/* dup2 onto 0/1/2 also clears close-on-exec for them; a source equal to its target would keep
		   it, so such fds get it cleared by hand. */
		int fds[3] = {in, out, err};
		for (int t = 0; t < 3; t++) {
			if (fds[t] == t) {
				int fl = fcntl(t, F_GETFD);
				fcntl(t, F_SETFD, fl & ~FD_CLOEXEC);
			} else if (dup2(fds[t], t) < 0) {
				_exit(127);
			}
		}
		execvp(argv[0], (char *const *)argv);
		dprintf(2, "exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	free(argv);
	return pid;
}

int runtime_wait(pid_t pid)
{
	int status;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return -1;
	}
	return status;
}

void read_trimmed(int fd, char *buf, size_t cap)
{
	size_t got = 0;
	set_nonblock(fd, true);
	while (got + 1 < cap) {
		ssize_t n = read(fd, buf + got, cap - 1 - got);
		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			break;
		}
		got += (size_t)n;
	}
	buf[got] = '\0';
	while (got > 0 && isspace((unsigned char)buf[got - 1]))
		buf[--got] = '\0';
	size_t start = 0;
	while (start < got && isspace((unsigned char)buf[start]))
		start++;
	memmove(buf, buf + start, got - start + 1);
}

int console_socket_open(const char *persist_dir, char **path)
{
	/* The runtime gets a path, not an fd: keep it within sun_path. */
	char *p = path_join(persist_dir, "console.sock");
	if (strlen(p) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
		free(p);
		char tmpl[] = "/tmp/berth-console-XXXXXX";
		if (mkdtemp(tmpl) == NULL)
			return -1;
		p = path_join(tmpl, "console.sock");
		int fd = bind_unix_socket(tmpl, "console.sock", SOCK_STREAM);
		*path = p;
		return fd;
	}
	*path = p;
	return bind_unix_socket(persist_dir, "console.sock", SOCK_STREAM);
}

int console_socket_take_master(int listen_fd)
{
	/* The runtime has exited by now; its connection (and the fd in it) waits in the backlog. */
	struct pollfd pfd = {.fd = listen_fd, .events = POLLIN};
	if (poll(&pfd, 1, 0) <= 0)
		return -1;
	_cleanup_close_ int conn = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (conn < 0)
		return -1;
	char data[256];
	struct iovec iov = {.iov_base = data, .iov_len = sizeof data};
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
			     .msg_controllen = sizeof control.buf};
	ssize_t n;
	do
		n = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS && c->cmsg_len == CMSG_LEN(sizeof(int))) {
			int fd;
			memcpy(&fd, CMSG_DATA(c), sizeof fd);
			return fd;
		}
	}
	errno = EBADMSG;
	return -1;
}
