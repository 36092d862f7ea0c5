/* Revayat media players: HLS video through hls.js where the browser has no native HLS (MP4 sources
   stay as the fallback), chapter buttons that seek the audio or video, mark the current one and put
   the moment in the address ("#t=90"), and such an address (a search result's moment, a shared link)
   opening the page's player at that second. */
(function () {
  "use strict";

  function attachHls(video) {
    var url = video.dataset.hls;
    if (!url) return;
    if (video.canPlayType("application/vnd.apple.mpegurl")) {
      video.src = url; // Safari, iOS: native HLS
    } else if (window.Hls && window.Hls.isSupported()) {
      var hls = new window.Hls({ capLevelToPlayerSize: true });
      hls.on(window.Hls.Events.ERROR, function (_event, data) {
        if (data.fatal) {
          hls.destroy(); // fall back to the MP4 <source> elements
          video.removeAttribute("src");
          video.load();
        }
      });
      hls.loadSource(url);
      hls.attachMedia(video);
      video.dataset.engine = "hls.js";
    }
  }

  function wireChapters() {
    var buttons = document.querySelectorAll("button.chapter[data-player]");
    buttons.forEach(function (button) {
      var player = document.getElementById(button.dataset.player);
      if (!player) return;
      button.addEventListener("click", function () {
        player.currentTime = Number(button.dataset.start);
        player.play();
        history.replaceState(null, "", "#t=" + Number(button.dataset.start));
      });
    });
    document.querySelectorAll("audio, video").forEach(function (player) {
      player.addEventListener("timeupdate", function () {
        var current = null;
        buttons.forEach(function (button) {
          if (button.dataset.player === player.id && Number(button.dataset.start) <= player.currentTime) {
            current = button;
          }
        });
        buttons.forEach(function (button) {
          if (button.dataset.player !== player.id) return;
          if (button === current) button.setAttribute("aria-current", "time");
          else button.removeAttribute("aria-current");
        });
      });
    });
  }

  function seekToMoment() {
    var moment = /^#t=(\d+(?:\.\d+)?)$/.exec(window.location.hash);
    var player = document.querySelector("main video, main audio");
    if (!moment || !player) return;
    var seconds = Number(moment[1]);
    var seek = function () { player.currentTime = seconds; };
    if (player.readyState >= 1) seek();
    else player.addEventListener("loadedmetadata", seek, { once: true });
    player.scrollIntoView({ block: "center" });
  }

  document.querySelectorAll("video[data-hls]").forEach(attachHls);
  wireChapters();
  seekToMoment();
  window.addEventListener("hashchange", seekToMoment);
})();
