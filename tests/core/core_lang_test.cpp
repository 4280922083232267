// The core's translation files: same keys in both languages, and every key the core emits is there.
#include <catch_amalgamated.hpp>

#include "core/categories.h"
#include "core/i18n.h"
#include "support.h"

using namespace sihui;
using namespace sihui::core;

namespace {
template <class E>
void check_enum(const i18n::Catalog& c, const std::string& prefix) {
  for (std::size_t i = 0; i < enum_count<E>(); ++i) {
    std::string k = prefix + std::string(enum_name(static_cast<E>(i)));
    INFO(k);
    CHECK(c.has(i18n::Lang::zh_CN, i18n::Key{k}));
  }
}
}  // namespace

TEST_CASE("core.zh-CN.json and core.en.json have the same keys, none empty, none shared with the UI files") {
  i18n::Catalog core, ui;
  std::string err;
  REQUIRE(core.load(i18n::Lang::zh_CN, test::slurp(SIHUI_SOURCE_DIR "/assets/lang/core.zh-CN.json"), &err));
  REQUIRE(core.load(i18n::Lang::en, test::slurp(SIHUI_SOURCE_DIR "/assets/lang/core.en.json"), &err));
  REQUIRE(ui.load(i18n::Lang::zh_CN, test::slurp(SIHUI_SOURCE_DIR "/assets/lang/zh-CN.json"), &err));
  CHECK(core.keys(i18n::Lang::zh_CN) == core.keys(i18n::Lang::en));
  for (const auto& k : core.keys(i18n::Lang::zh_CN)) {
    INFO(k);
    CHECK_FALSE(core.text(i18n::Lang::zh_CN, i18n::Key{k}).empty());
    CHECK_FALSE(core.text(i18n::Lang::en, i18n::Key{k}).empty());
    CHECK_FALSE(ui.has(i18n::Lang::zh_CN, i18n::Key{k}));
  }
  for (std::size_t i = 1; i < enum_count<Reason>(); ++i) {
    std::string k(enum_name(static_cast<Reason>(i)));
    INFO(k);
    CHECK(core.has(i18n::Lang::zh_CN, i18n::Key{k}));
  }
  check_enum<Category>(core, "category.");
  check_enum<Role>(core, "role.");
  check_enum<ReportStatus>(core, "report_status.");
  check_enum<Meal>(core, "meal.");
  check_enum<Audience>(core, "audience.");
  check_enum<EventCategory>(core, "event_category.");
  check_enum<RequestStatus>(core, "request_status.");
  check_enum<CaseOutcome>(core, "clinic_outcome.");
  for (const auto& st : kSubtypes) CHECK(core.has(i18n::Lang::zh_CN, i18n::Key{"subtype." + std::string(st.id)}));
  CHECK(i18n::format(core.text(i18n::Lang::zh_CN, i18n::Key{"reason.class.full_waitlisted"}), {{"position", "3"}}) ==
        "这期课已经满了，您排在候补第3位。有人退出时会自动给您补上。");
}
