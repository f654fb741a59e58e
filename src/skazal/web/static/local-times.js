// Times of printings shown in the reader's own time zone ("3 мая 2020 г. в 13:53 GMT+3"). Without this
// script the page shows them in the zone they were given in, written out the same way.
"use strict";
(function () {
  const language = document.documentElement.lang || "ru";
  const written = new Intl.DateTimeFormat(language, {
    day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short",
  });
  document.querySelectorAll("time[data-local]").forEach((element) => {
    const moment = new Date(element.getAttribute("datetime"));
    if (!Number.isNaN(moment.getTime())) element.textContent = written.format(moment);
  });
})();
