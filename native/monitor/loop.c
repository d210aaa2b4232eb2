#define _GNU_SOURCE
#include "loop.h"
#include "msg.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

/* A container has at most a handful of fds plus attach clients; a fixed table keeps memory flat. */
#define LOOP_MAX 64

struct entry {
	int fd;
	uint32_t gen;
	loop_cb cb;
	void *data;
};

static int epfd = -1;
static struct entry entries[LOOP_MAX];

int loop_init(void)
{
	for (int i = 0; i < LOOP_MAX; i++)
		entries[i].fd = -1;
	epfd = epoll_create1(EPOLL_CLOEXEC);
	return epfd < 0 ? -1 : 0;
}

static struct entry *find(int fd)
{
	for (int i = 0; i < LOOP_MAX; i++)
		if (entries[i].fd == fd)
			return &entries[i];
	return NULL;
}

/* The epoll cookie carries the slot and its generation, so an event for an fd removed earlier in the
   same batch (and its slot reused) is recognised as stale. */
static uint64_t cookie(const struct entry *e)
{
	return ((uint64_t)e->gen << 32) | (uint64_t)(e - entries);
}

int loop_add(int fd, uint32_t events, loop_cb cb, void *data)
{
	struct entry *e = find(-1);
	if (e == NULL) {
		errno = EMFILE;
		return -1;
	}
	e->gen++;
	struct epoll_event ev = {.events = events, .data.u64 = cookie(e)};
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -1;
	e->fd = fd;
	e->cb = cb;
	e->data = data;
	return 0;
}

int loop_mod(int fd, uint32_t events)
{
	struct entry *e = find(fd);
	if (e == NULL) {
		errno = ENOENT;
		return -1;
	}
	struct epoll_event ev = {.events = events, .data.u64 = cookie(e)};
	return epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &ev);
}

void loop_del(int fd)
{
	struct entry *e = find(fd);
	if (e == NULL)
		return;
	epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
	e->fd = -1;
	e->gen++;
}

void loop_run_once(int timeout_ms)
{
	struct epoll_event evs[16];
	int n = epoll_wait(epfd, evs, 16, timeout_ms);
	if (n < 0) {
		if (errno != EINTR)
			pwarn("epoll_wait: %s", strerror(errno));
		return;
	}
	for (int i = 0; i < n; i++) {
		uint32_t slot = (uint32_t)(evs[i].data.u64 & 0xffffffffu);
		uint32_t gen = (uint32_t)(evs[i].data.u64 >> 32);
		if (slot >= LOOP_MAX)
			continue;
		struct entry *e = &entries[slot];
		if (e->fd < 0 || e->gen != gen)
			continue;
		e->cb(e->fd, evs[i].events, e->data);
	}
}
