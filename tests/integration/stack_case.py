"""Base class for the integration tests: one fresh stack (broker, sim, daemon) per test,
its logs printed when a test fails so a red CI run explains itself."""

import os
import subprocess
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import cashbridge_stack  # noqa: E402

BUILD = Path(os.environ.get("CASHBRIDGE_BUILD", Path(__file__).resolve().parents[2] / "build"))


def zbar_decode(png):
    """The QR text a real decoder reads from `png`, or None if it finds no code."""
    r = subprocess.run(["zbarimg", "--raw", "-q", str(png)], capture_output=True, text=True)
    return r.stdout.strip() if r.returncode == 0 else None


class StackCase(unittest.TestCase):
    profile = "pulse-50ms.json"
    overrides = None
    daemon_prefix = None

    def setUp(self):
        self.stack = cashbridge_stack.Stack(BUILD, profile=self.profile, daemon_overrides=self.overrides,
                                            daemon_prefix=self.daemon_prefix)
        self.addCleanup(self.stack.cleanup)
        self.addCleanup(self.dump_logs_on_failure)
        self.stack.start()

    def dump_logs_on_failure(self):
        outcome = getattr(self, "_outcome", None)
        result = getattr(outcome, "result", None)
        failed = result and any(t is self for t, _ in result.failures + result.errors)
        if failed:
            for name in ("daemon.log", "sim.log", "mosquitto.log"):
                sys.stderr.write("----- %s -----\n%s\n" % (name, self.stack.log(name)[-6000:]))

    def reports_for(self, payment):
        return [r for r in self.stack.status()["reports"] if r.get("payment") == payment]

    def wait_report(self, payment, type_, timeout_ms=10000):
        self.stack.ctl("wait", "report=" + payment, "type=" + type_, "timeout_ms=%d" % timeout_ms)
        return [r for r in self.reports_for(payment) if r["type"] == type_]
