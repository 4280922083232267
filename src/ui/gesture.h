// gesture: turns one finger's touch into what Dear ImGui understands (it has no touch
// scrolling and no long press). Pure: no ImGui, no clock; times come in with the events.
//   tap            -> move, left down ... left up (a click where the finger was)
//   drag on a slider (the item under the finger wants drags) -> the same, with moves
//   drag elsewhere -> the press is cancelled (released far away: no click) and the
//                     movement scrolls the window under the finger instead
//   long press     -> the press is cancelled and a right click opens the context menu
#pragma once
#include <vector>

namespace sihui::ui {

struct PointerAction {
  enum Kind {
    Move,       // mouse position to (x, y)
    MoveAway,   // mouse leaves the window (ImGui's "no mouse" position)
    Down,       // button `button` pressed
    Up,         // button `button` released
    Scroll,     // scroll the window under the gesture's start by (dx, dy) pixels
  } kind;
  float x = 0, y = 0;    // Move: position; Scroll: delta
  int button = 0;        // 0 left, 1 right
};

class TouchGestures {
 public:
  float slop_px = 12;           // movement that turns a press into a drag or a scroll
  double long_press_ms = 550;   // hold this long without moving for a context menu

  std::vector<PointerAction> down(float x, float y, double t_ms, bool item_wants_drag);
  std::vector<PointerAction> move(float x, float y, double t_ms);
  std::vector<PointerAction> up(float x, float y, double t_ms);
  std::vector<PointerAction> cancel();
  // Called every frame (and by a timer): fires the long press when its time has come.
  std::vector<PointerAction> tick(double t_ms);

  bool active() const { return state_ != Idle; }
  bool scrolling() const { return state_ == Scrolling; }

 private:
  enum State { Idle, Pressed, Dragging, Scrolling, LongPressed } state_ = Idle;
  float x0_ = 0, y0_ = 0, last_x_ = 0, last_y_ = 0;
  double t0_ = 0;
  bool wants_drag_ = false;
};

}  // namespace sihui::ui
