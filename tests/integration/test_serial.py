"""The price feed and the payment-code scanner over real pseudo-terminals: hw-sim plays both
devices and the payment server, the real daemon reads them through its serial ports."""

import time
import unittest

from stack_case import BUILD, StackCase, cashbridge_stack

WECHAT = "134567890123456789"   # 18 digits, prefix 13
ALIPAY = "2812345678901234"     # 16 digits, prefix 28
UNKNOWN = "9912345678901234"    # nobody's prefix


LINE_FEED = {"baud": 9600, "pattern": "^(?<amount>[0-9]+)$", "cancel_pattern": "^CANCEL$",
             "decimals": "minor"}
# A binary display's frame: STX, four ASCII digits (minor units), ETX; no line ends.
FRAMED_FEED = {"baud": 9600, "frame_length": 6, "pattern": "^\\x02(?<amount>[0-9]{4})\\x03$",
               "decimals": "minor"}


def frame(amount):
    """The hex of one framed-feed frame, for hw-sim's price-bytes."""
    return "02" + ("%04d" % amount).encode().hex() + "03"


class SerialStack(StackCase):
    """A stack whose sim plays a price feed and a scanner; each test class starts it."""

    def setUp(self):
        pass  # StackCase's stack has no serial devices

    def start_stack(self, price_feed):
        self.stack = cashbridge_stack.Stack(BUILD)
        self.addCleanup(self.stack.cleanup)
        self.addCleanup(self.dump_logs_on_failure)
        price_tty = str(self.stack.dir / "price.tty")
        scanner_tty = str(self.stack.dir / "scanner.tty")
        self.stack.sim_args = ["--price-tty", price_tty, "--scanner-tty", scanner_tty]
        self.stack.overrides = {
            "payment": {"price": {"mode": "external"}},
            "price_feed": dict(price_feed, port=price_tty),
            "scanner": {"port": scanner_tty, "baud": 9600},
        }
        self.stack.broker.start()
        self.stack.start_sim()
        self.stack.start_daemon()
        # No amount yet, so no session: wait until the daemon is up and has both ports.
        self.wait_counter("price_feed_present", 1)
        self.wait_counter("scanner_present", 1)

    # -- helpers ----------------------------------------------------------------------
    def counters(self):
        state = self.stack.status()["state"]
        return state["counters"] if state else {}

    def wait_counter(self, name, value, timeout=15):
        cashbridge_stack.wait_for(lambda: self.counters().get(name) == value, timeout,
                                  "state counter %s == %s (now %s)" % (name, value,
                                                                       self.counters().get(name)))

    def session(self):
        return self.stack.status()["session"]

    def wait_session_amount(self, amount):
        cashbridge_stack.wait_for(
            lambda: (self.session() or {}).get("amount") == amount, 10,
            "a session for %s (now %s)" % (amount, self.session()))
        return self.session()

    def orders(self):
        return self.stack.ctl("orders")["orders"]

    def paid_order(self, n):
        """The n-th scan order, once the server has completed it with a payment."""
        cashbridge_stack.wait_for(lambda: len(self.orders()) >= n and self.orders()[n - 1].get("payment"),
                                  15, "scan order %d to be paid" % n)
        return self.orders()[n - 1]


class SerialTest(SerialStack):
    def setUp(self):
        self.start_stack(LINE_FEED)

    def test_a_price_fed_on_serial_opens_a_session_for_it_and_a_payment_credits_exactly_it(self):
        self.assertIsNone(self.session())
        self.stack.ctl("price", "250")
        session = self.wait_session_amount(250)
        pay = self.stack.ctl("pay")
        self.assertEqual(pay["amount"], 250)
        counted = self.stack.wait_credited(pay["payment"], 250)["counted"]

        # Garbage and an amount above max_amount (2000) are reported, never acted on.
        self.stack.ctl("price", "12ab")
        self.stack.ctl("price", "99990")
        self.wait_counter("prices_malformed", 1)
        self.wait_counter("prices_out_of_range", 1)
        self.stack.ctl("price", "120")
        second = self.wait_session_amount(120)
        self.assertNotEqual(second["session"], session["session"])
        # The machine's cancel closes the session and none opens until a new amount.
        self.stack.ctl("price", "CANCEL")
        self.wait_counter("price_cancels", 1)
        cashbridge_stack.wait_for(
            lambda: (self.counters().get("sessions_opened"), self.stack.status()["state"]["session"])
            == (2, None), 10, "the session closed by the cancel frame")
        self.assertEqual(self.stack.status()["counted"], counted)

    def test_codes_are_classified_and_only_valid_ones_reach_the_server(self):
        self.stack.ctl("price", "300")
        self.wait_session_amount(300)
        self.stack.ctl("scan", WECHAT)
        counted = self.stack.wait_credited(self.paid_order(1)["payment"], 300)["counted"]
        self.stack.ctl("price", "200")
        self.wait_session_amount(200)
        self.stack.ctl("scan", ALIPAY)
        counted = self.stack.wait_credited(self.paid_order(2)["payment"], 200, counted)["counted"]
        self.stack.ctl("scan", UNKNOWN)
        self.wait_counter("scans_rejected", 1)

        orders = self.orders()
        self.assertEqual([(o["code_type"], o["code"], o["amount"], o["state"]) for o in orders],
                         [("wechat_pay", WECHAT, 300, "completed"),
                          ("alipay", ALIPAY, 200, "completed")])
        self.assertEqual(self.counters().get("scans_sent"), 2)
        self.assertEqual(self.stack.status()["counted"], counted)
        log = self.stack.log("daemon.log")
        for code in (WECHAT, ALIPAY, UNKNOWN):
            self.assertNotIn(code, log, "a payment code was logged in full")
        self.assertIn("****" + WECHAT[-4:], log)
        self.assertIn("Unknown payment code", log)

    def test_a_canceled_order_is_never_credited(self):
        self.stack.ctl("scan-mode", "hold")
        self.stack.ctl("price", "250")
        session = self.wait_session_amount(250)
        self.stack.ctl("scan", WECHAT)
        cashbridge_stack.wait_for(lambda: len(self.orders()) == 1, 10, "the payment.scan")
        order = self.orders()[0]
        self.assertEqual((order["session"], order["state"]), (session["session"], "pending"))

        self.stack.ctl("price", "0")  # the customer pressed cancel on the machine
        cashbridge_stack.wait_for(lambda: self.orders()[0]["state"] == "canceled", 10,
                                  "the payment.cancel")
        self.assertEqual(self.orders()[0]["cancel_reason"], "price_cancel")
        refused = self.stack.ctl("scan-complete", "order=" + order["order"], check=False)
        self.assertFalse(refused["ok"])
        self.assertIn("canceled", refused["error"])

        # A charge that raced the cancel completes anyway: the daemon must refuse it.
        late = self.stack.ctl("scan-complete", "order=" + order["order"], "force=1")
        rejected = self.wait_report(late["payment"], "payment.rejected")
        self.assertEqual(rejected[0]["reason"], "order_canceled")
        self.wait_counter("payments_after_cancel", 1)
        status = self.stack.status()
        self.assertEqual(status["counted"], 0)
        self.assertEqual(status["pulses"], 0)
        self.assertIn("payment_after_cancel", self.stack.log("daemon.log"))

    def test_a_failed_charge_is_canceled_and_a_fresh_session_offered(self):
        self.stack.ctl("scan-mode", "fail")
        self.stack.ctl("price", "250")
        first = self.wait_session_amount(250)
        self.stack.ctl("scan", ALIPAY)
        cashbridge_stack.wait_for(
            lambda: self.orders() and self.orders()[0].get("cancel_reason") == "server_failed",
            10, "the payment.cancel answering payment.failed")
        self.wait_counter("payments_failed", 1)
        second = self.wait_session_amount(250)
        self.assertNotEqual(second["session"], first["session"])
        self.assertEqual(self.stack.status()["counted"], 0)

    def test_an_unplugged_price_feed_shows_missing_and_is_reopened_when_it_returns(self):
        self.stack.ctl("unplug", "price")
        self.wait_counter("price_feed_present", 0)
        self.stack.ctl("plug", "price")
        self.wait_counter("price_feed_present", 1)
        self.stack.ctl("price", "150")
        self.wait_session_amount(150)
        self.assertEqual(self.counters().get("price_feed_lost"), 1)


class PriceFeedTest(SerialStack):
    """Fixed-length frames and the feed's timers (stale amounts, partial frames): each test
    starts the stack with its own price_feed settings."""

    def no_session(self):
        return self.stack.status()["state"]["session"] is None

    def test_fixed_length_binary_frames_open_a_session_that_a_payment_credits(self):
        self.start_stack(FRAMED_FEED)
        # Two frames in one write, no line ends: split by length, the later amount wins.
        self.stack.ctl("price-bytes", frame(120) + frame(250))
        session = self.wait_session_amount(250)
        # The counters come in the state message, which may follow session.open.
        self.wait_counter("prices_received", 2)
        pay = self.stack.ctl("pay")
        self.assertEqual(pay["amount"], 250)
        self.stack.wait_credited(pay["payment"], 250)
        self.assertEqual(self.counters().get("prices_malformed", 0), 0)
        self.assertEqual(session["amount"], 250)

    def test_an_amount_not_repeated_in_time_closes_the_session_and_nothing_is_credited(self):
        self.start_stack(dict(LINE_FEED, stale_after_ms=1500))
        self.stack.ctl("price", "150")
        session = self.wait_session_amount(150)
        # The feed repeats the amount for longer than the stale time: the session stays.
        # (Every 0.3 s: a loaded CI machine may be late by a second without a false stale.)
        for _ in range(6):
            time.sleep(0.3)
            self.stack.ctl("price", "150")
        self.assertEqual(self.session()["session"], session["session"])
        self.assertEqual(self.counters().get("prices_stale", 0), 0)
        self.assertEqual(self.counters().get("sessions_opened"), 1)
        # The feed falls silent: the session closes and none opens until a new amount.
        self.wait_counter("prices_stale", 1, timeout=5)
        cashbridge_stack.wait_for(self.no_session, 5, "the stale session closed")
        self.assertIn("price_stale: amount not repeated within 1500 ms",
                      self.stack.log("daemon.log"))
        time.sleep(0.3)
        status = self.stack.status()
        self.assertTrue(self.no_session())
        self.assertEqual(self.counters().get("sessions_opened"), 1)
        self.assertEqual((status["counted"], status["pulses"]), (0, 0))

    def test_a_partial_frame_followed_by_silence_is_dropped_and_the_next_frame_works(self):
        self.start_stack(dict(FRAMED_FEED, frame_timeout_ms=300))
        self.stack.ctl("price-bytes", frame(250)[:6])  # STX and two digits, then silence
        self.wait_counter("prices_malformed", 1, timeout=5)
        self.assertIn('price_malformed: incomplete frame "\\x0202" dropped',
                      self.stack.log("daemon.log"))
        self.assertTrue(self.no_session())
        self.assertEqual(self.counters().get("prices_received", 0), 0)
        # Without the drop these bytes would have been the end of a misaligned frame.
        self.stack.ctl("price-bytes", frame(120))
        self.wait_session_amount(120)
        self.wait_counter("sessions_opened", 1)
        self.assertEqual(self.counters().get("prices_malformed"), 1)


class KeyboardScannerTest(SerialStack):
    """A keyboard-wedge scanner (scanner.input "evdev") as far as this host goes: it has no
    input devices and no /dev/uinput, so reading real keystrokes is proven in tests/qemu.
    Here: a scanner that is not there, then a device node that is no keyboard, are reported
    with the reason and retried, and the daemon keeps running."""

    def setUp(self):
        self.stack = cashbridge_stack.Stack(BUILD)
        self.addCleanup(self.stack.cleanup)
        self.addCleanup(self.dump_logs_on_failure)
        self.link = self.stack.dir / "scanner-kbd"
        self.stack.overrides = {"scanner": {"input": "evdev", "device": str(self.link)}}
        self.stack.broker.start()
        self.stack.start_sim()
        self.stack.start_daemon()

    def test_a_missing_or_wrong_device_is_reported_missing_with_the_reason_and_retried(self):
        self.wait_counter("scanner_present", 0)
        cashbridge_stack.wait_for(lambda: "%s: cannot open" % self.link in self.stack.log("daemon.log"),
                                  5, "the daemon log names the missing device")
        self.link.symlink_to("/dev/null")  # a device node, but no input device
        cashbridge_stack.wait_for(
            lambda: "%s: not an input device" % self.link in self.stack.log("daemon.log"), 5,
            "the daemon retries and says why /dev/null is refused")
        self.assertEqual(self.counters().get("scanner_present"), 0)
        self.assertIsNotNone(self.stack.status()["session"], "sessions still offered")
        self.assertIsNone(self.stack.daemon.poll(), "the daemon keeps running")


if __name__ == "__main__":
    unittest.main()
