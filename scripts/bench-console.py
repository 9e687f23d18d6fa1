#!/usr/bin/env python3
"""Console latency as a person sees it: the real binary in a pseudo-terminal, its output fed to
the pyte terminal emulator, each figure timed from the key written to the end of the output burst.

    python3 scripts/bench-console.py --db bench-data/1m.sqlite [--binary .build/release/handlet]

Prints time to first frame, keystroke latency (p50/p95/p99/max) for down, PgDn, G and g, search
latency for single- and two-word queries, and resident memory after scrolling to the end; with
`--sort Length,Outcome`, the calls list sorted by each column: the first page after `s` and PgDn
deep into the sorted list (then `--presses` PgDn each way).
Needs `pip install pyte`.
"""
import argparse, os, pty, select, signal, statistics, struct, fcntl, termios, time

import pyte

QUIET = 0.012  # a burst has ended when nothing more arrives for this long


class Console:
    def __init__(self, argv, width, height, env):
        self.screen = pyte.Screen(width, height)
        self.stream = pyte.ByteStream(self.screen)
        self.started = time.perf_counter()
        self.last_byte = None
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execvpe(argv[0], argv, env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))

    def read_burst(self, quiet=QUIET, timeout=10.0):
        """Reads until output stops; returns the time of the last byte (or None if nothing came)."""
        deadline = time.perf_counter() + timeout
        last = None
        chunks = []
        try:
            while time.perf_counter() < deadline:
                ready, _, _ = select.select([self.fd], [], [], quiet if last else max(0, deadline - time.perf_counter()))
                if not ready:
                    if last is not None:
                        return last
                    continue
                try:
                    data = os.read(self.fd, 65536)
                except OSError:
                    return last
                if not data:
                    return last
                last = time.perf_counter()
                self.last_byte = last
                chunks.append(data)
            return last
        finally:
            # Emulate after the burst: pyte is slow in Python and must not delay the reads being timed.
            for data in chunks:
                self.stream.feed(data)

    def text(self):
        return "\n".join(self.screen.display)

    def wait_for(self, needle, timeout=15.0):
        deadline = time.perf_counter() + timeout
        while needle not in self.text():
            if time.perf_counter() > deadline:
                raise SystemExit(f"timed out waiting for {needle!r}; screen:\n{self.text()}")
            self.read_burst(timeout=0.5)
        return time.perf_counter()

    def key(self, data):
        sent = time.perf_counter()
        os.write(self.fd, data)
        # A key that changes nothing (PgDn on the last page) draws nothing: not a latency.
        last = self.read_burst(timeout=1.0)
        return None if last is None else (last - sent) * 1000

    def key_until(self, data, busy):
        """A key whose result is drawn later (search runs off the key path): timed to the last byte
        of the frame that no longer shows `busy`."""
        sent = time.perf_counter()
        os.write(self.fd, data)
        last = None
        deadline = sent + 10.0
        while time.perf_counter() < deadline:
            burst = self.read_burst(timeout=1.0)
            last = burst or last
            if last is not None and busy not in self.text():
                break
        return None if last is None else (last - sent) * 1000

    def rss_mib(self):
        with open(f"/proc/{self.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def close(self):
        try:
            os.write(self.fd, b"q")
            time.sleep(0.3)
            os.kill(self.pid, signal.SIGTERM)
        except OSError:
            pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass


def summary(name, samples):
    samples = [s for s in samples if s is not None]
    if not samples:
        return f"{name:<28} no output"
    ordered = sorted(samples)
    def pct(p):
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]
    return (f"{name:<28} n={len(samples):<4} p50 {pct(50):6.2f} ms  p95 {pct(95):6.2f} ms  "
            f"p99 {pct(99):6.2f} ms  max {ordered[-1]:6.2f} ms")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--binary", default=".build/release/handlet")
    parser.add_argument("--size", default="120x40")
    parser.add_argument("--presses", type=int, default=300)
    parser.add_argument("--words", default="boiler,leak,invoice,tomorrow,radiator,quote")
    parser.add_argument("--visidata", action="store_true", help="also time VisiData opening the same calls table")
    parser.add_argument("--sort", default="", help="columns to sort the calls list by, e.g. Length,Outcome")
    parser.add_argument("--only-sort", action="store_true", help="time only the sorted list (skip moving and search)")
    args = parser.parse_args()
    width, height = map(int, args.size.split("x"))
    env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8")
    env.pop("NO_COLOR", None)

    console = Console([args.binary, "--db", args.db], width, height, env)
    console.wait_for("Overview")
    console.read_burst()
    first = console.last_byte
    print(f"{'time to first frame':<28} {(first - console.started) * 1000:.1f} ms (process start to the end of the first full frame)")

    console.key(b"2")
    console.wait_for("Contact or number")
    console.read_burst(quiet=0.2)
    if args.sort:
        time_sorts(console, [c for c in args.sort.split(",") if c], args.presses)
        if args.only_sort:
            console.close()
            return
    results = {}
    results["down (j)"] = [console.key(b"j") for _ in range(args.presses)]
    results["PgDn"] = [console.key(b"\x1b[6~") for _ in range(args.presses // 3)]
    bottom, top = [], []
    for _ in range(args.presses // 10):
        bottom.append(console.key(b"G"))
        top.append(console.key(b"g"))
    results["G (to the end)"] = bottom
    results["g (to the top)"] = top
    for name, samples in results.items():
        print(summary(name, samples))
    console.key(b"G")
    time.sleep(0.3)
    print(f"{'resident memory after G':<28} {console.rss_mib():.1f} MiB")

    words = [w for w in args.words.split(",") if w]
    pairs = [f"{a} {b}" for a, b in zip(words, words[1:] + words[:1])]
    for label, queries in (("search, one word", words), ("search, two words", pairs)):
        samples = []
        for query in queries * 3:
            console.key(b"/")
            console.key(b"\x15")  # Ctrl-U: clear the box
            for character in query[:-1]:
                console.key(character.encode())
            samples.append(console.key_until(query[-1].encode(), busy="searching…"))
            os.write(console.fd, b"\x1b")
            time.sleep(0.08)  # longer than ESCDELAY, so the next key is not read as Alt-key
            console.read_burst()
        print(summary(label, samples))
    console.close()
    if args.visidata:
        time_visidata(args.db, width, height, env)


def time_sorts(console, columns, presses):
    """For each column: `s` reads the first page sorted ascending, again descending, again back to
    newest first; each of the first two is a first-page latency. Then PgDn through the list sorted
    descending and ascending (keyset reads at ever greater depth)."""
    titles = ["When", "Contact or number", "Number", "Dir", "Length", "Handled by", "Outcome", "Recording",
              "External id", "Summary"]
    focus = "When"
    for column in columns:
        header = next(line for line in console.screen.display if "When" in line and "Outcome" in line)
        shown = sorted((t for t in titles if t in header), key=header.index)
        steps = shown.index(column) - shown.index(focus)
        for _ in range(abs(steps)):
            console.key(b">" if steps > 0 else b"<")
        focus = column
        # When cycles oldest first, newest first (the default, no marker); the others ▲, ▼, off.
        cycle = 2 if column == "When" else 3
        first_page = []
        for _ in range(max(1, presses // 10)):
            for _ in range(cycle):
                first_page.append(console.key(b"s"))
        print(summary(f"sort {column}: first page", first_page))
        for direction, presses_to in (("descending", 0 if column == "When" else 2), ("ascending", 1)):
            console.key(b"g")
            for _ in range(presses_to):
                console.key(b"s")
            time.sleep(0.3)
            console.read_burst()
            marker = "▼" if direction == "descending" else "▲"
            if presses_to and marker not in console.text():
                raise SystemExit(f"not sorted {direction} by {column}:\n{console.text()}")
            samples = [console.key(b"\x1b[6~") for _ in range(presses)]
            print(summary(f"sort {column} {direction[:4]}: PgDn", samples))
            status = console.screen.display[-1].strip()
            print(f"{'':<28} after {presses} PgDn: {status[:45]}")
            for _ in range((cycle - presses_to) % cycle):
                console.key(b"s")
        console.key(b"g")


def time_visidata(db, width, height, env):
    """VisiData, the tool a user might pick instead: start it on the workspace file, open the calls
    table from its list of tables, and wait until call rows show."""
    vd = Console(["vd", db], width, height, env)
    vd.wait_for("tables", timeout=600)
    listed = time.perf_counter()
    os.write(vd.fd, b"/^calls$\r")
    vd.read_burst(quiet=0.3)
    opened = time.perf_counter()
    os.write(vd.fd, b"\r")
    vd.wait_for("external_id", timeout=600)
    while "inbound" not in vd.text() and "outbound" not in vd.text():
        vd.read_burst(timeout=1)
    shown = time.perf_counter()
    print(f"{'VisiData: list of tables':<28} {(listed - vd.started) * 1000:.0f} ms")
    print(f"{'VisiData: calls rows shown':<28} {(shown - opened) * 1000:.0f} ms after Enter, {(shown - vd.started) * 1000:.0f} ms from start")
    os.kill(vd.pid, signal.SIGKILL)
    os.waitpid(vd.pid, 0)


if __name__ == "__main__":
    main()
