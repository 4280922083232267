// embed.js: Sihui on another site's page (the community's news site). One tag puts the real app, in its
// narrow embed mode, in an iframe right after the tag:
//   <script src="https://SIHUI-SERVER/embed.js" data-view="calendar" data-lang="zh-CN" async></script>
// data-view: calendar | classes | class:ID (a course or one session) | event:ID; data-lang: zh-CN | en;
// data-theme: light | contrast. The iframe is as wide as the column (from 320 px) and as tall as its
// content: the app posts {type: "sihui:size", height} whenever that changes.
// The server must list the news site in serve.py --embed-origin, or the browser refuses the frame.
// Changes:
// - 2026-11-26: first version (issue 8).
(function () {
  'use strict';
  var tag = document.currentScript;
  if (!tag || !tag.src) return;
  var base = new URL('./', tag.src);
  var d = tag.dataset || {};
  var view = d.view || 'calendar';
  var q = '?embed=' + encodeURIComponent(view);
  if (d.lang) q += '&lang=' + encodeURIComponent(d.lang);
  if (d.theme) q += '&theme=' + encodeURIComponent(d.theme);
  var frame = document.createElement('iframe');
  frame.src = base.href + q;
  frame.title = d.title || (d.lang === 'en' ? 'Sihui: community calendar and classes' : '四汇：社区日历与课程');
  frame.style.cssText = 'display:block;width:100%;min-width:320px;max-width:100%;border:0;height:' +
    (d.height || '32em') + ';overflow:hidden;background:#fdf8f0;';
  frame.className = 'sihui-embed';
  frame.setAttribute('data-sihui-view', view);
  tag.parentNode.insertBefore(frame, tag.nextSibling);
  window.addEventListener('message', function (e) {
    if (e.source !== frame.contentWindow || e.origin !== base.origin) return;
    var m = e.data || {};
    if (m.type === 'sihui:size' && typeof m.height === 'number' && m.height > 0) {
      frame.style.height = Math.min(Math.max(Math.ceil(m.height), 120), 20000) + 'px';
    }
  });
})();
