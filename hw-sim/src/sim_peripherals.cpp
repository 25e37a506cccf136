// The simulator's LAN and printer peripherals: servicing them and the `printer` command.
#include <stdexcept>

#include "cashbridge/sim/log.hpp"
#include "cashbridge/sim/simulator.hpp"

namespace cashbridge::sim {

void Simulator::service_peripherals() {
    if (printer_)
        for (const auto& line : printer_->service()) log_line(line);
    if (pos_)
        for (const auto& line : pos_->service()) log_line(line);
}

std::string Simulator::cmd_printer(const Command& c) {
    if (!printer_) throw std::invalid_argument("no printer: start the sim with --printer PATH");
    if (!c.args.empty() || c.words.size() != 1)
        throw std::invalid_argument("usage: printer ready|offline|paper_out|paper_low|silent");
    const auto mode = printer_mode_from_string(c.words[0]);
    if (!mode)
        throw std::invalid_argument("unknown printer mode '" + c.words[0].substr(0, 32) +
                                    "' (ready, offline, paper_out, paper_low, silent)");
    printer_->set_mode(*mode);
    log_line("printer " + to_string(*mode));
    auto j = json_object();
    cJSON_AddTrueToObject(j.get(), "ok");
    cJSON_AddStringToObject(j.get(), "mode", to_string(*mode).c_str());
    return json_print(j.get());
}

}  // namespace cashbridge::sim
