#!/usr/bin/env python3
"""handlet beside its floors, in one run (issue 26); driven by scripts/bench-floor.sh.

    python3 scripts/bench-floor.py --db WORKSPACE --handlet BIN --floor-list BIN [--rounds 5] [--runs 20]

Console: the real binary and a plain C ncursesw list of a million virtual rows
(scripts/floor/list.c), each in its own pseudo-terminal of the same size, alternating round by
round (handlet first in even rounds, the floor first in odd ones) so that whatever else the
machine does hits both. Each figure is timed from the write (or the spawn) to the end of the
output burst (nothing more for 12 ms), the way a person sees it.

CLI: each command as a whole process beside the `sqlite3` CLI running the statements the command
ran (read from handlet's own trace, `HANDLET_PROFILE`, after the workspace was open), in
alternating pairs. `handlet --help` is set beside `sqlite3 -version`.

Needs `pyte` (pip install pyte) to read the screens; the times are taken on the raw bytes.
"""
import argparse, fcntl, os, pty, select, signal, statistics, struct, subprocess, sys, tempfile, termios, time

import pyte

QUIET = 0.012


def now():
    return time.monotonic_ns() / 1e6  # milliseconds, the clock HANDLET_PROFILE's marks use


class Terminal:
    """One program in a pseudo-terminal of `width` x `height`."""

    def __init__(self, argv, width, height, env):
        self.screen = pyte.Screen(width, height)
        self.stream = pyte.ByteStream(self.screen)
        self.started = now()
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            # The size is set before exec, so the program's first look at the terminal sees it.
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))
            os.execvpe(argv[0], argv, env)

    def burst(self, quiet=QUIET, timeout=10.0):
        """Reads until output stops for `quiet` s; returns (time of the last byte or None, bytes read)."""
        deadline = time.monotonic() + timeout
        last, chunks = None, []
        while time.monotonic() < deadline:
            wait = quiet if last is not None else max(0, deadline - time.monotonic())
            ready, _, _ = select.select([self.fd], [], [], wait)
            if not ready:
                if last is not None:
                    break
                continue
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                break
            if not data:
                break
            last = now()
            chunks.append(data)
        data = b"".join(chunks)
        # Emulated after the burst: pyte is slow and must not delay the reads being timed.
        self.stream.feed(data)
        return last, len(data)

    def text(self):
        return "\n".join(self.screen.display)

    def wait_for(self, needle, timeout=30.0):
        """Reads bursts until `needle` is on screen; returns the end of the burst that drew it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            last, _ = self.burst(timeout=1.0)
            if needle in self.text():
                return last
        raise SystemExit(f"timed out waiting for {needle!r}; screen:\n{self.text()}")

    def settle(self, quiet=0.3):
        while self.burst(quiet=quiet, timeout=quiet)[0] is not None:
            pass

    def cpu_ms(self):
        """CPU time used so far by all the program's threads (scheduler statistics, nanoseconds)."""
        total = 0
        try:
            for task in os.listdir(f"/proc/{self.pid}/task"):
                try:
                    with open(f"/proc/{self.pid}/task/{task}/schedstat") as f:
                        total += int(f.read().split()[0])
                except (OSError, ValueError):
                    pass
        except OSError:
            pass
        return total / 1e6

    def key(self, data):
        """(latency ms, bytes written, CPU ms) of one key, from the write to the end of its burst."""
        cpu = self.cpu_ms()
        sent = now()
        os.write(self.fd, data)
        last, count = self.burst(timeout=1.0)
        return (None, 0, 0) if last is None else (last - sent, count, self.cpu_ms() - cpu)

    def rss_mib(self):
        with open(f"/proc/{self.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def close(self):
        try:
            os.write(self.fd, b"q")
        except OSError:
            pass
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            try:
                pid, _ = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                break
            if pid:
                break
            try:
                self.burst(quiet=0.05, timeout=0.05)
            except Exception:
                pass
        else:
            os.kill(self.pid, signal.SIGTERM)
            os.waitpid(self.pid, 0)
        os.close(self.fd)


def pct(samples, p):
    ordered = sorted(s for s in samples if s is not None)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def read_profile(path):
    marks, statements = {}, []
    if not os.path.exists(path):
        return marks, statements
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            kind, _, rest = line.rstrip("\n").partition(" ")
            if kind == "mark":
                label, _, ns = rest.partition(" ")
                marks.setdefault(label, int(ns) / 1e6)
            elif kind == "sql":
                ns, _, sql = rest.partition(" ")
                statements.append((int(ns) / 1e6, sql))
    return marks, statements


def open_console(argv, env, to_list):
    """Spawns one console and waits for its first frame, then goes to its list; (terminal, first frame ms, profile)."""
    profile = tempfile.mktemp(prefix="handlet-profile-")
    term = Terminal(argv, *env["__size"], dict((k, v) for k, v in env.items() if k != "__size") | {"HANDLET_PROFILE": profile})
    first = term.wait_for("Overview") - term.started
    first_cpu = term.cpu_ms()
    term.settle()
    if to_list:
        term.key(to_list)
        term.settle()
    return term, (first, first_cpu), profile


def console_round(handlet_argv, floor_argv, env, presses, pages, round):
    """One round: both consoles started one after the other (the order alternates by round), then
    every `j` and PgDn sent to one and then the other (the order alternating press by press), so
    that the machine's drift hits both alike."""
    order = ["handlet", "floor"] if round % 2 == 0 else ["floor", "handlet"]
    opened = {}
    for who in order:
        if who == "handlet":
            opened[who] = open_console(handlet_argv, env, b"2")
        else:
            opened[who] = open_console(floor_argv, env, None)
    figures = {who: {"first": opened[who][1][0], "first_cpu": opened[who][1][1], "down": [], "pgdn": []} for who in order}
    for key, name, count in ((b"j", "down", presses), (b"\x1b[6~", "pgdn", pages)):
        for i in range(count):
            for who in (order if i % 2 == 0 else order[::-1]):
                figures[who][name].append(opened[who][0].key(key))
    for who in order:
        term, _, profile = opened[who]
        figures[who]["rss"] = term.rss_mib()
        term.close()
        marks, _ = read_profile(profile)
        if os.path.exists(profile):
            os.unlink(profile)
        figures[who]["stages"] = {label: at - term.started for label, at in marks.items()}
    return figures


def run_process(argv, env):
    """A whole process, stdout read through a pipe: (total ms, first output ms, max RSS MiB, marks)."""
    profile_path = env.get("HANDLET_PROFILE")
    started = now()
    child = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, env=env)
    first = None
    while True:
        data = os.read(child.stdout.fileno(), 65536)
        if not data:
            break
        if first is None:
            first = now() - started
    _, status, usage = os.wait4(child.pid, 0)
    total = now() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    child.stdout.close()
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {child.returncode}")
    marks, statements = {}, []
    if profile_path:
        marks, statements = read_profile(profile_path)
        marks = {label: at - started for label, at in marks.items()}
        statements = [(at - started, sql) for at, sql in statements]
    cpu = (usage.ru_utime + usage.ru_stime) * 1000
    return total, first, (usage.ru_maxrss / 1024, cpu), (marks, statements)


def traced_statements(handlet, args, env):
    """The SQL a command ran once its workspace was open, from its own trace."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "profile")
        subprocess.run([handlet] + args, env=dict(env, HANDLET_PROFILE=path), stdout=subprocess.DEVNULL, check=True)
        marks, statements = read_profile(path)
    opened = marks.get("opened")
    if opened is None:
        raise SystemExit(f"handlet {' '.join(args)}: no trace (HANDLET_PROFILE unsupported by this binary?)")
    # "-- …" lines are SQLite's trace of work inside a statement (triggers, FTS5's own reads), not statements.
    return [sql for at, sql in statements if at >= opened and not sql.startswith("--")]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--handlet", required=True)
    parser.add_argument("--floor-list", required=True)
    parser.add_argument("--sqlite3", default="sqlite3")
    parser.add_argument("--sql-from", help="take the traced SQL from this handlet binary (default: --handlet)")
    parser.add_argument("--size", default="200x50")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--presses", type=int, default=60, help="j presses per round")
    parser.add_argument("--pages", type=int, default=20, help="PgDn presses per round")
    parser.add_argument("--runs", type=int, default=20, help="alternating pairs per CLI command")
    parser.add_argument("--skip-console", action="store_true")
    parser.add_argument("--skip-cli", action="store_true")
    args = parser.parse_args()
    width, height = map(int, args.size.split("x"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("SSH_") and k not in ("NO_COLOR", "HANDLET_PROFILE")}
    env.update(TERM="xterm-256color", LANG="C.UTF-8")
    rows = []  # (figure, handlet, floor, unit)

    if not args.skip_console:
        handlet = {"first": [], "first_cpu": [], "down": [], "pgdn": [], "rss": [], "stages": []}
        floor = {"first": [], "first_cpu": [], "down": [], "pgdn": [], "rss": [], "stages": []}
        env["__size"] = (width, height)
        for round in range(args.rounds):
            figures = console_round([args.handlet, "--db", args.db], [args.floor_list], env, args.presses, args.pages, round)
            for who, target in (("handlet", handlet), ("floor", floor)):
                target["first"].append(figures[who]["first"])
                target["first_cpu"].append(figures[who]["first_cpu"])
                target["down"] += figures[who]["down"]
                target["pgdn"] += figures[who]["pgdn"]
                target["rss"].append(figures[who]["rss"])
                target["stages"].append(figures[who]["stages"])
            print(f"round {round + 1}/{args.rounds}: first frame handlet {handlet['first'][-1]:.1f} ms, "
                  f"floor {floor['first'][-1]:.1f} ms", file=sys.stderr)
        del env["__size"]
        def lat(side, key):
            return [t for t, _, _ in side[key] if t is not None]
        def size(side, key):
            return [n for t, n, _ in side[key] if t is not None]
        def cpu(side, key):
            return [c for t, _, c in side[key] if t is not None]
        rows.append(("console first frame (spawn → Overview drawn), median", statistics.median(handlet["first"]),
                     statistics.median(floor["first"]), "ms"))
        for key, name in (("down", "`j`"), ("pgdn", "PgDn")):
            for p in (50, 99):
                rows.append((f"{name} p{p} ({len(lat(handlet, key))} / {len(lat(floor, key))} presses)",
                             pct(lat(handlet, key), p), pct(lat(floor, key), p), "ms"))
        rows.append(("CPU time to the first frame (all threads), median", statistics.median(handlet["first_cpu"]),
                     statistics.median(floor["first_cpu"]), "ms"))
        rows.append(("CPU time per `j`, median", statistics.median(cpu(handlet, "down")), statistics.median(cpu(floor, "down")), "ms"))
        rows.append(("CPU time per PgDn, median", statistics.median(cpu(handlet, "pgdn")), statistics.median(cpu(floor, "pgdn")), "ms"))
        rows.append(("bytes per `j`, median", statistics.median(size(handlet, "down")), statistics.median(size(floor, "down")), "B"))
        rows.append(("bytes per PgDn, median", statistics.median(size(handlet, "pgdn")), statistics.median(size(floor, "pgdn")), "B"))
        rows.append(("resident memory after the presses, median", statistics.median(handlet["rss"]),
                     statistics.median(floor["rss"]), "MiB"))
        labels = ["main", "opened", "terminal", "frame"]
        stages = {label: [s[label] for s in handlet["stages"] if label in s] for label in labels}
        if all(stages.values()):
            print("console start-up (median, ms from spawn): "
                  + ", ".join(f"{label} {statistics.median(values):.1f}" for label, values in stages.items())
                  + f"; first burst ends {statistics.median(handlet['first']):.1f}")

    if not args.skip_cli:
        sql_from = args.sql_from or args.handlet
        commands = [
            ("`handlet search boiler`", ["search", "--db", args.db, "boiler"]),
            ("`handlet calls list --limit 50`", ["calls", "list", "--db", args.db, "--limit", "50"]),
            ("`handlet info`", ["info", "--db", args.db]),
        ]
        pairs = []
        for name, command in commands:
            statements = traced_statements(sql_from, command, env)
            script = ";\n".join(statements) + ";"
            pairs.append((f"{name} ({len(statements)} statements)", [args.handlet] + command, [args.sqlite3, args.db, script], True))
        pairs.append(("`handlet --help` / `sqlite3 -version`", [args.handlet, "--help"], [args.sqlite3, "-version"], False))
        for name, ours, theirs, profiled in pairs:
            mine, floor_times, rss_mine, rss_floor, breakdown = [], [], [], [], []
            cpu_mine, cpu_floor = [], []
            for run in range(args.runs):
                for who in (("ours", "floor") if run % 2 == 0 else ("floor", "ours")):
                    if who == "ours":
                        total, first, (rss, cpu), _ = run_process(ours, env)
                        mine.append(total)
                        rss_mine.append(rss)
                        cpu_mine.append(cpu)
                    else:
                        total, first, (rss, cpu), _ = run_process(theirs, env)
                        floor_times.append(total)
                        rss_floor.append(rss)
                        cpu_floor.append(cpu)
            if profiled:
                # The breakdown comes from separate, traced runs: tracing costs a little itself.
                with tempfile.TemporaryDirectory() as folder:
                    for run in range(max(5, args.runs // 2)):
                        path = os.path.join(folder, f"p{run}")
                        total, first, _, (marks, statements) = run_process(ours, dict(env, HANDLET_PROFILE=path))
                        opened = marks.get("opened")
                        query = next((at for at, _ in statements if opened is not None and at >= opened), None)
                        breakdown.append((marks.get("main"), opened, query, first, total, marks.get("parsed")))
            rows.append((name, statistics.median(mine), statistics.median(floor_times), "ms"))
            rows.append((f"… its CPU time (user + system)", statistics.median(cpu_mine), statistics.median(cpu_floor), "ms"))
            print(f"{name}: max RSS handlet {statistics.median(rss_mine):.1f} MiB, floor {statistics.median(rss_floor):.1f} MiB",
                  file=sys.stderr)
            if breakdown:
                def med(i):
                    values = [b[i] for b in breakdown if b[i] is not None]
                    return statistics.median(values) if values else float("nan")
                print(f"  start-up (median of {len(breakdown)} traced runs, ms from spawn): main {med(0):.1f}, "
                      f"arguments parsed {med(5):.1f}, "
                      f"workspace open {med(1):.1f}, first query {med(2):.1f}, first output {med(3):.1f}, exit {med(4):.1f}")

    print()
    print("| figure | handlet | floor | ratio |")
    print("|---|---|---|---|")
    for name, ours, theirs, unit in rows:
        ratio = ours / theirs if theirs else float("nan")
        fmt = "{:.0f}" if unit == "B" else ("{:.2f}" if ours < 10 else "{:.1f}")
        print(f"| {name} | {fmt.format(ours)} {unit} | {fmt.format(theirs)} {unit} | {ratio:.2f}x |")


if __name__ == "__main__":
    main()
