/// @file async_display.hpp
/// Runs another display on its own thread, so rendering and writing a frame (tens of ms
/// for a PNG with fsync) never delays the event loop that handles payments.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "cashbridge/display/display.hpp"

namespace cashbridge::display {

/// show() returns at once; the worker draws the newest screen and skips any it was
/// superseded by (only the latest state matters on a screen). A failure in the inner
/// display goes to `on_error` on the worker thread, so it must be thread-safe.
std::unique_ptr<Display> make_async_display(std::unique_ptr<Display> inner,
                                            std::function<void(const std::string&)> on_error);

}  // namespace cashbridge::display
