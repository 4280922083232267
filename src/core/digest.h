// digest: SHA-256 (FIPS 180-4) and base64 (RFC 4648, standard alphabet, padded), pure and small.
// Photos are named by the SHA-256 of their bytes (decision 0021); the device's backup file carries
// them as base64 inside its JSON (decision 0028), and import checks each against its name with this.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace sihui::core {

std::array<std::uint8_t, 32> sha256(std::string_view bytes);
std::string sha256_hex(std::string_view bytes);  // 64 lowercase hex digits

std::string base64_encode(std::string_view bytes);
// False for anything but canonical padded base64 (length a multiple of 4, '=' only at the end);
// *out then holds nothing useful.
bool base64_decode(std::string_view text, std::string* out);

}  // namespace sihui::core
