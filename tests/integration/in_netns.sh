#!/bin/sh
# Runs a command in a private network namespace whose loopback carries multicast (the
# host's lo has no MULTICAST flag and no 224.0.0.0/4 route; nothing on the host changes).
# As root (CI) a plain network namespace; otherwise inside a user namespace too, where the
# kernel allows unprivileged ones.
if [ "$(id -u)" = 0 ]; then userns=""; else userns="--user --map-root-user"; fi
exec unshare $userns --net -- sh -c 'ip link set lo up && ip link set lo multicast on &&
  ip route add 224.0.0.0/4 dev lo && exec "$@"' in_netns "$@"
