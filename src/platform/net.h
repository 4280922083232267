// net: the platform's HTTP to serve.py (same origin). One seam for the sync client and the account
// requests: http_send() starts a request; its answer (or status 0: no network, timed out) comes back
// later through the platform's event queue as an "http" event (a = id, b = status, text = body), so
// no callback changes state in the middle of a frame.
#pragma once
#include <cstdint>
#include <string>

namespace sihui::platform {

struct HttpCall {
  std::uint64_t id = 0;
  std::string method;  // GET, POST
  std::string path;    // "/api/v1/ops?after=0&limit=1000"
  std::string body;    // JSON for POST, "" for GET
  std::string token;   // "" = no Authorization header
  std::string device;  // X-Sihui-Device
  int timeout_ms = 30000;
};

void http_send(const HttpCall& call);

}  // namespace sihui::platform
