#!/usr/bin/env python3
"""Pasting 100 KB into search (issue 11): the real binary in a pseudo-terminal, output fed to pyte.

    python3 scripts/bench-paste.py --db bench-data/demo.sqlite [--binary .build/release/handlet]

For each of --runs pastes of --kilobytes KB (lines with ESC bytes and newlines in them):
- paste: from the first byte of a bracketed paste (ESC[200~ ... ESC[201~) written to the terminal
  until the end of the frame that shows the field capped ("limit 1,500 characters");
- key after the paste: Home written right behind the paste's last byte, as a key pressed while
  the paste is still arriving, timed from its write to the frame with the cursor back at the start.
Then the same text typed as plain keystrokes (a terminal without bracketed paste): time until
the output settles. Needs `pip install pyte`.
"""
import argparse, importlib.util, os, statistics, threading, time

spec = importlib.util.spec_from_file_location("bench_console", os.path.join(os.path.dirname(__file__), "bench-console.py"))
bench_console = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench_console)
Console, summary = bench_console.Console, bench_console.summary

LIMIT = "limit 1,500 characters"


def write_all(fd, data):
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def until(console, condition, sent, timeout=30.0):
    """Reads bursts until `condition(screen text)` holds; returns ms from `sent` to that burst's last byte."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        last = console.read_burst(timeout=1.0)
        if condition(console.text()):
            return ((last or time.perf_counter()) - sent) * 1000
    raise SystemExit(f"timed out; screen:\n{console.text()}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--binary", default=".build/release/handlet")
    parser.add_argument("--size", default="120x40")
    parser.add_argument("--kilobytes", type=int, default=100)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    width, height = map(int, args.size.split("x"))
    env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8")
    env.pop("NO_COLOR", None)

    line = "my boiler is leaking again \x1b[31m red\r\n"
    text = (line * (args.kilobytes * 1000 // len(line) + 1)).encode()
    console = Console([args.binary, "--db", args.db], width, height, env)
    console.wait_for("Overview")
    console.read_burst(quiet=0.3)
    console.key(b"/")
    console.wait_for("Search")
    console.read_burst(quiet=0.2)

    def cursor_on_mark():
        """Home has been handled after the paste: the cursor (reverse video) sits on the Ж typed first."""
        line = console.screen.display[1]
        column = line.find("Ж")
        return column >= 0 and console.screen.buffer[1][column].reverse

    def paste():
        writer = threading.Thread(target=write_all, args=(console.fd, b"\x1b[200~" + text + b"\x1b[201~"))
        writer.start()
        writer.join()

    pastes, keys = [], []
    for _ in range(args.runs):
        console.key("Ж".encode())
        started = time.perf_counter()
        paste()
        pastes.append(until(console, lambda screen: LIMIT in screen and "Ж" not in screen.splitlines()[1], started))
        console.key(b"\x01\x0b")  # Ctrl-A Ctrl-K: empty the field again
        console.read_burst(quiet=0.1)
        console.key("Ж".encode())
        paste()
        pressed = time.perf_counter()
        os.write(console.fd, b"\x1bOH")  # Home (terminfo khome), right behind the paste, while the console may still be reading it
        keys.append(until(console, lambda screen: cursor_on_mark(), pressed))
        console.key(b"\x0b")
        console.read_burst(quiet=0.1)
    print(f"{len(text) // 1000} KB bracketed paste into search, {args.runs} runs, terminal {args.size}")
    print(summary("paste shown capped", pastes))
    print(summary("Home right behind the paste", keys))

    started = time.perf_counter()
    writer = threading.Thread(target=write_all, args=(console.fd, text.replace(b"\x1b", b"")))
    writer.start()
    writer.join()
    settled = until(console, lambda screen: LIMIT in screen, started, timeout=120)
    while console.read_burst(quiet=0.3, timeout=1.0):
        pass
    print(f"{'as keystrokes (no brackets)':<28} capped after {settled:.0f} ms, settled after "
          f"{(console.last_byte - started) * 1000:.0f} ms")
    console.close()


if __name__ == "__main__":
    main()
