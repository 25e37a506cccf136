"""The demo's driver: one paid session end to end on the real processes."""

import argparse
import shutil
import signal
import sys
import time
from pathlib import Path

import cashbridge_stack


def money(minor):
    return "%d.%02d EUR" % (minor // 100, minor % 100)


def main():
    ap = argparse.ArgumentParser(description="cashbridge demo: a paid session end to end")
    ap.add_argument("--build", required=True, help="build directory")
    ap.add_argument("--once", action="store_true",
                    help="exit after one payment: 0 if the machine counted exactly what was paid")
    ap.add_argument("--amount", type=int, default=200, help="price in cents (default 200)")
    args = ap.parse_args()

    # A fixed folder, so the pulse trace and logs are still there to look at afterwards.
    workdir = Path(args.build) / "demo-run"
    shutil.rmtree(workdir, ignore_errors=True)
    stack = cashbridge_stack.Stack(args.build, display="terminal", show_screen=True, workdir=workdir,
                                   daemon_overrides={"payment": {"price": {"mode": "fixed", "amount": args.amount}}})
    try:
        stack.start()
        session = stack.status()["session"]
        time.sleep(1.0)  # let the QR stand on screen for a moment
        print("\ncustomer scans %s and pays %s" % (session["qr"], money(args.amount)), flush=True)
        pay = stack.ctl("pay")
        reply = stack.ctl("wait", "counted=%d" % pay["amount"], "timeout_ms=30000", check=False)
        stack.ctl("wait", "report=" + pay["payment"], "type=credit.delivered", "timeout_ms=10000", check=False)
        status = stack.status()
        print("paid: %s   machine counted: %s   (%d pulses, %d pulse errors)" % (
            money(pay["amount"]), money(status["counted"]), status["pulses"], status["errors"]), flush=True)
        print("pulse trace (PulseView/GTKWave): %s; logs: %s" % (stack.vcd, workdir))
        ok = status["counted"] == pay["amount"] and status["errors"] == 0 and reply.get("ok")
        if args.once:
            return 0 if ok else 1
        print("\nThe stack stays up. Pay again with:\n  %s/hw-sim/cashbridge-sim ctl --control %s pay\n"
              "Inhibit the machine with: ... ctl --control %s inhibit on\nCtrl-C stops."
              % (args.build, stack.control, stack.control), flush=True)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            while stack.daemon.poll() is None:
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        return 0
    finally:
        stack.cleanup()


if __name__ == "__main__":
    sys.exit(main())
