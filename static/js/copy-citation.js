// The 复制 button of a page's 引用 block: copies the GB/T 7714 text to the
// clipboard; where the clipboard is refused (plain http, old browsers) the text
// is left selected for Ctrl+C. Without scripts the button stays hidden.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("button[data-copy-target]")) {
    const target = document.getElementById(button.dataset.copyTarget);
    const status = button.parentElement.querySelector("[role=status]");
    button.hidden = false;
    button.addEventListener("click", async () => {
      const range = document.createRange();
      range.selectNodeContents(target);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      try {
        await navigator.clipboard.writeText(target.textContent.trim());
        status.textContent = button.dataset.copied;
      } catch {
        status.textContent = button.dataset.selected;
      }
    });
  }
});
