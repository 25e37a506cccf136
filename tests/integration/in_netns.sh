#!/bin/sh
# Runs a command in a private network namespace whose loopback carries multicast (the
# host's lo has no MULTICAST flag and no 224.0.0.0/4 route). Needs root, as CI has.
exec unshare --net -- sh -c 'ip link set lo up && ip link set lo multicast on &&
  ip route add 224.0.0.0/4 dev lo && exec "$@"' in_netns "$@"
