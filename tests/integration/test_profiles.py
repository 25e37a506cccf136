"""Every machine profile in profiles/ works end to end: the daemon selects it by name, the
sim plays the same file as the machine (its tolerances as the decoder) and as the real
acceptor on cash_in; a payment is counted exactly, and inserted cash is counted by the
daemon and published in its state."""

import time
import unittest

from test_tools import PROFILES, ProfileStack  # first: it puts scripts/ on the path
from cashbridge_stack import vcd_pulses  # noqa: E402


def wait_cash(test, s, value):
    """Waits for the daemon's state to show `value` counted from two inserted coins."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        counters = (s.status().get("state") or {}).get("counters", {})
        if counters.get("cash_in_value") == value:
            test.assertEqual(counters.get("cash_in_coins"), 2)
            test.assertNotIn("cash_in_errors", counters)
            return
        time.sleep(0.1)
    test.fail("daemon state never showed cash_in_value=%d: %s\n%s"
              % (value, s.status().get("state"), s.log("daemon.log")[-3000:]))


class ProfilesTest(unittest.TestCase):
    def test_each_profile_pays_and_counts_cash(self):
        names = sorted(p.stem for p in PROFILES.glob("*.json"))
        self.assertGreaterEqual(len(names), 5)
        for name in names:
            with self.subTest(profile=name):
                s = ProfileStack(name)
                self.addCleanup(s.cleanup)
                s.start()
                s.ctl("pay", "payment=p-" + name)
                if not s.ctl("wait", "report=p-" + name, "type=credit.delivered",
                             "timeout_ms=30000", check=False).get("ok"):
                    self.fail("%s: the payment was not delivered\n%s\n%s" % (
                        name, s.log("daemon.log")[-3000:], s.log("sim.log")[-3000:]))
                time.sleep(0.3)  # the last pulse's trailing edge reaches the sim
                st = s.status()
                record = [p for p in st["payments"] if p["payment"] == "p-" + name][0]
                # Counted exactly, less any pulse the daemon itself reported ambiguous (its
                # pulse thread delayed past the tolerance, as on a loaded or sanitized run).
                ambiguous = record.get("ambiguous") or 0
                self.assertLessEqual(st["counted"], 200, st["error_log"])
                self.assertGreaterEqual(st["counted"], 200 - ambiguous, st["error_log"])
                if ambiguous == 0:
                    self.assertEqual((st["counted"], st["errors"]), (200, 0), st["error_log"])
                s.ctl("insert", "50", "20")
                wait_cash(self, s, 70)
                s.cleanup()


class CoinWidthsTest(unittest.TestCase):
    """parallel-coin-widths: each coin channel pulses for its own time, and the machine's
    controller (the sim) counts a channel's pulse only at that channel's width, +/- 5 ms."""
    WIDTHS = {200: 100, 100: 75, 50: 50, 20: 40, 10: 25}  # coin value: ms

    def pay_380(self, acceptor=None):
        """Starts a stack and pays 3.80 (one coin of each value); returns the stack."""
        s = ProfileStack("parallel-coin-widths", acceptor=acceptor,
                         daemon_overrides={"payment": {"price": {"mode": "fixed", "amount": 380}}})
        self.addCleanup(s.cleanup)
        s.start()
        s.ctl("pay", "payment=p-widths")
        return s

    def test_each_channel_pulses_for_its_own_width_and_is_counted(self):
        s = self.pay_380()
        # Counted exactly, or less only what the daemon reported ambiguous (the one rule).
        st = s.wait_credited("p-widths", 380)
        record = s.payment_record("p-widths")
        for value, width_ms in self.WIDTHS.items():
            # As a logic analyser on the machine's input would read it.
            pulses = vcd_pulses(s.vcd, "coin_%d" % value)
            self.assertEqual(len(pulses), 1, (value, pulses))
            if record["ambiguous"] == 0:
                self.assertAlmostEqual(pulses[0][1] / 1000, width_ms, delta=5, msg=value)
        if record["ambiguous"] == 0:
            self.assertEqual((st["counted"], st["errors"]), (380, 0), st["error_log"])
        # The tapped channels of the real acceptor are judged by the same widths.
        s.ctl("insert", "10", "200")
        wait_cash(self, s, 210)

    def test_one_width_for_every_channel_is_refused_by_the_machine(self):
        # What an installer gets who leaves each channel at pulse_ms (50 ms): only the
        # 50 channel counts; the controller refuses the rest, as a real one would.
        s = self.pay_380({"coins": [{"value": v} for v in self.WIDTHS]})
        s.ctl("wait", "report=p-widths", "type=credit.delivered", "timeout_ms=30000")
        time.sleep(0.3)  # the last pulse's trailing edge reaches the sim
        record = s.payment_record("p-widths")
        st = s.status()
        log = "\n".join(st["error_log"])
        self.assertIn("coin_10: too_long", log)
        self.assertIn("coin_20: too_long", log)
        self.assertLessEqual(st["counted"], 50, log)
        if record["ambiguous"] == 0:
            self.assertIn("coin_100: too_short", log)
            self.assertIn("coin_200: too_short", log)
            self.assertEqual((st["counted"], st["errors"]), (50, 4), log)


if __name__ == "__main__":
    unittest.main()
