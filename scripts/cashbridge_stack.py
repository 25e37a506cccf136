"""Starts a whole cashbridge stack on this machine: a real Mosquitto broker on a free
loopback port, cashbridge-sim (machine, payment server, customer) and cashbridged on the
sim backends, all in one temporary directory. Used by the demo, the integration tests and
the benchmarks, so all three run the same real processes.
"""

import getpass
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise TimeoutError("timed out waiting for " + what)


class Broker:
    """A real mosquitto on 127.0.0.1 with a config written for this run."""

    def __init__(self, workdir, port=None, persistence=False):
        self.port = port or free_port()
        self.conf = Path(workdir) / "mosquitto.conf"
        self.log = Path(workdir) / "mosquitto.log"
        # persistence=True: sessions and queued messages survive a broker restart (stop/start
        # on the same port), kept in the stack's folder.
        # (saved on a clean stop). `user`: a root mosquitto otherwise drops to the user
        # "mosquitto", which cannot write the stack's private folder.
        store = ("persistence true\npersistence_location %s/\nuser %s\n"
                 % (Path(workdir).resolve(), getpass.getuser()) if persistence else "persistence false\n")
        self.conf.write_text(
            "listener %d 127.0.0.1\nallow_anonymous true\n" % self.port + store +
            # Without it the broker batches small packets (Nagle) and each payment waits
            # for a delayed ACK: ~40 ms. Production brokers want it too (docs/benchmarks.md).
            "set_tcp_nodelay true\n"
        )
        self.proc = None

    def start(self):
        exe = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen([exe, "-c", str(self.conf)], stdout=log, stderr=subprocess.STDOUT)

        def listening():
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return True
            except OSError:
                return False

        wait_for(listening, 10, "mosquitto on port %d" % self.port)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        self.proc = None


class Stack:
    """Broker + simulator + daemon. `daemon_overrides` patches the daemon config (a dict
    merged one level deep into config/sim.json); `profile` names a hw-sim profile;
    `sim_args` are extra cashbridge-sim flags (e.g. ["--persistent-session"]);
    `broker_persistence` makes the broker keep sessions across its restarts;
    `daemon_prefix` is a command the daemon is run through."""

    def __init__(self, build_dir, profile="pulse-50ms.json", daemon_overrides=None,
                 display="png", workdir=None, show_screen=False, sim_args=None,
                 broker_persistence=False, daemon_prefix=None):
        self.build = Path(build_dir).resolve()
        self.dir = Path(workdir or tempfile.mkdtemp(prefix="cashbridge-"))
        self.dir.mkdir(parents=True, exist_ok=True)
        self.own_dir = workdir is None
        self.profile = ROOT / "hw-sim" / "profiles" / profile
        self.overrides = daemon_overrides or {}
        self.display = display
        self.show_screen = show_screen  # daemon stdout (the terminal display) to our terminal
        self.broker = Broker(self.dir, persistence=broker_persistence)
        self.sim_args = list(sim_args or [])
        # Run the daemon through this command (e.g. setpriv/prlimit to take privileges away).
        self.daemon_prefix = list(daemon_prefix or [])
        self.lines = self.dir / "lines.sock"
        self.control = self.dir / "control.sock"
        self.vcd = self.dir / "lines.vcd"
        self.screen = self.dir / "screen.png"
        self.sim = None
        self.daemon = None
        self.config_path = self.dir / "cashbridged.json"
        self._files = []

    # -- processes ---------------------------------------------------------------------
    def daemon_config(self):
        cfg = json.loads((ROOT / "config" / "sim.json").read_text())
        cfg["payment"]["key_file"] = str(ROOT / "config" / "demo.key")
        cfg["mqtt"]["broker"] = "tcp://127.0.0.1:%d" % self.broker.port
        cfg["mqtt"]["client_id"] = "cashbridged-test-%d" % os.getpid()
        cfg["mqtt"]["keepalive_s"] = 5
        cfg["hal"]["sim_socket"] = str(self.lines)
        cfg["journal"] = {"path": str(self.dir / "journal.db")}
        if self.display == "png":
            cfg["display"] = {"backend": "png", "path": str(self.screen), "width": 800, "height": 480}
        else:
            cfg["display"] = {"backend": self.display}
        for section, values in self.overrides.items():
            if isinstance(values, dict):
                cfg.setdefault(section, {}).update(values)
            else:
                cfg[section] = values
        return cfg

    def _out(self, name):
        f = open(self.dir / name, "ab")
        self._files.append(f)
        return f

    def start_sim(self):
        self.sim = subprocess.Popen(
            [str(self.build / "hw-sim" / "cashbridge-sim"), "--profile", str(self.profile),
             "--lines", str(self.lines), "--control", str(self.control), "--vcd", str(self.vcd),
             "--broker", "tcp://127.0.0.1:%d" % self.broker.port,
             "--machine", self.daemon_config()["machine"]["id"],
             "--key", str(ROOT / "config" / "demo.key")] + self.sim_args,
            stdout=self._out("sim.log"), stderr=subprocess.STDOUT,
        )
        wait_for(lambda: self.control.exists() and self.lines.exists(), 10, "cashbridge-sim sockets")
        # session.open is not retained: the payment server must be listening before the
        # daemon announces its first session.
        wait_for(lambda: self.ctl("status")["mqtt_connected"], 15, "cashbridge-sim to reach the broker")

    def start_daemon(self):
        self.config_path.write_text(json.dumps(self.daemon_config(), indent=2))
        self.daemon = subprocess.Popen(
            self.daemon_prefix + [str(self.build / "bridge" / "cashbridged"), "--config", str(self.config_path)],
            stdout=None if self.show_screen else self._out("daemon.log"),
            stderr=self._out("daemon.log") if self.show_screen else subprocess.STDOUT,
        )

    def start(self):
        self.broker.start()
        self.start_sim()
        self.start_daemon()
        self.ctl("wait", "session", "timeout_ms=15000")
        return self

    def stop_daemon(self, sig=signal.SIGTERM):
        if self.daemon and self.daemon.poll() is None:
            self.daemon.send_signal(sig)
            try:
                self.daemon.wait(40)
            except subprocess.TimeoutExpired:
                self.daemon.kill()
                self.daemon.wait()
        code = self.daemon.returncode if self.daemon else None
        self.daemon = None
        return code

    def stop(self):
        self.stop_daemon()
        if self.sim and self.sim.poll() is None:
            self.sim.terminate()
            self.sim.wait(10)
        self.broker.stop()
        for f in self._files:
            f.close()
        self._files = []

    def cleanup(self):
        self.stop()
        if self.own_dir:
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.cleanup()

    # -- the simulator's control socket -----------------------------------------------
    def ctl(self, *words, check=True):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(120)
            s.connect(str(self.control))
            s.sendall((" ".join(words) + "\n").encode())
            data = b""
            while not data.endswith(b"\n"):
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        reply = json.loads(data)
        if check and not reply.get("ok"):
            raise RuntimeError("cashbridge-sim %s: %s" % (" ".join(words), reply.get("error", reply)))
        return reply

    def status(self):
        return self.ctl("status")

    def payment_record(self, payment):
        return [p for p in self.status()["payments"] if p["payment"] == payment][0]

    def wait_credited(self, payment, amount, counted_before=0, timeout_ms=20000):
        """Waits for the daemon's credit.delivered of `payment` and for the machine to count
        it; returns the sim's status then. The machine must have counted `amount`, less only
        what the daemon itself reported ambiguous: a pulse thread held off the CPU past the
        width tolerance (a loaded or sanitized run on a shared VM) says so in its report, and
        the machine may refuse that pulse. That is the product's promise (never more than
        paid, never less without saying so); an exact count is only owed when nothing was
        reported ambiguous."""
        self.ctl("wait", "report=" + payment, "type=credit.delivered", "timeout_ms=%d" % timeout_ms)
        record = self.payment_record(payment)
        if record["delivered_amount"] != amount:
            raise AssertionError("credit.delivered of %s says %d, paid %d" % (
                payment, record["delivered_amount"], amount))
        ambiguous = record["ambiguous"]
        sure = counted_before + amount - ambiguous
        reply = self.ctl("wait", "counted=%d" % sure, "timeout_ms=5000", check=False)
        time.sleep(0.3)  # a trailing edge (or a wrongly repeated pulse) reaches the machine
        status = self.status()
        counted = status["counted"] - counted_before
        if not reply.get("ok") or not amount - ambiguous <= counted <= amount or (
                ambiguous == 0 and counted != amount):
            raise AssertionError("payment %s of %d: the machine counted %d, the daemon reported "
                                 "%d ambiguous\n%s" % (payment, amount, counted, ambiguous,
                                                       "\n".join(status.get("error_log", []))))
        return status

    def log(self, name):
        p = self.dir / name
        return p.read_text(errors="replace") if p.exists() else ""


def vcd_pulses(path, wire_name):
    """(start_us, width_us) of each low pulse on `wire_name` in a VCD file, as a logic
    analyser would read it. Assumes active-low lines (the sim profiles used here)."""
    ids, t, level, start, pulses = {}, 0, None, None, []
    for line in Path(path).read_text().splitlines():
        parts = line.split()
        if line.startswith("$var") and len(parts) >= 5:
            ids[parts[3]] = parts[4]
        elif line.startswith("#"):
            t = int(line[1:])
        elif parts and parts[0][:1] in "01" and ids.get(parts[0][1:]) == wire_name:
            new = parts[0][0]
            if new == "0" and level != "0":
                start = t
            elif new == "1" and level == "0" and start is not None:
                pulses.append((start, t - start))
            level = new
    return pulses
