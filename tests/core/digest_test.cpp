// digest: SHA-256 against FIPS 180-4's examples and block-boundary lengths, base64 against RFC 4648's
// examples, and refusal of anything that is not canonical padded base64.
#include <catch_amalgamated.hpp>

#include "core/digest.h"

using namespace sihui::core;

TEST_CASE("sha256 gives the published digests, across the padding boundaries") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256_hex(std::string(1000000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  // 55, 56 and 64 bytes: the length fits the last block, just does not, a whole block.
  CHECK(sha256_hex(std::string(55, 'a')) == "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  CHECK(sha256_hex(std::string(56, 'a')) == "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  CHECK(sha256_hex(std::string(64, 'a')) == "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

TEST_CASE("base64 encodes and decodes RFC 4648's examples and refuses what is not canonical") {
  const char* plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
  const char* coded[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
  for (int i = 0; i < 7; ++i) {
    CHECK(base64_encode(plain[i]) == coded[i]);
    std::string out;
    CHECK(base64_decode(coded[i], &out));
    CHECK(out == plain[i]);
  }
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  std::string back;
  REQUIRE(base64_decode(base64_encode(bytes), &back));
  CHECK(back == bytes);
  std::string out;
  for (const char* bad : {"Zg=", "Zg", "Z===", "Zm9v\n", "Zm 9v", "Zg==Zg==", "Zh==", "Zm9=", "*m9v", "=m9v"})
    CHECK_FALSE(base64_decode(bad, &out));
}
