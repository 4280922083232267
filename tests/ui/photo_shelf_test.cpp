// PhotoShelf (platform/photos.h): which report photos hold a texture. The shell loads a photo the first
// frame it is drawn and frees it once it has not been drawn for a while or when too many are held;
// these tests drive it as the shell does, through the native fake of the seam.
#include <catch_amalgamated.hpp>

#include <string>
#include <vector>

#include "platform/photos.h"

namespace sihui::platform {
std::vector<std::string>& photos_native_calls();
}

using sihui::platform::PhotoShelf;

namespace {
std::string name(int i) {
  std::string n(64, '0');
  std::string d = std::to_string(i);
  return n.replace(64 - d.size(), d.size(), d);
}

// One frame as main_web.cpp runs it: load what is drawn for the first time, then free what evict() says.
void frame(PhotoShelf& shelf, long f, const std::vector<std::string>& drawn, double now = 0) {
  for (const auto& n : drawn)
    if (shelf.shown(n, f, now)) sihui::platform::photo_load(n, "token", "device");
  for (const auto& n : shelf.evict(f)) sihui::platform::photo_free(n);
}

long count(const std::string& call) {
  long c = 0;
  for (const auto& x : sihui::platform::photos_native_calls()) c += x == call;
  return c;
}
}  // namespace

TEST_CASE("a photo is loaded once while it stays on screen, and freed after it scrolled away") {
  sihui::platform::photos_native_calls().clear();
  PhotoShelf shelf(24, 10);
  for (long f = 1; f <= 5; ++f) frame(shelf, f, {name(1)});
  CHECK(count("load " + name(1)) == 1);
  shelf.ready(name(1), 7, 512, 384);
  CHECK(shelf.entries().at(name(1)).texture == 7);
  for (long f = 6; f <= 15; ++f) frame(shelf, f, {});
  CHECK(count("free " + name(1)) == 0);  // ten frames unseen: still kept (a quick scroll back costs nothing)
  frame(shelf, 16, {});
  CHECK(count("free " + name(1)) == 1);
  CHECK(shelf.entries().empty());
  frame(shelf, 17, {name(1)});  // back on screen: loaded again
  CHECK(count("load " + name(1)) == 2);
}

TEST_CASE("textures stay bounded: the longest unseen go first, never one drawn this frame") {
  sihui::platform::photos_native_calls().clear();
  PhotoShelf shelf(3, 1000);
  long f = 0;
  for (int i = 1; i <= 5; ++i) frame(shelf, ++f, {name(i)});  // a list scrolled photo by photo
  CHECK(shelf.entries().size() == 3);
  CHECK(count("free " + name(1)) == 1);
  CHECK(count("free " + name(2)) == 1);
  CHECK(shelf.entries().count(name(5)) == 1);
  // Four on screen at once with room for three: all four stay (never free what is being drawn).
  frame(shelf, ++f, {name(6), name(7), name(8), name(9)});
  for (int i = 6; i <= 9; ++i) CHECK(shelf.entries().count(name(i)) == 1);
  CHECK(count("load " + name(6)) == 1);
  frame(shelf, ++f, {name(6), name(7), name(8), name(9)});
  CHECK(count("load " + name(6)) == 1);  // no reload churn
}

TEST_CASE("a photo not on the server yet is asked for again after a while, a damaged one is not") {
  sihui::platform::photos_native_calls().clear();
  PhotoShelf shelf;
  frame(shelf, 1, {name(1), name(2)}, 0);
  shelf.missing(name(1), true, 1000);   // 404: its owner has not uploaded it yet
  shelf.missing(name(2), false, 1000);  // the bytes do not match the name
  frame(shelf, 2, {name(1), name(2)}, 2000);
  CHECK(count("load " + name(1)) == 1);
  frame(shelf, 3, {name(1), name(2)}, 4500);
  CHECK(count("load " + name(1)) == 2);
  CHECK(count("load " + name(2)) == 1);
  CHECK(shelf.entries().at(name(2)).state == PhotoShelf::State::Missing);
}

TEST_CASE("after a backup is imported, photos that were not found are asked for again at once; loaded ones are kept") {
  sihui::platform::photos_native_calls().clear();
  PhotoShelf shelf;
  frame(shelf, 1, {name(1), name(2), name(3)}, 0);
  shelf.missing(name(1), true, 1000);   // offline or no account: asked again in 3 s
  shelf.missing(name(2), false, 1000);  // given up on
  shelf.ready(name(3), 7, 10, 10);
  shelf.forget_missing();
  frame(shelf, 2, {name(1), name(2), name(3)}, 1100);  // well before the retry time
  CHECK(count("load " + name(1)) == 2);
  CHECK(count("load " + name(2)) == 2);
  CHECK(count("load " + name(3)) == 1);
  CHECK(shelf.entries().at(name(3)).state == PhotoShelf::State::Ready);
}

TEST_CASE("photo names are 64 lowercase hex digits") {
  CHECK(sihui::platform::is_photo_name(name(1)));
  CHECK_FALSE(sihui::platform::is_photo_name("../../etc/passwd"));
  CHECK_FALSE(sihui::platform::is_photo_name(std::string(64, 'A')));
  CHECK_FALSE(sihui::platform::is_photo_name(std::string(63, 'a')));
  sihui::platform::photos_native_calls().clear();
  sihui::platform::photos_upload("", "d");
  CHECK(sihui::platform::photos_native_calls().empty());  // no account: nothing to upload with
}

TEST_CASE("a photo's tile keeps the last reason it was not shown while it is asked again; loading clears it") {
  sihui::platform::photos_native_calls().clear();
  PhotoShelf shelf;
  frame(shelf, 1, {name(1), name(2)}, 0);
  shelf.fetching(name(1));
  CHECK(shelf.entries().at(name(1)).fetching);
  CHECK(shelf.entries().at(name(1)).why == PhotoShelf::Why::None);
  shelf.missing(name(1), true, 1000, 3);   // 404: the reporter's device has not uploaded it yet
  shelf.missing(name(2), false, 1000, 99);  // a code the page does not send: no reason
  CHECK(shelf.entries().at(name(1)).why == PhotoShelf::Why::NotUploaded);
  CHECK_FALSE(shelf.entries().at(name(1)).fetching);
  CHECK(shelf.entries().at(name(2)).why == PhotoShelf::Why::None);
  frame(shelf, 2, {name(1), name(2)}, 4500);  // asked again: still "not uploaded" until an answer comes
  CHECK(count("load " + name(1)) == 2);
  CHECK(shelf.entries().at(name(1)).state == PhotoShelf::State::Loading);
  CHECK(shelf.entries().at(name(1)).why == PhotoShelf::Why::NotUploaded);
  shelf.missing(name(1), true, 4600, 2);  // now offline
  CHECK(shelf.entries().at(name(1)).why == PhotoShelf::Why::Offline);
  shelf.ready(name(1), 7, 10, 10);
  CHECK(shelf.entries().at(name(1)).why == PhotoShelf::Why::None);
  shelf.fetching(name(3));  // not held: nothing made up
  CHECK(shelf.entries().count(name(3)) == 0);
}
