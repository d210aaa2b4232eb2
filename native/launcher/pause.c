#define _GNU_SOURCE
#include "pause.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

int pause_open_if_ours(pid_t pid, uid_t uid) {
  char path[32];
  snprintf(path, sizeof path, "/proc/%d", (int)pid);
  int dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return -1;
  struct stat st;
  if (fstat(dfd, &st) != 0 || st.st_uid != uid) goto no;
  int cfd = openat(dfd, "comm", O_RDONLY | O_CLOEXEC);
  if (cfd < 0) goto no;
  char comm[32];
  ssize_t n = read(cfd, comm, sizeof comm - 1);
  close(cfd);
  if (n <= 0) goto no;
  comm[n] = '\0';
  if (strcmp(comm, PAUSE_COMM "\n") != 0) goto no;
  return dfd;
no:
  close(dfd);
  return -1;
}

static char *title_start;
static size_t title_len;

void pause_set_title_area(int argc, char **argv) {
  if (argc < 1) return;
  title_start = argv[0];
  char *last = argv[argc - 1];
  title_len = (size_t)(last + strlen(last) - title_start);
}

static void set_title(void) {
  if (title_start == NULL || title_len < sizeof PAUSE_COMM - 1) return;
  memset(title_start, 0, title_len);
  memcpy(title_start, PAUSE_COMM, sizeof PAUSE_COMM - 1);
}

static void close_from(unsigned first) {
  if (close_range(first, ~0U, 0) == 0) return;
  /* Kernels before 5.9 lack close_range. */
  long max = sysconf(_SC_OPEN_MAX);
  for (long fd = first; fd < (max > 0 ? max : 1024); fd++) close((int)fd);
}

void pause_run(int report_fd) {
  if (setsid() < 0) fail("pause process: setsid: %m");
  prctl(PR_SET_NAME, PAUSE_COMM, 0, 0, 0);
  set_title();
  /* Terminals and pipes of whoever first ran berth must not reach it; SIGTERM and SIGKILL end it. */
  signal(SIGHUP, SIG_IGN);
  signal(SIGINT, SIG_IGN);
  signal(SIGPIPE, SIG_IGN);
  signal(SIGTERM, SIG_DFL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  if (chdir("/") != 0) fail("pause process: chdir /: %m");

  int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null_fd < 0) fail("pause process: open /dev/null: %m");
  /* Keep the report fd above 2 while stdio is replaced and everything else is closed. */
  int keep = fcntl(report_fd, F_DUPFD_CLOEXEC, 3);
  if (keep < 0) fail("pause process: dup: %m");
  if (dup2(null_fd, 0) < 0 || dup2(null_fd, 1) < 0 || dup2(null_fd, 2) < 0) _exit(BERTH_EXIT_ENGINE);
  if (keep > 3 && close_range(3, (unsigned)keep - 1, 0) != 0)
    for (int fd = 3; fd < keep; fd++) close(fd);
  close_from((unsigned)keep + 1);

  pid_t self = getpid();
  ssize_t w = write(keep, &self, sizeof self);
  close(keep);
  if (w != (ssize_t)sizeof self) _exit(BERTH_EXIT_ENGINE);

  for (;;) pause();
}
