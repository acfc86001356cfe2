// The rich-text editor's toolbar in Chinese: django-prose-editor writes its
// buttons' tooltips in English without asking gettext (only its dialogs do), so
// each tooltip is passed through the catalogue once the editor has drawn it
// (articles/locale/zh_Hans/LC_MESSAGES/djangojs.po).
"use strict";
(function () {
  const translate = window.gettext || ((text) => text);
  const HEADING = /^heading (\d)$/;

  function chinese(text) {
    const heading = HEADING.exec(text);
    if (heading) {
      return translate("heading %s").replace("%s", heading[1]);
    }
    return translate(text);
  }

  function translateButtons(root) {
    for (const button of root.querySelectorAll(".prose-menubar [title], .prose-menubar [aria-label]")) {
      if (button.dataset.translated) {
        continue;
      }
      for (const attribute of ["title", "aria-label"]) {
        const text = button.getAttribute(attribute);
        if (text) {
          button.setAttribute(attribute, chinese(text));
        }
      }
      button.dataset.translated = "1";
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    translateButtons(document);
    new MutationObserver(() => translateButtons(document)).observe(document.body, {
      childList: true,
      subtree: true,
    });
  });
})();
