#include "rundir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

void rundir_path(char *buf, size_t len, uid_t uid) {
  const char *xdg = getenv("XDG_RUNTIME_DIR");
  int n = (xdg != NULL && xdg[0] != '\0') ? snprintf(buf, len, "%s/berth", xdg)
                                          : snprintf(buf, len, "/tmp/berth-%u", (unsigned)uid);
  /* Room is kept for "/pause.pid.tmp" so later joins need no checks of their own. */
  if (n < 0 || (size_t)n + 16 >= len) fail("runtime directory: path too long: %s", xdg);
}

bool rundir_usable(const char *dir, uid_t uid) {
  struct stat st;
  return lstat(dir, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == uid;
}

void rundir_ensure(const char *dir, uid_t uid) {
  if (mkdir(dir, 0700) != 0 && errno == ENOENT) {
    /* $XDG_RUNTIME_DIR itself is missing (a test or a bare su session): make that one level too. */
    char parent[4096];
    snprintf(parent, sizeof parent, "%s", dir);
    char *slash = strrchr(parent, '/');
    if (slash != NULL && slash != parent) {
      *slash = '\0';
      if (mkdir(parent, 0700) != 0 && errno != EEXIST) fail("create runtime directory %s: %m", parent);
    }
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) fail("create runtime directory %s: %m", dir);
  }
  struct stat st;
  if (lstat(dir, &st) != 0) fail("runtime directory %s: %m", dir);
  if (S_ISLNK(st.st_mode)) fail("runtime directory %s: is a symbolic link, refusing to use it", dir);
  if (!S_ISDIR(st.st_mode)) fail("runtime directory %s: not a directory", dir);
  if (st.st_uid != uid)
    fail("runtime directory %s: owned by uid %u, not by us (uid %u)", dir, (unsigned)st.st_uid, (unsigned)uid);
}

pid_t pidfile_read(const char *dir) {
  char path[4096 + 16];
  snprintf(path, sizeof path, "%s/pause.pid", dir);
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return 0;
  char buf[32];
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return 0;
  buf[n] = '\0';
  char *end;
  long pid = strtol(buf, &end, 10);
  if (end == buf || (*end != '\n' && *end != '\0') || pid <= 1 || pid > 0x3fffffff) return 0;
  return (pid_t)pid;
}

void pidfile_write(const char *dir, pid_t pid) {
  char tmp[4096 + 32], path[4096 + 16];
  snprintf(tmp, sizeof tmp, "%s/pause.pid.tmp", dir);
  snprintf(path, sizeof path, "%s/pause.pid", dir);
  /* A fixed temp name is safe: only the holder of pause.lock writes it. */
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) fail("write %s: %m", tmp);
  char buf[32];
  int len = snprintf(buf, sizeof buf, "%d\n", (int)pid);
  if (write(fd, buf, (size_t)len) != len) {
    int e = errno;
    close(fd);
    unlink(tmp);
    errno = e;
    fail("write %s: %m", tmp);
  }
  if (close(fd) != 0) fail("write %s: %m", tmp);
  if (rename(tmp, path) != 0) fail("rename %s to %s: %m", tmp, path);
}

int rundir_lock(const char *dir) {
  char path[4096 + 16];
  snprintf(path, sizeof path, "%s/pause.lock", dir);
  int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) fail("open %s: %m", path);
  while (flock(fd, LOCK_EX) != 0)
    if (errno != EINTR) fail("lock %s: %m", path);
  return fd;
}
