// log_store_sync: the sync client's Store over the device's LogStore.
#pragma once
#include "store/log_store.h"
#include "sync/client.h"

namespace sihui::sync {

class LogStoreSync final : public Store {
 public:
  explicit LogStoreSync(store::LogStore& log) : log_(log) {}
  std::vector<const core::Op*> pending() const override {
    std::vector<const core::Op*> out;
    for (const auto& op : log_.replica().pending()) out.push_back(&op);
    return out;
  }
  std::int64_t stored_seq() const override { return log_.stored_seq(); }
  std::string epoch() const override { return log_.epoch(); }
  bool set_epoch(const std::string& epoch) override { return log_.set_epoch(epoch); }
  bool append_confirmed(const std::vector<core::Op>& ops, std::string* error) override {
    return log_.append_confirmed(ops, error);
  }
  bool refuse(const std::string& op_id, const std::string& code) override { return log_.refuse_pending(op_id, code); }
  bool restart(const std::string& epoch, std::int64_t epoch_base, std::string* error) override {
    return log_.restart_epoch(epoch, epoch_base, error);
  }
  bool install_snapshot(std::int64_t seq, std::string_view body, std::string* error) override {
    return log_.install_snapshot(seq, body, error);
  }
  bool blocked() const override { return log_.replica().needs_update(); }

 private:
  store::LogStore& log_;
};

}  // namespace sihui::sync
