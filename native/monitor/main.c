/* berth-monitor: one per container. Detaches from the CLI, runs `runtime create` (and `start`), holds
   the container's stdio, writes the log, serves the attach socket and the control fifo, and records
   the exit code when the container's init process ends. See the headers for each part. */
#define _GNU_SOURCE
#include "attach.h"
#include "ctl.h"
#include "ctr_exit.h"
#include "ctr_io.h"
#include "k8s_log.h"
#include "loop.h"
#include "msg.h"
#include "oom.h"
#include "opts.h"
#include "runtime.h"
#include "sync.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>

static pid_t container_pid = -1;
static bool container_exited;
static int container_status;

static void usage(void)
{
	fputs("usage: berth-monitor --cid ID --bundle DIR --runtime PATH [--runtime-arg ARG]... --runtime-root DIR\n"
	      "  --log-path FILE [--log-size-max BYTES] --exit-dir DIR --persist-dir DIR\n"
	      "  [--terminal] [--stdin] [--leave-stdin-open] [--start] --sync-fd N\n"
	      "  [--exit-command PATH [--exit-command-arg ARG]...] [--exit-delay SECS] [--log-level debug]\n",
	      stderr);
}

/* Everything the CLI may have left open, except the sync pipe, must not reach the runtime. */
static void cloexec_inherited_fds(int keep)
{
	DIR *d = opendir("/proc/self/fd");
	if (d == NULL)
		return;
	int self = dirfd(d);
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		int fd = atoi(e->d_name);
		if (e->d_name[0] == '.' || fd <= 2 || fd == keep || fd == self)
			continue;
		fcntl(fd, F_SETFD, FD_CLOEXEC);
	}
	closedir(d);
}

/* Fork twice with a setsid in between: the CLI's child exits at once, the monitor is in a session
   of its own and, not being its leader, can never acquire a controlling terminal. */
static void detach(void)
{
	pid_t pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid > 0)
		_exit(0);
	if (setsid() < 0)
		die("setsid: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid > 0)
		_exit(0);
}

static int open_null_stdio(void)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die("open /dev/null: %s", strerror(errno));
	for (int t = 0; t < 3; t++)
		dup2(fd, t);
	return fd;
}

static void write_pid_file(const struct opts *o)
{
	char text[16];
	int n = snprintf(text, sizeof text, "%d", (int)getpid());
	_cleanup_free_ char *path = path_join(o->persist_dir, "monitor.pid");
	if (write_file_atomic(path, text, (size_t)n) < 0)
		die("write %s: %s", path, strerror(errno));
}

static pid_t read_container_pid(const char *pid_file)
{
	char buf[32];
	if (read_small_file(pid_file, buf, sizeof buf) < 0)
		return -1;
	long v = strtol(buf, NULL, 10);
	return v > 0 ? (pid_t)v : -1;
}

static void reap_children(void)
{
	for (;;) {
		int status;
		pid_t pid = waitpid(-1, &status, WNOHANG);
		if (pid <= 0)
			return;
		if (pid == container_pid) {
			container_exited = true;
			container_status = status;
			pdebug("container process %d ended, status 0x%x", (int)pid, status);
		} else {
			pdebug("reaped process %d", (int)pid);
		}
	}
}

static void on_signal(int fd, uint32_t events, void *data)
{
	(void)events;
	(void)data;
	struct signalfd_siginfo si;
	while (read(fd, &si, sizeof si) == (ssize_t)sizeof si) {
		if (si.ssi_signo == SIGCHLD)
			reap_children();
	}
}

static void die_runtime(const char *what, int status, int stderr_fd)
{
	char err[4096];
	read_trimmed(stderr_fd, err, sizeof err);
	if (err[0] == '\0')
		snprintf(err, sizeof err, "%s failed with exit code %d", what, exit_code_from_status(status));
	die("%s", err);
}

static void run_start(const struct opts *o, int devnull)
{
	int errpipe[2];
	if (pipe2(errpipe, O_CLOEXEC) < 0)
		die("pipe: %s", strerror(errno));
	const char *args[] = {"start", o->cid, NULL};
	pid_t pid = runtime_spawn(o, args, devnull, devnull, errpipe[1]);
	close(errpipe[1]);
	if (pid < 0)
		die("start container: %s", strerror(errno));
	int status = runtime_wait(pid);
	if (status != 0)
		die_runtime("runtime start", status, errpipe[0]);
	close(errpipe[0]);
}

int main(int argc, char **argv)
{
	struct opts o;
	char err[512];
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			usage();
			return 0;
		}
	}
	if (opts_parse(argc, argv, &o, err, sizeof err) < 0) {
		fprintf(stderr, "berth-monitor: %s\n", err);
		usage();
		return 1;
	}
	if (fcntl(o.sync_fd, F_GETFD) < 0) {
		fprintf(stderr, "berth-monitor: --sync-fd %d is not open\n", o.sync_fd);
		return 1;
	}
	fcntl(o.sync_fd, F_SETFD, FD_CLOEXEC);
	sync_init(o.sync_fd);
	msg_set_debug(o.debug);
	umask(022);
	cloexec_inherited_fds(o.sync_fd);

	if (mkdir(o.persist_dir, 0700) < 0 && errno != EEXIST)
		die("create %s: %s", o.persist_dir, strerror(errno));
	_cleanup_free_ char *diag = path_join(o.persist_dir, "monitor.log");
	msg_set_file(diag);

	/* The monitor outlives the CLI and must not die of the CLI's terminal or of a stop request:
	   stopping goes through the runtime's kill. */
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);

	detach();
	int devnull = open_null_stdio();
	if (chdir("/") < 0)
		die("chdir /: %s", strerror(errno));
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		die("become a subreaper: %s", strerror(errno));
	write_pid_file(&o);

	if (loop_init() < 0)
		die("epoll: %s", strerror(errno));
	int sfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0 || loop_add(sfd, EPOLLIN, on_signal, NULL) < 0)
		die("signalfd: %s", strerror(errno));

	/* The container's stdio. stderr is a pipe even with a terminal: that is where the runtime's own
	   error messages arrive while it creates the container. */
	int outp[2] = {-1, -1}, errp[2], inp[2] = {-1, -1};
	if (pipe2(errp, O_CLOEXEC) < 0)
		die("pipe: %s", strerror(errno));
	int console_fd = -1;
	_cleanup_free_ char *console_path = NULL;
	if (o.terminal) {
		console_fd = console_socket_open(o.persist_dir, &console_path);
		if (console_fd < 0)
			die("create console socket: %s", strerror(errno));
	} else {
		if (pipe2(outp, O_CLOEXEC) < 0)
			die("pipe: %s", strerror(errno));
		if (o.stdin_open && pipe2(inp, O_CLOEXEC) < 0)
			die("pipe: %s", strerror(errno));
	}

	_cleanup_free_ char *pid_file = path_join(o.persist_dir, "pidfile");
	unlink(pid_file);
	const char *create_args[] = {"create", "--bundle", o.bundle, "--pid-file", pid_file, NULL, NULL, NULL, NULL};
	size_t na = 5;
	if (o.terminal) {
		create_args[na++] = "--console-socket";
		create_args[na++] = console_path;
	}
	create_args[na++] = o.cid;
	pid_t create_pid = runtime_spawn(&o, create_args, inp[0] >= 0 ? inp[0] : devnull,
					 outp[1] >= 0 ? outp[1] : devnull, errp[1]);
	if (create_pid < 0)
		die("run runtime: %s", strerror(errno));
	/* Only the container keeps the other ends now. */
	if (inp[0] >= 0)
		close(inp[0]);
	if (outp[1] >= 0)
		close(outp[1]);
	close(errp[1]);
	int status = runtime_wait(create_pid);
	if (status != 0)
		die_runtime("runtime create", status, errp[0]);

	int out_fd = outp[0], in_fd = inp[1];
	if (o.terminal) {
		int master = console_socket_take_master(console_fd);
		close(console_fd);
		unlink(console_path);
		if (strncmp(console_path, o.persist_dir, strlen(o.persist_dir)) != 0)
			rmdir(dirname(console_path));
		if (master < 0)
			die("the runtime did not send the container's terminal");
		out_fd = master;
		in_fd = o.stdin_open ? fcntl(master, F_DUPFD_CLOEXEC, 3) : -1;
	}

	container_pid = read_container_pid(pid_file);
	if (container_pid < 0)
		die("read the container's pid from %s: %s", pid_file, strerror(errno));
	pdebug("container %s has pid %d", o.cid, (int)container_pid);

	if (klog_open(o.log_path, o.log_size_max) < 0)
		die("open log %s: %s", o.log_path, strerror(errno));
	io_init(out_fd, errp[0], in_fd, o.terminal, o.leave_stdin_open);
	if (attach_open(o.persist_dir) < 0)
		die("create attach socket: %s", strerror(errno));
	if (ctl_open(o.persist_dir) < 0)
		die("create control fifo: %s", strerror(errno));
	oom_watch(container_pid);

	if (o.start)
		run_start(&o, devnull);
	sync_send_pid(container_pid);

	reap_children();
	while (!container_exited)
		loop_run_once(-1);

	io_drain();
	klog_close();
	int code = exit_code_from_status(container_status);
	if (oom_seen()) {
		_cleanup_free_ char *oom_path = path_join(o.persist_dir, "oom");
		if (write_file_atomic(oom_path, "", 0) < 0)
			pwarn("write %s: %s", oom_path, strerror(errno));
	}
	exit_record(&o, code);
	pdebug("container %s exited with code %d", o.cid, code);
	/* After the exit file exists, so a client told the code finds the container's state settled. */
	attach_finish(code);
	/* Anything else the container left (a process outside its pid namespace) is ours to reap. */
	reap_children();
	exit_run_command(&o);
	return 0;
}
