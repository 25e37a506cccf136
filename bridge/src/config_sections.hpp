// Readers of config sections that live in their own files (config.cpp calls them).
#pragma once

#include <filesystem>

#include "cashbridge/bridge/pos_receipt_config.hpp"
#include "json_fields.hpp"

namespace cashbridge::bridge {

void read_pos(FieldReader r, PosConfig& pos);
void read_receipt(FieldReader r, ReceiptConfig& receipt, const std::filesystem::path& base);

}  // namespace cashbridge::bridge
