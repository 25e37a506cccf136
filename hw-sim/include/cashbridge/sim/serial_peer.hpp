/// @file serial_peer.hpp
/// A device on a pseudo-terminal, as gpsfake plays a GPS: the simulator holds the master
/// side and a stable symlink names the slave, which the daemon opens as its serial port.
/// unplug() closes the pty (the daemon sees a hangup), plug() makes a new one.
/// Or the device is played on an existing tty (a UART null-modem-wired to the daemon's),
/// which is opened raw at 9600 8N1 (price_feed.baud's default) instead.
#pragma once

#include <string>

#include "cashbridge/sim/unique_fd.hpp"

namespace cashbridge::sim {

class SerialPeer {
  public:
    /// Creates the pty and points `link` at its slave. Throws std::system_error.
    explicit SerialPeer(std::string link);
    struct ExistingTty {};
    static constexpr ExistingTty existing_tty{};
    /// Opens the tty `device` (never removed; unplug() only closes it). Throws
    /// std::system_error.
    SerialPeer(std::string device, ExistingTty);
    ~SerialPeer();
    SerialPeer(const SerialPeer&) = delete;
    SerialPeer& operator=(const SerialPeer&) = delete;

    const std::string& link() const { return link_; }
    bool plugged() const { return static_cast<bool>(master_); }
    /// Sends bytes as the device would. Throws std::runtime_error when unplugged.
    void send(const std::string& bytes);
    /// Discards what the daemon wrote to the device (nobody reads it back here).
    void drain();
    int fd() const { return master_.get(); }

    void unplug();
    void plug();

  private:
    std::string link_;
    bool existing_ = false;
    UniqueFd master_;
    UniqueFd slave_;  // kept open so bytes sent before the daemon opens are not lost
};

}  // namespace cashbridge::sim
