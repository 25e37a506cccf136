"""Reads the qemu guest's console: the "CBQ" lines guest-init.sh prints, the kernel's ftrace
record of every GPIO value set (gpio:gpio_value, CLOCK_MONOTONIC) with the guest's
trace_marker marks, and turns the coin line's edges into pulses."""

import json
import re
from dataclasses import dataclass, field

TRACE_SET = re.compile(r"\s(\d+)\.(\d+):\s+gpio_value:\s+(\d+)\s+set\s+(\d+)")
# open drain emulated by gpiolib: released = "in" (1), driven low = "out" (0); (error code)
TRACE_DIRECTION = re.compile(r"\s(\d+)\.(\d+):\s+gpio_direction:\s+(\d+)\s+(in|out)\s+\((-?\d+)\)")
TRACE_MARK = re.compile(r"\s(\d+)\.(\d+):\s+tracing_mark_write:\s+CBQ_MARK (\S+)")


def _ns(sec, frac):
    return int(sec) * 1_000_000_000 + int((frac + "000000000")[:9])


@dataclass
class Pulse:
    start: int  # ns, the edge to the active level
    end: int  # ns, the edge back

    @property
    def width_ms(self):
        return (self.end - self.start) / 1e6


@dataclass
class GuestLog:
    ended: bool = False
    fatal: list = field(default_factory=list)
    info: dict = field(default_factory=dict)  # "CBQ <word> k=v ..." lines, by word
    ctl: dict = field(default_factory=dict)  # control replies by step name
    marks: dict = field(default_factory=dict)  # mark name -> ns
    sets: list = field(default_factory=list)  # (ns, gpio, value)
    directions: list = field(default_factory=list)  # (ns, gpio, 1 for in / 0 for out, error)
    logs: list = field(default_factory=list)  # the guest processes' log lines
    claims: dict = field(default_factory=dict)  # refused-claim case -> (exit status, output)
    gpio: list = field(default_factory=list)  # the chip's lines in /sys/kernel/debug/gpio

    def words(self, key):
        """The k=v fields of the "CBQ <key> ..." line."""
        line = self.info.get(key, "")
        return dict(w.split("=", 1) for w in line.split() if "=" in w)


def parse(text):
    log = GuestLog()
    for raw in text.splitlines():
        line = raw.rstrip("\r")
        if line.startswith("CBQ_END"):
            log.ended = True
        elif line.startswith("CBQ_FATAL"):
            log.fatal.append(line)
        elif line.startswith("CBQ_CTL "):
            _, name, reply = line.split(" ", 2)
            try:
                log.ctl[name] = json.loads(reply)
            except ValueError:
                log.fatal.append("unreadable control reply %s: %s" % (name, reply))
        elif line.startswith("CBQ_TRACE "):
            m = TRACE_SET.search(line)
            if m:
                log.sets.append((_ns(m.group(1), m.group(2)), int(m.group(3)), int(m.group(4))))
            m = TRACE_DIRECTION.search(line)
            if m:
                log.directions.append((_ns(m.group(1), m.group(2)), int(m.group(3)),
                                       int(m.group(4) == "in"), int(m.group(5))))
            m = TRACE_MARK.search(line)
            if m:
                log.marks[m.group(3)] = _ns(m.group(1), m.group(2))
        elif line.startswith("CBQ_CLAIM "):
            _, name, status, *rest = line.split(" ", 3) + [""]
            log.claims[name] = (status.split("=", 1)[1], rest[0])
        elif line.startswith("CBQ_GPIO "):
            log.gpio.append(line[9:])
        elif line.startswith("CBQ_LOG "):
            log.logs.append(line[8:])
        elif line.startswith("CBQ "):
            parts = line.split(" ", 2)
            if len(parts) > 2:
                log.info[parts[1]] = parts[2]
    return log


def pulses(sets, gpio, active, start, end):
    """The pulses on `gpio` between two marks; `sets` are (ns, gpio, level, ...). Raises
    ValueError on a malformed train: two sets to the same level in a row, or a pulse still
    active at `end`."""
    edges = [(s[0], s[2]) for s in sets if s[1] == gpio and start <= s[0] <= end]
    found, begun, level = [], None, None
    for t, v in edges:
        if v == level:
            raise ValueError("line set to %d twice in a row at %.6f s" % (v, t / 1e9))
        level = v
        if v == active:
            begun = t
        elif begun is not None:
            found.append(Pulse(begun, t))
            begun = None
    if begun is not None:
        raise ValueError("pulse started at %.6f s never ended" % (begun / 1e9))
    return found


def gaps_ms(train):
    return [(b.start - a.end) / 1e6 for a, b in zip(train, train[1:])]


def payment_record(status, payment_id):
    for rec in status.get("payments", []):
        if rec.get("payment") == payment_id:
            return rec
    return None
