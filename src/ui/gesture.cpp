#include "ui/gesture.h"

namespace sihui::ui {

using A = PointerAction;

std::vector<A> TouchGestures::down(float x, float y, double t_ms, bool item_wants_drag) {
  std::vector<A> out;
  if (state_ == Pressed || state_ == Dragging) out.push_back({A::Up, 0, 0, 0});
  state_ = Pressed;
  x0_ = last_x_ = x;
  y0_ = last_y_ = y;
  t0_ = t_ms;
  wants_drag_ = item_wants_drag;
  out.push_back({A::Move, x, y, 0});
  out.push_back({A::Down, 0, 0, 0});
  return out;
}

std::vector<A> TouchGestures::move(float x, float y, double) {
  std::vector<A> out;
  float dx = x - last_x_, dy = y - last_y_;
  switch (state_) {
    case Idle:
    case LongPressed:
      break;
    case Pressed: {
      float tx = x - x0_, ty = y - y0_;
      if (tx * tx + ty * ty < slop_px * slop_px) break;
      if (wants_drag_) {
        state_ = Dragging;
        out.push_back({A::Move, x, y, 0});
      } else {
        state_ = Scrolling;
        out.push_back({A::MoveAway, 0, 0, 0});
        out.push_back({A::Up, 0, 0, 0});
        out.push_back({A::Scroll, x - x0_, y - y0_, 0});
      }
      break;
    }
    case Dragging:
      out.push_back({A::Move, x, y, 0});
      break;
    case Scrolling:
      out.push_back({A::Scroll, dx, dy, 0});
      break;
  }
  last_x_ = x;
  last_y_ = y;
  return out;
}

std::vector<A> TouchGestures::up(float x, float y, double t_ms) {
  std::vector<A> out = tick(t_ms);
  switch (state_) {
    case Pressed:
    case Dragging:
      out.push_back({A::Move, x, y, 0});
      out.push_back({A::Up, 0, 0, 0});
      break;
    default:
      break;
  }
  state_ = Idle;
  return out;
}

std::vector<A> TouchGestures::cancel() {
  std::vector<A> out;
  if (state_ == Pressed || state_ == Dragging) {
    out.push_back({A::MoveAway, 0, 0, 0});
    out.push_back({A::Up, 0, 0, 0});
  }
  state_ = Idle;
  return out;
}

std::vector<A> TouchGestures::tick(double t_ms) {
  std::vector<A> out;
  if (state_ == Pressed && t_ms - t0_ >= long_press_ms) {
    state_ = LongPressed;
    out.push_back({A::MoveAway, 0, 0, 0});
    out.push_back({A::Up, 0, 0, 0});
    out.push_back({A::Move, x0_, y0_, 0});
    out.push_back({A::Down, 0, 0, 1});
    out.push_back({A::Up, 0, 0, 1});
  }
  return out;
}

}  // namespace sihui::ui
