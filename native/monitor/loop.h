/* A minimal epoll dispatcher: one callback per fd, level-triggered. */
#ifndef MONITOR_LOOP_H
#define MONITOR_LOOP_H

#include <stdint.h>
#include <sys/epoll.h>

typedef void (*loop_cb)(int fd, uint32_t events, void *data);

int loop_init(void);
int loop_add(int fd, uint32_t events, loop_cb cb, void *data);
int loop_mod(int fd, uint32_t events);
void loop_del(int fd);
/* Waits up to timeout_ms (-1: forever) and dispatches what is ready. */
void loop_run_once(int timeout_ms);

#endif
