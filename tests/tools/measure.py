#!/usr/bin/env python3
"""measure.py RUNS COMMAND... - run a command RUNS times; print the best and
median wall-clock seconds and the largest peak resident memory (MB) of any
run. Used by `make bench` (tests/bench.sh)."""
import os, resource, statistics, subprocess, sys, time

runs = int(sys.argv[1])
cmd = sys.argv[2:]
walls, peak = [], 0
for _ in range(runs):
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.execvp(cmd[0], cmd)
    _, status, ru = os.wait4(pid, 0)
    walls.append(time.perf_counter() - t0)
    peak = max(peak, ru.ru_maxrss / 1024.0)
    if os.waitstatus_to_exitcode(status) != 0:
        print("command failed: %s" % " ".join(cmd), file=sys.stderr)
        sys.exit(1)
print("best %.2f s  median %.2f s  peak RSS %.1f MB" % (min(walls), statistics.median(walls), peak))
