// The ctl client: one request line, one reply line, exit status from the reply's "ok".
#include "cashbridge/sim/ctl_client.hpp"

#include <poll.h>

#include <exception>

#include "cashbridge/sim/json.hpp"
#include "cashbridge/sim/unique_fd.hpp"

namespace cashbridge::sim {

int run_ctl(const CtlOptions& options, std::ostream& out, std::ostream& err) {
    try {
        auto fd = connect_unix(options.control);
        std::string request;
        for (const auto& w : options.words) request += (request.empty() ? "" : " ") + w;
        if (!send_all(fd.get(), request + "\n")) {
            err << "cashbridge-sim ctl: cannot send to " << options.control << "\n";
            return 1;
        }
        // No timeout of our own: `wait` replies after its own timeout_ms, and the sim always
        // answers or closes.
        LineBuffer buffer(1 << 24);
        std::string reply;
        while (!buffer.next(reply)) {
            pollfd p{fd.get(), POLLIN, 0};
            if (::poll(&p, 1, -1) < 0 && errno != EINTR) break;
            if (!read_available(fd.get(), buffer) && !buffer.has_line()) {
                err << "cashbridge-sim ctl: the simulator closed the connection\n";
                return 1;
            }
        }
        out << reply << "\n";
        auto j = json_parse(reply);
        const cJSON* ok = j ? cJSON_GetObjectItemCaseSensitive(j.get(), "ok") : nullptr;
        return cJSON_IsTrue(ok) ? 0 : 1;
    } catch (const std::exception& e) {
        err << "cashbridge-sim ctl: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace cashbridge::sim
