/* berth-ns PROGRAM [ARGS...]: run PROGRAM inside berth's rootless user + mount namespaces.
 *
 * Node is multi-threaded and the kernel refuses unshare(CLONE_NEWUSER) to such a process, so this
 * small program enters (or first creates) the namespaces and then execs node. The namespaces are
 * kept alive by a pause process whose pid is in <runtime dir>/pause.pid. Joining is the hot path
 * of every berth command: a few syscalls, no fork, no shell. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "pause.h"
#include "rundir.h"
#include "userns.h"

/* True when this process is in the initial user namespace (uid_map is the identity map). */
static bool in_initial_userns(void) {
  int fd = open("/proc/self/uid_map", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return true;
  char buf[128];
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return true;
  buf[n] = '\0';
  unsigned long inside, outside, count;
  return sscanf(buf, "%lu %lu %lu", &inside, &outside, &count) == 3 && inside == 0 && outside == 0 &&
         count == 4294967295UL;
}

static void set_env_num(const char *name, long value) {
  char buf[24];
  snprintf(buf, sizeof buf, "%ld", value);
  if (setenv(name, buf, 1) != 0) fail("setenv %s: %m", name);
}

/* Node 20 takes --env-file from anywhere in its argv, even after the script, so berth's own
 * `run --env-file F` would be read (and refused) by node itself. When node is the program and
 * such an argument follows the script, the arguments after the script travel in
 * BERTH_ARGV_HEX instead (each hex-encoded, comma-separated), and node gets none. */
static void hide_args_from_node(char **argv) {
  const char *base = strrchr(argv[0], '/');
  base = base ? base + 1 : argv[0];
  if (strcmp(base, "node") != 0 || argv[1] == NULL) return;
  size_t len = 1;
  bool needed = false;
  for (char **a = argv + 2; *a; a++) {
    if (strncmp(*a, "--env-file", 10) == 0) needed = true;
    len += 2 * strlen(*a) + 1;
  }
  if (!needed) return;
  char *hex = malloc(len);
  if (!hex) fail("encoding arguments: out of memory");
  static const char digits[] = "0123456789abcdef";
  char *out = hex;
  for (char **a = argv + 2; *a; a++) {
    if (a != argv + 2) *out++ = ',';
    for (const unsigned char *c = (const unsigned char *)*a; *c; c++) {
      *out++ = digits[*c >> 4];
      *out++ = digits[*c & 15];
    }
  }
  *out = '\0';
  if (setenv("BERTH_ARGV_HEX", hex, 1) != 0) fail("setenv BERTH_ARGV_HEX: %m");
  free(hex);
  argv[2] = NULL;
}

static void exec_program(char **argv) __attribute__((noreturn));
static void exec_program(char **argv) {
  hide_args_from_node(argv);
  execvp(argv[0], argv);
  fail("exec %s: %m", argv[0]);
}

/* Joins the pause process named in the pid file, if it is alive and ours. */
static bool try_join(const char *dir, uid_t uid, pid_t *pid, bool *full) {
  *pid = pidfile_read(dir);
  if (*pid == 0) return false;
  int dfd = pause_open_if_ours(*pid, uid);
  if (dfd < 0) return false;
  int rc = userns_join(dfd, full);
  close(dfd);
  return rc == 0;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "Usage: berth-ns PROGRAM [ARGS...]\n");
    return BERTH_EXIT_ENGINE;
  }
  const char *debug = getenv("BERTH_LAUNCHER_DEBUG");
  log_debug_enabled = debug != NULL && strcmp(debug, "1") == 0;
  if (log_debug_enabled) log_start_clock();

  uid_t uid = getuid();
  gid_t gid = getgid();
  pause_set_title_area(argc, argv);
  if (uid == 0) {
    /* Root inside our own namespace is a nested call (the monitor's exit command runs berth
     * again): the outer launcher's BERTH_* variables are the truth, keep them. */
    if (getenv("BERTH_HOST_UID") != NULL && !in_initial_userns()) {
      debugf("already inside berth's namespaces");
      exec_program(argv + 1);
    }
    if (setenv("BERTH_HOST_UID", "0", 1) != 0 || setenv("BERTH_HOST_GID", "0", 1) != 0) fail("setenv: %m");
    exec_program(argv + 1);
  }

  char dir[4096];
  rundir_path(dir, sizeof dir, uid);
  char cwd[PATH_MAX];
  if (getcwd(cwd, sizeof cwd) == NULL) cwd[0] = '\0';

  pid_t pause_pid;
  bool full = false;
  const char *how = "joined";
  if (!(rundir_usable(dir, uid) && try_join(dir, uid, &pause_pid, &full))) {
    rundir_ensure(dir, uid);
    int lock_fd = rundir_lock(dir);
    /* Another launcher may have created the namespaces while we waited for the lock. */
    if (!try_join(dir, uid, &pause_pid, &full)) {
      pause_pid = userns_create(uid, gid, &full);
      pidfile_write(dir, pause_pid);
      int dfd = pause_open_if_ours(pause_pid, uid);
      if (dfd < 0 || userns_join(dfd, &full) != 0) fail("join the new pause process %d: it is gone", (int)pause_pid);
      close(dfd);
      how = "created";
    } else {
      how = "joined (after waiting for the lock)";
    }
    close(lock_fd);
  }

  /* Joining the mount namespace moved us to its root directory. */
  if (cwd[0] != '\0' && chdir(cwd) != 0) fail("change back to the working directory %s: %m", cwd);
  set_env_num("BERTH_HOST_UID", (long)uid);
  set_env_num("BERTH_HOST_GID", (long)gid);
  set_env_num("BERTH_PAUSE_PID", (long)pause_pid);
  if (setenv("BERTH_USERNS", full ? "full" : "single", 1) != 0) fail("setenv BERTH_USERNS: %m");
  debugf("%s pause process %d (%s mapping) in %.3f ms", how, (int)pause_pid, full ? "full" : "single",
         log_elapsed_ms());
  exec_program(argv + 1);
}
