#!/usr/bin/env python3
"""The qemu test: the real cashbridged with the libgpiod backend on a real kernel GPIO chip
(gpio-sim in Debian's own kernel, booted under qemu TCG with the instruction-count clock)
and the framebuffer backend on the guest's emulated display. Pulses are read from the
kernel's ftrace record; the screen is read back from /dev/fb0 and decoded with zbarimg.
Exit status 0 when every check passes. See README.md in this folder."""

import argparse
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import frame
import guest_image
import guest_log

HERE = Path(__file__).resolve().parent
PULSE_MS = GAP_MS = 50  # guest_image.daemon_config()
PULSE_VALUE = 10
PROFILE_WIDTH = (40, 60)  # hw-sim/profiles/pulse-50ms.json: what the machine accepts
# No pulse may start once INHIBIT is seen: the player checks the hold again at the end of
# each gap. Seen = the input's debounce (5 ms by default) plus the event loop's reaction.
HOLD_REACTION_MS = 10


def default_cache():
    if os.geteuid() == 0:
        return "/var/cache/cashbridge-qemu"
    return str(Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "cashbridge-qemu")


def boot(kernel_dir, initramfs, disk, console, uart_sock, timeout):
    """Boots the guest; its serial console goes to `console`. Returns qemu's exit status."""
    cmd = [
        "qemu-system-x86_64",
        # Single-threaded TCG on the instruction counter: guest time advances per instruction
        # (idle time skipped), so guest-measured timing does not depend on host load.
        "-accel", "tcg,thread=single", "-icount", "shift=2,sleep=off", "-smp", "1",
        "-m", "768", "-nographic", "-no-reboot", "-nic", "none",
        "-vga", "none", "-device", "bochs-display,xres=800,yres=480",
        "-drive", "file=%s,format=raw,if=virtio" % disk,
        # ttyS0 is the console (as -nographic alone would make it). ttyS1 and ttyS2 (16550s)
        # are wired to each other as a null modem: the second chardev connects to the first
        # one's listening socket. The price feed runs over them through libserialport, which
        # refuses pseudo-terminals.
        "-serial", "mon:stdio",
        "-chardev", "socket,id=uart1,path=%s,server=on,wait=off" % uart_sock,
        "-serial", "chardev:uart1",
        "-chardev", "socket,id=uart2,path=%s" % uart_sock,
        "-serial", "chardev:uart2",
        # PVH boot of the ELF vmlinux: no in-guest decompression
        "-kernel", str(Path(kernel_dir) / "vmlinux"), "-initrd", str(initramfs),
        # preempt=full: Debian's kernel is built voluntary-preempt (PREEMPT_DYNAMIC); a
        # long kernel path (the script writing gpio-sim's pull attribute mid-train) once
        # held the FIFO pulse thread off the single vCPU for 1.1 ms. As docs/config.md
        # (realtime) advises for installations.
        "-append", "console=ttyS0 quiet loglevel=3 panic=-1 rdinit=/init preempt=full",
    ]
    with open(console, "wb") as out:
        try:
            return subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=out,
                                  stderr=subprocess.STDOUT, timeout=timeout).returncode
        except subprocess.TimeoutExpired:
            return "timeout after %d s" % timeout


class Checks:
    def __init__(self):
        self.failed = []
        self.lines = []

    def check(self, ok, what):
        self.lines.append("  [%s] %s" % ("ok" if ok else "FAIL", what))
        if not ok:
            self.failed.append(what)
        return ok


def span(values):
    return "min %.3f max %.3f ms" % (min(values), max(values)) if values else "none"


def check_train(c, name, train, amount, tol_ms, skip_gap=None):
    """Count × value equals the amount; widths and gaps within the tolerance."""
    c.check(len(train) * PULSE_VALUE == amount,
            "%s: %d pulses x %d = %d, paid %s" % (name, len(train), PULSE_VALUE,
                                                 len(train) * PULSE_VALUE, amount))
    widths = [p.width_ms for p in train]
    gaps = guest_log.gaps_ms(train)
    if skip_gap is not None and skip_gap < len(gaps):
        gaps = gaps[:skip_gap] + gaps[skip_gap + 1:]
    c.check(widths and all(abs(w - PULSE_MS) <= tol_ms for w in widths),
            "%s: widths %s (want %d +- %g ms)" % (name, span(widths), PULSE_MS, tol_ms))
    c.check(all(PROFILE_WIDTH[0] <= w <= PROFILE_WIDTH[1] for w in widths),
            "%s: every width inside the profile's %d-%d ms" % (name, *PROFILE_WIDTH))
    c.check(all(abs(g - GAP_MS) <= tol_ms for g in gaps),
            "%s: gaps %s (want %d +- %g ms)" % (name, span(gaps), GAP_MS, tol_ms))


def check_delivered(c, log, step, pay_step):
    payment = log.ctl.get(pay_step, {})
    rec = guest_log.payment_record(log.ctl.get(step, {}), payment.get("payment"))
    c.check(rec is not None and rec.get("final") == "delivered"
            and rec.get("delivered_amount") == payment.get("amount"),
            "%s: credit.delivered %s of %s" % (pay_step, rec and rec.get("delivered_amount"),
                                              payment.get("amount")))
    return payment.get("amount")


def check_pulses(c, log, tol_ms):
    base = int(log.words("chip").get("base", "-1"))
    coin = base + guest_image.COIN
    m = log.marks
    for need in ("pay1", "pay1_end", "pay2", "inhibit_on", "inhibit_off", "pay2_end"):
        if not c.check(need in m, "ftrace mark %s recorded" % need):
            return
    coin_sets = [s for s in log.sets if s[1] == coin]
    c.lines.append("  ftrace: %d gpio_value sets on the coin line (gpio %d)" % (len(coin_sets), coin))
    # The request itself sets the line to its inactive level before any payment.
    c.check(coin_sets and coin_sets[0][2] == 1 and coin_sets[0][0] < m["pay1"],
            "coin line requested at its inactive level (high) before the first payment")

    amount1 = check_delivered(c, log, "pay1_delivered", "pay1")
    train1 = guest_log.pulses(log.sets, coin, 0, m["pay1"], m["pay1_end"])
    check_train(c, "payment 1", train1, amount1, tol_ms)

    amount2 = check_delivered(c, log, "pay2_delivered", "pay2")
    train2 = guest_log.pulses(log.sets, coin, 0, m["pay2"], m["pay2_end"])
    on, off = m["inhibit_on"], m["inhibit_off"]
    before = [p for p in train2 if p.start < on]
    during = [p for p in train2 if on + HOLD_REACTION_MS * 1e6 <= p.start <= off]
    after = [p for p in train2 if p.start > off]
    held = (off - on) / 1e6
    state = log.ctl.get("inhibited", {}).get("state") or {}
    c.check(state.get("inhibit") is True,
            "while inhibited the daemon's state says inhibit %r (state %r)"
            % (state.get("inhibit"), state.get("state")))
    c.check(before and after and not during,
            "INHIBIT for %.0f ms: %d pulses before, %d started while held (from +%d ms), %d after release"
            % (held, len(before), len(during), HOLD_REACTION_MS, len(after)))
    late = [(p.start - on) / 1e6 for p in train2 if on < p.start <= off]
    c.lines.append("  INHIBIT: pulses started after it went active: %s; first pulse %s ms after release"
                   % (["+%.3f ms" % t for t in late] or "none",
                      "%.3f" % ((after[0].start - off) / 1e6) if after else "-"))
    check_train(c, "payment 2 (INHIBIT)", train2, amount2, tol_ms,
                skip_gap=len([p for p in train2 if p.start <= off]) - 1)
    check_coin_return(c, log, coin)
    check_scanner(c, log, coin, tol_ms)
    check_open_drain(c, log, coin, tol_ms)


def session_id(reply):
    return (reply.get("session") or {}).get("session")


def check_coin_return(c, log, coin):
    """Scenario 3: the coin-return button cancels the open session, a new one opens, and the
    press credits nothing."""
    m = log.marks
    if not c.check("coin_return_on" in m and "coin_return_end" in m,
                   "ftrace marks of the coin-return press"):
        return
    before, after = log.ctl.get("session3", {}), log.ctl.get("coin_return_end", {})
    old, new = session_id(before), session_id(log.ctl.get("session_after_return", {}))
    canceled = after.get("canceled") or []
    c.check(old is not None and {"session": old, "reason": "coin_return"} in canceled,
            "coin return: the server saw session.cancel of the open session %s with reason "
            "coin_return (cancels seen: %s)" % (old, canceled))
    c.check(new is not None and new != old and session_id(after) == new,
            "coin return: a new session %s opened after it (and is still the open one: %s)"
            % (new, session_id(after)))
    # The sim's own pulse counter is idle here (the coin line is the kernel's, not the sim's
    # line socket), so "nothing credited" is read from the kernel's trace of the coin line
    # and from the server's payment records.
    edges = [s for s in log.sets if s[1] == coin and m["coin_return_on"] <= s[0] <= m["coin_return_end"]]
    money = [(len(r.get("payments", [])), r.get("paid_total"), r.get("delivered_total"))
             for r in (before, after)]
    c.check(money[0][1] is not None and money[0] == money[1] and not edges,
            "coin return: nothing credited: %d coin-line edges from the press to 300 ms after "
            "the release; payments, paid, delivered before %s, after %s"
            % (len(edges), money[0], money[1]))


def counters(reply):
    return (reply.get("state") or {}).get("counters") or {}


def check_scanner(c, log, coin, tol_ms):
    """Scenario 5: the keyboard-wedge scanner (the sim's uinput keyboard, evdev in the
    daemon): an unknown code rejected, unplug shown as missing, replugged a WeChat-style code
    is sent for the session on screen, paid and credited."""
    m, codes = log.marks, guest_image.CODES
    if not c.check("scan_pay" in m and "scan_pay_end" in m, "ftrace marks of the scanned payment"):
        return
    c.check(counters(log.ctl.get("scan_before", {})).get("scanner_present") == 1,
            "scanner: the daemon opened the uinput keyboard (state scanner_present 1)")
    rejected = counters(log.ctl.get("scan_rejected", {}))
    c.check(rejected.get("scans_rejected") == 1 and not rejected.get("scans_sent")
            and not rejected.get("scans_unreadable"),
            "scanner: unknown code %s typed on the keypad read and rejected (scans_rejected %s, "
            "scans_sent %s, scans_unreadable %s)"
            % (codes["UNKNOWN"], rejected.get("scans_rejected"), rejected.get("scans_sent"),
               rejected.get("scans_unreadable")))
    missing = counters(log.ctl.get("scanner_missing", {}))
    c.check(missing.get("scanner_present") == 0 and missing.get("scanner_lost") == 1,
            "scanner unplugged: state scanner_present %s, scanner_lost %s"
            % (missing.get("scanner_present"), missing.get("scanner_lost")))
    c.check(counters(log.ctl.get("scanner_back", {})).get("scanner_present") == 1,
            "scanner plugged back (%s, was %s): reopened, scanner_present 1"
            % (log.words("scanner").get("node_after"), log.words("scanner").get("node_before")))
    session = session_id(log.ctl.get("scan_before", {}))
    orders = log.ctl.get("scan_orders", {}).get("orders") or []
    first = orders[0] if orders else {}
    c.check(len(orders) == 1 and first.get("code") == codes["WECHAT"]
            and first.get("code_type") == "wechat_pay" and first.get("session") == session
            and first.get("amount") == guest_image.PRICE,
            "scanner: the server's only payment.scan is the typed WeChat code: type %s, session "
            "on screen %s, amount %s (the unknown code never reached it)"
            % (first.get("code_type"), first.get("session") == session, first.get("amount")))
    rec = guest_log.payment_record(log.ctl.get("scan_delivered", {}), first.get("payment"))
    c.check(rec is not None and rec.get("final") == "delivered"
            and rec.get("delivered_amount") == guest_image.PRICE,
            "scanner: the server paid the order (%s) and the daemon reported credit.delivered %s"
            % (first.get("payment"), rec and rec.get("delivered_amount")))
    train = guest_log.pulses(log.sets, coin, 0, m["scan_pay"], m["scan_pay_end"])
    check_train(c, "scanned payment", train, guest_image.PRICE, tol_ms)


def check_open_drain(c, log, coin, tol_ms):
    """Scenario 4: open drain, emulated by the kernel (driven low = output, released = input
    that the pull-up holds high)."""
    m = log.marks
    if not c.check("od_pay" in m and "od_end" in m, "ftrace marks of the open-drain payment"):
        return
    state = log.ctl.get("start_inhibited", {}).get("state") or {}
    c.check(state.get("inhibit") is True and state.get("state") == "unavailable"
            and log.words("start_inhibited").get("session") == "none",
            "started with INHIBIT active: state %r, inhibit %r, session %s; opened once released"
            % (state.get("state"), state.get("inhibit"), log.words("start_inhibited").get("session")))
    window = [d for d in log.directions if d[1] == coin and m["od_pay"] <= d[0] <= m["od_end"]]
    c.check(window and all(d[3] == 0 for d in window),
            "open drain: %d direction switches, all without error" % len(window))
    amount = check_delivered(c, log, "pay3_delivered", "pay3")
    train = guest_log.pulses(log.directions, coin, 0, m["od_pay"], m["od_end"])
    check_train(c, "payment 3 (open drain)", train, amount, tol_ms)
    # (gpio-sim 6.1 applies its pull only on release or on a pull write, so its value file
    # cannot show a line the kernel switched to input; the kernel's trace can)
    c.check(window and window[-1][2] == 1,
            "open drain: after the payment the line is released (input, left to the pull-up)")
    c.check(log.words("od_released") == {"value": "1", "exit": "0"},
            "open drain: the daemon stopped cleanly and the line reads high (inactive) (%s)"
            % log.info.get("od_released"))


def check_uart_price(c, log):
    """Scenario 6: the price feed on real 16550 UARTs (ttyS1 wired to ttyS2 by qemu), so the
    daemon's port goes through libserialport, not the termios fallback ptys get."""
    port = guest_image.PRICE_PORT
    opened = [l for l in log.logs if l.startswith("daemon-uart ") and " opened %s " % port in l]
    c.check(len(opened) == 1 and opened[0].endswith(" through libserialport"),
            "UART price feed: the daemon opened %s through libserialport (%s)"
            % (port, opened[0].split(" ", 1)[1] if opened else "no 'opened' log line"))
    c.check(counters(log.ctl.get("uart_open", {})).get("price_feed_present") == 1,
            "UART price feed: state price_feed_present 1")
    session = (log.ctl.get("uart_session", {}).get("session") or {})
    c.check(session.get("amount") == guest_image.UART_PRICE,
            "UART price feed: 'price %d' sent on %s opened a session for %s"
            % (guest_image.UART_PRICE, guest_image.PRICE_DEVICE, session.get("amount")))
    # "250\r\n" crossed the emulated wire: the 8250 driver's counters say so
    sent = len("%d\r\n" % guest_image.UART_PRICE)
    wire = {}
    for n in (1, 2):
        m = re.search(r"uart:(\S+) .*tx:(\d+) rx:(\d+)", log.info.get("uart%d" % n, ""))
        wire[n] = (m.group(1), int(m.group(2)), int(m.group(3))) if m else None
    c.check(wire[1] and wire[2] and wire[1][2] >= sent and wire[2][1] >= sent,
            "UART price feed: 8250 driver counters ttyS1 %s, ttyS2 %s (uart, tx, rx)"
            % (wire[1], wire[2]))
    c.check(log.words("uart_daemon").get("exit") == "0",
            "UART price feed: the daemon stopped cleanly")


def check_lines(c, log):
    """The kernel's view of the claimed lines, and the claims it must refuse."""
    gpio = "\n".join(log.gpio)
    c.lines.append("  kernel's lines: " + " | ".join(" ".join(g.split()) for g in log.gpio[1:]))
    c.check(re.search(r"\(coin\s*\|cashbridged\s*\) out hi", gpio) is not None,
            "coin line held by consumer 'cashbridged' as output, high (inactive)")
    c.check(re.search(r"\(inhibit\s*\|cashbridged\s*\) in\s+hi", gpio) is not None,
            "inhibit line held by 'cashbridged' as input, high (inactive)")
    c.check(re.search(r"\(coin_return\s*\|cashbridged\s*\) in\s+hi", gpio) is not None,
            "coin_return line held by 'cashbridged' as input, high (inactive)")
    for name, (_, chip, offset, says) in guest_image.claim_configs().items():
        status, output = log.claims.get(name, ("missing", ""))
        where = "chip %s, offset %d" % (chip, offset)
        # Exit 4: a line that cannot be requested; the message starts at the config field.
        c.check(status == "4" and "acceptor.line: " in output and where in output
                and says in output,
                "refused claim (%s): exit %s, %s" % (name, status, output.strip()[-160:]))


def check_frame(c, log, disk, work):
    fb = log.words("fb")
    if not c.check("size" in fb, "guest reported /dev/fb0 (%s)" % log.info.get("fb")):
        return
    width, height = (int(v) for v in fb["size"].split(","))
    ppm = Path(work) / "fb0.ppm"
    frame.to_ppm(disk, ppm, width, height, int(fb["bpp"]), int(fb["stride"]))
    want = (log.ctl.get("fb_session", {}).get("session") or {}).get("qr")
    got = frame.decode_qr(ppm)
    c.check(want and got == [want],
            "framebuffer %dx%d: zbarimg decoded %s, session QR %s (ink %.0f%%)"
            % (width, height, got, want, 100 * frame.ink_fraction(ppm)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.environ.get("CASHBRIDGE_BUILD", HERE.parent.parent / "build"))
    ap.add_argument("--cache", default=os.environ.get("CASHBRIDGE_QEMU_CACHE", default_cache()))
    ap.add_argument("--tol-ms", type=float, default=float(os.environ.get("CASHBRIDGE_QEMU_TOL_MS", "1")))
    ap.add_argument("--timeout", type=int, default=600)
    ap.add_argument("--keep", action="store_true", help="keep the work folder (console log, frame)")
    args = ap.parse_args()
    t0 = time.monotonic()
    for tool in ("qemu-system-x86_64", "cpio", "zbarimg", "strip", "apt-get", "dpkg-deb", "make"):
        if not shutil.which(tool):
            sys.exit("qemu test: %s not found (scripts/deps.sh installs it)" % tool)
    if not Path("/bin/busybox").exists():
        sys.exit("qemu test: /bin/busybox missing (package busybox-static)")

    Path(args.cache).mkdir(parents=True, exist_ok=True)
    kernel_dir = subprocess.run([str(HERE / "prepare-kernel.sh"), str(args.cache)], check=True,
                                stdout=subprocess.PIPE, text=True).stdout.split()[-1]
    t_kernel = time.monotonic()
    work = tempfile.mkdtemp(prefix="cashbridge-qemu-")
    root, initramfs = Path(work) / "root", Path(work) / "initramfs.cpio"
    root.mkdir()
    guest_image.build(root, args.build, kernel_dir, secrets.token_hex(32))
    guest_image.pack(root, initramfs)
    disk, console = Path(work) / "fb0.raw", Path(work) / "console.log"
    with open(disk, "wb") as f:
        f.truncate(16 << 20)
    t_image = time.monotonic()
    status = boot(kernel_dir, initramfs, disk, console, Path(work) / "uart.sock", args.timeout)
    t_boot = time.monotonic()

    text = console.read_text(errors="replace")
    log = guest_log.parse(text)
    c = Checks()
    c.lines.append("  kernel %s (%s), guest uptime at end %s s"
                   % (Path(kernel_dir).name, log.info.get("chip", "?"), log.words("end").get("uptime")))
    c.check(status == 0 and log.ended and not log.fatal,
            "guest ran to the end (qemu status %s)%s" % (status, "".join("\n    " + f for f in log.fatal)))
    c.check(log.words("daemon").get("exit") == "0", "cashbridged stopped cleanly on SIGTERM")
    try:
        check_pulses(c, log, args.tol_ms)
    except ValueError as e:
        c.check(False, "coin line edges: %s" % e)
    check_lines(c, log)
    check_uart_price(c, log)
    check_frame(c, log, disk, work)
    t_end = time.monotonic()

    print("=== qemu gpio-sim + framebuffer test")
    print("\n".join(c.lines))
    print("  wall time: %.1f s (kernel+module %.1f s, image %.1f s, qemu %.1f s, checks %.1f s)"
          % (t_end - t0, t_kernel - t0, t_image - t_kernel, t_boot - t_image, t_end - t_boot))
    if c.failed:
        if not log.ended:
            tail = [l for l in text.splitlines() if not l.startswith("CBQ_")][-30:]
            print("--- console tail (guest did not finish)")
            print("\n".join("  " + l.rstrip("\r") for l in tail))
        print("--- guest logs")
        print("\n".join("  " + line for line in log.logs[-80:]))
        print("--- console: %s (work folder kept)" % console)
        print("FAIL: " + "; ".join(c.failed))
        return 1
    if not args.keep:
        shutil.rmtree(work)
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
