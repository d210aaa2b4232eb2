#define _GNU_SOURCE
#include "userns.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "idmap.h"
#include "log.h"
#include "pause.h"
#include "subid.h"

#define SYNC_UNSHARED 'U'
#define SYNC_MAPPED 'M'

int userns_join(int proc_dfd, bool *full) {
  int user_fd = openat(proc_dfd, "ns/user", O_RDONLY | O_CLOEXEC);
  if (user_fd < 0) return -1;
  int mnt_fd = openat(proc_dfd, "ns/mnt", O_RDONLY | O_CLOEXEC);
  if (mnt_fd < 0) {
    close(user_fd);
    return -1;
  }
  int map_fd = openat(proc_dfd, "uid_map", O_RDONLY | O_CLOEXEC);
  if (map_fd < 0) {
    close(user_fd);
    close(mnt_fd);
    return -1;
  }
  char map[256];
  ssize_t n = read(map_fd, map, sizeof map);
  close(map_fd);
  int lines = 0;
  for (ssize_t i = 0; i < n; i++) lines += map[i] == '\n';
  *full = lines > 1;

  /* User first: joining it grants the capabilities that setns(CLONE_NEWNS) checks. */
  if (setns(user_fd, CLONE_NEWUSER) != 0) fail("join the user namespace of the pause process: %m");
  if (setns(mnt_fd, CLONE_NEWNS) != 0) fail("join the mount namespace of the pause process: %m");
  close(user_fd);
  close(mnt_fd);
  return 0;
}

/* Reads exactly `len` bytes; false on EOF or error. */
static bool read_full(int fd, void *buf, size_t len) {
  size_t got = 0;
  while (got < len) {
    ssize_t n = read(fd, (char *)buf + got, len - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    got += (size_t)n;
  }
  return true;
}

/* The forked helper: unshares, waits to be mapped, becomes root inside, then forks the pause
 * process and exits so that the pause process is nobody's child (init or a subreaper reaps it). */
static void helper_main(int to_parent, int from_parent) __attribute__((noreturn));
static void helper_main(int to_parent, int from_parent) {
  if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0) fail("unshare(CLONE_NEWUSER|CLONE_NEWNS): %m");
  char c = SYNC_UNSHARED;
  if (write(to_parent, &c, 1) != 1) _exit(BERTH_EXIT_ENGINE);
  /* EOF: the parent failed to map us and has already said why. */
  if (!read_full(from_parent, &c, 1) || c != SYNC_MAPPED) _exit(BERTH_EXIT_ENGINE);
  close(from_parent);

  if (setresgid(0, 0, 0) != 0) fail("setresgid(0) in the new user namespace: %m");
  if (setresuid(0, 0, 0) != 0) fail("setresuid(0) in the new user namespace: %m");
  /* Mounts made by berth inside must not propagate back; host mounts still reach us. */
  if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) != 0) fail("make / a recursive slave mount: %m");

  pid_t pause_pid = fork();
  if (pause_pid < 0) fail("fork the pause process: %m");
  if (pause_pid == 0) pause_run(to_parent);
  _exit(0);
}

static const char *user_name(uid_t uid, char *fallback, size_t len) {
  struct passwd *pw = getpwuid(uid);
  if (pw != NULL && pw->pw_name != NULL) return pw->pw_name;
  snprintf(fallback, len, "%u", (unsigned)uid);
  return fallback;
}

/* A pipe made while stdin/stdout/stderr are closed would land on 0-2, where the pause process
 * puts /dev/null: make sure those slots are taken first. */
static void ensure_stdio(void) {
  for (int fd = 0; fd < 3; fd++) {
    if (fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    int nfd = open("/dev/null", O_RDWR);
    if (nfd < 0) fail("open /dev/null: %m");
    if (nfd != fd) {
      dup2(nfd, fd);
      close(nfd);
    }
  }
}

pid_t userns_create(uid_t uid, gid_t gid, bool *full) {
  ensure_stdio();
  char name_buf[24];
  const char *name = user_name(uid, name_buf, sizeof name_buf);
  static struct id_range uid_ranges[SUBID_MAX_RANGES], gid_ranges[SUBID_MAX_RANGES];
  int nuid = subid_read("/etc/subuid", name, uid, uid_ranges, SUBID_MAX_RANGES);
  int ngid = subid_read("/etc/subgid", name, uid, gid_ranges, SUBID_MAX_RANGES);
  *full = nuid > 0 && ngid > 0;
  if (!*full) {
    const char *where = nuid == 0 && ngid == 0 ? "/etc/subuid and /etc/subgid"
                        : nuid == 0           ? "/etc/subuid"
                                              : "/etc/subgid";
    warnf("no subuid/subgid range for user %s in %s: using a single-id mapping, so images with files "
          "owned by other users cannot be used; fix: sudo usermod --add-subuids 100000-165535 "
          "--add-subgids 100000-165535 %s",
          name, where, name);
  }

  int up[2], down[2];
  if (pipe2(up, O_CLOEXEC) != 0 || pipe2(down, O_CLOEXEC) != 0) fail("pipe: %m");
  pid_t helper = fork();
  if (helper < 0) fail("fork: %m");
  if (helper == 0) {
    close(up[0]);
    close(down[1]);
    helper_main(up[1], down[0]);
  }
  close(up[1]);
  close(down[0]);

  char c;
  if (!read_full(up[0], &c, 1) || c != SYNC_UNSHARED) {
    /* The helper printed its own error; only a crash leaves us to explain. */
    int status = 0;
    waitpid(helper, &status, 0);
    if (WIFSIGNALED(status)) fail("namespace helper: killed by signal %d", WTERMSIG(status));
    _exit(BERTH_EXIT_ENGINE);
  }
  if (*full) {
    idmap_apply_full("newuidmap", helper, uid, uid_ranges, nuid);
    idmap_apply_full("newgidmap", helper, gid, gid_ranges, ngid);
  } else {
    idmap_apply_single(helper, uid, gid);
  }
  c = SYNC_MAPPED;
  if (write(down[1], &c, 1) != 1) fail("namespace helper: sync: %m");
  close(down[1]);

  pid_t pause_pid;
  bool got = read_full(up[0], &pause_pid, sizeof pause_pid);
  close(up[0]);
  int status = 0;
  while (waitpid(helper, &status, 0) < 0 && errno == EINTR) {
  }
  if (!got) {
    if (WIFSIGNALED(status)) fail("namespace helper: killed by signal %d", WTERMSIG(status));
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
      fail("pause process: exited before reporting its pid");
    _exit(BERTH_EXIT_ENGINE);
  }
  debugf("created pause process %d (%s mapping)", (int)pause_pid, *full ? "full" : "single");
  return pause_pid;
}
