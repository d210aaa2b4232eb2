#include "idmap.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"

extern char **environ;

#define ARG_LEN 24

void idmap_apply_full(const char *tool, pid_t pid, unsigned long own_id, const struct id_range *ranges,
                      int nranges) {
  static char nums[(2 + 3 * (SUBID_MAX_RANGES + 1))][ARG_LEN];
  char *argv[3 + 3 * (SUBID_MAX_RANGES + 1)];
  int argc = 0, ni = 0;
  argv[argc++] = (char *)tool;
#define PUSH_NUM(v)                                               \
  do {                                                            \
    snprintf(nums[ni], ARG_LEN, "%lu", (unsigned long)(v));       \
    argv[argc++] = nums[ni++];                                    \
  } while (0)
  PUSH_NUM(pid);
  PUSH_NUM(0);
  PUSH_NUM(own_id);
  PUSH_NUM(1);
  unsigned long inside = 1;
  for (int i = 0; i < nranges; i++) {
    PUSH_NUM(inside);
    PUSH_NUM(ranges[i].start);
    PUSH_NUM(ranges[i].count);
    inside += ranges[i].count;
  }
#undef PUSH_NUM
  argv[argc] = NULL;

  char cmdline[sizeof nums + 64];
  size_t off = 0;
  for (int i = 0; i < argc && off < sizeof cmdline; i++)
    off += (size_t)snprintf(cmdline + off, sizeof cmdline - off, i ? " %s" : "%s", argv[i]);

  pid_t helper;
  int err = posix_spawnp(&helper, tool, NULL, NULL, argv, environ);
  /* PATH may lack the sbin/bin dir that holds the helper (cron, minimal environments). */
  const char *fallbacks[] = {"/usr/bin/", "/usr/sbin/", "/bin/"};
  for (size_t i = 0; err == ENOENT && i < sizeof fallbacks / sizeof fallbacks[0]; i++) {
    char path[64];
    snprintf(path, sizeof path, "%s%s", fallbacks[i], tool);
    err = posix_spawn(&helper, path, NULL, NULL, argv, environ);
  }
  if (err == ENOENT) fail("%s: not found in PATH, /usr/bin or /usr/sbin (install the uidmap package)", tool);
  if (err != 0) fail("%s: %s", cmdline, strerror(err));

  int status;
  while (waitpid(helper, &status, 0) < 0)
    if (errno != EINTR) fail("%s: wait: %m", cmdline);
  if (WIFSIGNALED(status)) fail("%s: killed by signal %d", cmdline, WTERMSIG(status));
  if (WEXITSTATUS(status) != 0) fail("%s: exit status %d", cmdline, WEXITSTATUS(status));
  debugf("%s: ok", cmdline);
}

static void write_proc(pid_t pid, const char *file, const char *text) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, file);
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) fail("open %s: %m", path);
  size_t len = strlen(text);
  if (write(fd, text, len) != (ssize_t)len) {
    int e = errno;
    close(fd);
    errno = e;
    fail("write \"%.*s\" to %s: %m", (int)(len ? len - 1 : 0), text, path);
  }
  close(fd);
}

void idmap_apply_single(pid_t pid, uid_t uid, gid_t gid) {
  char line[48];
  snprintf(line, sizeof line, "0 %u 1\n", (unsigned)uid);
  write_proc(pid, "uid_map", line);
  write_proc(pid, "setgroups", "deny\n");
  snprintf(line, sizeof line, "0 %u 1\n", (unsigned)gid);
  write_proc(pid, "gid_map", line);
}
