"""The broker goes away and comes back: the screen says unavailable meanwhile, the daemon
reconnects by itself and credits again; a killed daemon is reported offline by its Will."""

import signal
import time
import unittest

from stack_case import StackCase, cashbridge_stack, zbar_decode


class BrokerOutageTest(StackCase):
    def test_daemon_reconnects_and_shows_unavailable_meanwhile(self):
        qr = self.stack.status()["session"]["qr"]
        cashbridge_stack.wait_for(lambda: zbar_decode(self.stack.screen) == qr, 10, "the QR on screen")

        self.stack.broker.stop()
        # Unavailable screen: no QR to scan, and the daemon says why in its log.
        cashbridge_stack.wait_for(lambda: zbar_decode(self.stack.screen) is None, 20,
                                  "the screen to drop the QR")
        cashbridge_stack.wait_for(lambda: "broker connection lost" in self.stack.log("daemon.log"), 5,
                                  "the daemon to log the lost connection")

        self.stack.broker.start()  # same port, as after a broker restart
        cashbridge_stack.wait_for(lambda: self.stack.status()["mqtt_connected"], 30, "the sim to reconnect")
        cashbridge_stack.wait_for(lambda: self.stack.status()["availability"] == "online", 30,
                                  "the daemon to announce itself online again")
        cashbridge_stack.wait_for(lambda: zbar_decode(self.stack.screen) is not None, 20,
                                  "the QR to come back")
        # The state message after the reconnect says ready and counts the outage.
        cashbridge_stack.wait_for(
            lambda: (self.stack.status()["state"]["state"],
                     self.stack.status()["state"]["counters"].get("mqtt_disconnects", 0) >= 1)
            == ("ready", True), 10, "the state to count the disconnect")

        # The session may have been re-announced on reconnect; pay what is open now.
        pay = self.stack.ctl("pay")
        self.stack.wait_credited(pay["payment"], 200)

    def test_killed_daemon_is_reported_offline_by_its_last_will(self):
        self.assertEqual(self.stack.status()["availability"], "online")
        self.stack.daemon.send_signal(signal.SIGKILL)
        self.stack.daemon.wait()
        # The broker notices at 1.5 x keepalive (5 s) at the latest; the socket close is faster.
        cashbridge_stack.wait_for(lambda: self.stack.status()["availability"] == "offline", 15,
                                  "the Last Will")

    def test_orderly_stop_reports_offline_and_releases_the_coin_line(self):
        self.assertEqual(self.stack.stop_daemon(signal.SIGTERM), 0)
        time.sleep(0.2)
        status = self.stack.status()
        self.assertEqual(status["availability"], "offline")
        self.assertFalse(status["lines"]["coin"]["claimed"])


if __name__ == "__main__":
    unittest.main()
