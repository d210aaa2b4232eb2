#define _GNU_SOURCE
#include "k8s_log.h"
#include "ctr_io.h"
#include "msg.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>

/* strlen("2006-01-02T15:04:05.999999999+07:00 stdout ") */
#define PREFIX_MAX 48
/* Records are gathered into one writev per batch; 4 iovecs a record. */
#define IOV_BATCH 64

static int log_fd = -1;
static char *log_path;
static long long max_size = -1;
static long long written;

int klog_open(const char *path, long long size_max)
{
	log_path = xstrdup(path);
	max_size = size_max;
	log_fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (log_fd < 0)
		return -1;
	struct stat st;
	written = fstat(log_fd, &st) == 0 ? (long long)st.st_size : 0;
	return 0;
}

void klog_reopen(void)
{
	if (log_path == NULL)
		return;
	int fd = open(log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (fd < 0) {
		pwarn("reopen log %s: %s", log_path, strerror(errno));
		return;
	}
	if (log_fd >= 0)
		close(log_fd);
	log_fd = fd;
	struct stat st;
	written = fstat(log_fd, &st) == 0 ? (long long)st.st_size : 0;
}

/* Like conmon: when the next record would pass --log-size-max, start the file again. A new inode is
   renamed over the old one so that readers following the file see a fresh file, not a hole. */
static void truncate_log(void)
{
	size_t plen = strlen(log_path);
	_cleanup_free_ char *tmp = malloc(plen + 8);
	if (tmp == NULL)
		return;
	snprintf(tmp, plen + 8, "%s.tmp", log_path);
	int fd = open(tmp, O_WRONLY | O_APPEND | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (fd < 0 || rename(tmp, log_path) < 0) {
		pwarn("truncate log %s: %s", log_path, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		return;
	}
	close(log_fd);
	log_fd = fd;
	written = 0;
}

static size_t format_prefix(char *buf, size_t cap, int stream)
{
	static bool tz_ready;
	if (!tz_ready) {
		tzset();
		tz_ready = true;
	}
	struct timespec ts = {0};
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	if (localtime_r(&ts.tv_sec, &tm) == NULL)
		memset(&tm, 0, sizeof tm);
	long off = tm.tm_gmtoff;
	char sign = '+';
	if (off < 0) {
		sign = '-';
		off = -off;
	}
	int n = snprintf(buf, cap, "%04d-%02d-%02dT%02d:%02d:%02d.%09ld%c%02ld:%02ld %s ", tm.tm_year + 1900,
			 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec, sign, off / 3600,
			 (off % 3600) / 60, stream == STREAM_STDERR ? "stderr" : "stdout");
	return n < 0 ? 0 : ((size_t)n >= cap ? cap - 1 : (size_t)n);
}

static void flush(struct iovec *iov, int *n)
{
	if (*n == 0)
		return;
	/* writev on a regular file writes everything or fails (no short writes short of ENOSPC). */
	if (writev(log_fd, iov, *n) < 0)
		pwarn("write log: %s", strerror(errno));
	*n = 0;
}

void klog_write(int stream, const char *buf, size_t len)
{
	if (log_fd < 0)
		return;
	/* One timestamp for the whole chunk: every line in it arrived at once. */
	char prefix[PREFIX_MAX];
	size_t plen = format_prefix(prefix, sizeof prefix, stream);
	struct iovec iov[IOV_BATCH];
	int n = 0;
	while (len > 0) {
		const char *nl = memchr(buf, '\n', len);
		bool partial = nl == NULL;
		size_t line_len = partial ? len : (size_t)(nl - buf) + 1;
		/* The record: prefix, tag, content, and a newline of our own for a partial chunk. */
		long long rec = (long long)(plen + 2 + line_len + (partial ? 1 : 0));
		if (max_size > 0 && written + rec > max_size && written > 0) {
			flush(iov, &n);
			truncate_log();
		}
		if (n + 4 > IOV_BATCH)
			flush(iov, &n);
		iov[n++] = (struct iovec){prefix, plen};
		iov[n++] = (struct iovec){(void *)(partial ? "P " : "F "), 2};
		iov[n++] = (struct iovec){(void *)buf, line_len};
		if (partial)
			iov[n++] = (struct iovec){(void *)"\n", 1};
		written += rec;
		buf += line_len;
		len -= line_len;
	}
	flush(iov, &n);
}

void klog_close(void)
{
	if (log_fd >= 0)
		close(log_fd);
	log_fd = -1;
}
