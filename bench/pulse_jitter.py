"""bench/pulse-jitter: width and gap error of the daemon's coin pulses, idle and with
stress-ng loading every core, with the pulse thread under SCHED_FIFO and without.

One payment of N pulses (default 1000) is credited per run through the real processes
(Mosquitto, cashbridge-sim, cashbridged on the sim backend). Edge times are the ones the
daemon's line protocol carries (CLOCK_MONOTONIC, stamped by the pulse thread as it drives
the line) as the sim writes them to its VCD file (1 us resolution); without a GPIO chip
there are no kernel edge timestamps on this machine. Error = measured - configured, for
every pulse width and every gap inside the train."""

import argparse
import json
import os
import platform
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import cashbridge_stack  # noqa: E402
from latency import percentile  # noqa: E402  (same percentile rule as bench/latency)

TARGET_P99_MS = 0.2


def cpu_times():
    """(steal, total) jiffies of all CPUs: on a VM, time the host gave our vCPUs to others."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return fields[7] if len(fields) > 7 else 0, sum(fields[:8])


def write_profile(path, width_ms, gap_ms):
    # Tolerances wide open: the bench measures the error, it does not judge pulses.
    path.write_text(json.dumps({
        "protocol": "pulse", "active": "low", "coin_lines": {"coin": 1},
        "width_ms": {"min": width_ms / 2, "max": width_ms * 20}, "gap_ms": {"min": gap_ms / 2},
        "inhibit_line": "inhibit", "inhibit_active": "low"}))


def one_run(args, profile, priority, loaded, base):
    overrides = {
        "payment": {"price": {"mode": "fixed", "amount": args.pulses}, "max_amount": args.pulses,
                    "paid_screen_s": 0},
        "acceptor": {"protocol": "pulse", "active": "low", "pulse_ms": args.width_ms,
                     "gap_ms": args.gap_ms, "pulse_value": 1, "inhibit": {"active": "low"},
                     "delivery_timeout_s": 3600},
        "realtime": {"priority": priority, "lock_memory": priority > 0},
        "log": {"level": "info"},
    }
    stack = cashbridge_stack.Stack(args.build, profile=str(profile), daemon_overrides=overrides,
                                   display="none", workdir=tempfile.mkdtemp(prefix="run-", dir=base))
    stress = None
    try:
        stack.start()
        if loaded:
            stress = subprocess.Popen(["stress-ng", "--cpu", "0", "--quiet"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(1.0)  # let the load reach every core before the first pulse
        load = os.getloadavg()[0]
        steal0, total0 = cpu_times()
        pay = stack.ctl("pay")
        # Done when the daemon reports the credit delivered (the machine may have refused
        # a pulse stretched by the load; the VCD has it all the same). In steps: the
        # control socket's own timeout is 120 s.
        train_s = args.pulses * (args.width_ms + args.gap_ms) / 1000
        deadline = time.monotonic() + train_s * 5 + 60
        while time.monotonic() < deadline:
            if stack.ctl("wait", "report=" + pay["payment"], "type=credit.delivered",
                         "timeout_ms=60000", check=False)["ok"]:
                break
        steal1, total1 = cpu_times()
        status = stack.status()
        floor = machine_floor(args, priority)
        daemon_log = stack.log("daemon.log")
    finally:
        if stress:
            stress.terminate()
            stress.wait(20)
        pulses = cashbridge_stack.vcd_pulses(stack.vcd, "coin") if stack.vcd.exists() else []
        stack.cleanup()
        shutil.rmtree(stack.dir, ignore_errors=True)
    rt = [line for line in daemon_log.splitlines() if "[realtime]" in line and "SCHED_FIFO" in line]
    fifo = bool(rt) and "runs SCHED_FIFO" in rt[0]
    widths = [abs(w / 1000 - args.width_ms) for _, w in pulses]
    gaps = [abs((b - (a + wa)) / 1000 - args.gap_ms) for (a, wa), (b, _) in zip(pulses, pulses[1:])]
    return {"pulses": len(pulses), "counted": status["counted"], "errors": status["errors"],
            "widths": widths, "gaps": gaps, "fifo": fifo, "rt_log": rt[0] if rt else "", "load": load,
            "floor": floor,
            "steal": 100.0 * (steal1 - steal0) / max(1, total1 - total0)}


def machine_floor(args, priority):
    """Wake-up latencies (ms) of a bare SCHED_FIFO thread on this machine, same
    priority and timer period as the pulse thread, measured by cyclictest right after the
    train under the same load: no process can time an edge better than it is woken. None
    when cyclictest (rt-tests) is missing."""
    if shutil.which("cyclictest") is None or priority <= 0:
        return None
    loops = 2 * args.pulses  # one wake-up per edge, as the train
    cmd = ["cyclictest", "-m", "-q", "-t1", "-p", str(priority), "-i", str(args.width_ms * 1000),
           "-l", str(loops), "-h", "20000"]
    if not args.cpu_latency_0:
        cmd.append("--laptop")  # leave cpu_dma_latency alone, as the daemon does
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    lat = []
    for line in out.splitlines():
        if line and line[0].isdigit():
            us, count = (int(x) for x in line.split()[:2])
            lat += [us / 1000] * count
    overflow = loops - len(lat)  # beyond the 20 ms histogram
    lat += [20.0] * max(0, overflow)
    return lat


def fmt(errors):
    over = sum(1 for e in errors if e > TARGET_P99_MS)
    return "p50 %.3f  p99 %.3f  max %.3f  (%d of %d over %.1f)" % (
        percentile(errors, 50), percentile(errors, 99), max(errors), over, len(errors), TARGET_P99_MS)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=str(Path(__file__).resolve().parent.parent / "build"))
    ap.add_argument("--pulses", type=int, default=1000)
    ap.add_argument("--width-ms", type=int, default=20)
    ap.add_argument("--gap-ms", type=int, default=20)
    ap.add_argument("--journal-tmpfs", action="store_true",
                    help="keep the daemon's journal in /dev/shm: takes the disk's fsync time out "
                         "of the gaps (the journal records each pulse before it starts)")
    ap.add_argument("--priority", type=int, default=50, help="SCHED_FIFO priority of the FIFO runs")
    ap.add_argument("--only", choices=["idle", "loaded"], help="run one load condition only")
    ap.add_argument("--cpu-latency-0", action="store_true",
                    help="hold /dev/cpu_dma_latency at 0 during the runs (no deep CPU idle; "
                         "on a VM: no halted vCPU the host must wake for the pulse timer)")
    args = ap.parse_args()
    qos_fd = None
    if args.cpu_latency_0:
        # The kernel keeps the request while the file is open (PM QoS), as cyclictest does.
        qos_fd = os.open("/dev/cpu_dma_latency", os.O_WRONLY)
        os.write(qos_fd, struct.pack("i", 0))
    if shutil.which("stress-ng") is None and args.only != "idle":
        sys.exit("bench/pulse-jitter: stress-ng is not installed (scripts/deps.sh installs it)")

    workdir = Path(tempfile.mkdtemp(prefix="pulse-jitter-", dir="/dev/shm" if args.journal_tmpfs else None))
    profile = workdir / "profile.json"
    write_profile(profile, args.width_ms, args.gap_ms)
    conditions = [c for c in ("idle", "loaded") if args.only in (None, c)]
    results = []
    try:
        for cond in conditions:
            for priority in (0, args.priority):
                r = one_run(args, profile, priority, cond == "loaded", workdir)
                results.append((cond, priority, r))
                print("done: %s, priority %d: %d pulses" % (cond, priority, r["pulses"]), file=sys.stderr)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    print("bench/pulse-jitter: |measured - configured| of coin pulse widths and gaps, in ms")
    print("machine: %s, %d cores, %s" % (platform.processor() or platform.machine(), os.cpu_count(),
                                         platform.platform()))
    print("train: %d pulses of %d ms, gaps %d ms; edge times: daemon's sim line protocol (VCD, 1 us)"
          % (args.pulses, args.width_ms, args.gap_ms))
    print("journal: %s" % ("tmpfs (/dev/shm)" if args.journal_tmpfs else "disk (%s)" % tempfile.gettempdir()))
    print("load: 'stress-ng --cpu 0' (one CPU hog per core) for the loaded runs")
    print("cpu idle: %s" % ("/dev/cpu_dma_latency held at 0" if qos_fd is not None else "as configured (%s)" % (
        Path("/sys/devices/system/cpu/cpuidle/current_driver").read_text().strip()
        if Path("/sys/devices/system/cpu/cpuidle/current_driver").exists() else "unknown")))
    ok = True
    worst_fifo_loaded = None
    for cond, priority, r in results:
        sched = "SCHED_FIFO %d" % priority if r["fifo"] else ("SCHED_OTHER" if priority == 0 else
                                                              "SCHED_OTHER (FIFO refused)")
        print("%-6s %-26s loadavg %5.2f  steal %4.1f%%  pulses %d counted %d decode errors %d" % (
            cond, sched, r["load"], r["steal"], r["pulses"], r["counted"], r["errors"]))
        if not r["widths"]:
            ok = False
            continue
        print("       width error: %s" % fmt(r["widths"]))
        print("       gap error:   %s" % fmt(r["gaps"]))
        if r["floor"]:
            print("       machine floor (cyclictest wake-up latency, same load): %s" % fmt(r["floor"]))
        ok &= r["pulses"] == args.pulses
        if cond == "loaded" and r["fifo"]:
            worst_fifo_loaded = max(percentile(r["widths"], 99), percentile(r["gaps"], 99))
    if worst_fifo_loaded is not None:
        print("target: p99 <= %.1f ms under load (SCHED_FIFO) -> %s (worst p99 %.3f ms)" % (
            TARGET_P99_MS, "met" if worst_fifo_loaded <= TARGET_P99_MS else "NOT met", worst_fifo_loaded))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
