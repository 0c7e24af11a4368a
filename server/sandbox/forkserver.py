"""O1-Coder Studio sandbox forkserver.

One long-lived Python process per pool worker. In production it runs inside bubblewrap (see isolation.ts); every job
runs in a child cloned into its own user, pid, mount and IPC namespaces, with a fresh size-limited tmpfs /tmp, a
fresh /proc, resource limits and no capabilities, so programs cannot see each other, the forkserver or the host.

Protocol with Node (stdin/stdout of this process): frames of a 4-byte big-endian length + UTF-8 JSON.
  -> {"op": "exec", "id", "job": {...}, "limits": {...}}
  <- {"op": "hello", ...} once at start, then one {"op": "result", "id", ...} per exec, in order.
What the program reports travels on a separate pipe (fd 3 in the child) as JSON lines: data (values, recorded
calls), never verdicts, since the program can write there too. This process only relays them with arrival times.
Verdicts are made outside every program's process: call and stdio tests in Node, assert tests by the judge
(judge.py), a sibling process forked at start, before any program ran, which Node talks to on fds 3 and 4.

Cost matters (thousands of programs per experiment): everything that can be prepared before forking is prepared
here, in the forkserver (tests and solution compiled, arguments decoded; streams and __main__ built once for all
jobs), because every page the child touches after fork is a copy-on-write fault, and those faults are most of a
child's cost. The same holds for this process: every page it writes between two clones is a fault here too.

Run by: python3 -I -S -c <harness.py + judge.py + this file> <mode>   (mode: "isolated" | "none"); harness.py holds what runs
inside each program's process (see forkserver-script.ts).
"""

import builtins
import ctypes
import io
import json
import os
import resource
import select
import signal
import struct
import sys
import time
import types

# Preloaded so forked programs get them from sys.modules for free. Each preloaded module also makes every fork and
# exit a little dearer (they copy and tear down page tables for the forkserver's heap), so only the common ones:
# `typing` costs ~7 ms to import and every HumanEval prompt starts with `from typing import List`.
import bisect  # noqa: F401
import collections  # noqa: F401
import functools  # noqa: F401
import heapq  # noqa: F401
import itertools  # noqa: F401
import re  # noqa: F401
import string  # noqa: F401
import typing  # noqa: F401

SANDBOX_UID = 1000  # uid/gid the program has inside its own user namespace (never 0)
CLONE_NEWNS = 0x00020000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
# A user namespace to be uid 1000 with no power outside it, a pid namespace to be pid 1 (its death kills every
# process it started), a mount namespace for a private /tmp and /proc, an IPC namespace so System V shared memory
# and semaphores do not outlive it for the next program to find.
NAMESPACES = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC
MS_NOSUID, MS_NODEV, MS_NOEXEC = 2, 4, 8
PR_SET_PDEATHSIG, PR_SET_NO_NEW_PRIVS = 1, 38
LINUX_CAPABILITY_VERSION_3 = 0x20080522
SYS_CLONE = {"x86_64": 56, "aarch64": 220}.get(os.uname().machine)
SETUP_FAILED_EXIT = 125  # the child could not build its sandbox (it also says so in a "sandbox-failed" frame)
TMPFS_INODES = 4096  # files and directories a program may create in its /tmp
READ_CHUNK = 65536
PARENT_COMPILE_LIMIT = 64 * 1024  # larger sources are compiled in the child, under its limits
# Compiled drivers kept: enough for the tests of the trees a search runs at once. Every entry stays in the memory each
# program's clone copies the page tables of (4096 of them grew the forkserver's own memory by ~2.7 MB, a fifth).
TEST_CACHE_LIMIT = 256

libc = ctypes.CDLL(None, use_errno=True)
# Looked up once, here: CDLL makes a function object on an attribute's first access, which in every child cost ~40
# copy-on-write page faults for prctl alone.
for _name in ("prctl", "mount", "unshare", "capset"):
    getattr(libc, _name)
# Calls through PyDLL keep the GIL, as os.fork() does around fork().
_gil_holding_libc = ctypes.PyDLL(None, use_errno=True)
_raw_syscall = _gil_holding_libc.syscall
_raw_syscall.restype = ctypes.c_long
_raw_syscall.argtypes = [ctypes.c_long, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_ulong]


def _fork_hook(name):
    """A PyOS_*Fork function bound once, with its prototype: looked up and called with ctypes' defaults on every
    clone, they cost the child ~60 copy-on-write page faults (a third of a bare fork's)."""
    function = getattr(ctypes.pythonapi, name)
    function.argtypes = []
    function.restype = None
    return function


_before_fork = _fork_hook("PyOS_BeforeFork")
_after_fork_child = _fork_hook("PyOS_AfterFork_Child")
_after_fork_parent = _fork_hook("PyOS_AfterFork_Parent")


# ---------------------------------------------------------------------------------------------------------------
# Framed channel to Node


class Channel:
    def __init__(self, read_fd, write_fd):
        self.read_fd = read_fd
        self.write_fd = write_fd

    def _read_exact(self, n):
        chunks, got = [], 0
        while got < n:
            chunk = os.read(self.read_fd, n - got)
            if not chunk:
                return None
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)

    def recv(self):
        header = self._read_exact(4)
        if header is None:
            return None
        (length,) = struct.unpack(">I", header)
        body = self._read_exact(length)
        return None if body is None else json.loads(body)

    def send(self, message):
        # ensure_ascii: program output may hold lone surrogates, which are not encodable as UTF-8.
        body = _dumps(message).encode("ascii")
        write_all(self.write_fd, struct.pack(">I", len(body)) + body)


def write_all(fd, data):
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


# ---------------------------------------------------------------------------------------------------------------
# Preparing a job in the forkserver. Compiling is not running: nothing of the program executes here.


class Prepared:
    """Everything the child needs, built before forking."""

    def __init__(self, request):
        self.job = request["job"]
        self.limits = request["limits"]
        self.kind = self.job["kind"]
        self.sources = {}
        self.solution = None
        self.setup = None
        self.tests = []
        self.module, self.streams = program_state()
        if self.kind in ("tests", "stdio"):
            self.solution = compile_source(self.job["solution"], "<solution>", self.sources)
        if self.kind == "tests":
            if self.job.get("setup"):
                self.setup = compile_source(self.job["setup"], "<setup>", self.sources)
            self.tests = [prepare_test(test, self.sources) for test in self.job["tests"]]


def compile_source(source, filename, sources):
    """A code object, the SyntaxError (etc.) it raised, or the source itself when it is too large to compile here."""
    sources[filename] = source
    if len(source) > PARENT_COMPILE_LIMIT:
        return source
    try:
        return compile(source, filename, "exec", dont_inherit=True)
    except Exception as error:  # reported by the child, as if it had compiled the code itself
        return error.with_traceback(None)


_test_cache = {}


def prepare_test(test, sources):
    filename = "<test %d>" % test["index"]
    if test["kind"] == "assert":
        # Only the test's driver (judge.py) ever comes here: the full test, expected values and all, goes to the
        # judge alone, since everything this process holds is in every program's memory.
        driver = test["driver"]
        sources[filename] = driver
        if len(driver) > PARENT_COMPILE_LIMIT:
            return (test["index"], "assert", (driver, test["random"]))  # compiled by the child, under its limits
        key = (filename, driver)
        compiled = _test_cache.get(key)
        if compiled is None:
            if len(_test_cache) >= TEST_CACHE_LIMIT:
                _test_cache.clear()
            try:
                compiled = compile(driver, filename, "exec", dont_inherit=True)
            except Exception as error:
                compiled = error.with_traceback(None)  # cached: keep no forkserver frames alive
            _test_cache[key] = compiled
        if isinstance(compiled, BaseException):
            return (test["index"], "assert", compiled)
        return (test["index"], "assert", (compiled, test["random"]))
    sources[filename] = test["input"]
    try:
        # Decoded for every job, so a function that mutates its arguments cannot affect a later test.
        return (test["index"], "call", decode_wire(json.loads(test["input"])))
    except Exception as error:
        return (test["index"], "call", error)


_program_state = None
# The forkserver's own __main__ and standard streams, kept referenced here: in the child they are replaced (see
# install_process_state), and if that dropped their last reference, each child would spend page faults
# deallocating them (and flushing streams it never used).
_FORKSERVER_PROCESS_STATE = (sys.modules.get("__main__"), sys.stdin, sys.stdout, sys.stderr)


def program_state():
    """The __main__ module and standard streams every program starts with, built once. The forkserver never runs
    program code and never uses them, so here they stay as built; each child writes only to its own copy-on-write
    copy. (Built per job they cost every job's forkserver and child the page faults of allocating and freeing them.)"""
    global _program_state
    if _program_state is None:
        module = types.ModuleType("__main__")
        module.__dict__["__builtins__"] = builtins
        _program_state = (module, new_std_streams())
    return _program_state


def new_std_streams():
    """Buffered text streams over fds 0-2; unused here, they become the child's sys.stdin/stdout/stderr."""
    def stream(fd, mode, errors):
        raw = io.FileIO(fd, mode, closefd=False)
        buffered = io.BufferedReader(raw) if mode == "r" else io.BufferedWriter(raw, 8192)
        return io.TextIOWrapper(buffered, encoding="utf-8", errors=errors)

    return stream(0, "r", "surrogateescape"), stream(1, "w", "backslashreplace"), stream(2, "w", "backslashreplace")


# ---------------------------------------------------------------------------------------------------------------
# Running one job: fork, watch the result pipe and the child's pidfd, enforce the deadlines.
#
# The program's stdout and stderr are memfd files, not pipes: the harness can then report exact byte positions
# (lseek) when each test starts, so output is attributed to the right test even when written with os.write, and
# nothing has to be read while the program runs. RLIMIT_FSIZE bounds how large they can grow.


def execute(request, mode, strategy):
    if request["job"]["kind"] == "compile" and len(request["job"]["code"]) <= PARENT_COMPILE_LIMIT:
        return compile_here(request)
    reap_finished()
    if len(_finishing) > 8:  # children that will not finish exiting: something is wrong with them
        for pid in list(_finishing):
            kill_job(pid, pid)
        reap_finished(1.0)
    prepared = Prepared(request)
    started = time.monotonic()
    fds = {}
    try:
        fds["res_r"], fds["res_w"] = os.pipe2(os.O_CLOEXEC)
        if strategy == "unshare":
            fds["status_r"], fds["status_w"] = os.pipe2(os.O_CLOEXEC)
        fds["out"] = os.memfd_create("stdout", os.MFD_CLOEXEC)
        fds["err"] = os.memfd_create("stderr", os.MFD_CLOEXEC)
        fds["in"] = make_stdin(prepared.job.get("stdin"))
        pid = spawn_child(mode, strategy, prepared, fds)
        for name in ("res_w", "status_w"):
            if name in fds:
                os.close(fds.pop(name))
        watch = Watch(started, prepared.limits, strategy == "clone")
        wait_status = monitor(pid, watch, fds["res_r"], fds.get("status_r"))
        if wait_status is None:
            termination = {"kind": "finished"}
        else:
            termination = watch.termination or describe_status(wait_status)
        return {
            "op": "result",
            "frames": watch.frames,
            "rejectedFrames": watch.rejected,
            "segments": output_segments(watch.starts, fds["out"], fds["err"], prepared.limits, prepared.kind == "stdio"),
            "termination": termination,
            "elapsedMs": watch.elapsed_ms(),
        }
    finally:
        for fd in fds.values():
            if fd is not None:
                try:
                    os.close(fd)
                except OSError:
                    pass


def compile_here(request):
    """A syntax check needs no sandboxed process: compile() runs none of the program."""
    try:
        compile(request["job"]["code"], "<solution>", "exec", dont_inherit=True)
        outcome = {"ok": True}
    except SyntaxError as error:
        outcome = {"ok": False, "type": type(error).__name__, "message": str(error.msg), "line": error.lineno,
                   "column": error.offset}
    except Exception as error:  # e.g. RecursionError or MemoryError on pathological nesting
        outcome = {"ok": False, "type": type(error).__name__, "message": str(error)[:2000]}
    frames = [[0, json.dumps(dict(outcome, e="compiled"))], [0, json.dumps({"e": "end"})]]
    return {"op": "result", "frames": frames, "rejectedFrames": 0, "segments": [],
            "termination": {"kind": "exited", "code": 0}, "elapsedMs": 0}


def make_stdin(data):
    if data is None:
        return None
    fd = os.memfd_create("stdin", os.MFD_CLOEXEC)
    write_all(fd, data.encode("utf-8", "surrogateescape"))
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


def spawn_child(mode, strategy, prepared, fds):
    """Starts the program's process; returns its pid (in the parent only)."""
    uid, gid = os.getuid(), os.getgid()
    pid = clone_process(NAMESPACES) if strategy == "clone" else os.fork()
    if pid != 0:
        return pid
    try:
        os.close(fds["res_r"])
        if "status_r" in fds:
            os.close(fds["status_r"])
        child_main(mode, strategy, prepared, fds, uid, gid)
    finally:
        os._exit(SETUP_FAILED_EXIT)


def clone_process(flags):
    """fork() into new namespaces in one step: the child is pid 1 of its own pid namespace, no middle process."""
    _before_fork()
    pid = _raw_syscall(SYS_CLONE, flags | signal.SIGCHLD, None, None, None, 0)
    if pid == 0:
        _after_fork_child()
        return 0
    errno = ctypes.get_errno()
    _after_fork_parent()
    if pid < 0:
        raise OSError(errno, "clone: " + os.strerror(errno))
    return pid


class Watch:
    """State of one running job as seen from the forkserver."""

    def __init__(self, started, limits, child_is_pid1):
        self.started = started
        self.test_timeout = limits["testTimeoutMs"] / 1000.0
        self.program_deadline = started + limits["deadlineMs"] / 1000.0
        self.test_deadline = started + self.test_timeout
        self.result_limit = limits["resultLimitBytes"]
        self.result_total = 0
        self.result_buffer = bytearray()
        self.frames = []
        self.rejected = 0
        self.termination = None  # set when we kill the child; otherwise derived from its exit status
        self.child_is_pid1 = child_is_pid1
        self.frame_prefix = b'{"e":"'  # how the harness starts every frame
        self.starts = []  # start frames, for the output positions they carry
        self.ended = False  # the harness reported everything and is exiting

    def elapsed_ms(self):
        return round((time.monotonic() - self.started) * 1000.0, 3)


def monitor(pid, watch, res_r, status_r):
    """Waits for the job to end (or kills it) and returns the wait status of the program process, or None when the
    harness reported its end: then every result is in, and the process is left to exit on its own (tearing down a
    pid namespace takes a while) and reaped before the next job."""
    os.set_blocking(res_r, False)
    pidfd = os.pidfd_open(pid)
    poller = select.poll()
    open_fds = {res_r}
    poller.register(res_r, select.POLLIN)
    poller.register(pidfd, select.POLLIN)
    if status_r is not None:
        os.set_blocking(status_r, False)
        open_fds.add(status_r)
        poller.register(status_r, select.POLLIN)
    status_bytes = bytearray()
    inner_pid = pid if watch.child_is_pid1 else None
    exited_at = None
    killed = False
    try:
        while open_fds or exited_at is None:
            now = time.monotonic()
            if exited_at is not None:
                # The child is gone; let the pipes hand over what was written, but do not wait on anything that
                # still holds them (only possible without namespaces: a daemon that escaped the process group).
                if now - exited_at > 0.5:
                    kill_job(pid, inner_pid)
                    break
                wait = 0.5 - (now - exited_at)
            elif killed:
                wait = 0.5
            else:
                deadline = min(watch.test_deadline, watch.program_deadline)
                if now >= deadline:
                    scope = "program" if watch.program_deadline <= watch.test_deadline else "test"
                    watch.termination = {"kind": "timeout", "scope": scope}
                    killed = True
                    kill_job(pid, inner_pid)
                    continue
                wait = deadline - now
            for fd, _ in poller.poll(max(1, int(wait * 1000) + 1)):
                if fd == pidfd:
                    poller.unregister(pidfd)
                    exited_at = time.monotonic()
                    continue
                data = read_available(fd)
                if data is None:
                    poller.unregister(fd)
                    open_fds.discard(fd)
                elif fd == status_r:
                    status_bytes += data
                    if inner_pid is None and len(status_bytes) >= 4:
                        inner_pid = struct.unpack("<i", bytes(status_bytes[:4]))[0]
                elif not take_result_bytes(watch, data) and not killed:
                    watch.termination = {"kind": "result-limit"}
                    killed = True
                    kill_job(pid, inner_pid)
            if watch.ended and exited_at is None and not killed:
                if not watch.child_is_pid1:
                    kill_job(pid, inner_pid)  # without a pid namespace, this is what ends its other processes
                _finishing[pid] = pidfd
                pidfd = None  # now owned by _finishing
                return None
    finally:
        if pidfd is not None:
            os.close(pidfd)
    _, wait_status = os.waitpid(pid, 0)
    if len(status_bytes) >= 8:  # double-fork strategy: the status of the namespace's pid 1, relayed by its parent
        wait_status = struct.unpack("<i", bytes(status_bytes[4:8]))[0]
    return wait_status


# Children that reported their end but may not have exited yet: pid -> pidfd. The main loop reaps them while it
# waits for the next request, so nothing lingers between jobs.
_finishing = {}


def reap_finished(block_seconds=0.0):
    """Reaps the finished children that have exited (waiting up to block_seconds for the rest); one that outstays
    that is killed."""
    deadline = time.monotonic() + block_seconds
    while _finishing:
        for pid, pidfd in list(_finishing.items()):
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done:
                os.close(pidfd)
                del _finishing[pid]
        remaining = deadline - time.monotonic()
        if not _finishing or remaining <= 0:
            return
        select.select(list(_finishing.values()), [], [], remaining)


def wait_for_request(channel_fd):
    """Blocks until a request arrives, reaping finished children meanwhile."""
    while True:
        ready = select.select([channel_fd] + list(_finishing.values()), [], [])[0]
        if _finishing:
            reap_finished()
        if channel_fd in ready:
            return


def read_available(fd):
    """Everything readable now; None once the pipe is closed and empty."""
    chunks = []
    while len(chunks) < 16:
        try:
            chunk = os.read(fd, READ_CHUNK)
        except BlockingIOError:
            break
        if not chunk:
            if not chunks:
                return None
            break
        chunks.append(chunk)
    return b"".join(chunks)


def take_result_bytes(watch, data):
    watch.result_total += len(data)
    if watch.result_total > watch.result_limit:
        return False
    watch.result_buffer += data
    while True:
        newline = watch.result_buffer.find(b"\n")
        if newline < 0:
            return True
        line = bytes(watch.result_buffer[:newline])
        del watch.result_buffer[: newline + 1]
        take_frame(watch, line)


def take_frame(watch, line):
    """Frames are relayed as text; Node parses and validates them. Here a test's start restarts the per-test clock
    (a program that forges starts only moves its per-test clock; the run's deadline holds)."""
    if not line.startswith(watch.frame_prefix):
        watch.rejected += 1
        return
    if line.startswith(b'start"', len(watch.frame_prefix)):
        watch.test_deadline = time.monotonic() + watch.test_timeout
        watch.starts.append(line)
    elif line.startswith(b'end"', len(watch.frame_prefix)):
        watch.ended = True
    watch.frames.append([watch.elapsed_ms(), line.decode("utf-8", "replace")])


def kill_job(pid, inner_pid):
    # The namespace's pid 1 first: when it dies the kernel kills everything else in its pid namespace, daemons
    # included. Then the outer child and its process group (which is all there is without namespaces).
    for target in (inner_pid, pid):
        if target:
            try:
                os.kill(target, signal.SIGKILL)
            except ProcessLookupError:
                pass
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def describe_status(status):
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = "signal %d" % number
        return {"kind": "signaled", "signal": number, "name": name}
    return {"kind": "exited", "code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else -1}


def output_segments(start_lines, out_fd, err_fd, limits, whole_stdout):
    """Splits stdout/stderr at the positions the harness reported when each test started."""
    sizes = (os.fstat(out_fd).st_size, os.fstat(err_fd).st_size)
    if sizes == (0, 0):  # nothing written (most jobs): Node reads a missing segment as an empty one
        return []
    bounds = [(None, (0, 0))]
    for line in start_lines:
        try:
            frame = json.loads(line)
            test, positions = frame["t"], frame["o"]
            bounds.append((test if type(test) is int else None, (clamp(positions[0], sizes[0]), clamp(positions[1], sizes[1]))))
        except Exception:  # a malformed frame (the program wrote it): its output stays with the previous segment
            continue
    segments = []
    excerpt = limits["excerptBytes"]
    for i, (test, begin) in enumerate(bounds):
        end = bounds[i + 1][1] if i + 1 < len(bounds) else sizes
        segment = {"t": test}
        for stream, fd, start, stop in (("stdout", out_fd, begin[0], end[0]), ("stderr", err_fd, begin[1], end[1])):
            stop = max(start, stop)
            keep = limits["outputLimitBytes"] if whole_stdout and stream == "stdout" else excerpt
            segment[stream] = excerpt_of(fd, start, stop, keep)
            segment[stream + "Bytes"] = stop - start
        segments.append(segment)
    return segments


def clamp(value, size):
    return min(max(value, 0), size) if type(value) is int else size


def excerpt_of(fd, start, stop, keep):
    if stop == start:
        return ""
    if stop - start <= keep:
        return os.pread(fd, stop - start, start).decode("utf-8", "replace")
    half = keep // 2
    head = os.pread(fd, half, start).decode("utf-8", "replace")
    tail = os.pread(fd, half, stop - half).decode("utf-8", "replace")
    return "%s\n[... %d bytes omitted ...]\n%s" % (head, stop - start - 2 * half, tail)


# ---------------------------------------------------------------------------------------------------------------
# Inside the child: build the sandbox, then run the program under the harness.


def child_main(mode, strategy, prepared, fds, uid, gid):
    # Where a setup failure is reported: the stderr file and result pipe, which become fds 2 and 3 when redirected.
    report_fd, result_fd = fds["err"], fds["res_w"]
    try:
        os.setsid()
        if mode == "isolated":
            if strategy == "clone":
                map_ids(uid, gid)
            else:
                become_namespace_init(fds, uid, gid)
            libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
            mount_fresh_filesystems(prepared.limits)
        else:
            os.chdir(os.environ.get("O1C_SANDBOX_WORKDIR") or "/tmp")
        redirect_standard_fds(fds)
        report_fd, result_fd = 2, 3
        apply_limits(prepared.limits, mode)
        drop_privileges(mode)
    except BaseException as error:  # the sandbox could not be built: report it (no program code has run), run nothing
        try:
            message = "sandbox setup failed: %r" % (error,)
            os.write(report_fd, (message + "\n").encode())
            os.write(result_fd, (json.dumps({"e": "sandbox-failed", "message": message}) + "\n").encode())
        finally:
            os._exit(SETUP_FAILED_EXIT)
    run_job(prepared)


def map_ids(uid, gid):
    """Inside a fresh user namespace: become SANDBOX_UID/GID, mapped onto the forkserver's own ids."""
    write_proc("/proc/self/setgroups", "deny")
    write_proc("/proc/self/uid_map", "%d %d 1" % (SANDBOX_UID, uid))
    write_proc("/proc/self/gid_map", "%d %d 1" % (SANDBOX_UID, gid))


def write_proc(path, text):
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, text.encode())
    finally:
        os.close(fd)


def become_namespace_init(fds, uid, gid):
    """Fallback when clone() cannot be called directly: unshare, then fork the pid namespace's first process. This
    process stays behind only to report the inner pid (so the forkserver can kill it) and its exit status."""
    if libc.unshare(NAMESPACES) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, "unshare(user|mount|pid|ipc): " + os.strerror(errno))
    map_ids(uid, gid)
    inner = os.fork()
    if inner == 0:
        os.close(fds["status_w"])
        return
    try:
        for name in ("res_w", "out", "err", "in"):
            if fds.get(name) is not None:
                os.close(fds[name])
        os.write(fds["status_w"], struct.pack("<i", inner))
        while True:
            try:
                _, status = os.waitpid(inner, 0)
                break
            except InterruptedError:
                continue
        os.write(fds["status_w"], struct.pack("<i", status))
    finally:
        os._exit(0)


def mount_fresh_filesystems(limits):
    flags = MS_NOSUID | MS_NODEV
    options = "size=%d,nr_inodes=%d,mode=1777" % (limits["tmpfsBytes"], TMPFS_INODES)
    mount(b"tmpfs", b"/tmp", b"tmpfs", flags, options.encode())
    # A /proc of the program's own pid namespace: without it the program would still see the forkserver's pid
    # namespace (not reach it: signals and ptrace resolve pids in the caller's own namespace).
    mount(b"proc", b"/proc", b"proc", flags | MS_NOEXEC, None)
    os.chdir("/tmp")
    # No user namespaces below this one: without them a program cannot gain capabilities anywhere, so it cannot
    # create any other namespace either, and the kernel's user-namespace code (a classic source of privilege
    # escalations) stays out of its reach. Limits count through the hierarchy, so 0 here holds for every descendant.
    write_proc("/proc/sys/user/max_user_namespaces", "0")


def mount(source, target, fstype, flags, data):
    if libc.mount(source, target, fstype, flags, data) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, "mount %s: %s" % (target.decode(), os.strerror(errno)))


def redirect_standard_fds(fds):
    stdin_fd = fds.get("in")
    if stdin_fd is None:
        stdin_fd = os.open("/dev/null", os.O_RDONLY | os.O_CLOEXEC)
    # Move the sources above 3 first so dup2 onto 0..3 cannot clobber one another.
    moved = [os.dup(fd) for fd in (stdin_fd, fds["out"], fds["err"], fds["res_w"])]
    for target, fd in enumerate(moved):
        os.dup2(fd, target)
    os.closerange(4, 1 << 20)


def apply_limits(limits, mode):
    cpu = int(limits["cpuSeconds"])
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_AS, (limits["memoryBytes"], limits["memoryBytes"]))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits["fileSizeBytes"], limits["fileSizeBytes"]))
    if mode == "isolated":
        # Counted per user namespace and uid, so inside the program's own namespace the cap is per program. Outside
        # one it would count every process of the uid on the host, so the unisolated mode cannot use it.
        resource.setrlimit(resource.RLIMIT_NPROC, (limits["maxProcesses"], limits["maxProcesses"]))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))
    resource.setrlimit(resource.RLIMIT_MSGQUEUE, (0, 0))


class CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


# Built once here: creating ctypes structures in the child costs ~0.1 ms of copy-on-write faults.
_NO_CAPABILITIES = (CapHeader(LINUX_CAPABILITY_VERSION_3, 0), (CapData * 2)())


def drop_privileges(mode):
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(NO_NEW_PRIVS)")
    if mode != "isolated":
        return
    # The creator of a user namespace holds every capability inside it (needed above to mount /tmp and /proc);
    # the program must hold none, or it could unmount its /proc or remount its /tmp.
    header, data = _NO_CAPABILITIES
    if libc.capset(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capset")


# ---------------------------------------------------------------------------------------------------------------

SELF_TEST_CHECK = {
    # Checks the properties the sandbox promises, not just that a child ran.
    "isolated": "import os\ndef check():\n    return (os.getpid() == 1 and os.getuid() == %d and os.listdir('/tmp') == []\n"
                "        and open('/proc/self/status').read().count('\\t0000000000000000\\n') >= 3  # no capabilities\n"
                "        and open('/proc/sys/user/max_user_namespaces').read() == '0\\n')\n" % SANDBOX_UID,
    "none": "def check():\n    return True\n",
}


def self_test(mode, strategy):
    """Runs one tiny program through the full path, so a host without working namespaces fails at start, loudly."""
    request = {"job": {"kind": "tests", "solution": SELF_TEST_CHECK[mode], "setup": "", "entryPoint": "check",
                       "start": 0, "names": [], "tests": [{"index": 0, "kind": "call", "input": "[]"}]},
               "limits": {"testTimeoutMs": 10000, "deadlineMs": 10000, "outputLimitBytes": 65536,
                          "resultLimitBytes": 65536, "excerptBytes": 4096, "cpuSeconds": 10,
                          "memoryBytes": 512 << 20, "fileSizeBytes": 1 << 20, "maxProcesses": 8,
                          "tmpfsBytes": 1 << 20}}
    try:
        result = execute(request, mode, strategy)
    except Exception as error:
        return "%s: %r" % (strategy, error)
    frames = [json.loads(text) for _, text in result["frames"]]
    if any(frame.get("e") == "value" and frame.get("v") == "true" for frame in frames):
        return None
    details = [frame.get("message") or frame.get("v") for frame in frames if frame.get("message") or frame.get("v")]
    details += [segment["stderr"].strip() for segment in result["segments"] if segment["stderr"].strip()]
    return "%s: %s" % (strategy, "; ".join(details) or "the self-test program ended with %s" % (result["termination"],))


def choose_strategy(mode, forced=None):
    """(strategy, error): clone straight into the namespaces when possible, else unshare + fork. `forced` (tests,
    diagnosis) tries only the one given."""
    if mode != "isolated":
        return "fork", self_test(mode, "fork")
    errors = []
    candidates = (("clone",) if SYS_CLONE else ()) + ("unshare",)
    for strategy in (forced,) if forced else candidates:
        error = self_test(mode, strategy)
        if error is None:
            return strategy, None
        errors.append(error)
    return None, " | ".join(errors)


def release_free_memory():
    """Hands the C heap's free pages back to the kernel (glibc's malloc_trim): compiling the script and starting up
    freed ~3 MB that stayed resident, and every clone copies the page tables of whatever is resident."""
    trim = getattr(libc, "malloc_trim", None)
    if trim is not None:
        trim(0)


JUDGE_FDS = (3, 4)  # the judge's channel with Node (requests, answers), as Node passed them


def start_judge(channel):
    """Forks the judge before any program ran here, hands it fds 3 and 4 and keeps neither: the forkserver (and so
    every program) never holds the judge's channel or anything sent on it."""
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.close(channel.read_fd)
            os.close(channel.write_fd)
            code = judge_main(*JUDGE_FDS)
        finally:
            os._exit(code or 0)
    for fd in JUDGE_FDS:
        os.close(fd)


def main(argv):
    mode = argv[1] if len(argv) > 1 else "isolated"
    forced_strategy = argv[2] if len(argv) > 2 and argv[2] in ("clone", "unshare") else None
    # Keep the protocol on private descriptors; fds 0/1 point at /dev/null so a stray print cannot corrupt it.
    channel = Channel(os.dup(0), os.dup(1))
    devnull = os.open("/dev/null", os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    os.set_inheritable(channel.read_fd, False)
    os.set_inheritable(channel.write_fd, False)
    start_judge(channel)
    strategy, error = choose_strategy(mode, forced_strategy)
    reap_finished(2.0)  # the self-test's child, so the worker starts with nothing else running
    release_free_memory()
    channel.send({"op": "hello", "pid": os.getpid(), "mode": mode, "strategy": strategy,
                  "python": sys.version.split()[0], "error": error})
    if error:
        return 1
    while True:
        wait_for_request(channel.read_fd)
        request = channel.recv()
        if request is None:
            reap_finished(1.0)
            return 0
        if request.get("op") == "exec":
            try:
                result = execute(request, mode, strategy)
            except Exception as error:  # e.g. fork() failing under memory pressure: report it, keep serving
                result = {"op": "result", "frames": [], "rejectedFrames": 0, "segments": [], "elapsedMs": 0,
                          "termination": {"kind": "sandbox-error", "message": repr(error)[:2000]}}
            result["id"] = request["id"]
            channel.send(result)
        else:
            channel.send({"op": "error", "id": request.get("id"), "message": "unknown op %r" % request.get("op")})


if __name__ == "__main__":
    sys.exit(main(sys.argv))
