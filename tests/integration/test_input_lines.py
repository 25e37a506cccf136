"""The daemon's input lines: the customer's coin-return button cancels the session on
screen (and tells the server), and a line that cannot be requested stops start-up with
exit code 4 and a message naming the config field, the chip and the offset."""

import json
import subprocess
import time
import unittest

from stack_case import StackCase, cashbridge_stack, zbar_decode

WITH_COIN_RETURN = {"acceptor": {"coin_return": {"active": "low", "debounce_ms": 5}}}


class CoinReturnTest(StackCase):
    overrides = WITH_COIN_RETURN

    def press(self):
        self.stack.ctl("coin_return", "press")
        time.sleep(0.05)  # a customer's press lasts far longer than the 5 ms debounce
        self.stack.ctl("coin_return", "release")

    def canceled(self):
        return self.stack.status()["canceled"]

    def test_coin_return_cancels_the_session_and_shows_a_new_one(self):
        first = self.stack.status()["session"]["session"]
        self.assertTrue(self.stack.status()["lines"]["coin_return"]["claimed"])
        self.press()
        cashbridge_stack.wait_for(lambda: self.canceled(), 10, "session.cancel at the server")
        self.assertEqual(self.canceled(), [{"session": first, "reason": "coin_return"}])
        self.stack.ctl("wait", "session", "timeout_ms=10000")
        status = self.stack.status()
        second = status["session"]
        self.assertNotEqual(second["session"], first)
        cashbridge_stack.wait_for(lambda: zbar_decode(self.stack.screen) == second["qr"], 10,
                                  "the screen to show the new session's QR")
        self.assertEqual(status["counted"], 0)
        self.assertEqual(status["pulses"], 0)
        self.assertEqual(status["payments"], [])
        cashbridge_stack.wait_for(
            lambda: self.stack.status()["state"]["counters"].get("coin_returns") == 1, 10,
            "the daemon's coin_returns counter")

    def test_payment_that_crossed_the_cancel_is_still_credited_as_forced(self):
        first = self.stack.status()["session"]["session"]
        self.press()
        cashbridge_stack.wait_for(lambda: self.canceled(), 10, "session.cancel at the server")
        # The customer had paid just before pressing: the server took the money.
        pay = self.stack.ctl("pay", "session=" + first, "amount=200")
        self.wait_report(pay["payment"], "credit.delivered", timeout_ms=15000)
        rec = [p for p in self.stack.status()["payments"] if p["payment"] == pay["payment"]][0]
        self.assertEqual(rec["forced"], "session_canceled")
        self.assertEqual(rec["delivered_amount"], 200)
        # What a logic analyser on the coin line saw: the 20 pulses of 2.00 EUR. (Whether
        # the machine judged each in tolerance is test_payment's business; on a loaded
        # host one may be stretched.)
        self.assertEqual(len(cashbridge_stack.vcd_pulses(self.stack.vcd, "coin")), 20)


class LineClaimTest(StackCase):
    """A second daemon against the same simulator: its lines are taken or do not exist."""

    def run_second_daemon(self, acceptor_changes):
        cfg = self.stack.daemon_config()
        cfg["journal"] = {"path": str(self.stack.dir / "second.db")}
        cfg["mqtt"]["client_id"] += "-second"
        for key, value in acceptor_changes.items():
            if value is None:
                cfg["acceptor"].pop(key, None)
            else:
                cfg["acceptor"][key] = value
        path = self.stack.dir / "second.json"
        path.write_text(json.dumps(cfg))
        return subprocess.run([str(self.stack.build / "bridge" / "cashbridged"), "--config", str(path)],
                              capture_output=True, text=True, timeout=30)

    def test_busy_line_stops_start_up_naming_field_chip_and_offset(self):
        r = self.run_second_daemon({"line": {"chip": "gpiochip0", "offset": 17}})
        self.assertEqual(r.returncode, 4, r.stderr)
        self.assertIn("acceptor.line: cannot request line 'coin' (chip gpiochip0, offset 17) "
                      "from the simulator: ", r.stderr)
        self.assertIn("already claimed", r.stderr)
        # The first daemon still holds its line and works.
        self.assertTrue(self.stack.status()["lines"]["coin"]["claimed"])

    def test_line_the_machine_does_not_have_names_the_coin_item(self):
        r = self.run_second_daemon({"protocol": "parallel", "pulse_value": None,
                                    "coins": [{"value": 10, "offset": 5}, {"value": 50, "offset": 6}]})
        self.assertEqual(r.returncode, 4, r.stderr)
        # Coins are claimed largest first; the message keeps the file's numbering.
        self.assertIn("acceptor.coins[1]: cannot request line 'coin_50' (chip gpiochip0, offset 6)",
                      r.stderr)
        self.assertIn("unknown line coin_50", r.stderr)


if __name__ == "__main__":
    unittest.main()
