"""The daemon killed (SIGKILL) mid-credit and restarted on its journal: the rest is
delivered, a cut pulse is reported ambiguous and never repeated, duplicates are not
credited again, and a payment made while the daemon was down is credited once."""

import signal
import time
import unittest

from stack_case import StackCase, cashbridge_stack


class RestartTest(StackCase):
    def kill_daemon(self):
        self.stack.daemon.send_signal(signal.SIGKILL)
        self.stack.daemon.wait()
        self.stack.daemon = None

    def test_killed_mid_credit_resumes_without_double_credit(self):
        pay = self.stack.ctl("pay")  # 2.00: 20 pulses over about 2 s
        cashbridge_stack.wait_for(lambda: self.stack.status()["pulses"] >= 6, 10, "some pulses")
        time.sleep(0.03)  # likely inside a pulse
        self.kill_daemon()
        counted_at_kill = self.stack.status()["counted"]
        self.assertLess(counted_at_kill, 200)

        self.stack.start_daemon()
        self.stack.ctl("wait", "settled", "timeout_ms=20000")
        status = self.stack.status()
        record = [p for p in status["payments"] if p["payment"] == pay["payment"]][0]
        self.assertEqual(record["final"], "delivered", record)
        self.assertLessEqual(status["counted"], 200)
        self.assertGreaterEqual(status["counted"] + status["ambiguous_total"], 200)

        # The server's duplicate after the restart is acknowledged, not credited.
        counted = status["counted"]
        self.stack.ctl("republish", "payment=" + pay["payment"])
        time.sleep(1.0)
        self.assertEqual(self.stack.status()["counted"], counted)

    def test_payment_made_while_the_daemon_is_down_is_credited_once(self):
        self.kill_daemon()
        pay = self.stack.ctl("pay")  # the broker keeps it for the daemon's persistent session
        time.sleep(0.5)
        self.stack.start_daemon()
        counted = self.stack.wait_credited(pay["payment"], 200)["counted"]
        self.stack.ctl("wait", "settled", "timeout_ms=20000")
        time.sleep(1.5)  # re-sends and the session query have had time to arrive
        status = self.stack.status()
        self.assertEqual(status["counted"], counted)
        record = [p for p in status["payments"] if p["payment"] == pay["payment"]][0]
        self.assertEqual(record["final"], "delivered")


if __name__ == "__main__":
    unittest.main()
