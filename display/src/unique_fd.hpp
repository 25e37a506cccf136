/// @file unique_fd.hpp
/// Move-only owner of a memory mapping for the device backends, beside hal's fd owner.
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <system_error>
#include <utility>

#include "cashbridge/hal/unique_fd.hpp"

namespace cashbridge::display::detail {

/// The project's one fd owner lives in hal/.
using UniqueFd = hal::UniqueFd;

class Mapping {
  public:
    Mapping() = default;
    Mapping(void* addr, std::size_t len) : addr_(addr), len_(len) {}
    Mapping(Mapping&& o) noexcept
        : addr_(std::exchange(o.addr_, nullptr)), len_(std::exchange(o.len_, 0)) {}
    Mapping& operator=(Mapping&&) = delete;
    Mapping(const Mapping&) = delete;
    Mapping& operator=(const Mapping&) = delete;
    ~Mapping() {
        if (addr_) ::munmap(addr_, len_);
    }
    std::byte* data() const { return static_cast<std::byte*>(addr_); }
    std::size_t size() const { return len_; }

  private:
    void* addr_ = nullptr;
    std::size_t len_ = 0;
};

using hal::throw_errno;

}  // namespace cashbridge::display::detail
