// sihui-a11y.js: the page side of accessibility (issue 9, decision 0017), included with emcc --pre-js
// after sihui-pre.js. Dear ImGui draws on a canvas that screen readers cannot see; this file keeps an
// off-screen DOM copy of the item table (src/ui/item_table.h) that they can.
// [X] mirror: one element per item (ARIA role, words, checked/disabled/expanded/value, position),
//     changed only when the table's generation moved, by the changes C++ computed (no DOM write when idle)
// [X] groups: list/listitem around cards, tablist around tabs, a group for the map's places
// [X] a disabled item says "不可用"/"unavailable" in its name as well as aria-disabled
// [X] activating an element (screen reader, click) presses the ImGui item (sihui_a11y_focus)
// [X] focus both ways: ImGui's keyboard item -> DOM focus; a screen reader's focus -> ImGui
// [X] skip link: the first Tab shows "跳到正文"; Enter on it moves to the page's first content item
// [X] the text bridge (#sihui-ime) is named after the field being typed into
// [X] voice reading (读屏): speechSynthesis says the focused item and what a finger taps
// [X] the skip link grows with the text size setting
// [X] figures for ./sihui bench a11y: ms per frame (idle / changed), DOM writes per frame
// Changes:
// - 2026-11-27: first version (issue 9).
// - 2026-11-27: changes from C++ instead of the whole table as JSON; groups; disabled in words (decision 0020).
// - 2026-11-27: cheaper change frames (decision 0020, revision): the focused element leaves the DOM a
//   frame later, one style property per moved coordinate, no attribute compare on new elements;
//   each change frame's parts kept for the bench.
/* global Module */
(function () {
  'use strict';
  var api = window.sihui;
  var canvas = document.getElementById('sihui-canvas');
  var ime = document.getElementById('sihui-ime');

  // ImGui roles -> ARIA roles (null: a plain paragraph).
  var ARIA = { button: 'button', checkbox: 'checkbox', textbox: 'textbox', slider: 'slider', tab: 'tab',
    heading: 'heading', canvas: 'img', status: 'status', link: 'link', image: 'img', text: null, unknown: 'button' };

  var root = document.createElement('div');
  root.id = 'sihui-a11y';
  // contain: strict keeps the mirror's layout to itself: moving its elements (scrolling) or
  // focusing one never lays out the rest of the page.
  root.style.cssText = 'position:fixed;left:0;top:0;width:100vw;height:100vh;overflow:hidden;opacity:0;' +
    'pointer-events:none;z-index:1;margin:0;padding:0;font-size:1px;color:transparent;contain:strict';
  var skip = document.createElement('a');
  skip.id = 'sihui-skip';
  skip.href = '#';
  skip.textContent = '跳到正文';
  var style = document.createElement('style');
  style.textContent = '#sihui-skip{position:fixed;left:-9999px;top:8px;z-index:3;padding:12px 20px;' +
    'font:bold 22px/1.4 sans-serif;background:#111;color:#fff;border:4px solid #ffd400;border-radius:8px;' +
    'text-decoration:none}#sihui-skip:focus{left:8px}#sihui-a11y .m{position:absolute;margin:0;overflow:hidden}';
  function attach() {
    document.head.appendChild(style);
    document.body.insertBefore(root, document.body.firstChild);
    document.body.insertBefore(skip, root);
  }
  if (document.body) attach(); else document.addEventListener('DOMContentLoaded', attach);

  var byId = new Map();      // item id -> element
  var data = new Map();      // item id -> the item's fields, as sihui.a11y.items() gives them
  var list = [], orderDirty = false;  // the items in drawing order (CSS px rectangles), made on demand
  var lastGen = -1, lastFocus = 0, editing = false, programmatic = false, skipOffered = false;
  function fresh() { return { idleMs: [], changeMs: [], idleDomWrites: 0, changeDomWrites: 0, idleFrames: 0, changeFrames: 0, cppMs: 0, readMs: 0, focusMs: 0, bytes: 0, frames: [] }; }
  var stats = fresh();
  var writes = 0, frameRead = 0, frameBytes = 0;
  var words = {}, wordsLang = '';
  var voice = { on: false, rate: 100, lang: 'zh-CN' };
  var spoken = [];

  function tr(key) {
    var lang = voice.lang;
    if (wordsLang !== lang) { words = {}; wordsLang = lang; }
    if (!(key in words)) {
      try { words[key] = api.query('tr', { key: key }).text; } catch (e) { words[key] = ''; }
    }
    return words[key];
  }

  // [SECTION] the mirror
  // C++ hands over only what changed since the copy we hold (src/ui/mirror_diff.h): removed ids,
  // then records in drawing order with the fields that changed; a record with "after" is placed
  // right after that sibling (0: first) in its parent's element (a list, list item or tab list).
  var GROUP = { list: 'list', listitem: 'listitem', tablist: 'tablist', group: 'group' };
  var PLACE_FIELDS = { id: 1, parent: 1, x: 1, y: 1, w: 1, h: 1 };
  function set(el, name, v) {
    if (el._s.fresh) {  // a new element has no attribute yet: nothing to compare with
      if (v !== null && v !== undefined) { el.setAttribute(name, v); writes++; }
      return;
    }
    if (v === null || v === undefined) {
      if (el.hasAttribute(name)) { el.removeAttribute(name); writes++; }
    } else if (el.getAttribute(name) !== v) {
      el.setAttribute(name, v); writes++;
    }
  }
  function make(it) {
    var group = GROUP[it.role];
    var role = group || (ARIA[it.role] === undefined ? 'button' : ARIA[it.role]);
    var el = document.createElement(role === null ? 'p' : 'div');
    el.setAttribute('data-id', String(it.id));
    if (!group) el.className = 'm';
    if (role !== null) el.setAttribute('role', role);
    el._s = { role: it.role, fresh: true };
    writes++;
    return el;
  }
  function update(el, it) {
    var s = el._s;
    if (GROUP[it.role]) { set(el, 'aria-label', it.label || null); return; }
    var pic = it.role === 'canvas' || it.role === 'image';  // a drawing: named, no text content
    var interactive = it.focusable && ARIA[it.role] !== null && it.role !== 'heading' && it.role !== 'status' && !pic;
    // A disabled item says so in words too (not only by aria-disabled, which some readers skip).
    var name = it.enabled || !interactive ? it.label : it.label + (voice.lang === 'en' ? ', ' : '，') + tr('a11y.disabled');
    if (s.label !== name) {
      s.label = name;
      // Things to act on are named by aria-label; words are content (a status line both: named,
      // and its content read out by the live region when it changes).
      if (interactive || pic || it.role === 'status') set(el, 'aria-label', name);
      if (!interactive && !pic) { el.textContent = it.label; writes++; }
    }
    if (s.interactive !== interactive) {
      s.interactive = interactive;
      set(el, 'tabindex', interactive ? '-1' : null);
    }
    if (it.role === 'heading') set(el, 'aria-level', '2');
    set(el, 'aria-disabled', it.enabled ? null : 'true');
    if (it.role === 'checkbox' || (it.checkable && it.role !== 'tab')) set(el, 'aria-checked', it.checked ? 'true' : 'false');
    if (it.role === 'tab') set(el, 'aria-selected', it.checked ? 'true' : 'false');
    set(el, 'aria-expanded', it.expanded >= 0 ? (it.expanded ? 'true' : 'false') : null);
    if (it.role === 'slider') set(el, 'aria-valuetext', it.value || null);
    if (it.role === 'textbox') set(el, 'data-value', it.value || null);
    move(el, it);
  }
  // Position: one style property per coordinate that moved (scrolling moves only top), the whole
  // rectangle in one cssText write when most of it changed (a new element). Groups have no place.
  function move(el, it) {
    var s = el._s;
    if (GROUP[it.role]) return;
    var x = Math.round(it.x), y = Math.round(it.y), w = Math.round(it.w), h = Math.round(it.h);
    var moved = (s.x !== x) + (s.y !== y) + (s.w !== w) + (s.h !== h);
    if (moved > 2) {
      el.style.cssText = 'left:' + x + 'px;top:' + y + 'px;width:' + w + 'px;height:' + h + 'px';
      writes++;
    } else if (moved) {
      var st = el.style;
      if (s.x !== x) st.left = x + 'px';
      if (s.y !== y) st.top = y + 'px';
      if (s.w !== w) st.width = w + 'px';
      if (s.h !== h) st.height = h + 'px';
      writes += moved;
    }
    s.x = x; s.y = y; s.w = w; s.h = h;
  }
  // Removing the element that holds DOM focus makes the browser recalculate style and layout at
  // once and send blur events (1-7 ms on a screen change). So that element (or the group holding it)
  // is only unlinked from the mirror now and taken out of the DOM on the next animation frame, after
  // focus has moved on (focusSoon) and the page has been styled.
  var doomed = [];
  function drop(el, active) {
    if (!el.isConnected) return;  // inside a group taken out already
    if (active && (el === active || el.contains(active))) {
      el.removeAttribute('data-id');
      doomed.push(el);
    } else {
      el.remove();
    }
    writes++;
  }
  function focusedInMirror() {
    var a = document.activeElement;
    return a && a !== document.body && root.contains(a) ? a : null;
  }
  function place(el, parent, after) {
    var box = (parent && byId.get(parent)) || root;
    var ref = after ? byId.get(after) : null;
    if (ref && ref.parentNode !== box) ref = null;
    if (el.parentNode === box && el.previousSibling === ref) return;  // already there
    box.insertBefore(el, ref ? ref.nextSibling : box.firstChild);
    writes++;
  }
  function applyChanges() {
    var t0 = performance.now();
    var text = Module.UTF8ToString(Module._sihui_mirror_changes(lastGen));
    var d = JSON.parse(text);
    frameRead += performance.now() - t0;
    frameBytes += text.length;
    lastGen = d.g;
    var active = (d.reset || d.rm.length) ? focusedInMirror() : null;
    if (d.reset) {
      byId.forEach(function (el) { if (el.parentNode === root) drop(el, active); });
      byId.clear();
      data.clear();
    }
    var i, el, it;
    for (i = 0; i < d.rm.length; i++) {
      el = byId.get(d.rm[i]);
      if (el) { drop(el, active); byId.delete(d.rm[i]); data.delete(d.rm[i]); }
    }
    if (doomed.length) focusSoon(null);
    for (i = 0; i < d.up.length; i++) {
      var rec = d.up[i];
      if (rec.role !== undefined) {  // new
        it = { id: rec.id, parent: 0, label: '', value: '', role: rec.role, x: 0, y: 0, w: 0, h: 0, enabled: true,
          checked: false, checkable: false, clipped: false, visible: true, focusable: true, expanded: -1 };
        for (var k in rec) it[k] = rec[k];
        delete it.after;
        el = make(it);
        byId.set(it.id, el);
        data.set(it.id, it);
      } else {
        it = data.get(rec.id);
        el = byId.get(rec.id);
        if (!it || !el) continue;
        var other = false;  // anything besides the place and the rectangle (scrolling changes only those)
        for (var f in rec) {
          if (f === 'after') continue;
          it[f] = rec[f];
          if (!PLACE_FIELDS[f]) other = true;
        }
        if (!other) {
          move(el, it);
          if (rec.after !== undefined) place(el, rec.parent, rec.after);
          continue;
        }
      }
      update(el, it);
      el._s.fresh = false;
      if (rec.after !== undefined) place(el, rec.parent, rec.after);
    }
    if (d.reset || d.rm.length || d.up.length) orderDirty = true;
  }
  // The mirror's items in drawing order (tests, voice reading under a finger): read from the DOM
  // when something changed since the last time.
  function ordered() {
    if (orderDirty) {
      list = [];
      var els = root.querySelectorAll('[data-id]');
      for (var i = 0; i < els.length; i++) {
        var it = data.get(Number(els[i].dataset.id));
        if (it) list.push(it);
      }
      orderDirty = false;
    }
    return list;
  }

  // DOM focus follows ImGui's keyboard item on the next animation frame: focusing at once would
  // force the browser to style the elements just made (a synchronous recalculation, several ms on
  // a screen change); a frame later they are styled and focus is cheap.
  // The same frame takes out the elements kept for holding focus (see drop).
  var focusTarget = null, focusPending = false;
  function focusSoon(el) {
    if (!focusPending) requestAnimationFrame(function () {
      var target = focusTarget;
      focusTarget = null;
      focusPending = false;
      var tf = performance.now();
      if (target && target.isConnected && !editing && document.activeElement !== target) {
        programmatic = true;
        target.focus({ preventScroll: true });
        programmatic = false;
      }
      for (var i = 0; i < doomed.length; i++) doomed[i].remove();
      doomed.length = 0;
      stats.focusMs += performance.now() - tf;
    });
    focusPending = true;
    if (el) focusTarget = el;
  }

  function itemOf(id) { return data.get(id) || null; }

  // Called by main_web.cpp after every drawn frame.
  Module.sihuiMirror = function (gen, focus, isEditing, cppMs) {
    var t0 = performance.now();
    writes = 0;
    frameRead = 0;
    frameBytes = 0;
    var changed = gen !== lastGen;
    if (changed) applyChanges();
    if (focus !== lastFocus || !!isEditing !== editing) {
      changed = true;
      var was = lastFocus;
      lastFocus = focus;
      editing = !!isEditing;
      var el = focus ? byId.get(focus) : null;
      var it = focus ? itemOf(focus) : null;
      if (editing) {
        // Typing goes to the text bridge: name it after the field, so a screen reader says which.
        ime.setAttribute('aria-label', it ? it.label : '');
        ime.removeAttribute('aria-hidden');
        if (document.activeElement !== ime) ime.focus({ preventScroll: true });
      } else {
        ime.setAttribute('aria-hidden', 'true');
        if (el && document.activeElement !== el) focusSoon(el);
      }
      if (focus && focus !== was && it) say(describe(it));
    }
    var ms = performance.now() - t0 + cppMs;
    stats.cppMs += cppMs;
    var arr = changed ? stats.changeMs : stats.idleMs;
    if (arr.length < 2000) arr.push(ms);
    if (changed) {
      stats.changeFrames++;
      stats.changeDomWrites += writes;
      stats.readMs += frameRead;
      stats.bytes += frameBytes;
      // Each change frame's parts, for the bench's slowest frames: ms, C++ check, changes read, DOM writes, bytes.
      if (stats.frames.length < 2000) stats.frames.push([ms, cppMs, frameRead, writes, frameBytes]);
    }
    else { stats.idleFrames++; stats.idleDomWrites += writes; }
  };

  function idOf(target) {
    var el = target && target.closest ? target.closest('[data-id]') : null;
    return el && root.contains(el) ? Number(el.dataset.id) : 0;
  }
  // A screen reader (or a test) pressed an element: press the ImGui item.
  root.addEventListener('click', function (e) {
    var id = idOf(e.target);
    if (!id) return;
    e.preventDefault();
    Module._sihui_a11y_focus(id, 1);
  });
  // A screen reader moved its focus to an element: move ImGui's keyboard focus there.
  root.addEventListener('focusin', function (e) {
    if (programmatic) return;
    var id = idOf(e.target);
    if (!id || id === lastFocus) return;
    lastFocus = id;
    Module._sihui_a11y_focus(id, 0);
    var it = itemOf(id);
    if (it) say(describe(it));
  });

  // [SECTION] keyboard: the skip link is the first stop of Tab
  function doSkip() {
    skip.blur();
    Module._sihui_a11y_skip();
  }
  skip.addEventListener('click', function (e) { e.preventDefault(); doSkip(); });
  skip.addEventListener('keydown', function (e) {
    if (e.code === 'Enter' || e.code === 'NumpadEnter' || e.code === 'Space') {
      e.preventDefault();
      e.stopPropagation();
      doSkip();
    }
  });
  window.addEventListener('keydown', function (e) {
    if (e.code !== 'Tab' || e.shiftKey || e.ctrlKey || e.altKey || e.metaKey) return;
    if (e.target === ime || lastFocus !== 0 || skipOffered || document.activeElement === skip) {
      if (document.activeElement === skip) skip.blur();  // the next Tab goes on into the page
      return;
    }
    e.preventDefault();
    e.stopImmediatePropagation();
    skipOffered = true;
    skip.focus();
    say(skip.textContent);
  }, true);

  // [SECTION] voice reading (读屏)
  function describe(it) {
    var parts = [it.label];
    if (it.role !== 'text' && it.role !== 'status' && it.role !== 'unknown') {
      var r = tr('a11y.role.' + it.role);
      if (r) parts.push(r);
    }
    if (it.role === 'checkbox') parts.push(tr(it.checked ? 'a11y.checked' : 'a11y.unchecked'));
    else if (it.role === 'tab' && it.checked) parts.push(tr('a11y.checked'));
    if (it.value && it.role === 'slider') parts.push(it.value);
    if (it.expanded >= 0) parts.push(tr(it.expanded ? 'a11y.expanded' : 'a11y.collapsed'));
    if (!it.enabled) parts.push(tr('a11y.disabled'));
    return parts.filter(Boolean).join(voice.lang === 'en' ? ', ' : '，');
  }
  function say(text) {
    if (!voice.on || !text) return;
    var lang = voice.lang === 'en' ? 'en-US' : 'zh-CN';
    spoken.push({ text: text, lang: lang, rate: voice.rate / 100 });
    if (spoken.length > 50) spoken.shift();
    var synth = window.speechSynthesis;
    if (!synth || typeof SpeechSynthesisUtterance === 'undefined') return;
    try {
      synth.cancel();
      var u = new SpeechSynthesisUtterance(text);
      u.lang = lang;
      u.rate = voice.rate / 100;
      var vs = synth.getVoices ? synth.getVoices() : [];
      for (var i = 0; i < vs.length; i++) {
        if (vs[i].lang && vs[i].lang.replace('_', '-').indexOf(lang.slice(0, 2)) === 0) { u.voice = vs[i]; break; }
      }
      synth.speak(u);
    } catch (e) { /* no speech on this device: the setting stays, nothing is said */ }
  }
  // Called by main_web.cpp when the settings change (and once at start).
  Module.sihuiA11ySettings = function (on, rate, lang, textScale) {
    skip.style.fontSize = Math.round(22 * (textScale || 100) / 100) + 'px';
    var was = voice.on;
    voice = { on: !!on, rate: rate, lang: lang };
    document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
    root.lang = document.documentElement.lang;
    skip.textContent = tr('a11y.skip') || skip.textContent;
    root.setAttribute('aria-label', tr('a11y.app') || '四汇');
    if (voice.on && !was && api.readyMs) say(tr('a11y.voice.sample'));
    if (!voice.on && window.speechSynthesis) { try { window.speechSynthesis.cancel(); } catch (e) {} }
  };
  // The words under a finger: the topmost item there (an item to act on before the text around it).
  function under(x, y) {
    var best = null;
    var all = ordered();
    for (var i = 0; i < all.length; i++) {
      var it = all[i];
      if (!it.visible || !it.label || GROUP[it.role]) continue;
      if (x < it.x || y < it.y || x >= it.x + it.w || y >= it.y + it.h) continue;
      if (!best || it.focusable || !best.focusable) best = it;
    }
    return best;
  }
  if (canvas) {
    canvas.addEventListener('pointerup', function (e) {
      if (!voice.on || e.pointerType === 'mouse') return;
      var r = canvas.getBoundingClientRect();
      var it = under(e.clientX - r.left, e.clientY - r.top);
      if (it) say(describe(it));
    });
  }

  // [SECTION] window.sihui.a11y: tests and ./sihui bench a11y
  api.a11y = {
    root: root,
    // The mirror's list as last read (every item with words, scrolled-out ones too).
    items: function () { return ordered().map(function (it) { return Object.assign({}, it); }); },
    focused: function () { return lastFocus; },
    spoken: function () { return spoken.slice(); },
    // ms per drawn frame (C++ share + this file), split by whether the table or focus changed;
    // cppMs, readMs (C++ working out the changes, handed over as JSON and parsed), focusMs: summed
    // parts of those; bytes: the changes' JSON.
    // ./sihui bench a11y: the whole mirror dropped and built again from C++'s changes (a reset), the
    // most a screen change can cost; ms and DOM writes.
    rebuild: function () {
      var t0 = performance.now();
      writes = 0;
      lastGen = -1;
      applyChanges();
      return { ms: performance.now() - t0, writes: writes };
    },
    stats: function (reset) {
      var out = JSON.parse(JSON.stringify(stats));
      if (reset) stats = fresh();
      return out;
    },
  };
})();
