import { BerthError, errorMessage } from '../util/errors.js';
import type { OciSeccomp, OciSeccompArg, OciSeccompSyscall } from './oci.js';

/**
 * Seccomp profiles in Docker's format (what `--security-opt seccomp=file.json` takes, and
 * how Moby writes its default) and their conversion to the OCI form for one host: rules whose
 * `includes`/`excludes` name capabilities or architectures are kept or left out here, as
 * Docker does when it builds a container's spec.
 */

interface Filter {
  caps?: string[];
  arches?: string[];
  minKernel?: string;
}

export interface DockerSyscallRule {
  name?: string;
  names?: string[];
  action: string;
  errnoRet?: number;
  args?: OciSeccompArg[] | null;
  includes?: Filter;
  excludes?: Filter;
  comment?: string;
}

export interface DockerSeccompProfile {
  defaultAction: string;
  defaultErrnoRet?: number;
  architectures?: string[];
  archMap?: { architecture: string; subArchitectures?: string[] }[];
  flags?: string[];
  syscalls?: DockerSyscallRule[];
}

export interface SeccompContext {
  /** The container's capabilities (CAP_ names): rules may depend on them. */
  capabilities: readonly string[];
  /** Go's name for the host architecture: amd64, arm64, 386, arm, ... (see goArch). */
  arch: string;
  /** Host kernel `major.minor`; when unknown, `minKernel` conditions count as met. */
  kernel?: string;
}

const ACTIONS = new Set([
  'SCMP_ACT_KILL',
  'SCMP_ACT_KILL_PROCESS',
  'SCMP_ACT_KILL_THREAD',
  'SCMP_ACT_TRAP',
  'SCMP_ACT_ERRNO',
  'SCMP_ACT_TRACE',
  'SCMP_ACT_ALLOW',
  'SCMP_ACT_LOG',
  'SCMP_ACT_NOTIFY',
]);

/** libseccomp's architecture for each Go architecture, with the ones its kernel also runs. */
const NATIVE_ARCHES: Record<string, string[]> = {
  amd64: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'],
  '386': ['SCMP_ARCH_X86'],
  arm64: ['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM'],
  arm: ['SCMP_ARCH_ARM'],
  ppc64le: ['SCMP_ARCH_PPC64LE'],
  s390x: ['SCMP_ARCH_S390X', 'SCMP_ARCH_S390'],
  riscv64: ['SCMP_ARCH_RISCV64'],
};

/** Node's `process.arch` in Go's spelling, which profiles' `includes.arches` use. */
export function goArch(nodeArch: string): string {
  const map: Record<string, string> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm' };
  return map[nodeArch] ?? nodeArch;
}

const EPERM = 1;
const ENOSYS = 38;
/** CLONE_NEWNS|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET|NEWCGROUP: clone may not make namespaces. */
const CLONE_NAMESPACE_FLAGS = 0x7e020000;
const AF_VSOCK = 40;

const words = (s: string): string[] => s.trim().split(/\s+/);

/** Syscalls every container may make (Moby's default allow-list). */
const ALLOWED = `
  accept accept4 access adjtimex alarm bind brk capget capset chdir chmod chown chown32
  clock_adjtime clock_adjtime64 clock_getres clock_getres_time64 clock_gettime clock_gettime64
  clock_nanosleep clock_nanosleep_time64 close close_range connect copy_file_range creat dup dup2
  dup3 epoll_create epoll_create1 epoll_ctl epoll_ctl_old epoll_pwait epoll_pwait2 epoll_wait
  epoll_wait_old eventfd eventfd2 execve execveat exit exit_group faccessat faccessat2 fadvise64
  fadvise64_64 fallocate fanotify_mark fchdir fchmod fchmodat fchown fchown32 fchownat fcntl
  fcntl64 fdatasync fgetxattr flistxattr flock fork fremovexattr fsetxattr fstat fstat64
  fstatat64 fstatfs fstatfs64 fsync ftruncate ftruncate64 futex futex_time64 futex_waitv
  futimesat getcpu getcwd getdents getdents64 getegid getegid32 geteuid geteuid32 getgid
  getgid32 getgroups getgroups32 getitimer getpeername getpgid getpgrp getpid getppid
  getpriority getrandom getresgid getresgid32 getresuid getresuid32 getrlimit get_robust_list
  getrusage getsid getsockname getsockopt get_thread_area gettid gettimeofday getuid getuid32
  getxattr inotify_add_watch inotify_init inotify_init1 inotify_rm_watch io_cancel ioctl
  io_destroy io_getevents io_pgetevents io_pgetevents_time64 ioprio_get ioprio_set io_setup
  io_submit io_uring_enter io_uring_register io_uring_setup ipc kill landlock_add_rule
  landlock_create_ruleset landlock_restrict_self lchown lchown32 lgetxattr link linkat listen
  listxattr llistxattr _llseek lremovexattr lseek lsetxattr lstat lstat64 madvise membarrier
  memfd_create memfd_secret mincore mkdir mkdirat mknod mknodat mlock mlock2 mlockall mmap mmap2
  mprotect mq_getsetattr mq_notify mq_open mq_timedreceive mq_timedreceive_time64 mq_timedsend
  mq_timedsend_time64 mq_unlink mremap msgctl msgget msgrcv msgsnd msync munlock munlockall
  munmap name_to_handle_at nanosleep newfstatat _newselect open openat openat2 pause pidfd_open
  pidfd_send_signal pipe pipe2 pkey_alloc pkey_free pkey_mprotect poll ppoll ppoll_time64 prctl
  pread64 preadv preadv2 prlimit64 process_mrelease pselect6 pselect6_time64 pwrite64 pwritev
  pwritev2 read readahead readlink readlinkat readv recv recvfrom recvmmsg recvmmsg_time64
  recvmsg remap_file_pages removexattr rename renameat renameat2 restart_syscall rmdir rseq
  rt_sigaction rt_sigpending rt_sigprocmask rt_sigqueueinfo rt_sigreturn rt_sigsuspend
  rt_sigtimedwait rt_sigtimedwait_time64 rt_tgsigqueueinfo sched_getaffinity sched_getattr
  sched_getparam sched_get_priority_max sched_get_priority_min sched_getscheduler
  sched_rr_get_interval sched_rr_get_interval_time64 sched_setaffinity sched_setattr
  sched_setparam sched_setscheduler sched_yield seccomp select semctl semget semop semtimedop
  semtimedop_time64 send sendfile sendfile64 sendmmsg sendmsg sendto setfsgid setfsgid32 setfsuid
  setfsuid32 setgid setgid32 setgroups setgroups32 setitimer setpgid setpriority setregid
  setregid32 setresgid setresgid32 setresuid setresuid32 setreuid setreuid32 setrlimit
  set_robust_list setsid setsockopt set_thread_area set_tid_address setuid setuid32 setxattr
  shmat shmctl shmdt shmget shutdown sigaltstack signalfd signalfd4 sigprocmask sigreturn
  socketcall socketpair splice stat stat64 statfs statfs64 statx symlink symlinkat sync
  sync_file_range syncfs sysinfo tee tgkill time timer_create timer_delete timer_getoverrun
  timer_gettime timer_gettime64 timer_settime timer_settime64 timerfd_create timerfd_gettime
  timerfd_gettime64 timerfd_settime timerfd_settime64 times tkill truncate truncate64 ugetrlimit
  umask uname unlink unlinkat utime utimensat utimensat_time64 utimes vfork vmsplice wait4
  waitid waitpid write writev
`;

/** Syscalls allowed only with a capability (Moby's default profile's `includes.caps` rules). */
const BY_CAPABILITY: [string, string][] = [
  ['CAP_DAC_READ_SEARCH', 'open_by_handle_at'],
  [
    'CAP_SYS_ADMIN',
    `bpf clone clone3 fanotify_init fsconfig fsmount fsopen fspick lookup_dcookie mount mount_setattr
     move_mount open_tree perf_event_open quotactl quotactl_fd setdomainname sethostname setns syslog
     umount umount2 unshare`,
  ],
  ['CAP_SYS_BOOT', 'reboot'],
  ['CAP_SYS_CHROOT', 'chroot'],
  ['CAP_SYS_MODULE', 'delete_module init_module finit_module'],
  ['CAP_SYS_PACCT', 'acct'],
  ['CAP_SYS_PTRACE', 'kcmp pidfd_getfd process_madvise process_vm_readv process_vm_writev ptrace'],
  ['CAP_SYS_RAWIO', 'iopl ioperm'],
  ['CAP_SYS_TIME', 'settimeofday stime clock_settime clock_settime64'],
  ['CAP_SYS_TTY_CONFIG', 'vhangup'],
  ['CAP_SYS_NICE', 'get_mempolicy mbind set_mempolicy set_mempolicy_home_node'],
  ['CAP_SYSLOG', 'syslog'],
  ['CAP_BPF', 'bpf'],
  ['CAP_PERFMON', 'perf_event_open'],
];

const allow = (names: string[], extra: Partial<DockerSyscallRule> = {}): DockerSyscallRule => ({
  names,
  action: 'SCMP_ACT_ALLOW',
  ...extra,
});

let defaultProfile: DockerSeccompProfile | undefined;

/** A compact rendition of Moby's default profile, in Docker's format. Built on first use. */
export function defaultSeccompProfile(): DockerSeccompProfile {
  if (defaultProfile) return defaultProfile;
  const personality = [0x0, 0x0008, 0x20000, 0x20008, 0xffffffff].map((value) =>
    allow(['personality'], { args: [{ index: 0, value, valueTwo: 0, op: 'SCMP_CMP_EQ' }] }),
  );
  defaultProfile = {
    defaultAction: 'SCMP_ACT_ERRNO',
    defaultErrnoRet: EPERM,
    archMap: [
      { architecture: 'SCMP_ARCH_X86_64', subArchitectures: ['SCMP_ARCH_X86', 'SCMP_ARCH_X32'] },
      { architecture: 'SCMP_ARCH_AARCH64', subArchitectures: ['SCMP_ARCH_ARM'] },
    ],
    syscalls: [
      allow(words(ALLOWED)),
      allow(['process_vm_readv', 'process_vm_writev', 'ptrace'], { includes: { minKernel: '4.8' } }),
      allow(['socket'], { args: [{ index: 0, value: AF_VSOCK, valueTwo: 0, op: 'SCMP_CMP_NE' }] }),
      ...personality,
      allow(words('arm_fadvise64_64 arm_sync_file_range sync_file_range2 breakpoint cacheflush set_tls'), {
        includes: { arches: ['arm', 'arm64'] },
      }),
      allow(['arch_prctl'], { includes: { arches: ['amd64', 'x32'] } }),
      allow(['modify_ldt'], { includes: { arches: ['amd64', 'x32', 'x86'] } }),
      ...BY_CAPABILITY.map(([cap, names]) => allow(words(names), { includes: { caps: [cap] } })),
      // Without CAP_SYS_ADMIN, clone may not create namespaces; clone3's flags live in memory
      // seccomp cannot read, so it fails with ENOSYS and libc falls back to clone.
      allow(['clone'], {
        args: [{ index: 0, value: CLONE_NAMESPACE_FLAGS, valueTwo: 0, op: 'SCMP_CMP_MASKED_EQ' }],
        excludes: { caps: ['CAP_SYS_ADMIN'] },
      }),
      {
        names: ['clone3'],
        action: 'SCMP_ACT_ERRNO',
        errnoRet: ENOSYS,
        excludes: { caps: ['CAP_SYS_ADMIN'] },
      },
    ],
  };
  return defaultProfile;
}

function kernelAtLeast(kernel: string | undefined, min: string): boolean {
  if (!kernel) return true;
  const [a = 0, b = 0] = kernel.split('.').map((n) => Number.parseInt(n, 10));
  const [c = 0, d = 0] = min.split('.').map((n) => Number.parseInt(n, 10));
  return a > c || (a === c && b >= d);
}

function applies(rule: DockerSyscallRule, ctx: SeccompContext): boolean {
  const inc = rule.includes;
  if (inc) {
    if (inc.caps?.some((c) => !ctx.capabilities.includes(c))) return false;
    if (inc.arches && inc.arches.length > 0 && !inc.arches.includes(ctx.arch)) return false;
    if (inc.minKernel && !kernelAtLeast(ctx.kernel, inc.minKernel)) return false;
  }
  const exc = rule.excludes;
  if (exc) {
    if (exc.caps?.some((c) => ctx.capabilities.includes(c))) return false;
    if (exc.arches?.includes(ctx.arch)) return false;
    if (exc.minKernel && kernelAtLeast(ctx.kernel, exc.minKernel)) return false;
  }
  return true;
}

function invalid(why: string): BerthError {
  return new BerthError(`invalid seccomp profile: ${why}`);
}

function checkAction(action: unknown): string {
  if (typeof action !== 'string' || !ACTIONS.has(action))
    throw invalid(`unknown action ${JSON.stringify(action)}`);
  return action;
}

/** The OCI seccomp object of a Docker-format profile, for the given capabilities and host. */
export function seccompToOci(profile: DockerSeccompProfile, ctx: SeccompContext): OciSeccomp {
  const defaultAction = checkAction(profile.defaultAction);
  if (profile.architectures?.length && profile.archMap?.length) {
    throw invalid("use either 'architectures' or 'archMap'");
  }
  let architectures: string[];
  if (profile.archMap?.length) {
    const native = NATIVE_ARCHES[ctx.arch]?.[0];
    const entry = profile.archMap.find((a) => a.architecture === native);
    architectures = entry ? [entry.architecture, ...(entry.subArchitectures ?? [])] : [];
  } else {
    architectures = profile.architectures ?? [];
  }

  const syscalls: OciSeccompSyscall[] = [];
  for (const rule of profile.syscalls ?? []) {
    if (rule.name && rule.names?.length) throw invalid("use either 'name' or 'names'");
    const names = rule.names?.length ? rule.names : rule.name ? [rule.name] : [];
    if (names.length === 0) throw invalid('a syscall rule names no syscall');
    const action = checkAction(rule.action);
    if (!applies(rule, ctx)) continue;
    const out: OciSeccompSyscall = { names: [...names], action };
    if (rule.errnoRet !== undefined) out.errnoRet = rule.errnoRet;
    if (rule.args?.length) out.args = rule.args.map((a) => ({ ...a }));
    syscalls.push(out);
  }
  const result: OciSeccomp = { defaultAction, architectures, syscalls };
  if (profile.defaultErrnoRet !== undefined) result.defaultErrnoRet = profile.defaultErrnoRet;
  if (profile.flags?.length) result.flags = [...profile.flags];
  return result;
}

/** A profile from the JSON text the user gave with `--security-opt seccomp=`. */
export function parseSeccompProfile(json: string): DockerSeccompProfile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (e) {
    throw new BerthError(`decoding seccomp profile: ${errorMessage(e)}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalid('the profile is not a JSON object');
  }
  const p = parsed as DockerSeccompProfile;
  if (typeof p.defaultAction !== 'string') throw invalid('defaultAction is missing');
  if (p.syscalls !== undefined && p.syscalls !== null && !Array.isArray(p.syscalls)) {
    throw invalid('syscalls is not a list');
  }
  return p;
}
