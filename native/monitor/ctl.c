#define _GNU_SOURCE
#include "ctl.h"
#include "ctr_io.h"
#include "k8s_log.h"
#include "loop.h"
#include "msg.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int ctl_fd = -1;
static char line[128];
static size_t line_len;

void ctl_resize(int height, int width)
{
	if (height < 0 || width < 0 || height > 65535 || width > 65535) {
		pwarn("resize terminal: invalid size %dx%d", height, width);
		return;
	}
	if (io_resize((unsigned short)height, (unsigned short)width) < 0)
		pwarn("resize terminal to %dx%d: %s", height, width, strerror(errno));
	else
		pdebug("terminal resized to %d rows, %d columns", height, width);
}

static void handle_line(const char *text)
{
	int type = 0, height = 0, width = 0;
	int got = sscanf(text, "%d %d %d", &type, &height, &width);
	if (got == 3 && type == 1) {
		ctl_resize(height, width);
	} else if (got >= 1 && type == 2) {
		pdebug("reopening the log file");
		klog_reopen();
	} else {
		pwarn("unknown control message: %s", text);
	}
}

static void on_ctl(int fd, uint32_t events, void *data)
{
	(void)events;
	(void)data;
	char buf[256];
	ssize_t n = read(fd, buf, sizeof buf);
	if (n <= 0)
		return;
	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] == '\n') {
			line[line_len] = '\0';
			handle_line(line);
			line_len = 0;
		} else if (line_len + 1 < sizeof line) {
			line[line_len++] = buf[i];
		}
	}
}

int ctl_open(const char *persist_dir)
{
	_cleanup_free_ char *path = path_join(persist_dir, "ctl");
	unlink(path);
	if (mkfifo(path, 0600) < 0)
		return -1;
	/* Read-write, so the fifo never reports end of file when a writer goes away. */
	ctl_fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (ctl_fd < 0)
		return -1;
	return loop_add(ctl_fd, EPOLLIN, on_ctl, NULL);
}
